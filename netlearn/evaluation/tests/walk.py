"""The authorization walks' objects of programmes, and the walks' evaluator.

The home programme evaluates the home network (its co-leader consented); the foreign programme,
SENTINEL in its text, evaluates the foreign network. The evaluator (`people`) evaluates the home
programme only: the walks prove they reach nothing of the foreign network, and no page of the
home network they read shows the foreign network's data.
"""

from netlearn.networks.tests.factories import PersonFactory
from netlearn.networks.tests.world import SENTINEL

from .. import services


def _build(world, *, foreign: bool) -> dict:
    network = world.foreign_network if foreign else world.network
    marker = f" {SENTINEL}" if foreign else ""
    programme = services.create_programme(
        name=f"{'Foreign' if foreign else 'Home'} programme{marker}",
        description=f"Evaluates{marker}",
        by=world.admin,
    )
    membership = services.invite_network(programme=programme, network=network, by=world.admin)
    co_leader = world.foreign_co_leader if foreign else world.co_leader
    services.consent(membership=membership, by=co_leader)
    if not foreign:
        evaluator = PersonFactory(username="evaluator", name="Eve Evaluator")
        services.appoint_evaluator(programme=programme, person=evaluator, by=world.admin)
        world.evaluator = evaluator
    return {"programme_slug": programme.slug, "programme_membership_id": membership.pk}


def object_ids(world, *, foreign: bool) -> dict[str, object]:
    built = world.__dict__.setdefault("_evaluation_walk", {})
    if foreign not in built:
        built[foreign] = _build(world, foreign=foreign)
    return built[foreign]


def people(world) -> dict:
    """The walks' further roles: a programme's evaluator, who belongs to no network."""
    object_ids(world, foreign=False)
    return {"evaluator": world.evaluator}
