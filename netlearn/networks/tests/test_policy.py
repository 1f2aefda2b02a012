import pytest

from netlearn.networks import policy
from netlearn.networks.access import access_for


@pytest.mark.parametrize(
    "role, manages_home, sees_home",
    [
        ("co_leader", True, True),
        ("school_lead", False, True),
        ("member", False, True),
        ("partner", False, True),
        ("pupil", False, False),
        ("anonymous", False, False),
        ("site_admin", True, True),
    ],
)
def test_network_rules_by_role(world, role, manages_home, sees_home, django_assert_num_queries):
    person = world.people_by_role()[role]
    if person is not None:
        access_for(person)
    with django_assert_num_queries(0):
        assert policy.can_view_network(person, world.network) is sees_home
        assert policy.can_manage_network(person, world.network) is manages_home
        assert policy.can_view_network(person, world.foreign_network) is (role == "site_admin")
        assert policy.can_manage_network(person, world.foreign_network) is (role == "site_admin")


def test_school_lead_changes_only_their_own_school(world):
    assert policy.can_change_school(world.school_lead, world.school_b)
    assert not policy.can_change_school(world.school_lead, world.school_a)
    assert not policy.can_change_school(world.co_leader, world.school_b)
