"""The library's rules as a matrix; each check costs no queries
(docs/architecture.md#who-may-see-what)."""

import pytest

from netlearn.library import policy, selectors, services

from .factories import add_resource


@pytest.fixture
def resource(world):
    made = add_resource(world.network, by=world.teacher)  # Cedar Academy (school_c)
    return selectors.resource_for(viewer=world.admin, resource_id=made.pk)


@pytest.fixture
def foreign_resource(world):
    made = add_resource(world.foreign_network, by=world.foreign_teacher)
    return selectors.resource_for(viewer=world.admin, resource_id=made.pk)


ROLES = ["anonymous", "pupil", "member", "partner", "school_lead", "co_leader", "site_admin"]
MATRIX = {
    #               view   trial  change curate
    "anonymous": (False, False, False, False),
    "pupil": (False, False, False, False),
    "member": (True, False, True, False),  # the author; never trials their own school's
    "partner": (True, False, False, False),  # no school of their own
    "school_lead": (True, True, False, False),
    "co_leader": (True, True, True, True),
    "site_admin": (True, False, True, True),
}


@pytest.mark.parametrize("role", ROLES)
def test_rules_for_a_home_resource(world, resource, role, django_assert_num_queries):
    person = world.people_by_role()[role]
    if person is not None:
        policy.access_for(person)  # loaded once per request, before any check
    with django_assert_num_queries(0):
        got = (
            policy.can_view_resource(person, resource),
            policy.can_trial(person, resource),
            policy.can_change_resource(person, resource),
            policy.can_curate(person, resource),
        )
    assert got == MATRIX[role]


@pytest.mark.parametrize("role", [r for r in ROLES if r != "site_admin"])
def test_nobody_of_the_home_network_reaches_a_foreign_resource(
    world, foreign_resource, role, django_assert_num_queries
):
    person = world.people_by_role()[role]
    if person is not None:
        policy.access_for(person)
    with django_assert_num_queries(0):
        assert not policy.can_view_resource(person, foreign_resource)
        assert not policy.can_trial(person, foreign_resource)
        assert not policy.can_change_resource(person, foreign_resource)
        assert not policy.can_curate(person, foreign_resource)


def test_sharing_with_another_network_lets_its_members_see_it(world):
    made = add_resource(world.foreign_network, by=world.foreign_teacher, sharing="networks")
    services.update_resource(
        resource=selectors.resource_for(viewer=world.admin, resource_id=made.pk),
        by=world.admin,
        shared_with=[world.network.pk],
    )
    assert selectors.resource_for(viewer=world.teacher, resource_id=made.pk).pk == made.pk
