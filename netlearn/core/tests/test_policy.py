"""The policy toolkit: refusals, empty scopes and network scopes that cost no queries."""

import pytest
from django.core.exceptions import PermissionDenied

from netlearn.core.policy import in_networks, is_staff, nothing, require
from netlearn.networks.access import ANONYMOUS, Access
from netlearn.networks.models import Network, NetworkMembership, School


def test_require_passes_what_is_allowed_and_refuses_the_rest():
    require(True)
    with pytest.raises(PermissionDenied):
        require(False)


@pytest.mark.django_db
def test_nothing_matches_no_row_without_asking_the_database(world, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert list(Network.objects.filter(nothing())) == []


def test_staff_are_signed_in_people_who_are_not_pupils():
    assert is_staff(Access(person_id=1))
    assert is_staff(Access(person_id=1, is_partner=True))
    assert not is_staff(Access(person_id=1, is_pupil=True))
    assert not is_staff(ANONYMOUS)


@pytest.mark.django_db
def test_in_networks_scopes_rows_directly_or_through_a_relation(world):
    network = world.network
    schools = set(School.objects.filter(in_networks([network.pk], prefix="memberships__")))
    assert schools and schools == set(network.schools.all())
    memberships = NetworkMembership.objects.filter(in_networks(frozenset({network.pk})))
    assert {membership.network_id for membership in memberships} == {network.pk}
