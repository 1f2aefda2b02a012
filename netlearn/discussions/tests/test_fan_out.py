"""A reply's cost does not grow with its thread's followers (issue 23: 1,220 queries for 201).

Followers' reach is loaded for all of them at once (policy.load_reaches) and their notifications
are written in one bulk insert, so 5 and 50 followers cost the same queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from netlearn.discussions import policy, services
from netlearn.discussions.models import Audience, Moderation, Subscription
from netlearn.networks import services as network_services
from netlearn.networks.models import GroupKind, PostLevel
from netlearn.networks.tests.factories import PersonFactory
from netlearn.notifications.models import EmailFrequency, Notification, NotificationKind
from netlearn.notifications.services import set_email_frequency

from .factories import make_pupil, staff_space

# What a reply costs whoever follows: the checks, the post, the author's subscription, the
# thread's activity, the followers, their reach (a fixed number of bulk loads), the
# notifications and the followers' email preferences: 35 on SQLite when this was written, where
# it was 5.4 a follower before.
MAX_REPLY_QUERIES = 40


def _followers(world, thread, count, prefix):
    """Staff of the network's schools, a quarter of them members of a group, a few wanting
    every notification by email at once."""
    schools = [world.school_a, world.school_b, world.school_c]
    people = []
    for number in range(count):
        person = PersonFactory(username=f"{prefix}{number}", name=f"Follower {number}")
        network_services.add_staff_post(
            person=person,
            school=schools[number % 3],
            job_title="Teacher",
            level=PostLevel.TEACHER,
        )
        if number % 4 == 0:
            network_services.add_group_member(group=world.group, person=person, by=world.admin)
        if number % 5 == 0:
            set_email_frequency(person=person, frequency=EmailFrequency.IMMEDIATE)
        Subscription.objects.create(person=person, thread=thread)
        people.append(person)
    return people


def _reply_queries(world, followers, prefix="follower"):
    space = staff_space(world)
    thread = services.start_thread(space=space, by=world.teacher, title="Marking", body="Q")
    people = _followers(world, thread, followers, prefix)
    author = type(world.school_lead).objects.get(pk=world.school_lead.pk)
    with CaptureQueriesContext(connection) as captured:
        services.reply(thread=thread, by=author, body="A reply for everyone")
    for person in people:
        (notice,) = Notification.objects.filter(recipient=person, kind=NotificationKind.REPLY)
        assert "replied in “Marking”" in notice.text
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("followers", [5, 50])
def test_a_reply_costs_a_bounded_number_of_queries_whatever_its_followers(world, followers):
    assert len(_reply_queries(world, followers)) <= MAX_REPLY_QUERIES


def test_five_and_fifty_followers_cost_the_same_queries(world):
    few = _reply_queries(world, 5)
    many = _reply_queries(world, 50, prefix="many")
    assert _without_posting_limit(many) == _without_posting_limit(few)


def _without_posting_limit(queries):
    """Each query's table and kind of statement, less the posting limit's bookkeeping (its rows
    and savepoints), which depends on the author's earlier posts, not on followers."""
    return [
        " ".join(sql.split()[:4])
        for sql in queries
        if "limitcount" not in sql and not sql.startswith(("SAVEPOINT", "RELEASE"))
    ]


def test_reach_loaded_in_bulk_equals_reach_loaded_alone(world):
    """The bulk loader must decide exactly what the one-person loader decides, for every kind of
    person the policy knows."""
    pupil_space = services.open_space(
        network=world.network,
        by=world.co_leader,
        title="Year 7",
        audience=Audience.PUPILS,
        school=world.school_a,
        moderation=Moderation.ALL_POSTS,
    )
    services.add_moderator(space=pupil_space, person=world.safeguarding_lead, by=world.co_leader)
    subgroup = network_services.create_group(
        network=world.network,
        name="Rural schools",
        kind=GroupKind.SCHOOL_SUBGROUP,
        purpose="",
        by=world.admin,
    )
    network_services.add_group_member(group=subgroup, school=world.school_b, by=world.admin)
    make_pupil(world.school_b, username="birchy", year_group=8)
    people = [person for person in world.people_by_role().values() if person is not None]
    model = type(world.teacher)
    people += list(model.objects.filter(username="birchy"))
    alone = {}
    for person in people:
        fresh = model.objects.get(pk=person.pk)
        alone[person.pk] = policy.reach_for(fresh)
    together = [model.objects.get(pk=person.pk) for person in people]
    policy.load_reaches(together)
    for person in together:
        assert person._discussions_reach == alone[person.pk], person.username
