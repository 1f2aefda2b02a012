"""The policy as a matrix: every role against every kind of space, at no query cost."""

import pytest

from netlearn.discussions import policy, selectors
from netlearn.discussions.models import Audience, Space

from .factories import make_pupil, pupil_space, staff_space

ROLES = ["pupil", "member", "partner", "school_lead", "co_leader", "site_admin", "foreign"]


def person_for(world, role):
    if role == "foreign":
        return world.foreign_co_leader
    return world.people_by_role()[role]


@pytest.fixture
def spaces(world):
    from netlearn.discussions import services

    return {
        "staff": staff_space(world),
        "own_school_pupils": pupil_space(world, school=world.school_a),  # the pupil's school
        "other_school_pupils": pupil_space(world, school=world.school_b, title="Birch council"),
        "network_pupils": services.open_space(
            network=world.network,
            by=world.co_leader,
            title="Pupil voice conference",
            audience=Audience.PUPILS,
        ),
        "foreign_staff": staff_space(
            world, network=world.foreign_network, by=world.foreign_co_leader
        ),
    }


# role -> (staff, own school pupils, other school pupils, network pupils, foreign staff)
VIEW = {
    "pupil": (False, True, False, True, False),
    "member": (True, False, False, True, False),  # teacher at Cedar: network-wide pupil space
    "partner": (True, False, False, False, False),  # external partners never see pupil spaces
    "school_lead": (True, False, True, True, False),  # leads Birch
    "co_leader": (True, True, True, True, False),
    "site_admin": (True, True, True, True, True),
    "foreign": (False, False, False, False, True),
}
MODERATE = {
    "pupil": (False, False, False, False, False),
    "member": (False, False, False, False, False),
    "partner": (False, False, False, False, False),
    "school_lead": (False, False, True, False, False),  # their school's pupil space
    "co_leader": (True, True, True, True, False),
    "site_admin": (True, True, True, True, True),
    "foreign": (False, False, False, False, True),
}
ORDER = ["staff", "own_school_pupils", "other_school_pupils", "network_pupils", "foreign_staff"]


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_and_moderates_which_space(world, spaces, role, django_assert_num_queries):
    person = person_for(world, role)
    policy.reach_for(person)  # loaded once, outside the counted block
    rows = [Space.objects.select_related(None).get(pk=spaces[name].pk) for name in ORDER]
    with django_assert_num_queries(0):
        seen = tuple(policy.can_view_space(person, space) for space in rows)
        moderated = tuple(policy.can_moderate(person, space) for space in rows)
    assert seen == VIEW[role]
    assert moderated == MODERATE[role]


@pytest.mark.parametrize("role", ROLES)
def test_the_scope_agrees_with_the_check(world, spaces, role):
    person = person_for(world, role)
    listed = set(selectors.spaces_for(viewer=person).values_list("pk", flat=True))
    expected = {spaces[name].pk for name, seen in zip(ORDER, VIEW[role], strict=True) if seen}
    assert listed == expected


def test_a_pupil_of_another_network_sees_none_of_these_spaces(world, spaces):
    outsider = make_pupil(world.foreign_school, username="faraway")
    assert not selectors.spaces_for(viewer=outsider).exists()


def test_a_pupil_of_a_school_in_no_network_sees_nothing(world, spaces):
    lonely = make_pupil(world.outside_school, username="lonely")
    assert not selectors.spaces_for(viewer=lonely).exists()


def test_an_archived_pupil_space_disappears_for_pupils(world, spaces):
    from netlearn.discussions import services

    services.archive_space(space=spaces["own_school_pupils"], by=world.co_leader)
    assert spaces["own_school_pupils"].pk not in set(
        selectors.spaces_for(viewer=world.pupil).values_list("pk", flat=True)
    )


@pytest.mark.parametrize(
    "role, allowed",
    [("pupil", False), ("member", True), ("partner", False), ("school_lead", True),
     ("co_leader", False), ("site_admin", True), ("foreign", False)],
)  # fmt: skip
def test_school_staff_manage_their_pupils_accounts(world, role, allowed):
    # The co-leader holds a post at Alder, not at Birch: network roles give no pupil accounts.
    school = {"member": world.school_c, "school_lead": world.school_b, "co_leader": world.school_b}
    school = school.get(role, world.school_a)
    person = person_for(world, role)
    assert policy.can_manage_pupils(person, school) is allowed
