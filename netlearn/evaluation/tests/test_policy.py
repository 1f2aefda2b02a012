"""Who may do what with programmes, as a matrix over every role of the test world."""

import datetime

import pytest

from netlearn.charter import policy as charter_policy
from netlearn.golden_thread import policy as thread_policy
from netlearn.networks.access import access_for
from netlearn.networks.tests.factories import PersonFactory

from .. import policy, services
from ..models import Evaluator, ProgrammeMembership
from . import factories


@pytest.fixture
def evaluated(world):
    """The home network in a programme (its co-leader consented), with an evaluator; the
    foreign network asked but not consenting."""
    evaluator = PersonFactory(username="evaluator", name="Eve Evaluator")
    made = factories.programme(world, evaluator=evaluator)
    factories.joined(world, made, world.network, world.co_leader)
    services.invite_network(programme=made, network=world.foreign_network, by=evaluator)
    return made, evaluator


ROLES = [
    # role, sees the programme, invites, creates, appoints, consents for the home network
    ("anonymous", False, False, False, False, False),
    ("pupil", False, False, False, False, False),
    ("parent", False, False, False, False, False),
    ("member", False, False, False, False, False),
    ("partner", False, False, False, False, False),
    ("school_lead", False, False, False, False, False),
    ("co_leader", False, False, False, False, True),
    ("data_lead", False, False, False, False, False),
    ("safeguarding_lead", False, False, False, False, False),
    ("evaluator", True, True, False, False, False),
    # Consent is the network's: a site admin cannot give it for a network.
    ("site_admin", True, True, True, True, False),
]


@pytest.mark.parametrize("role, sees, invites, creates, appoints, consents", ROLES)
def test_programme_rules_by_role(
    world, evaluated, role, sees, invites, creates, appoints, consents, django_assert_num_queries
):
    made, evaluator = evaluated
    person = evaluator if role == "evaluator" else world.people_by_role()[role]
    if person is not None:
        access_for(person)
        policy.reach_for(person)
    with django_assert_num_queries(0):
        assert policy.can_view_programme(person, made) is sees
        assert policy.can_invite(person, made) is invites
        assert policy.can_create_programme(person) is creates
        # Which networks were asked and not consenting: a site admin's alone, as creating is.
        assert policy.can_view_invitations(person, made) is creates
        assert policy.can_appoint_evaluator(person, made) is appoints
        assert policy.can_consent(person, world.network) is consents
        assert policy.can_withdraw(person, world.network) is consents
        assert policy.can_consent(person, world.foreign_network) is False


@pytest.mark.parametrize(
    "role, reads_home",
    [
        ("member", True),
        ("co_leader", True),
        ("pupil", False),
        ("evaluator", True),
        ("site_admin", True),
    ],
)
def test_evaluators_read_the_charter_and_thread_of_consenting_networks_only(
    world, evaluated, role, reads_home, django_assert_num_queries
):
    made, evaluator = evaluated
    person = evaluator if role == "evaluator" else world.people_by_role()[role]
    access_for(person)
    with django_assert_num_queries(0):
        assert charter_policy.can_view_charter(person, world.network) is reads_home
        assert thread_policy.can_view_thread(person, world.network) is reads_home
        # Asked but not consenting: nothing.
        assert charter_policy.can_view_charter(person, world.foreign_network) is (
            role == "site_admin"
        )
        # Reading is all: no edit, sign-off, proposal, figures or enquiry.
        if role == "evaluator":
            assert not charter_policy.can_edit_charter(person, world.network)
            assert not charter_policy.can_propose(person, world.network)
            assert not charter_policy.can_sign_off(person, world.network, world.school_b)
            assert not thread_policy.can_view_value_added(person, world.network)
            assert not thread_policy.can_start_enquiry(person, world.network)
            assert thread_policy.reads_as_evaluator(person, world.network)
        else:
            assert not thread_policy.reads_as_evaluator(person, world.network)


def test_an_ended_appointment_or_a_withdrawal_ends_the_reach_at_once(world, evaluated):
    made, evaluator = evaluated
    assert world.network.pk in access_for(evaluator).evaluated_network_ids
    membership = ProgrammeMembership.objects.consented().get(network=world.network)
    services.withdraw(membership=membership, by=world.co_leader)
    fresh = PersonFactory._meta.model.objects.get(pk=evaluator.pk)
    assert access_for(fresh).evaluated_network_ids == frozenset()
    assert not charter_policy.can_view_charter(fresh, world.network)

    factories.joined(world, made, world.network, world.co_leader)
    Evaluator.objects.filter(person=evaluator).update(
        starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2020, 12, 31)
    )
    fresh = PersonFactory._meta.model.objects.get(pk=evaluator.pk)
    assert access_for(fresh).evaluated_network_ids == frozenset()
    assert not policy.can_view_programme(fresh, made)
