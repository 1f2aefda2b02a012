"""Roster imports for the authorization walks (netlearn/web/tests/walk.py).

The foreign network's school imports an export whose people carry SENTINEL in their names; the
home network's school lead imports one of their own. The import page takes only `school_id`.
"""

from netlearn.networks.tests.world import SENTINEL
from netlearn.rostering import services

from .bundles import school_bundle


def _build(world, *, foreign: bool) -> None:
    school = world.foreign_school if foreign else world.school_b
    bundle = school_bundle(identifier=school.reference, pupils=2, staff=1)
    if foreign:
        for row in bundle.rows["users"]:
            row["givenName"] = f"Ana{SENTINEL}"
            row["familyName"] = f"Rua{SENTINEL}"
        for row in bundle.rows["classes"]:
            row["title"] = row["title"] + SENTINEL[:5]
        bundle.user("s1")["email"] = "rostered@sentinel.example.org"
        by = world.admin
    else:
        by = world.school_lead
    services.import_roster(school=school, by=by, file=bundle.zip(), org_id="org-1")


def object_ids(world, *, foreign: bool) -> dict:
    key = "rostering_walk_foreign" if foreign else "rostering_walk_home"
    if key not in world.__dict__:
        _build(world, foreign=foreign)
        world.__dict__[key] = True
    return {}
