"""Mentions, subscriptions, moderators' decisions, reports, safeguarding leads, NZ deadlines and
group spaces: who hears about what, and that nobody hears about what they cannot see."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netlearn.accounts.models import Person
from netlearn.discussions import policy, services
from netlearn.discussions.models import (
    Moderation,
    ModerationAction,
    ModerationLogEntry,
    Subscription,
)
from netlearn.networks import services as network_services
from netlearn.networks.models import Country, GroupKind
from netlearn.notifications.models import EmailFrequency, Notification, NotificationKind
from netlearn.notifications.services import set_email_frequency

from .factories import make_pupil, pupil_space, staff_space
from .test_services import XSS_PAYLOADS


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def inbox(person, kind=None):
    rows = Notification.objects.filter(recipient=person)
    return list(rows.filter(kind=kind) if kind else rows)


# Mentions -----------------------------------------------------------------------------------


def test_a_mention_notifies_a_colleague_who_can_see_the_space(world):
    space = staff_space(world)
    thread = services.start_thread(
        space=space, by=world.teacher, title="Marking", body="What do you think, @coleader?"
    )
    (notice,) = inbox(world.co_leader, NotificationKind.MENTION)
    assert "mentioned you in “Marking”" in notice.text
    assert notice.url == thread.posts.get().get_absolute_url()


def test_a_mention_of_someone_who_cannot_see_the_space_does_nothing(world):
    space = staff_space(world)
    services.start_thread(
        space=space, by=world.teacher, title="Hi", body="@pupil @foreignlead @nobody-at-all"
    )
    foreign = world.foreign_co_leader
    assert not inbox(world.pupil) and not inbox(foreign)
    assert not Notification.objects.exclude(kind=NotificationKind.NEW_THREAD).exists()


def test_a_pupils_mention_of_a_classmate_waits_for_approval(world):
    space = pupil_space(world)  # pre-moderated
    classmate = make_pupil(world.school_a, username="ola")
    thread = services.start_thread(space=space, by=world.pupil, title="Clubs", body="@ola yes")
    assert not inbox(classmate)  # held: nobody but moderators sees it yet
    services.moderate_post(post=thread.posts.get(), by=world.co_leader, decision="approve")
    assert [n.kind for n in inbox(classmate)] == [NotificationKind.MENTION]
    other_school = make_pupil(world.school_b, username="birchy")
    services.reply(thread=thread, by=world.co_leader, body="@birchy come too")
    assert not inbox(other_school)


def test_mentions_skip_email_addresses_and_the_author():
    from netlearn.discussions.announcements import mentioned_usernames

    text = "Mail me@example.org, ask @ann. Or @bob_2! @ann again"
    assert mentioned_usernames(text) == ["ann", "bob_2"]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_mention_text_and_titles_are_escaped_in_the_centre(world, payload):
    space = staff_space(world)
    services.start_thread(space=space, by=world.teacher, title=payload, body="@coleader look")
    html = client_for(world.co_leader).get(reverse("notifications:list")).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "<svg onload" not in html and "<iframe" not in html and "<body onload" not in html


# Subscriptions ------------------------------------------------------------------------------


def test_starting_and_replying_subscribe_and_followers_hear_of_replies(world):
    space = staff_space(world)
    thread = services.start_thread(space=space, by=world.teacher, title="Marking", body="Q")
    services.reply(thread=thread, by=world.school_lead, body="A")
    assert Subscription.objects.filter(thread=thread).count() == 2
    (notice,) = inbox(world.teacher, NotificationKind.REPLY)
    assert "replied in “Marking”" in notice.text
    services.reply(thread=thread, by=world.teacher, body="Thanks")
    assert len(inbox(world.school_lead, NotificationKind.REPLY)) == 1
    assert len(inbox(world.teacher, NotificationKind.REPLY)) == 1  # never about one's own post
    services.unsubscribe(by=world.school_lead, thread=thread)
    services.reply(thread=thread, by=world.co_leader, body="More")
    assert len(inbox(world.school_lead, NotificationKind.REPLY)) == 1


def test_space_followers_hear_of_new_threads_once_published(world):
    space = pupil_space(world)
    services.subscribe(by=world.safeguarding_lead, space=space)
    thread = services.start_thread(space=space, by=world.pupil, title="Clubs", body="b")
    assert not inbox(world.safeguarding_lead, NotificationKind.NEW_THREAD)
    services.moderate_post(post=thread.posts.get(), by=world.co_leader, decision="approve")
    (notice,) = inbox(world.safeguarding_lead, NotificationKind.NEW_THREAD)
    assert "started “Clubs”" in notice.text


def test_following_pages_and_the_api(world):
    space = staff_space(world)
    client = client_for(world.teacher)
    client.post(reverse("discussions:follow_space", args=[space.pk]))
    assert Subscription.objects.filter(person=world.teacher, space=space).exists()
    assert "Stop following this space" in client.get(space.get_absolute_url()).content.decode()
    client.post(reverse("discussions:follow_space", args=[space.pk]), {"follow": "0"})
    assert not Subscription.objects.filter(person=world.teacher).exists()
    response = client.post(f"/api/v1/discussions/spaces/{space.pk}/subscription")
    assert response.status_code == 201
    listed = client.get("/api/v1/discussions/subscriptions").json()["items"]
    assert [item["space_id"] for item in listed] == [space.pk]
    assert client.delete(f"/api/v1/discussions/spaces/{space.pk}/subscription").status_code == 204
    assert not Subscription.objects.exists()
    thread = services.start_thread(space=space, by=world.co_leader, title="T", body="b")
    assert client.post(f"/api/v1/discussions/threads/{thread.pk}/subscription").status_code == 201
    pupil = client_for(world.pupil)
    assert pupil.post(f"/api/v1/discussions/spaces/{space.pk}/subscription").status_code == 404
    assert pupil.post(reverse("discussions:follow_thread", args=[thread.pk])).status_code == 404


def test_a_subscription_to_a_space_one_can_no_longer_see_is_not_listed(world):
    group = world.group
    space = services.open_space(network=world.network, by=world.co_leader, title="G", group=group)
    services.subscribe(by=world.teacher, space=space)
    member = group.members.get(person=world.teacher)
    network_services.remove_group_member(member=member, by=world.admin)
    world.teacher.refresh_from_db()
    client = client_for(world.teacher)
    assert client.get("/api/v1/discussions/subscriptions").json()["items"] == []


# Moderators' decisions and reports ----------------------------------------------------------


def test_the_author_hears_whether_a_held_post_was_published(world):
    space = pupil_space(world)
    first = services.start_thread(space=space, by=world.pupil, title="A", body="b")
    second = services.start_thread(space=space, by=world.pupil, title="B", body="b")
    services.moderate_post(post=first.posts.get(), by=world.co_leader, decision="approve")
    services.moderate_post(post=second.posts.get(), by=world.co_leader, decision="reject")
    texts = sorted(n.text for n in inbox(world.pupil, NotificationKind.MODERATION))
    assert texts == [
        "A moderator did not publish your post in “B”",
        "A moderator published your post in “A”",
    ]


def test_a_report_in_a_pupil_space_reaches_the_safeguarding_lead_at_once(
    world, django_capture_on_commit_callbacks
):
    world.safeguarding_lead.email = "dsl@alder.example"
    world.safeguarding_lead.save()
    set_email_frequency(person=world.safeguarding_lead, frequency=EmailFrequency.WEEKLY)
    space = pupil_space(world, moderation=Moderation.NONE)
    thread = services.start_thread(space=space, by=world.pupil, title="Hi", body="mean")
    classmate = make_pupil(world.school_a, username="ola")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report(by=classmate, post=thread.posts.get(), reason="unkind")
    (notice,) = inbox(world.safeguarding_lead, NotificationKind.REPORT)
    assert "New report in Year 7 homework project" in notice.text
    assert [message.to for message in mail.outbox] == [["dsl@alder.example"]]
    assert "It is unkind or bullying" in mail.outbox[0].body
    assert inbox(world.co_leader, NotificationKind.REPORT)  # the space's moderator
    assert not inbox(world.teacher)
    assert not inbox(classmate, NotificationKind.REPORT)


def test_a_report_in_another_schools_space_does_not_reach_alders_lead(world):
    space = pupil_space(world, school=world.school_b, moderation=Moderation.NONE, title="Birch")
    birch = make_pupil(world.school_b, username="birch1")
    thread = services.start_thread(space=space, by=birch, title="Hi", body="b")
    services.report(by=birch, post=thread.posts.get(), reason="other")
    assert not inbox(world.safeguarding_lead)
    assert inbox(world.school_lead, NotificationKind.REPORT)  # leads Birch


def test_a_safeguarding_lead_moderates_their_schools_pupil_spaces_only(world):
    alder = pupil_space(world)
    birch = pupil_space(world, school=world.school_b, title="Birch")
    staff = staff_space(world)
    lead = world.safeguarding_lead
    assert policy.can_moderate(lead, alder)
    assert not policy.can_moderate(lead, birch) and not policy.can_moderate(lead, staff)
    assert policy.can_view_moderation(lead, world.network)
    thread = services.start_thread(space=alder, by=world.pupil, title="Held", body="b")
    queue = client_for(lead).get(reverse("discussions:moderation", args=[world.network.slug]))
    assert queue.status_code == 200 and "Held" in queue.content.decode()
    services.moderate_post(post=thread.posts.get(), by=lead, decision="approve")
    assert ModerationLogEntry.objects.filter(
        action=ModerationAction.APPROVED, actor_id=lead.pk
    ).exists()


# New Zealand: 48-hour complaint steps ------------------------------------------------------


def _nz(world):
    world.network.country = Country.NEW_ZEALAND
    world.network.save()


def test_an_nz_report_records_its_48_hour_deadline_and_the_queue_shows_it(world):
    _nz(world)
    space = pupil_space(world, moderation=Moderation.NONE)
    thread = services.start_thread(space=space, by=world.pupil, title="Hi", body="b")
    report = services.report(by=world.pupil, post=thread.posts.get(), reason="unsafe")
    assert report.respond_by - report.created_at == datetime.timedelta(hours=48)
    client = client_for(world.co_leader)
    page = client.get(reverse("discussions:moderation", args=[world.network.slug]))
    assert "47 h left to act" in page.content.decode()
    type(report).objects.filter(pk=report.pk).update(
        respond_by=timezone.now() - datetime.timedelta(hours=3, minutes=5)
    )
    page = client.get(reverse("discussions:moderation", args=[world.network.slug]))
    assert "Overdue</strong> by 3 h" in page.content.decode()


def test_acknowledging_and_resolving_are_logged(world):
    _nz(world)
    space = pupil_space(world, moderation=Moderation.NONE)
    thread = services.start_thread(space=space, by=world.pupil, title="Hi", body="b")
    report = services.report(by=world.pupil, post=thread.posts.get(), reason="unsafe")
    client = client_for(world.safeguarding_lead)
    response = client.post(reverse("discussions:acknowledge", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.acknowledged_by == world.safeguarding_lead
    entry = ModerationLogEntry.objects.get(action=ModerationAction.ACKNOWLEDGED)
    assert "before the 48-hour step" in entry.note
    client.post(reverse("discussions:resolve", args=[report.pk]), {"resolution": "Spoke to them"})
    assert ModerationLogEntry.objects.filter(action=ModerationAction.RESOLVED).exists()
    assert (
        client_for(world.pupil)
        .post(reverse("discussions:acknowledge", args=[report.pk]))
        .status_code
        == 404
    )


def test_reports_in_england_have_no_deadline(world):
    space = pupil_space(world, moderation=Moderation.NONE)
    thread = services.start_thread(space=space, by=world.pupil, title="Hi", body="b")
    report = services.report(by=world.pupil, post=thread.posts.get(), reason="other")
    assert report.respond_by is None


# Group spaces -------------------------------------------------------------------------------


def test_a_group_space_is_for_the_groups_members(world):
    group = network_services.create_group(
        network=world.network, name="Maths triad", kind=GroupKind.OTHER, by=world.co_leader
    )
    network_services.add_group_member(group=group, person=world.school_lead, by=world.co_leader)
    space = services.open_space(
        network=world.network, by=world.co_leader, title="Triad", group=group
    )
    assert policy.can_view_space(world.school_lead, space)
    assert policy.can_view_space(world.co_leader, space)
    assert not policy.can_view_space(world.teacher, space)
    assert not policy.can_view_space(world.partner, space)
    assert client_for(world.teacher).get(space.get_absolute_url()).status_code == 404
    # A whole school in the group brings its staff.
    network_services.add_group_member(group=group, school=world.school_c, by=world.co_leader)
    assert policy.can_view_space(Person.objects.get(pk=world.teacher.pk), space)
