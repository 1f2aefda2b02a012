"""The notification centre: notify, read, email at once or in digests, and nobody else's rows."""

import datetime
import io
import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from netlearn.notifications import personal_data, selectors, services
from netlearn.notifications.errors import NotificationError
from netlearn.notifications.models import (
    EmailFrequency,
    EmailPreference,
    Notification,
    NotificationKind,
)


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def _notify(person, text="Sam mentioned you in “Marking”", **kwargs):
    return services.notify(
        recipients=[person], kind=NotificationKind.MENTION, text=text, url="/discussions/", **kwargs
    )


@pytest.fixture
def teacher(world):
    world.teacher.email = "tia@alder.example"
    world.teacher.save()
    return world.teacher


# Defaults and choices ----------------------------------------------------------------------


def test_staff_default_to_a_daily_digest_and_pupils_never_get_email(world, teacher):
    assert services.frequency_for(teacher) == EmailFrequency.DAILY
    assert services.frequency_for(world.pupil) == EmailFrequency.NEVER
    with pytest.raises(NotificationError, match="never get email"):
        services.set_email_frequency(person=world.pupil, frequency=EmailFrequency.DAILY)
    assert not EmailPreference.objects.exists()


def test_email_needs_an_address(world):
    world.co_leader.email = ""
    world.co_leader.save()
    with pytest.raises(NotificationError, match="email address"):
        services.set_email_frequency(person=world.co_leader, frequency=EmailFrequency.WEEKLY)


def test_the_settings_page_saves_a_choice(world, teacher):
    client = client_for(teacher)
    response = client.post(reverse("notifications:settings"), {"frequency": "weekly"})
    assert response.status_code == 302
    assert services.frequency_for(teacher) == EmailFrequency.WEEKLY
    assert client.post(reverse("notifications:settings"), {"frequency": "x"}).status_code == 400
    page = client_for(world.pupil).get(reverse("notifications:settings")).content.decode()
    assert "Pupil accounts never get email" in page


# Immediate email ---------------------------------------------------------------------------


def test_an_immediate_mail_goes_after_the_commit_and_only_once(
    world, teacher, django_capture_on_commit_callbacks
):
    services.set_email_frequency(person=teacher, frequency=EmailFrequency.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        (made,) = _notify(teacher)
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert [message.to for message in mail.outbox] == [["tia@alder.example"]]
    assert "Sam mentioned you in “Marking”" in mail.outbox[0].body
    assert "http://127.0.0.1:8000/discussions/" in mail.outbox[0].body
    assert services.send_immediate_emails([made.pk]) == 0  # a retried task sends nothing
    assert len(mail.outbox) == 1
    assert services.send_digests(period="daily") == 0  # already mailed


def test_urgent_notices_mail_at_once_whatever_the_choice_but_never_a_pupil(
    world, teacher, django_capture_on_commit_callbacks
):
    services.set_email_frequency(person=teacher, frequency=EmailFrequency.NEVER)
    world.pupil.email = "should-not@example.org"
    world.pupil.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipients=[teacher, world.pupil], kind=NotificationKind.REPORT, text="Report",
            urgent=True,
        )  # fmt: skip
    assert [message.to for message in mail.outbox] == [["tia@alder.example"]]


# Digests -----------------------------------------------------------------------------------


def test_a_daily_digest_sends_one_mail_per_person_and_running_twice_sends_nothing_twice(
    world, teacher, django_capture_on_commit_callbacks
):
    world.co_leader.email = "cole@riverside.example"
    world.co_leader.save()
    services.set_email_frequency(person=world.co_leader, frequency=EmailFrequency.WEEKLY)
    _notify(teacher, text="First")
    _notify(teacher, text="Second")
    _notify(world.co_leader, text="Weekly one")
    _notify(world.pupil, text="Pupil's")
    output = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", "--period", "daily", stdout=output)
    assert output.getvalue() == "Queued 1 daily digest; the task worker sends them.\n"
    assert [message.to for message in mail.outbox] == [["tia@alder.example"]]
    body = mail.outbox[0].body
    assert "Your daily Netlearn digest: 2 new." in body and "First" in body and "Second" in body
    output = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", "--period", "daily", stdout=output)
    assert output.getvalue().startswith("Queued 0 daily digests;")
    assert len(mail.outbox) == 1
    _notify(teacher, text="Third")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_digests(period="daily") == 1
    assert "Third" in mail.outbox[1].body and "First" not in mail.outbox[1].body
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_digests(period="weekly") == 1
    assert mail.outbox[2].to == ["cole@riverside.example"] and "Weekly one" in mail.outbox[2].body
    assert all("Pupil's" not in message.body for message in mail.outbox)


def test_a_digest_holds_only_what_is_new_by_its_time(world, teacher):
    (late,) = _notify(teacher, text="Later")
    Notification.objects.filter(pk=late.pk).update(
        created_at=timezone.now() + datetime.timedelta(hours=1)
    )
    assert services.send_digests(period="daily") == 0


def test_an_unknown_period_is_refused(db):
    with pytest.raises(NotificationError):
        services.send_digests(period="hourly")


# The centre --------------------------------------------------------------------------------


def test_the_centre_lists_marks_read_and_counts_unread_in_the_nav(world, teacher):
    first, second = _notify(teacher, text="One")[0], _notify(teacher, text="Two")[0]
    client = client_for(teacher)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "One" in page and "Two" in page and "2 unread" in page
    assert 'Notifications <span class="badge">2' in page
    response = client.post(reverse("notifications:mark_read", args=[first.pk]), {"open": "1"})
    assert response.status_code == 302 and response.url == "/discussions/"
    first.refresh_from_db()
    assert first.read_at is not None
    client.post(reverse("notifications:mark_all_read"))
    second.refresh_from_db()
    assert second.read_at is not None
    assert 'class="badge"' not in client.get(reverse("notifications:list")).content.decode()


def test_a_pupil_sees_their_notices_without_an_unread_badge(world):
    _notify(world.pupil, text="A moderator published your post")
    page = client_for(world.pupil).get(reverse("notifications:list")).content.decode()
    assert "A moderator published your post" in page and 'class="badge"' not in page


def test_nobody_reads_or_marks_anyone_elses_notification(world, teacher):
    (theirs,) = _notify(teacher)
    other = client_for(world.co_leader)
    assert other.post(reverse("notifications:mark_read", args=[theirs.pk])).status_code == 404
    assert other.post(f"/api/v1/notifications/{theirs.pk}/read").status_code == 404
    assert "Sam mentioned" not in other.get(reverse("notifications:list")).content.decode()
    other.post(reverse("notifications:mark_all_read"))
    theirs.refresh_from_db()
    assert theirs.read_at is None
    with pytest.raises(NotificationError):
        services.mark_read(notification=theirs, by=world.co_leader)


def test_a_notifications_link_only_leads_within_the_site(world, teacher):
    (made,) = services.notify(
        recipients=[teacher], kind=NotificationKind.REPLY, text="x", url="https://evil.example/"
    )
    response = client_for(teacher).post(
        reverse("notifications:mark_read", args=[made.pk]), {"open": "1"}
    )
    assert response.url == reverse("notifications:list")


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("notifications:list")).status_code == 200
    return len(queries)


def test_the_list_costs_the_same_at_3_and_30_rows(world, teacher):
    for number in range(3):
        _notify(teacher, text=f"Notice {number}")
    client = client_for(teacher)
    few = _list_queries(client)
    for number in range(27):
        _notify(teacher, text=f"More {number}")
    assert _list_queries(client) == few
    # Session, person, their reach (3, and 1 for the networks they evaluate: `core.reach`), the
    # page's rows and count, the unread count (x2).
    assert few <= 10


# API ---------------------------------------------------------------------------------------


def test_the_api_lists_marks_and_sets_the_email_choice(world, teacher):
    first, second = _notify(teacher, text="One")[0], _notify(teacher, text="Two")[0]
    client = client_for(teacher)
    listed = client.get("/api/v1/notifications").json()
    assert [item["text"] for item in listed["items"]] == ["Two", "One"]
    assert client.post(f"/api/v1/notifications/{first.pk}/read").json()["read_at"]
    unread = client.get("/api/v1/notifications?unread=true").json()["items"]
    assert [item["id"] for item in unread] == [second.pk]
    assert client.post("/api/v1/notifications/read-all").json() == {"unread": 0, "marked": 1}
    assert client.get("/api/v1/notifications/email").json() == {"frequency": "daily"}
    response = client.put(
        "/api/v1/notifications/email", {"frequency": "weekly"}, content_type="application/json"
    )
    assert response.json() == {"frequency": "weekly"}
    pupil = client_for(world.pupil)
    response = pupil.put(
        "/api/v1/notifications/email", {"frequency": "daily"}, content_type="application/json"
    )
    assert response.status_code == 404  # pupils have no email setting at all
    assert pupil.get("/api/v1/notifications/email").status_code == 404


# Personal data -----------------------------------------------------------------------------


def test_export_and_erase_cover_a_persons_notifications(world, teacher):
    _notify(teacher, text=f"{world.co_leader.name} mentioned you in “Marking”")
    _notify(world.co_leader, text="Tia Teacher mentioned you in “Marking”")
    services.set_email_frequency(person=teacher, frequency=EmailFrequency.WEEKLY)
    exported = personal_data.export(teacher)
    (row,) = exported["notifications.notification"]
    assert row["recipient"] == "you" and row["about"] and "url" in row
    # Whoever acted is another person: their name stays out of the export.
    assert world.co_leader.name not in json.dumps(exported)
    assert exported["notifications.emailpreference"][0]["frequency"] == "weekly"
    personal_data.erase(teacher)
    assert not any(personal_data.export(teacher).values())
    (kept,) = selectors.notifications_for(viewer=world.co_leader)
    assert kept.text == "Former member mentioned you in “Marking”"
