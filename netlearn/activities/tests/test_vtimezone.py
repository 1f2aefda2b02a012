"""Issue 14: the feed's time zones read the same in ical.js, node-ical and Python.

ical.js takes only the first date of an RDATE line that lists several; the reader here does the
same, and what it makes of every occurrence is checked against Python's zoneinfo.
"""

import datetime
import zoneinfo

import pytest
from dateutil import rrule
from django.test import Client, override_settings
from django.urls import reverse
from icalendar import Calendar

from netlearn.activities import services

from .factories import make_activity

UTC = datetime.UTC


def feed_of(person) -> bytes:
    _, secret = services.create_feed_token(person=person)
    response = Client().get(reverse("activities:feed"), {"key": secret})
    assert response.status_code == 200
    return response.content


def unfolded_lines(body: bytes) -> list[str]:
    return body.decode().replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def onsets_as_icaljs_reads_them(timezone) -> list[tuple[datetime.datetime, datetime.timedelta]]:
    """(UTC instant, offset after) of each onset: DTSTART and the first date of each RDATE."""
    onsets = []
    for part in timezone.subcomponents:
        offset_from = part.decoded("TZOFFSETFROM")
        offset_to = part.decoded("TZOFFSETTO")
        locals_ = [part.decoded("DTSTART")]
        rdates = part.get("RDATE", [])
        for rdate in rdates if isinstance(rdates, list) else [rdates]:
            locals_.append(rdate.dts[0].dt)  # ical.js: the first date of the line only
        onsets += [(local.replace(tzinfo=UTC) - offset_from, offset_to) for local in locals_]
    return sorted(onsets)


def offset_at(onsets, local: datetime.datetime) -> datetime.timedelta:
    """The offset a reader gives a wall-clock time: that of the last onset before it."""
    offset = onsets[0][1]
    for instant, offset_to in onsets:
        if local.replace(tzinfo=UTC) - offset_to >= instant:
            offset = offset_to
    return offset


@pytest.mark.parametrize(
    "zone, first",
    [
        ("Pacific/Auckland", datetime.datetime(2026, 1, 7, 15, 30)),
        ("Europe/London", datetime.datetime(2026, 1, 7, 16, 0)),
        ("Pacific/Chatham", datetime.datetime(2026, 1, 7, 9, 0)),
    ],
)
def test_a_year_of_weekly_meetings_reads_right_in_a_reader_like_icaljs(world, zone, first):
    tz = zoneinfo.ZoneInfo(zone)
    make_activity(
        world,
        starts_at=first,
        ends_at=first + datetime.timedelta(hours=1),
        time_zone=zone,
        recurrence="FREQ=WEEKLY;COUNT=53",
    )
    # A second activity years later widens the zone's span: several years are checked.
    later = first.replace(year=2030)
    make_activity(
        world,
        starts_at=later,
        ends_at=later + datetime.timedelta(hours=1),
        time_zone=zone,
    )
    body = feed_of(world.teacher)
    rdate_lines = [line for line in unfolded_lines(body) if line.startswith("RDATE")]
    assert rdate_lines and all("," not in line for line in rdate_lines)

    calendar = Calendar.from_ical(body)
    [timezone] = calendar.walk("VTIMEZONE")
    assert timezone["TZID"] == zone
    onsets = onsets_as_icaljs_reads_them(timezone)

    series = next(event for event in calendar.walk("VEVENT") if "RRULE" in event)
    start = series.decoded("DTSTART").replace(tzinfo=None)
    dates = list(rrule.rrulestr(series["RRULE"].to_ical().decode(), dtstart=start))
    assert len(dates) == 53
    for local in dates:
        assert offset_at(onsets, local) == local.replace(tzinfo=tz).utcoffset(), local
        assert local.time() == first.time()

    # Every day from 2025 to 2030, at noon and just after the small hours.
    day = datetime.datetime(2025, 1, 8)
    while day < datetime.datetime(2030, 12, 31):
        for hour in (4, 12):
            local = day.replace(hour=hour)
            assert offset_at(onsets, local) == local.replace(tzinfo=tz).utcoffset(), local
        day += datetime.timedelta(days=1)


def test_spring_forward_is_written_at_the_time_before_the_change(world):
    start = datetime.datetime(2026, 9, 2, 15, 30)
    make_activity(
        world,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        time_zone="Pacific/Auckland",
    )
    calendar = Calendar.from_ical(feed_of(world.teacher))
    [timezone] = calendar.walk("VTIMEZONE")
    spring = [
        part
        for part in timezone.walk("DAYLIGHT")
        if part.decoded("TZOFFSETFROM") != part.decoded("TZOFFSETTO")
    ]
    # New Zealand: 02:00 NZST becomes 03:00 NZDT; the onset is read with TZOFFSETFROM.
    assert {part.decoded("DTSTART").time() for part in spring} == {datetime.time(2, 0)}


@override_settings(SITE_URL="https://netlearn.example.org")
def test_uids_carry_the_sites_host(world):
    activity = make_activity(world)
    calendar = Calendar.from_ical(feed_of(world.teacher))
    [event] = calendar.walk("VEVENT")
    assert event["UID"] == f"activity-{activity.pk}@netlearn.example.org"
    with override_settings(SITE_URL="https://calendar.other-trust.example"):
        assert activity.uid != event["UID"]
