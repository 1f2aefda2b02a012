"""iCalendar (RFC 5545) for feeds and invitation emails, written with the `icalendar` library.

Start and end carry the activity's own TZID with a VTIMEZONE built from the zoneinfo database
(time_zones.py) for the years the activities span, so calendars keep a recurring 16:00 meeting
at 16:00 local time across daylight-saving changes.
A cancelled occurrence of a series is an override with its RECURRENCE-ID and STATUS:CANCELLED;
every change raises SEQUENCE.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext
from icalendar import Calendar, Event, vRecur

from .errors import InvalidRecurrence
from .recurrence import normalise_rule, occurrence_times
from .time_zones import vtimezone

PRODID = "-//Netlearn//Activities 1.0//EN"


@dataclass(frozen=True)
class FeedEvent:
    """An event another app adds to a feed (hooks.on_feed): a staff loan, a booking, a release
    day. `start` and `end` are dates for all-day events (the end is the day after, as RFC 5545
    says) or aware datetimes, written in UTC; `url` is a path on this site."""

    uid: str
    summary: str
    start: datetime.date | datetime.datetime
    end: datetime.date | datetime.datetime
    stamp: datetime.datetime
    url: str
    description: str = ""
    status: str = "CONFIRMED"


def _feed_event(item: FeedEvent) -> Event:
    event = Event()
    host = settings.SITE_URL.rstrip("/")
    event.add("uid", item.uid)
    event.add("dtstamp", item.stamp.astimezone(datetime.UTC))
    event.add("summary", item.summary)
    for name, value in (("dtstart", item.start), ("dtend", item.end)):
        if isinstance(value, datetime.datetime):
            value = value.astimezone(datetime.UTC)
        event.add(name, value)
    event.add("status", item.status)
    if item.description:
        event.add("description", item.description)
    event.add("url", host + item.url)
    return event


def _event(activity, *, start, end, status: str) -> Event:
    event = Event()
    event.add("uid", activity.uid)
    event.add("dtstamp", activity.updated_at.astimezone(datetime.UTC))
    event.add("sequence", activity.sequence)
    event.add("summary", activity.title)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("status", status)
    description = [activity.get_kind_display()]
    if activity.purpose:
        description.append(gettext("Purpose: %(purpose)s") % {"purpose": activity.purpose})
    if activity.description:
        description.append(activity.description)
    if activity.web_link:
        description.append(gettext("Online: %(link)s") % {"link": activity.web_link})
    event.add("description", "\n\n".join(description))
    location = activity.place or (activity.host_school.name if activity.host_school else "")
    if location or activity.web_link:
        event.add("location", location or activity.web_link)
    event.add("url", settings.SITE_URL.rstrip("/") + activity.get_absolute_url())
    return event


def _when(activity, moment: datetime.datetime) -> datetime.date | datetime.datetime:
    """A time in the activity's zone; for an all-day activity, its date (VALUE=DATE)."""
    local = moment.astimezone(activity.zone)
    return local.date() if activity.all_day else local


def _changed(activity, occurrence) -> bool:
    """Cancelled, or moved from where the rule put it (another start or another length)."""
    length = activity.ends_at - activity.starts_at
    return (
        occurrence.is_cancelled
        or occurrence.starts_at != occurrence.original_start
        or occurrence.ends_at - occurrence.starts_at != length
    )


def events_for(activity) -> list[Event]:
    """The activity's VEVENT and, for a series, one override (RECURRENCE-ID) per date that is
    cancelled or moved.

    Expects `activity.dated_occurrences` (a list of its occurrences) when the activity repeats.
    """
    status = "CANCELLED" if activity.is_cancelled else "CONFIRMED"
    main = _event(
        activity,
        start=_when(activity, activity.starts_at),
        end=_when(activity, activity.ends_at),
        status=status,
    )
    events = [main]
    if not activity.recurrence:
        return events
    main.add("rrule", vRecur.from_ical(normalise_rule(activity.recurrence)))
    start_time = activity.local_start.time()
    for day in activity.exception_dates:
        excluded = datetime.datetime.combine(
            datetime.date.fromisoformat(day), start_time, activity.zone
        )
        main.add("exdate", _when(activity, excluded))
    for occurrence in getattr(activity, "dated_occurrences", []):
        if not _changed(activity, occurrence):
            continue
        override = _event(
            activity,
            start=_when(activity, occurrence.starts_at),
            end=_when(activity, occurrence.ends_at),
            status="CANCELLED" if occurrence.is_cancelled or activity.is_cancelled else status,
        )
        override.add("recurrence-id", _when(activity, occurrence.original_start))
        events.append(override)
    return events


def _last_day(activity) -> datetime.date:
    if not activity.recurrence:
        return activity.local_end.date()
    try:
        times = occurrence_times(
            starts_at=activity.starts_at,
            ends_at=activity.ends_at,
            time_zone=activity.time_zone,
            rule=activity.recurrence,
        )
    except InvalidRecurrence:
        # A rule stored before today's checks still gets a feed: the longest a series may run.
        return activity.local_end.date() + datetime.timedelta(days=366 * 10)
    return times[-1][1].astimezone(activity.zone).date()


def _zones_spanned(activities) -> dict[str, tuple[datetime.date, datetime.date]]:
    """Each zone the activities use, with the first and last day its VTIMEZONE must cover
    (a year either side, for moved dates and readers that look ahead)."""
    spans: dict[str, tuple[datetime.date, datetime.date]] = {}
    for activity in activities:
        first, last = activity.local_start.date(), _last_day(activity)
        if activity.time_zone in spans:
            known_first, known_last = spans[activity.time_zone]
            first, last = min(first, known_first), max(last, known_last)
        spans[activity.time_zone] = (first, last)
    year = datetime.timedelta(days=366)
    return {zone: (first - year, last + year) for zone, (first, last) in spans.items()}


def calendar_for(
    activities, *, name: str, method: str | None = None, extra: list[FeedEvent] = ()
) -> bytes:
    """The activities' events, then `extra` events other apps contributed (hooks.on_feed)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    activities = list(activities)
    for zone, (first, last) in sorted(_zones_spanned(activities).items()):
        calendar.add_component(vtimezone(zone, first, last))
    for activity in activities:
        for event in events_for(activity):
            calendar.add_component(event)
    for item in extra:
        calendar.add_component(_feed_event(item))
    return calendar.to_ical()
