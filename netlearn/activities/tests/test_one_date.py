"""Issue 14: moving or cancelling one date of a series, in pages, the API and feeds."""

import datetime
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from netlearn.activities import services
from netlearn.activities.errors import ActivityCancelled, InvalidTimes
from netlearn.activities.models import Response

from .factories import make_activity

LONDON = zoneinfo.ZoneInfo("Europe/London")
FIRST = datetime.datetime(2030, 5, 8, 16)  # a Wednesday


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def series(world):
    return make_activity(
        world,
        title="Writing leads",
        starts_at=FIRST,
        ends_at=FIRST + datetime.timedelta(hours=1),
        recurrence="FREQ=WEEKLY;COUNT=4",
    )


def dates(activity):
    return list(activity.occurrences.order_by("original_start"))


def feed_events(person):
    _, secret = services.create_feed_token(person=person)
    body = Client().get(reverse("activities:feed"), {"key": secret}).content
    return list(Calendar.from_ical(body).walk("VEVENT"))


def test_moving_one_date_keeps_its_answers_and_tells_calendars(world, series):
    second = dates(series)[1]
    services.respond(occurrence=second, person=world.teacher, response=Response.GOING)
    services.move_occurrence(
        occurrence=second,
        by=world.co_leader,
        starts_at=datetime.datetime(2030, 5, 16, 9, 30),
        ends_at=datetime.datetime(2030, 5, 16, 11),
    )
    second.refresh_from_db()
    assert second.local_start.replace(tzinfo=None) == datetime.datetime(2030, 5, 16, 9, 30)
    assert second.original_start.astimezone(LONDON).replace(tzinfo=None) == datetime.datetime(
        2030, 5, 15, 16
    )
    assert second.rsvps.get().person == world.teacher
    series.refresh_from_db()
    assert series.sequence == 1

    main, override = feed_events(world.teacher)
    assert "RRULE" in main
    assert override.decoded("RECURRENCE-ID") == datetime.datetime(2030, 5, 15, 16, tzinfo=LONDON)
    assert override.decoded("DTSTART") == datetime.datetime(2030, 5, 16, 9, 30, tzinfo=LONDON)
    assert override.decoded("DTEND") == datetime.datetime(2030, 5, 16, 11, tzinfo=LONDON)
    assert override["STATUS"] == "CONFIRMED"
    assert override["UID"] == main["UID"]

    # Changing the series afterwards keeps the moved date where it was put.
    services.update_activity(activity=series, by=world.co_leader, title="Writing leads (Y6)")
    second.refresh_from_db()
    assert second.local_start.replace(tzinfo=None) == datetime.datetime(2030, 5, 16, 9, 30)
    assert [o.local_start.hour for o in dates(series)] == [16, 9, 16, 16]


def test_a_move_into_the_clock_change_gap_or_backwards_is_refused(world, series):
    third = dates(series)[2]
    with pytest.raises(InvalidTimes, match="clocks go forward"):
        services.move_occurrence(
            occurrence=third,
            by=world.co_leader,
            starts_at=datetime.datetime(2031, 3, 30, 1, 30),
            ends_at=datetime.datetime(2031, 3, 30, 3),
        )
    with pytest.raises(InvalidTimes):
        services.move_occurrence(
            occurrence=third,
            by=world.co_leader,
            starts_at=datetime.datetime(2030, 5, 22, 16),
            ends_at=datetime.datetime(2030, 5, 22, 15),
        )
    third.refresh_from_db()
    assert third.starts_at == third.original_start


def test_a_cancelled_date_cannot_be_moved(world, series):
    fourth = dates(series)[3]
    services.cancel_occurrence(occurrence=fourth, by=world.co_leader)
    with pytest.raises(ActivityCancelled):
        services.move_occurrence(
            occurrence=fourth,
            by=world.co_leader,
            starts_at=datetime.datetime(2030, 5, 30, 16),
            ends_at=datetime.datetime(2030, 5, 30, 17),
        )


def test_the_organiser_moves_a_date_through_the_page(world, series):
    second = dates(series)[1]
    client = client_for(world.co_leader)
    url = reverse("activities:move_occurrence", args=[world.network.slug, series.pk, second.pk])
    assert url in client.get(series.get_absolute_url()).content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="2030-05-15T16:00"' in page.content.decode()
    response = client.post(url, {"starts_at": "2030-05-16T09:30", "ends_at": "2030-05-16T11:00"})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.local_start.hour == 9
    # A member may not.
    assert client_for(world.teacher).post(url, {}).status_code == 403


def test_the_api_moves_and_cancels_one_date(world, series):
    second, third = dates(series)[1:3]
    client = client_for(world.co_leader)
    moved = client.post(
        f"/api/v1/activities/{series.pk}/occurrences/{second.pk}/move",
        {"starts_at": "2030-05-16T09:30:00", "ends_at": "2030-05-16T11:00:00"},
        content_type="application/json",
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["local_start"].startswith("2030-05-16T09:30:00+01:00")
    cancelled = client.post(f"/api/v1/activities/{series.pk}/occurrences/{third.pk}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["cancelled"] is True
    assert (
        client.post(f"/api/v1/activities/{series.pk}/occurrences/{third.pk}/cancel").status_code
        == 400
    )
    member = client_for(world.teacher)
    assert (
        member.post(f"/api/v1/activities/{series.pk}/occurrences/{second.pk}/cancel").status_code
        == 403
    )
    foreign = client_for(world.foreign_co_leader)
    assert (
        foreign.post(f"/api/v1/activities/{series.pk}/occurrences/{second.pk}/cancel").status_code
        == 404
    )


def test_a_time_before_the_first_utc_moment_is_refused_not_a_server_error(world):
    # Year 1 at +01:01 has no UTC time: refused with the same message as any far date.
    ahead = datetime.timezone(datetime.timedelta(hours=1, minutes=1))
    first = datetime.datetime(1, 1, 1, 0, 1, tzinfo=ahead)
    with pytest.raises(InvalidTimes, match="Give dates between"):
        make_activity(world, starts_at=first, ends_at=first + datetime.timedelta(hours=1))
