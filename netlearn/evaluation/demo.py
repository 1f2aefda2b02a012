"""The demo's programme: "National NLC programme (demo)", evaluated side by side.

A national programme of many networks, whose value added the programme measures
(docs/seed-practices.md): four demo networks were asked and each one's co-leader consented:
Tweedmouth, North Hartlepool, Network B and Pendle. The evaluator (username `evaluator`, printed
with the other demo sign-ins) belongs to no network: they read those networks' charters, golden
threads, engagement and value added, and nothing personal.

`load(*, admin)` leaves the programme alone once it exists; everything is written through the
services, as the site admin, the evaluator and each network's co-leader would.
"""

from netlearn.accounts import selectors as account_selectors
from netlearn.accounts.services import create_person
from netlearn.networks import selectors as network_selectors
from netlearn.networks.demo import EMAIL_DOMAIN, PASSWORD
from netlearn.networks.models import Role

from . import selectors, services

NAME = "National NLC programme (demo)"
NETWORKS = ("tweedmouth", "north-hartlepool", "network-b", "pendle-small-schools")


def _evaluator():
    person = account_selectors.people_with_usernames(["evaluator"]).first()
    if person is not None:
        return person
    return create_person(
        username="evaluator",
        name="Evan Ellis",
        email=f"evaluator@{EMAIL_DOMAIN}",
        password=PASSWORD,
        bio="Evaluates the national programme of networked learning communities.",
        is_demo=True,
    )


def load(*, admin) -> None:
    if selectors.programmes_for(viewer=admin).filter(name=NAME).exists():
        return
    programme = services.create_programme(
        name=NAME,
        description=(
            "The national programme's networks, side by side: what each set out to do, how far "
            "each golden thread reaches, who comes to meetings, and the value added."
        ),
        by=admin,
        is_demo=True,
    )
    evaluator = _evaluator()
    services.appoint_evaluator(programme=programme, person=evaluator, by=admin)
    for slug in NETWORKS:
        network = network_selectors.network_with_slug(slug=slug)
        co_leader = network and network_selectors.first_holder_of(
            network=network, role=Role.CO_LEADER
        )
        if co_leader is None:
            continue
        membership = services.invite_network(programme=programme, network=network, by=evaluator)
        services.consent(membership=membership, by=co_leader)
