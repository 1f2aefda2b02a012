"""Charter objects for the authorization walks, in both networks (netlearn/web/tests/walk.py)."""

from netlearn.charter import services
from netlearn.networks.tests.world import SENTINEL

from .factories import build_charter


def _build(world, *, foreign: bool) -> dict:
    network = world.foreign_network if foreign else world.network
    by = world.admin
    charter, focus, goal, entry, commitment, version = build_charter(
        network,
        by=by,
        marker=SENTINEL if foreign else "",
        lead_group=world.foreign_group if foreign else world.group,
    )
    services.propose_version(version=version, by=by)
    if foreign:
        # The foreign network's one school signs: its version comes into force.
        services.sign_off(version=version, school=world.foreign_school, by=world.foreign_co_leader)
    else:
        services.sign_off(version=version, school=world.school_b, by=world.school_lead)
    return {
        "focus_id": focus.pk,
        "goal_id": goal.pk,
        "entry_id": entry.pk,
        "commitment_id": commitment.pk,
        "version_id": version.pk,
        "lead_group_id": (world.foreign_group if foreign else world.group).pk,
    }


def object_ids(world, *, foreign: bool) -> dict[str, object]:
    built = world.__dict__.setdefault("_charter_walk", {})
    if foreign not in built:
        built[foreign] = _build(world, foreign=foreign)
    return built[foreign]
