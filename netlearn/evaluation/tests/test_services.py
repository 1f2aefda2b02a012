"""The consent rules: a network joins only when one of its co-leaders consents, and leaves when
one withdraws it; the record of consent is kept."""

import pytest
from django.core.exceptions import PermissionDenied

from netlearn.networks.tests.factories import PersonFactory

from .. import selectors, services
from ..errors import AlreadyInvited, EvaluationError, NotInvited
from ..models import ProgrammeMembership
from . import factories


@pytest.fixture
def made(world):
    return factories.programme(world, evaluator=PersonFactory(username="eve", name="Eve"))


def test_only_a_site_admin_creates_a_programme_or_appoints_an_evaluator(world, made):
    for person in (world.co_leader, world.teacher):
        with pytest.raises(PermissionDenied):
            services.create_programme(name="Local authority networks", by=person)
        with pytest.raises(PermissionDenied):
            services.appoint_evaluator(programme=made, person=world.teacher, by=person)
    with pytest.raises(EvaluationError):
        services.create_programme(name="  ", by=world.admin)
    with pytest.raises(EvaluationError):
        services.appoint_evaluator(programme=made, person=world.pupil, by=world.admin)


def test_an_invited_network_is_not_in_the_programme_until_a_co_leader_consents(world, made):
    membership = services.invite_network(programme=made, network=world.network, by=world.admin)
    assert selectors.consented_networks_of(programme=made) == []
    with pytest.raises(AlreadyInvited):
        services.invite_network(programme=made, network=world.network, by=world.admin)
    for person in (world.teacher, world.school_lead, world.admin, world.foreign_co_leader):
        with pytest.raises(PermissionDenied):
            services.consent(membership=membership, by=person)
    services.consent(membership=membership, by=world.co_leader)
    membership.refresh_from_db()
    assert membership.consented_by == world.co_leader and membership.consented_at
    assert selectors.consented_networks_of(programme=made) == [world.network]


def test_a_co_leader_withdraws_and_the_consent_stays_on_record(world, made):
    membership = factories.joined(world, made, world.network, world.co_leader)
    with pytest.raises(PermissionDenied):
        services.withdraw(membership=membership, by=world.teacher)
    services.withdraw(membership=membership, by=world.co_leader)
    membership.refresh_from_db()
    assert membership.withdrawn_by == world.co_leader
    assert membership.consented_by == world.co_leader  # the record is not rewritten
    assert selectors.consented_networks_of(programme=made) == []
    with pytest.raises(NotInvited):
        services.consent(membership=membership, by=world.co_leader)
    with pytest.raises(NotInvited):
        services.withdraw(membership=membership, by=world.co_leader)
    # Asked again, the network decides again: a new record beside the old one.
    again = services.invite_network(programme=made, network=world.network, by=world.admin)
    assert again.pk != membership.pk and not again.is_consented
    assert ProgrammeMembership.objects.filter(network=world.network).count() == 2


def test_only_the_programmes_evaluators_invite(world, made):
    outsider = PersonFactory(username="other", name="Other Evaluator")
    other = factories.programme(world, name="Another programme", evaluator=outsider)
    with pytest.raises(PermissionDenied):
        services.invite_network(programme=made, network=world.network, by=outsider)
    with pytest.raises(PermissionDenied):
        services.invite_network(programme=made, network=world.network, by=world.co_leader)
    assert services.invite_network(programme=other, network=world.network, by=outsider)
