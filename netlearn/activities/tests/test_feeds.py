"""iCalendar feeds: parsed back with `icalendar`, times checked across daylight-saving changes."""

import datetime
import zoneinfo

import pytest
from dateutil import rrule
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from netlearn.activities import services
from netlearn.activities.models import Audience

from .factories import make_activity

UTC = datetime.UTC


def feed(client, secret, **params):
    return client.get(reverse("activities:feed"), {"key": secret, **params})


def events(body: bytes):
    calendar = Calendar.from_ical(body)
    return calendar, [c for c in calendar.walk("VEVENT")]


@pytest.mark.parametrize(
    "zone, first, utc_hours",
    [
        # Clocks go forward in London on 30 March 2025: 18:00 GMT, then 18:00 BST.
        ("Europe/London", datetime.datetime(2025, 3, 20, 18), [18, 18, 17]),
        # Clocks go back in Auckland on 6 April 2025: 18:00 NZDT (+13), then NZST (+12).
        ("Pacific/Auckland", datetime.datetime(2025, 3, 27, 18), [5, 5, 6]),
    ],
)
def test_weekly_activity_keeps_its_local_time_across_a_clock_change(world, zone, first, utc_hours):
    tz = zoneinfo.ZoneInfo(zone)
    activity = make_activity(
        world,
        starts_at=first.replace(tzinfo=tz),
        ends_at=(first + datetime.timedelta(hours=1)).replace(tzinfo=tz),
        time_zone=zone,
        recurrence="FREQ=WEEKLY;COUNT=3",
    )
    stored = [o.starts_at.astimezone(UTC).hour for o in activity.occurrences.order_by("starts_at")]
    assert stored == utc_hours

    second = activity.occurrences.order_by("starts_at")[1]
    services.cancel_occurrence(occurrence=second, by=world.co_leader)

    _, secret = services.create_feed_token(person=world.teacher)
    response = feed(Client(), secret)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar, found = events(response.content)
    assert [tz_.get("TZID") for tz_ in calendar.walk("VTIMEZONE")] == [zone]
    main = next(event for event in found if "RRULE" in event)
    start = main.decoded("DTSTART")
    assert main["DTSTART"].params["TZID"] == zone
    assert start.replace(tzinfo=None) == first
    assert main["SEQUENCE"] == 1  # raised by the cancellation
    dates = list(rrule.rrulestr(main["RRULE"].to_ical().decode(), dtstart=start))
    assert [d.astimezone(UTC).hour for d in dates] == utc_hours
    assert {d.astimezone(tz).hour for d in dates} == {18}

    cancelled = [event for event in found if "RECURRENCE-ID" in event]
    assert len(cancelled) == 1
    assert cancelled[0]["STATUS"] == "CANCELLED"
    assert cancelled[0].decoded("RECURRENCE-ID").astimezone(UTC) == second.starts_at


def test_exception_dates_become_exdate(world):
    tz = zoneinfo.ZoneInfo("Europe/London")
    start = datetime.datetime(2025, 2, 5, 12, tzinfo=tz)
    activity = make_activity(
        world,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        recurrence="FREQ=WEEKLY;COUNT=4",
        exception_dates=["2025-02-19"],
    )
    assert activity.occurrences.count() == 3
    _, secret = services.create_feed_token(person=world.co_leader)
    _, found = events(feed(Client(), secret).content)
    exdates = found[0]["EXDATE"]
    exdates = exdates if isinstance(exdates, list) else [exdates]
    assert [d.dt for e in exdates for d in e.dts] == [datetime.datetime(2025, 2, 19, 12, tzinfo=tz)]


def test_cancelled_activity_says_so_with_a_higher_sequence(world):
    activity = make_activity(world)
    services.cancel_activity(activity=activity, by=world.co_leader, notify=False)
    _, secret = services.create_feed_token(person=world.teacher)
    _, found = events(feed(Client(), secret).content)
    assert found[0]["STATUS"] == "CANCELLED" and found[0]["SEQUENCE"] == 1


def test_feed_authenticates_by_its_key_alone(world):
    make_activity(world, title="Lead learners meeting")
    _, secret = services.create_feed_token(person=world.teacher)
    anonymous = Client()
    assert b"Lead learners meeting" in feed(anonymous, secret).content
    # A signed-in session is no credential for someone else's made-up key.
    signed_in = Client()
    signed_in.force_login(world.teacher)
    assert feed(signed_in, "cal_made-up").status_code == 404
    # No key: sign in, or (signed in) go and make one.
    response = anonymous.get(reverse("activities:feed"))
    assert response.status_code == 302 and "sign-in" in response.url
    assert signed_in.get(reverse("activities:feed")).url == reverse("activities:feeds")
    services.revoke_feed_token(person=world.teacher)
    assert feed(anonymous, secret).status_code == 404


def test_network_feed_shows_what_the_key_owner_may_see_and_nothing_foreign(world):
    make_activity(world, title="Open meeting")
    make_activity(world, title="Heads only", audience=Audience.SELECTED, people=[world.school_lead])
    make_activity(
        world,
        network=world.foreign_network,
        by=world.foreign_co_leader,
        title="Foreign meeting",
    )
    _, secret = services.create_feed_token(person=world.teacher)
    body = feed(Client(), secret, network=world.network.slug).content
    assert b"Open meeting" in body and b"Heads only" not in body
    assert feed(Client(), secret, network=world.foreign_network.slug).status_code == 404
    personal = feed(Client(), secret).content
    assert b"Foreign meeting" not in personal and b"Heads only" not in personal


def test_pupils_have_no_feed(world):
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied
        services.create_feed_token(person=world.pupil)
