"""Issue 14: all-day activities (a teacher-only day, a conference) in pages, feeds and the API."""

import datetime
import zoneinfo

from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from netlearn.activities import services
from netlearn.activities.models import Kind

from .factories import make_activity

AUCKLAND = zoneinfo.ZoneInfo("Pacific/Auckland")
DAY = datetime.date(2030, 6, 12)


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def feed_events(person):
    _, secret = services.create_feed_token(person=person)
    body = Client().get(reverse("activities:feed"), {"key": secret}).content
    return body, list(Calendar.from_ical(body).walk("VEVENT"))


def test_an_all_day_conference_runs_midnight_to_midnight_in_its_zone(world):
    conference = make_activity(
        world,
        title="Kāhui Ako teacher-only days",
        kind=Kind.CONFERENCE,
        all_day=True,
        time_zone="Pacific/Auckland",
        starts_at=datetime.datetime.combine(DAY, datetime.time(9)),
        ends_at=datetime.datetime.combine(DAY + datetime.timedelta(days=1), datetime.time(15)),
    )
    assert conference.local_start.replace(tzinfo=None) == datetime.datetime(2030, 6, 12)
    assert conference.local_end.replace(tzinfo=None) == datetime.datetime(2030, 6, 14)
    assert conference.last_day == datetime.date(2030, 6, 13)

    body, [event] = feed_events(world.teacher)
    assert b"DTSTART;VALUE=DATE:20300612" in body
    assert b"DTEND;VALUE=DATE:20300614" in body
    assert event.decoded("DTSTART") == DAY

    page = client_for(world.teacher).get(conference.get_absolute_url()).content.decode()
    assert "Wednesday 12 June 2030 to Thursday 13 June 2030, all day" in page

    api = client_for(world.teacher).get(f"/api/v1/activities/{conference.pk}").json()
    assert api["all_day"] is True


def test_editing_an_all_day_activity_keeps_its_days(world):
    day = make_activity(
        world,
        all_day=True,
        starts_at=datetime.datetime.combine(DAY, datetime.time()),
        ends_at=datetime.datetime.combine(DAY, datetime.time()),
    )
    services.update_activity(activity=day, by=world.co_leader, title="Writing day", notify=False)
    day.refresh_from_db()
    assert (day.local_start.date(), day.last_day) == (DAY, DAY)


def test_a_weekly_all_day_series_with_a_date_off_writes_dates(world):
    make_activity(
        world,
        all_day=True,
        starts_at=datetime.datetime.combine(DAY, datetime.time()),
        ends_at=datetime.datetime.combine(DAY, datetime.time()),
        recurrence="FREQ=WEEKLY;COUNT=3",
        exception_dates=["2030-06-19"],
    )
    body, [event] = feed_events(world.teacher)
    assert b"EXDATE;VALUE=DATE:20300619" in body
    assert event.decoded("DTEND") == DAY + datetime.timedelta(days=1)


def test_the_api_creates_an_all_day_activity(world):
    response = client_for(world.co_leader).post(
        f"/api/v1/networks/{world.network.slug}/activities",
        {
            "title": "INSET day",
            "kind": "shared_cpd",
            "all_day": True,
            "starts_at": "2030-06-12T00:00:00",
            "ends_at": "2030-06-12T00:00:00",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["local_start"].startswith("2030-06-12T00:00:00")
    assert response.json()["local_end"].startswith("2030-06-13T00:00:00")
