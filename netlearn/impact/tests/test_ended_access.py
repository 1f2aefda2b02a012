"""A data lead whose role ended sees no pupil record, nor the file they uploaded (issue 13)."""

import pytest
from django.http import Http404

from netlearn.accounts.models import Person
from netlearn.impact import policy, selectors
from netlearn.impact.models import DatasetKind, PendingImport
from netlearn.networks import services as network_services
from netlearn.networks.models import NetworkRole, Role

from .factories import shared_measure


def _end_data_role(world):
    role = NetworkRole.objects.current().get(person=world.data_lead, role=Role.DATA_LEAD)
    network_services.end_role(network_role=role, by=world.co_leader)


def test_a_data_lead_whose_role_ended_sees_no_pupil_records(world):
    assert policy.can_view_pupil_records(world.data_lead, world.network)
    _end_data_role(world)
    person = Person.objects.get(pk=world.data_lead.pk)  # the next request's person
    assert not policy.can_view_pupil_records(person, world.network)
    assert not policy.can_import(person, world.network)


def test_the_same_person_object_loses_the_data_role_once_the_service_ends_it(world):
    person = world.data_lead
    assert policy.can_view_pupil_records(person, world.network)
    role = NetworkRole.objects.current().get(person=person, role=Role.DATA_LEAD)
    role.person = person
    network_services.end_role(network_role=role, by=world.co_leader)
    assert not policy.can_view_pupil_records(person, world.network)


def test_an_upload_does_not_outlive_the_role_that_allowed_it(world):
    pending = PendingImport.objects.create(
        network=world.network,
        measure=shared_measure(),
        kind=DatasetKind.PUPIL,
        dataset_name="Year 6 results",
        text="pupil,school,score\n",
        created_by=world.data_lead,
    )
    assert selectors.pending_for(viewer=world.data_lead, pending_id=pending.pk) == pending
    _end_data_role(world)
    person = Person.objects.get(pk=world.data_lead.pk)
    assert not policy.can_continue_import(person, pending)
    with pytest.raises(Http404):
        selectors.pending_for(viewer=person, pending_id=pending.pk)
