"""Who sees and does what with outcome data, as a matrix over the world's roles."""

import pytest

from netlearn.impact import policy
from netlearn.networks import services as network_services
from netlearn.networks.models import Role

ROLES = [
    "anonymous",
    "pupil",
    "member",
    "partner",
    "school_lead",
    "co_leader",
    "data_lead",
    "safeguarding_lead",
    "site_admin",
]
#                 view  import  records  link
EXPECTED = {
    "anonymous": (False, False, False, False),
    "pupil": (False, False, False, False),
    "member": (True, False, False, False),
    "partner": (True, False, False, False),
    "school_lead": (True, False, False, False),
    "co_leader": (True, True, False, True),
    "data_lead": (True, True, True, False),
    "safeguarding_lead": (True, False, False, False),
    "site_admin": (True, True, True, True),
}


def _preloaded(person):
    if person is not None:
        policy.data_roles(person)
    return person


@pytest.mark.parametrize("role", ROLES)
def test_matrix_in_the_home_network(world, role, django_assert_num_queries):
    person = _preloaded(world.people_by_role()[role])
    network = world.network
    with django_assert_num_queries(0):
        found = (
            policy.can_view_impact(person, network),
            policy.can_import(person, network),
            policy.can_view_pupil_records(person, network),
            policy.can_link_goal(person, network),
        )
    assert found == EXPECTED[role]


@pytest.mark.parametrize("role", [r for r in ROLES if r != "site_admin"])
def test_nobody_of_the_home_network_reaches_the_foreign_one(world, role):
    person = _preloaded(world.people_by_role()[role])
    network = world.foreign_network
    assert not policy.can_view_impact(person, network)
    assert not policy.can_import(person, network)
    assert not policy.can_view_pupil_records(person, network)
    assert not policy.can_run_model(person, network)


def test_a_schools_data_lead_sees_only_that_schools_records(world):
    person = world.teacher
    network_services.assign_role(
        network=world.network,
        person=person,
        role=Role.DATA_LEAD,
        school=world.school_c,
        by=None,  # trusted set-up: in the product a data lead takes a second person
    )
    person.refresh_from_db()
    assert policy.can_view_pupil_records(person, world.network, world.school_c)
    assert not policy.can_view_pupil_records(person, world.network, world.school_a)
    # A school's data lead does not import for the whole network.
    assert not policy.can_import(person, world.network)
    assert str(world.school_c.pk) in str(policy.pupil_record_scope(person))


def test_only_the_uploader_continues_an_import(world):
    from netlearn.impact.models import PendingImport

    pending = PendingImport(network=world.network, created_by=world.data_lead)
    assert policy.can_continue_import(world.data_lead, pending)
    assert not policy.can_continue_import(world.co_leader, pending)
    assert policy.can_continue_import(world.admin, pending)
