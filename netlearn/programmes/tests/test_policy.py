"""Who may see and run professional learning, as a matrix over the world's cast."""

import pytest

from netlearn.networks.access import access_for

from .. import policy
from ..models import Course, InductionPlan, LearningProgramme, SupportRelationship
from . import walk

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "pupil",
    "parent",
    "member",
    "partner",
    "school_lead",
    "co_leader",
    "data_lead",
    "site_admin",
    "foreign",
]


def _person(world, role):
    if role == "foreign":
        return world.foreign_co_leader
    return world.people_by_role()[role]


@pytest.fixture
def built(world):
    ids = walk.object_ids(world, foreign=False)
    return {
        "programme": LearningProgramme.objects.get(pk=ids["learning_programme_id"]),
        "relationship": SupportRelationship.objects.get(pk=ids["support_relationship_id"]),
        "course": Course.objects.get(pk=ids["learning_course_id"]),
        "plan": InductionPlan.objects.get(pk=ids["induction_plan_id"]),
        "enrolment": Course.objects.get(pk=ids["learning_course_id"]).enrolments.get(),
    }


# The home relationship: the co-leader coaches the teacher (`walk`); the induction plan is the
# teacher's, mentored by the co-leader.
@pytest.mark.parametrize(
    "role, views, runs, reads_notes, ticks, sees_progress",
    [
        ("anonymous", False, False, False, False, False),
        ("pupil", False, False, False, False, False),
        ("parent", False, False, False, False, False),
        ("member", True, False, True, True, True),  # the teacher: coachee, newcomer, participant
        ("partner", True, False, False, False, False),
        ("school_lead", True, False, False, False, False),  # leads Birch, not Cedar
        ("co_leader", True, True, True, True, True),  # and the teacher's mentor
        ("data_lead", True, False, False, False, False),
        ("site_admin", True, True, False, True, True),  # notes stay with the pair
        ("foreign", False, False, False, False, False),
    ],
)
def test_policy_matrix(
    world,
    built,
    role,
    views,
    runs,
    reads_notes,
    ticks,
    sees_progress,
    django_assert_num_queries,
):
    person = _person(world, role)
    access_for(person)  # loaded once, as a request does
    network = world.network
    for obj in built.values():
        obj.network if hasattr(obj, "network_id") else obj.course.network  # noqa: B018
    with django_assert_num_queries(0):
        assert policy.can_view_learning(person, network) is views
        assert policy.can_view_programme(person, built["programme"]) is views
        assert policy.can_view_course(person, built["course"]) is views
        assert policy.can_view_relationship(person, built["relationship"]) is views
        assert policy.can_run(person, network) is runs
        assert policy.can_read_notes(person, built["relationship"]) is reads_notes
        assert policy.can_view_plan(person, built["plan"]) is views
        assert policy.can_tick(person, built["plan"]) is ticks
        assert policy.can_see_progress(person, built["enrolment"]) is sees_progress
        assert policy.can_view_certificate(person, built["enrolment"]) is views


@pytest.mark.parametrize(
    "role, own, school, allowed",
    [
        ("member", True, "school_c", True),  # the teacher enrols themself at Cedar
        ("member", True, "school_a", False),  # not at a school they do not work at
        ("member", False, "school_c", False),  # nor a colleague
        ("school_lead", False, "school_b", True),  # a head enrols their own staff
        ("school_lead", False, "school_c", False),
        ("partner", True, "school_c", False),
        ("co_leader", False, "school_b", True),
        ("foreign", True, "school_c", False),
    ],
)
def test_who_may_enrol(world, built, role, own, school, allowed):
    person = _person(world, role)
    for_person = person if own else world.data_lead
    assert (
        policy.can_enrol(
            person,
            built["course"],
            school_id=getattr(world, school).pk,
            for_person_id=for_person.pk,
        )
        is allowed
    )
