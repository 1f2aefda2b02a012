"""Decisions for the authorization walks, in both networks (netlearn/web/tests/walk.py)."""

from netlearn.decisions import services
from netlearn.networks import services as network_services
from netlearn.networks.models import GroupKind
from netlearn.networks.tests.world import SENTINEL

from .factories import soon


def _build(world, *, foreign: bool) -> dict:
    network = world.foreign_network if foreign else world.network
    marker = SENTINEL if foreign else ""
    group = network_services.create_group(
        network=network,
        name=f"Deciding heads {marker}".strip(),
        kind=GroupKind.HEADTEACHER,
        purpose=f"Decides {marker}",
        by=world.admin,
    )
    proposer = world.foreign_co_leader if foreign else world.co_leader
    deciders = (
        [world.foreign_co_leader, world.foreign_teacher]
        if foreign
        else [world.co_leader, world.school_lead, world.teacher]
    )
    for person in deciders:
        network_services.add_group_member(group=group, person=person, by=world.admin)
    proposal = services.create_proposal(
        network=network,
        group=group,
        by=proposer,
        title=f"Proposal {marker}".strip(),
        text=f"Text {marker}",
        method="consent",
        closes_at=soon(),
    )
    services.take_position(
        proposal=proposal, by=deciders[1], stance="block", reason=f"Reason {marker}"
    )
    return {"decision_id": proposal.pk}


def object_ids(world, *, foreign: bool) -> dict[str, object]:
    built = world.__dict__.setdefault("_decisions_walk", {})
    if foreign not in built:
        built[foreign] = _build(world, foreign=foreign)
    return built[foreign]
