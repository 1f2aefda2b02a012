import pytest

from netlearn.activities import policy, selectors
from netlearn.activities.models import Activity, Audience

from .factories import make_activity, make_walk

ROLES = ["pupil", "member", "partner", "school_lead", "co_leader", "site_admin", "foreign"]


def person_for(world, role):
    if role == "foreign":
        return world.foreign_co_leader
    return world.people_by_role()[role]


def loaded_for(person, activity):
    """The activity as the selectors give it to this person (with `viewer_invited`)."""
    found = selectors.activities_for(viewer=person).filter(pk=activity.pk).first()
    if found is None:  # out of scope: the bare row, as a check on a leaked object would see it
        found = Activity.objects.get(pk=activity.pk)
    found.network  # noqa: B018 - loaded outside the counted block
    return found


@pytest.mark.parametrize(
    "role, view, manage, rsvp, all_feedback",
    [
        ("pupil", False, False, False, False),
        ("member", True, False, True, False),
        ("partner", True, False, True, False),
        ("school_lead", True, False, True, True),  # leads the host school
        ("co_leader", True, True, True, True),
        ("site_admin", True, True, False, True),  # not a member: no RSVP of their own
        ("foreign", False, False, False, False),
    ],
)
def test_walk_for_the_whole_network(
    world, role, view, manage, rsvp, all_feedback, django_assert_num_queries
):
    walk = make_walk(world)
    person = person_for(world, role)
    activity = loaded_for(person, walk)
    with django_assert_num_queries(0):
        assert policy.can_view_activity(person, activity) is view
        assert policy.can_manage_activity(person, activity) is manage
        assert policy.can_rsvp(person, activity) is rsvp
        assert policy.can_view_all_feedback(person, activity) is all_feedback


@pytest.mark.parametrize(
    "role, view, rsvp",
    [
        ("pupil", False, False),
        ("member", True, True),  # invited by name
        ("partner", False, False),  # not invited
        ("school_lead", False, False),
        ("co_leader", True, True),  # organiser
        ("site_admin", True, False),
        ("foreign", False, False),
    ],
)
def test_invited_only_meeting(world, role, view, rsvp, django_assert_num_queries):
    meeting = make_activity(world, audience=Audience.SELECTED, people=[world.teacher])
    person = person_for(world, role)
    activity = loaded_for(person, meeting)
    with django_assert_num_queries(0):
        assert policy.can_view_activity(person, activity) is view
        assert policy.can_rsvp(person, activity) is rsvp
    in_scope = selectors.activities_for(viewer=person).filter(pk=meeting.pk).exists()
    assert in_scope is view  # the list and the check agree


@pytest.mark.parametrize(
    "role, create",
    [
        ("member", True),  # for the groups they belong to (issue 14)
        ("partner", False),  # an external partner of no group
        ("school_lead", True),  # their school hosts walks
        ("co_leader", True),
        ("site_admin", True),
        ("pupil", False),
        ("foreign", False),
    ],
)
def test_who_creates_activities(world, role, create, django_assert_num_queries):
    person = person_for(world, role)
    policy.can_create_activity(person, world.network)  # loads the person's access once
    with django_assert_num_queries(0):
        assert policy.can_create_activity(person, world.network) is create


def test_an_invitation_for_someone_else_does_not_count(world):
    meeting = make_activity(world, audience=Audience.SELECTED, people=[world.teacher])
    as_teacher = loaded_for(world.teacher, meeting)
    assert policy.can_view_activity(world.teacher, as_teacher)
    assert not policy.can_view_activity(world.partner, as_teacher)
