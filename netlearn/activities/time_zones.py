"""VTIMEZONE blocks written from the zoneinfo database, readable by every calendar we know of.

Each change of the clocks in the years an activity spans is one onset: the first of each kind as
the sub-component's DTSTART, the rest as RDATE properties, one date per line. ical.js (behind many
web calendars) reads only the first date of an RDATE line holding several, which put 11 of 53
occurrences an hour out; and an onset is the wall-clock time *before* the change (RFC 5545
§3.6.5: DTSTART is read with TZOFFSETFROM), so spring-forward in Auckland is 02:00, not 03:00.
"""

import datetime
import zoneinfo
from dataclasses import dataclass

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

UTC = datetime.UTC
_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Change:
    """The clocks changing at `at` (UTC) from one offset to another."""

    at: datetime.datetime
    offset_from: datetime.timedelta
    offset_to: datetime.timedelta
    name: str
    daylight: bool

    @property
    def onset(self) -> datetime.datetime:
        """The wall-clock time of the change as read before it: the VTIMEZONE's DTSTART."""
        return (self.at + self.offset_from).replace(tzinfo=None)


def _state(zone: zoneinfo.ZoneInfo, moment: datetime.datetime) -> tuple:
    local = moment.astimezone(zone)
    return local.utcoffset(), local.tzname(), bool(local.dst())


def clock_changes(
    zone: zoneinfo.ZoneInfo, first: datetime.date, last: datetime.date
) -> tuple[Change, list[Change]]:
    """The zone's state at the start of `first` (as a change from itself) and every change up to
    the end of `last`, found by stepping a day at a time and narrowing to the second."""
    start = datetime.datetime.combine(first, datetime.time(), UTC)
    end = datetime.datetime.combine(last, datetime.time(), UTC) + _DAY
    offset, name, daylight = _state(zone, start)
    initial = Change(start, offset, offset, name, daylight)
    changes = []
    moment = start
    while moment < end:
        following = moment + _DAY
        if _state(zone, following) != _state(zone, moment):
            low, high = moment, following
            while high - low > datetime.timedelta(seconds=1):
                middle = low + (high - low) / 2
                if _state(zone, middle) == _state(zone, low):
                    low = middle
                else:
                    high = middle
            high = high.replace(microsecond=0)
            offset_to, name, daylight = _state(zone, high)
            offset_from = _state(zone, high - datetime.timedelta(seconds=1))[0]
            changes.append(Change(high, offset_from, offset_to, name, daylight))
        moment = following
    return initial, changes


def vtimezone(name: str, first: datetime.date, last: datetime.date) -> Timezone:
    """The VTIMEZONE for `name`, correct for every date from `first` to `last`."""
    zone = zoneinfo.ZoneInfo(name)
    initial, changes = clock_changes(zone, first, last)
    groups: dict[tuple, list[Change]] = {}
    for change in [initial, *changes]:
        key = (change.daylight, change.offset_from, change.offset_to, change.name)
        groups.setdefault(key, []).append(change)
    timezone = Timezone()
    timezone.add("tzid", name)
    for (daylight, offset_from, offset_to, tzname), group in groups.items():
        part = TimezoneDaylight() if daylight else TimezoneStandard()
        part.add("dtstart", group[0].onset)
        for change in group[1:]:
            # One property per date: see the module's docstring.
            part.add("rdate", change.onset)
        part.add("tzoffsetfrom", offset_from)
        part.add("tzoffsetto", offset_to)
        part.add("tzname", tzname)
        timezone.add_component(part)
    return timezone
