"""Programmes for the tests, built through the services as an admin, evaluators and co-leaders
would build them."""

import itertools

from netlearn.charter.tests.factories import build_charter
from netlearn.networks import services as network_services
from netlearn.networks.models import Role
from netlearn.networks.tests.factories import NetworkFactory, PersonFactory

from .. import services

_numbers = itertools.count(1)


def led_network(world, *, name: str | None = None, charter: bool = True):
    """A further network with a co-leader (and a charter, with a focus and a goal)."""
    n = next(_numbers)
    network = NetworkFactory(name=name or f"Network {n}", slug=f"extra-{n}")
    co_leader = PersonFactory(username=f"lead{n}", name=f"Lee Lead {n}")
    network_services.assign_role(network=network, person=co_leader, role=Role.CO_LEADER, by=None)
    if charter:
        build_charter(network, by=world.admin)
    return network, co_leader


def programme(world, *, name: str = "National NLC programme", evaluator=None):
    made = services.create_programme(name=name, by=world.admin)
    if evaluator is not None:
        services.appoint_evaluator(programme=made, person=evaluator, by=world.admin)
    return made


def joined(world, made, network, co_leader):
    membership = services.invite_network(programme=made, network=network, by=world.admin)
    return services.consent(membership=membership, by=co_leader)
