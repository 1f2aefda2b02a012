"""Who schedules what (docs/seed-practices.md#activities; issue 14), tested as a matrix.

Each person proposes the same activities; the policy's answer (costing no queries once the
person is loaded) and the service's agree. Positions: a group the person belongs to or not,
a host school where they hold a post or not.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from netlearn.accounts.models import Person
from netlearn.activities import policy, services
from netlearn.activities.errors import NotYoursToSchedule
from netlearn.activities.models import Activity, Audience, Kind
from netlearn.networks import services as network_services
from netlearn.networks.models import GroupKind, NetworkRole, PostLevel, Role, StaffPost
from netlearn.networks.tests.factories import PersonFactory

from .factories import in_days

# T: a research lesson for a group the person belongs to (the world's writing group).
# G: a meeting for a group they do not belong to.
# W: a learning walk at their own school, inviting the whole network.
# w: a learning walk at another school, inviting the whole network.
# M: a learning meeting at their own school, inviting the whole network (not a walk).
# N: a learning meeting for the whole network, nowhere in particular.
# S: a strategic meeting.
# R: a meeting for everyone holding a role (the network's coaches).
PROPOSALS = "TGWwMNSR"
MATRIX = {
    "site_admin": "TGWwMNSR",
    "co_leader": "TGWwMNSR",
    "co_ordinator": "TGWwMN.R",  # lead learners organise learning, not the strategic meetings
    "member": "T.W.....",  # a teacher: their triad, their school's walk
    "school_lead": "..W.....",  # Birch is not in the writing group
    "partner": "........",  # an external facilitator of no group
    "group_partner": "T.......",  # made a member of the group by a co-leader
    "pupil": "........",
    "foreign": "........",
}
# Whose post is at which school: "own school" is theirs, "another" is not.
OWN_SCHOOL = {"member": "school_c", "school_lead": "school_b", "co_ordinator": "school_a"}


def _person(world, role):
    if role == "foreign":
        return world.foreign_co_leader
    if role == "co_ordinator":
        person = PersonFactory(username="coordinator", name="Cole Ordinator")
        network_services.add_staff_post(
            person=person, school=world.school_a, job_title="Teacher", level=PostLevel.MIDDLE
        )
        network_services.assign_role(
            network=world.network, person=person, role=Role.CO_ORDINATOR, by=world.admin
        )
    elif role == "group_partner":
        person = world.partner
        network_services.add_group_member(group=world.group, person=person, by=world.admin)
    else:
        person = world.people_by_role()[role]
    return Person.objects.get(pk=person.pk)  # nothing cached from building the world


def _proposal(world, letter, role, other_group):
    own = getattr(world, OWN_SCHOOL.get(role, "school_a"))
    other = world.school_b if own != world.school_b else world.school_a
    walk = {"kind": Kind.LEARNING_WALK, "purpose": "How is writing modelled?"}
    whole = {"audience": Audience.NETWORK}
    return {
        "T": {"audience": Audience.SELECTED, "groups": [world.group]},
        "G": {"audience": Audience.SELECTED, "groups": [other_group]},
        "W": {**walk, **whole, "host_school": own},
        "w": {**walk, **whole, "host_school": other},
        "M": {**whole, "host_school": own},
        "N": whole,
        "S": {**whole, "kind": Kind.STRATEGIC_MEETING},
        "R": {"audience": Audience.SELECTED, "roles": [Role.COACH]},
    }[letter]


def _may(person, network, proposal) -> bool:
    return policy.can_create_activity(person, network) and (
        policy.scheduling_refusal(
            person,
            network,
            kind=proposal.get("kind", Kind.LEARNING_MEETING),
            audience=proposal["audience"],
            groups=proposal.get("groups", ()),
            roles=proposal.get("roles", ()),
            host_school=proposal.get("host_school"),
        )
        is None
    )


@pytest.mark.parametrize("role", list(MATRIX))
def test_who_schedules_what(world, role, django_assert_num_queries):
    person = _person(world, role)
    other_group = network_services.create_group(
        network=world.network, name="Science triad", kind=GroupKind.TRIAD, by=world.admin
    )
    proposals = {letter: _proposal(world, letter, role, other_group) for letter in PROPOSALS}
    policy.scheduling_reach(person)  # loads the person's reach once
    with django_assert_num_queries(0):
        answers = "".join(
            letter if _may(person, world.network, proposals[letter]) else "."
            for letter in PROPOSALS
        )
    assert answers == MATRIX[role]

    made = ""
    for letter in PROPOSALS:
        starts_at = in_days(5)
        try:
            services.create_activity(
                network=world.network,
                by=person,
                title=f"Proposal {letter}",
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(hours=1),
                notify=False,
                **proposals[letter],
            )
        except (PermissionDenied, NotYoursToSchedule):
            continue
        made += letter
    assert made == MATRIX[role].replace(".", "")  # the service agrees with the policy
    assert Activity.objects.filter(title__startswith="Proposal").count() == len(made)


@pytest.mark.parametrize(
    "role, create",
    [
        ("member", True),  # for their groups and their school
        ("school_lead", True),  # their school hosts
        ("partner", False),  # no group of their own
        ("group_partner", True),
        ("co_ordinator", True),
        ("co_leader", True),
        ("site_admin", True),
        ("pupil", False),
        ("foreign", False),
    ],
)
def test_who_sees_new_activity(world, role, create, client):
    person = _person(world, role)
    client.force_login(person)
    page = client.get(reverse("activities:list", args=[world.network.slug]))
    if role == "foreign":
        assert page.status_code == 404
        return
    if role == "pupil":
        assert page.status_code in (403, 404)
        return
    assert page.status_code == 200
    assert ("New activity" in page.content.decode()) is create
    form = client.get(reverse("activities:create", args=[world.network.slug]))
    assert form.status_code == (200 if create else 403)


def test_an_organiser_may_not_widen_what_they_scheduled(world):
    teacher = Person.objects.get(pk=world.teacher.pk)
    starts_at = in_days(5)
    lesson = services.create_activity(
        network=world.network,
        by=teacher,
        title="Research lesson",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=1),
        audience=Audience.SELECTED,
        groups=[world.group],
        notify=False,
    )
    with pytest.raises(NotYoursToSchedule):
        services.update_activity(
            activity=lesson, by=teacher, audience=Audience.NETWORK, notify=False
        )
    lesson.refresh_from_db()
    assert lesson.audience == Audience.SELECTED
    services.update_activity(activity=lesson, by=teacher, title="Research lesson 2", notify=False)


def test_a_teacher_who_has_left_schedules_nothing(world):
    # Access is derived from today's posts and roles: the group they were in gives no reach.
    for post in StaffPost.objects.filter(person=world.teacher):
        network_services.end_staff_post(post=post, by=world.admin)
    for role in NetworkRole.objects.filter(person=world.teacher):
        network_services.end_role(network_role=role, by=world.admin)
    teacher = Person.objects.get(pk=world.teacher.pk)
    assert not policy.can_create_activity(teacher, world.network)
    starts_at = in_days(5)
    with pytest.raises(PermissionDenied):
        services.create_activity(
            network=world.network,
            by=teacher,
            title="Research lesson",
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=1),
            audience=Audience.SELECTED,
            groups=[world.group],
            notify=False,
        )
