"""Issue 14: an activity is shown in its own zone everywhere, and the night the clocks change
neither crashes nor shifts a date silently."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.test import Client
from icalendar import Calendar

from netlearn.activities.errors import InvalidTimes
from netlearn.activities.models import Activity, Occurrence
from netlearn.networks.models import Country, NetworkKind

from .factories import make_activity

AUCKLAND = zoneinfo.ZoneInfo("Pacific/Auckland")
UTC = datetime.UTC
# New Zealand's clocks go forward at 02:00 on 27 September 2026 and back at 03:00 on 5 April.
SPRING_FORWARD = datetime.date(2026, 9, 27)
FALL_BACK = datetime.date(2026, 4, 5)


@pytest.fixture
def kahui_ako(world):
    network = world.network
    network.country, network.kind = Country.NEW_ZEALAND, NetworkKind.KAHUI_AKO
    network.save(update_fields=["country", "kind"])
    return network


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute))


def next_weekday(weekday: int) -> datetime.date:
    """A date some weeks ahead falling on `weekday` (0 is Monday)."""
    day = datetime.date.today() + datetime.timedelta(days=21)
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


# 1. The activity's own zone -----------------------------------------------------------------


def test_a_new_activity_of_a_kahui_ako_is_on_new_zealand_time(kahui_ako, world):
    day = next_weekday(2)
    activity = make_activity(world, starts_at=at(day, 15, 30), ends_at=at(day, 17))
    assert activity.time_zone == "Pacific/Auckland"
    assert activity.local_start.strftime("%H:%M") == "15:30"
    assert activity.starts_at.astimezone(AUCKLAND).time() == datetime.time(15, 30)


def test_the_new_activity_form_offers_the_networks_zone(kahui_ako, world):
    page = client_for(world.co_leader).get(f"/n/{kahui_ako.slug}/activities/new/")
    assert page.status_code == 200
    assert page.context["form"]["time_zone"].value() == "Pacific/Auckland"


def test_an_english_network_keeps_london_time(world):
    page = client_for(world.co_leader).get(f"/n/{world.network.slug}/activities/new/")
    assert page.context["form"]["time_zone"].value() == "Europe/London"


def test_the_api_puts_an_activity_without_a_zone_in_the_networks_zone(kahui_ako, world):
    day = next_weekday(2)
    response = client_for(world.co_leader).post(
        f"/api/v1/networks/{kahui_ako.slug}/activities",
        {
            "title": "Kāhui Ako leads",
            "starts_at": at(day, 15, 30).isoformat(),
            "ends_at": at(day, 17).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["time_zone"] == "Pacific/Auckland"
    assert response.json()["local_start"][11:16] == "15:30"


def test_page_list_email_and_feed_say_1530_in_auckland(
    kahui_ako, world, django_capture_on_commit_callbacks
):
    """The server runs on London time; a meeting at 15:30 in Auckland is 02:30 or 03:30 there."""
    day = next_weekday(2)
    with django_capture_on_commit_callbacks(execute=True):
        activity = make_activity(
            world,
            title="Kāhui Ako leads",
            starts_at=at(day, 15, 30),
            ends_at=at(day, 17),
            time_zone="Pacific/Auckland",
            notify=True,
        )
    page = client_for(world.teacher).get(activity.get_absolute_url()).content.decode()
    assert "15:30–17:00" in page and "Pacific/Auckland" in page
    listing = client_for(world.teacher).get(f"/n/{kahui_ako.slug}/calendar/list/")
    assert f"{day:%a} {day.day} {day:%b %Y}, 15:30" in listing.content.decode()
    week = client_for(world.teacher).get(
        f"/n/{kahui_ako.slug}/calendar/week/", {"week": day.isoformat()}
    )
    assert "15:30 Kāhui Ako leads" in week.content.decode()

    body = mail.outbox[0].body
    assert f"{day:%A} {day.day} {day:%B %Y}, 15:30 to 17:00 (Pacific/Auckland)" in body
    ics = Calendar.from_ical(mail.outbox[0].attachments[0][1])
    start = next(iter(ics.walk("VEVENT"))).decoded("DTSTART")
    assert start.astimezone(AUCKLAND).replace(tzinfo=None) == at(day, 15, 30)


# 2. The night the clocks change ---------------------------------------------------------------


def counts():
    return Activity.objects.count(), Occurrence.objects.count()


def test_a_one_off_in_the_spring_forward_gap_is_refused_naming_the_date(kahui_ako, world):
    before = counts()
    with pytest.raises(InvalidTimes) as refused:
        make_activity(world, starts_at=at(SPRING_FORWARD, 2, 30), ends_at=at(SPRING_FORWARD, 3, 30))
    message = str(refused.value)
    assert "27 September 2026" in message
    assert "clocks go forward from 02:00 to 03:00" in message
    assert counts() == before


def test_the_api_refuses_a_time_in_the_gap_with_400_not_409(kahui_ako, world):
    response = client_for(world.co_leader).post(
        f"/api/v1/networks/{kahui_ako.slug}/activities",
        {
            "title": "Night walk",
            "starts_at": at(SPRING_FORWARD, 2, 30).isoformat(),
            "ends_at": at(SPRING_FORWARD, 3, 30).isoformat(),
            "time_zone": "Pacific/Auckland",
        },
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert "clocks go forward" in response.json()["detail"]
    assert not Activity.objects.exists()


def test_the_form_refuses_a_time_in_the_gap_with_its_reason(kahui_ako, world):
    response = client_for(world.co_leader).post(
        f"/n/{kahui_ako.slug}/activities/new/",
        {
            "title": "Night walk",
            "kind": "learning_meeting",
            "starts_at": "2026-09-27T02:30",
            "ends_at": "2026-09-27T03:30",
            "time_zone": "Pacific/Auckland",
            "audience": "network",
            "paid_by": "free",
        },
    )
    assert response.status_code == 400
    assert "the clocks go forward from 02:00 to 03:00" in response.content.decode()
    assert not Activity.objects.exists()


def test_a_weekly_series_through_the_gap_moves_that_date_as_rfc_5545_does(kahui_ako, world):
    first = SPRING_FORWARD - datetime.timedelta(days=7)
    activity = make_activity(
        world,
        starts_at=at(first, 2, 30),
        ends_at=at(first, 3, 30),
        time_zone="Pacific/Auckland",
        recurrence="FREQ=WEEKLY;COUNT=3",
    )
    local = [
        (o.local_start.replace(tzinfo=None), o.local_end.replace(tzinfo=None))
        for o in activity.occurrences.order_by("starts_at")
    ]
    # RFC 5545 §3.3.5: the skipped 02:30 is read with the offset before the gap, i.e. 03:30.
    assert local == [
        (at(first, 2, 30), at(first, 3, 30)),
        (at(SPRING_FORWARD, 3, 30), at(SPRING_FORWARD, 4, 30)),
        (
            at(first + datetime.timedelta(days=14), 2, 30),
            at(first + datetime.timedelta(days=14), 3, 30),
        ),
    ]


def test_a_time_that_happens_twice_is_the_first_of_the_two(kahui_ako, world):
    activity = make_activity(world, starts_at=at(FALL_BACK, 2, 30), ends_at=at(FALL_BACK, 3, 30))
    # 02:30 NZDT (+13), before the clocks go back at 03:00.
    assert activity.starts_at == datetime.datetime(2026, 4, 4, 13, 30, tzinfo=UTC)
    assert activity.ends_at == datetime.datetime(2026, 4, 4, 15, 30, tzinfo=UTC)


def test_london_gap_is_refused_too(world):
    with pytest.raises(InvalidTimes, match="29 March 2026.*from 01:00 to 02:00"):
        make_activity(
            world,
            starts_at=at(datetime.date(2026, 3, 29), 1, 30),
            ends_at=at(datetime.date(2026, 3, 29), 2, 30),
        )
