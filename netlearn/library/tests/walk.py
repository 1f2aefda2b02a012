"""Library objects for the authorization walks, in both networks (netlearn/web/tests/walk.py).

The home network's resource is public, so the anonymous public catalogue has something to show;
the foreign network's is shared with its own network only, and carries SENTINEL in every text
field, in its file's name and in the text inside its PDF.
"""

from netlearn.library import services
from netlearn.library.models import Sharing
from netlearn.networks.tests.world import SENTINEL

from .factories import add_resource, good_trial, pdf_upload


def _build(world, *, foreign: bool) -> dict:
    mark = f" {SENTINEL}" if foreign else ""
    network = world.foreign_network if foreign else world.network
    author = world.foreign_teacher if foreign else world.teacher
    resource = add_resource(
        network,
        by=author,
        title=f"Fraction walls{mark}",
        summary=f"Equivalent fractions{mark}",
        learning_focus=f"Reasoning{mark}",
        tags=f"fractions, KS2{mark}",
        link=f"https://example.org/{SENTINEL if foreign else 'walls'}",
        sharing=Sharing.NETWORK if foreign else Sharing.PUBLIC,
        upload=pdf_upload(f"Fraction walls lesson{mark}", name=f"walls{mark.strip()}.pdf"),
    )
    if not foreign:
        good_trial(resource, by=world.school_lead)
        services.change_settings(
            network=network, by=world.co_leader, min_trials=2, min_schools=2, min_mean_rating=4
        )
    return {"resource_id": resource.pk, "file_id": resource.files.first().pk}


def object_ids(world, *, foreign: bool) -> dict:
    key = "library_walk_foreign" if foreign else "library_walk_home"
    if key not in world.__dict__:
        world.__dict__[key] = _build(world, foreign=foreign)
    return dict(world.__dict__[key])
