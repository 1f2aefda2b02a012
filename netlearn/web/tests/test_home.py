"""The personal home ("what needs me") and a network's home: what each person finds there, that
nobody finds another network's things, and that the page costs the same few queries at any size."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from netlearn.activities import services as activity_services
from netlearn.activities.tests.factories import in_days, make_activity
from netlearn.charter import services as charter_services
from netlearn.charter.tests.factories import build_charter
from netlearn.core.home import COMING, NEW, WAITING, HomeItem, personal_feed
from netlearn.networks import services as network_services
from netlearn.networks.models import Network
from netlearn.networks.tests.world import SENTINEL
from netlearn.notifications import services as notification_services
from netlearn.notifications.models import HomeVisit, NotificationKind


def titles(feed, section):
    return [item.title for item in getattr(feed, section)]


@pytest.fixture
def proposal(world):
    charter, *_, version = build_charter(world.network, by=world.co_leader)
    return charter_services.propose_version(version=version, by=world.co_leader)


def test_school_lead_finds_the_charter_awaiting_their_sign_off_until_they_sign(world, proposal):
    feed = personal_feed(person=world.school_lead)
    assert titles(feed, WAITING) == [f"Sign off {proposal} of the charter"]
    assert feed.waiting[0].network == world.network.name
    # Nobody else must sign: the co-leader leads no school, the teacher is no lead.
    for person in (world.co_leader, world.teacher, world.foreign_co_leader):
        assert not any(item.kind == "Charter" for item in personal_feed(person=person).waiting)
    charter_services.sign_off(version=proposal, school=world.school_b, by=world.school_lead)
    assert personal_feed(person=world.school_lead).waiting == []


def test_co_leader_finds_release_requests_and_the_teacher_their_invitation_and_action(world):
    activity = make_activity(world, title="Writing moderation meeting")
    activity_services.request_release(activity=activity, by=world.teacher, sessions=Decimal("1"))
    activity_services.add_action(
        activity=activity,
        by=world.co_leader,
        title="Bring three writing samples",
        owner=world.teacher,
        due=timezone.localdate() + datetime.timedelta(days=2),
    )
    leader = personal_feed(person=world.co_leader)
    assert any(item.kind == "Release request" for item in leader.waiting)
    teacher = personal_feed(person=world.teacher)
    kinds = {item.kind for item in teacher.waiting}
    assert {"Invitation", "Action"} <= kinds
    assert not any(item.kind == "Release request" for item in teacher.waiting)
    # Once the teacher says they are going, the meeting is coming up, no longer waiting.
    occurrence = activity.occurrences.get()
    activity_services.respond(occurrence=occurrence, person=world.teacher, response="going")
    teacher = personal_feed(person=world.teacher)
    assert "Writing moderation meeting" in titles(teacher, COMING)
    assert "Invitation" not in {item.kind for item in teacher.waiting}
    # The foreign network's co-leader sees none of it.
    assert personal_feed(person=world.foreign_co_leader).is_empty


def test_home_shows_what_needs_me_above_my_networks_and_nothing_foreign(world, client, proposal):
    build_charter(world.foreign_network, by=world.foreign_co_leader, marker=SENTINEL)
    client.force_login(world.school_lead)
    page = client.get(reverse("web:home")).content.decode()
    assert page.index("Waiting for you") < page.index('id="networks-heading"')
    assert f"Sign off {proposal} of the charter" in page
    assert reverse("charter:version", args=[world.network.slug, proposal.pk]) in page
    assert world.network.name in page
    assert SENTINEL not in page


def test_pupils_are_sent_to_their_spaces_and_get_no_feed(world, client):
    client.force_login(world.pupil)
    assert client.get(reverse("web:home")).url == reverse("discussions:home")
    assert personal_feed(person=world.pupil).is_empty


def test_new_means_new_since_the_visit_before_this_sitting(world, client):
    client.force_login(world.school_lead)
    client.get(reverse("web:home"))
    visit = HomeVisit.objects.get(person=world.school_lead)
    assert visit.previous_seen_at is None
    # Reloading within the sitting keeps the same starting point.
    later = visit.seen_at + datetime.timedelta(minutes=5)
    assert notification_services.record_home_visit(person=world.school_lead, now=later).pk
    visit.refresh_from_db()
    assert visit.previous_seen_at is None
    next_day = visit.seen_at + datetime.timedelta(days=1)
    notification_services.record_home_visit(person=world.school_lead, now=next_day)
    visit.refresh_from_db()
    assert visit.previous_seen_at is not None and visit.seen_at == next_day


def test_charter_coming_into_force_is_new_for_the_network_and_on_its_home(world, client, proposal):
    for school, lead in ((world.school_b, world.school_lead), (world.school_a, world.admin)):
        charter_services.sign_off(version=proposal, school=school, by=lead)
    charter_services.sign_off(version=proposal, school=world.school_c, by=world.admin)
    assert f"{proposal} of the charter came into force" in titles(
        personal_feed(person=world.teacher), NEW
    )
    client.force_login(world.teacher)
    page = client.get(reverse("networks:home", args=[world.network.slug])).content.decode()
    assert f"{proposal} of the charter came into force" in page
    assert "Waiting for you" not in page


def test_a_home_item_names_its_section():
    with pytest.raises(ValueError):
        HomeItem(section="later", title="x", url="/")


def count_home_queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("web:home"))
    assert response.status_code == 200
    return len(context.captured_queries)


def grow(world, size: int, *, start: int = 0) -> None:
    """More networks, activities, invitations, actions, release requests, proposals and
    notifications for the school lead."""
    for index in range(start, start + size):
        network = Network.objects.create(name=f"Extra {index}", slug=f"extra-{index}")
        network_services.add_school_to_network(
            network=network, school=world.school_b, by=world.admin
        )
        activity = make_activity(world, title=f"Meeting {index}")
        activity_services.add_action(
            activity=activity,
            by=world.co_leader,
            title=f"Action {index}",
            owner=world.school_lead,
            due=timezone.localdate(),
        )
        activity_services.request_release(
            activity=activity, by=world.school_lead, sessions=Decimal("1")
        )
    notification_services.notify(
        recipients=[world.school_lead],
        kind=NotificationKind.CHARTER_PROPOSED,
        text="Something to sign",
    )
    for _ in range(size):
        notification_services.notify(
            recipients=[world.school_lead], kind=NotificationKind.ACTION_DUE, text="Due"
        )


def test_home_runs_the_same_queries_however_many_networks_notifications_and_activities(
    world, client, proposal
):
    client.force_login(world.school_lead)
    count_home_queries(client)  # the first visit creates the visit row
    grow(world, 2)
    few = count_home_queries(client)
    grow(world, 12, start=2)
    assert count_home_queries(client) == few


def test_a_proposed_sensitive_role_waits_for_a_second_person_not_its_proposer(world):
    network_services.propose_role(
        network=world.network, person=world.teacher, role="data_lead", by=world.co_leader
    )
    title = "Approve or refuse Tia Teacher as Data lead"
    assert title in titles(personal_feed(person=world.admin), WAITING)
    for person in (world.co_leader, world.teacher, world.school_lead, world.foreign_co_leader):
        assert title not in titles(personal_feed(person=person), WAITING)


def test_a_networks_home_runs_the_same_queries_however_many_activities(world, client):
    client.force_login(world.teacher)
    url = reverse("networks:home", args=[world.network.slug])

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    make_activity(world, title="Meeting 0")
    few = count()
    for index in range(1, 15):
        make_activity(world, title=f"Meeting {index}", starts_at=in_days(index + 1))
    assert count() == few
    page = client.get(url).content.decode()
    assert "Coming up" in page and "Meeting 0" in page


def test_people_whose_post_role_or_membership_ended_are_not_asked_to_act(world, proposal):
    activity = make_activity(world)
    activity_services.request_release(activity=activity, by=world.teacher, sessions=Decimal("1"))
    for person in (world.former_leader, world.departed_teacher, world.former_teacher):
        feed = personal_feed(person=person)
        assert feed.waiting == [], person
