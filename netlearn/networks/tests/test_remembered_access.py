"""A person's access is remembered between requests, and forgotten the moment a row it is read
from changes, however the row is written (`networks/access.py`, `core/reach.py`)."""

import datetime

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from netlearn.accounts.models import Person
from netlearn.evaluation.models import Evaluator, NetworkProgramme, ProgrammeMembership
from netlearn.networks import services
from netlearn.networks.access import access_for, load_access
from netlearn.networks.models import NetworkMembership, NetworkRole, Role, StaffPost

pytestmark = pytest.mark.django_db


def _fresh(person) -> Person:
    """The person as the next request loads them: nothing cached on the object."""
    return Person.objects.get(pk=person.pk)


def _from_the_database(person):
    loaded = _fresh(person)
    load_access([loaded])
    return loaded._netlearn_access


def test_a_second_request_reads_the_remembered_access(world, django_assert_num_queries):
    first = access_for(_fresh(world.co_leader))
    again = _fresh(world.co_leader)
    with django_assert_num_queries(0):
        assert access_for(again) == first
    assert first.holds(Role.CO_LEADER, in_network=world.network.pk)


def _yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)


def _end_role_by_service(world):
    role = NetworkRole.objects.current().get(person=world.co_leader, role=Role.CO_LEADER)
    services.end_role(network_role=role, by=world.admin)
    return world.co_leader


def _delete_roles(world):
    NetworkRole.objects.filter(person=world.co_leader).delete()
    return world.co_leader


def _end_posts_in_bulk(world):
    StaffPost.objects.filter(person=world.teacher).update(ended=timezone.localdate())
    return world.teacher


def _end_memberships_in_bulk(world):
    NetworkMembership.objects.filter(network=world.network).update(left=timezone.localdate())
    return world.school_lead


def _add_role_in_bulk(world):
    NetworkRole.objects.bulk_create(
        [
            NetworkRole(
                network=world.network,
                person=world.teacher,
                role=Role.DATA_LEAD,
                started=_yesterday(),
            )
        ]
    )
    return world.teacher


def _evaluate_the_foreign_network(world) -> ProgrammeMembership:
    """The teacher made an evaluator of a programme the foreign network consented to."""
    programme = NetworkProgramme.objects.create(name="P", slug="p", created_by=world.admin)
    membership = ProgrammeMembership.objects.create(
        programme=programme,
        network=world.foreign_network,
        invited_by=world.admin,
        consented_by=world.foreign_co_leader,
        consented_at=timezone.now(),
    )
    Evaluator.objects.create(programme=programme, person=world.teacher, appointed_by=world.admin)
    return membership


def _appoint_an_evaluator(world):
    _evaluate_the_foreign_network(world)
    return world.teacher


@pytest.mark.parametrize(
    "change",
    [
        _end_role_by_service,
        _delete_roles,
        _end_posts_in_bulk,
        _end_memberships_in_bulk,
        _add_role_in_bulk,
        _appoint_an_evaluator,
    ],
)
def test_any_change_to_the_rows_forgets_what_was_remembered(world, change):
    people = [world.co_leader, world.teacher, world.school_lead]
    before = {person.pk: access_for(_fresh(person)) for person in people}
    changed = change(world)
    after = access_for(_fresh(changed))
    assert after == _from_the_database(changed)
    assert after != before[changed.pk]  # the change did change the access


def test_a_withdrawn_consent_ends_an_evaluators_reach_at_once(world):
    membership = _evaluate_the_foreign_network(world)
    assert world.foreign_network.pk in access_for(_fresh(world.teacher)).evaluated_network_ids
    membership.withdrawn_at = timezone.now()
    membership.withdrawn_by = world.foreign_co_leader
    membership.save()
    assert access_for(_fresh(world.teacher)).evaluated_network_ids == frozenset()


def test_a_page_refuses_at_once_a_member_whose_school_left(world, client):
    client.force_login(world.school_lead)
    page = f"/n/{world.network.slug}/"
    assert client.get(page).status_code == 200
    NetworkMembership.objects.filter(school=world.school_b).update(left=timezone.localdate())
    assert client.get(page).status_code in (403, 404)


def test_what_is_read_inside_an_open_transaction_is_not_remembered(world):
    with transaction.atomic():
        access_for(_fresh(world.co_leader))
    key = f"netlearn:access:{timezone.localdate().isoformat()}:{world.co_leader.pk}"
    assert cache.get(key) is None
    access_for(_fresh(world.co_leader))
    assert cache.get(key) is not None


def test_what_the_person_row_says_is_read_from_the_row(world):
    access_for(_fresh(world.co_leader))
    promoted = _fresh(world.co_leader)
    promoted.is_superuser = True
    assert access_for(promoted).is_site_admin
