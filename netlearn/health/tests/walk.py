"""Network health for the authorization walks, in both networks (netlearn/web/tests/walk.py)."""

from netlearn.health import selectors, services
from netlearn.networks.tests.world import SENTINEL

from .factories import survey


def _build(world, *, foreign: bool) -> dict:
    network = world.foreign_network if foreign else world.network
    marker = SENTINEL if foreign else ""
    leader = world.foreign_co_leader if foreign else world.co_leader
    made = survey(
        world,
        network=network,
        by=leader,
        mode="confidential",
        title=f"Health {marker}".strip(),
        wave=f"Autumn {marker}".strip(),
        framework=selectors.framework_with_slug("partnership"),
        questions=[
            {"kind": "likert", "text": f"Trust {marker}".strip()},
            {"kind": "free_text", "text": f"Say {marker}".strip()},
        ],
    )
    likert = made.questions.get(kind="likert", bank_item__isnull=True)
    text = made.questions.get(kind="free_text")
    services.respond(
        survey=made,
        by=leader,
        answers={str(likert.pk): 4, str(text.pk): f"Answer {marker}".strip()},
    )
    services.record_judgement(
        network=network,
        by=leader,
        dimension=selectors.dimension_with_key("partnership/trust"),
        wave=f"Autumn {marker}".strip(),
        level="developing",
        summary=f"Summary {marker}".strip(),
        evidence=[f"/n/{network.slug}/"],
        next_step=f"Next {marker}".strip(),
    )
    return {"survey_id": made.pk}


def object_ids(world, *, foreign: bool) -> dict[str, object]:
    built = world.__dict__.setdefault("_health_walk", {})
    if foreign not in built:
        built[foreign] = _build(world, foreign=foreign)
    return built[foreign]
