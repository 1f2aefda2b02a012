"""Dates of a recurring activity: an RRULE read in the activity's own wall-clock time.

A weekly meeting at 16:00 in Europe/London is at 16:00 local time on both sides of the clocks
changing, so its UTC time moves by an hour: the rule is expanded in local time and each date is
converted to UTC afterwards (RFC 5545 §3.3.10, DTSTART with TZID).

A wall-clock time the rule gives on the night the clocks change is read as RFC 5545 §3.3.5 says,
so that every calendar reading the feed agrees with the stored dates: a time in the spring-forward
gap takes the offset from before the gap (02:30 becomes 03:30), and a time that happens twice is
the first of the two. Python's `fold=0` is exactly that rule.
"""

import datetime
import itertools
import re
import zoneinfo

from dateutil import rrule
from django.utils.translation import gettext as _

from .errors import InvalidRecurrence, InvalidTimes

# A rule may give at most this many dates; longer series are split by the organiser.
MAX_OCCURRENCES = 120
ALLOWED_FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
RULE_SHAPE = re.compile(r"^[A-Z]+=[A-Z0-9,+\-]+(;[A-Z]+=[A-Z0-9,+\-]+)*$")


def zone_for(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise InvalidRecurrence(
            _("%(name)s is not a time zone we know.") % {"name": name}
        ) from error


def skipped_by_clock_change(local: datetime.datetime, zone: zoneinfo.ZoneInfo) -> bool:
    """Whether a naive wall-clock time falls in the hour the clocks skip in `zone`."""
    there_and_back = local.replace(tzinfo=zone).astimezone(datetime.UTC).astimezone(zone)
    return there_and_back.replace(tzinfo=None) != local


def clock_change_gap(
    local: datetime.datetime, zone: zoneinfo.ZoneInfo
) -> tuple[datetime.datetime, datetime.datetime]:
    """For a time the clocks skip: the wall-clock times they jump from and to that night."""
    before = local.replace(tzinfo=zone, fold=0).utcoffset()
    after = local.replace(tzinfo=zone, fold=1).utcoffset()
    # Read with the later offset it is an instant before the change; with the earlier, after it.
    low = local.replace(tzinfo=datetime.UTC) - after
    high = local.replace(tzinfo=datetime.UTC) - before
    while high - low > datetime.timedelta(minutes=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == before:
            low = middle
        else:
            high = middle
    change = high.replace(second=0, microsecond=0)
    if change.astimezone(zone).utcoffset() == before:
        change += datetime.timedelta(minutes=1)
    return (change + before).replace(tzinfo=None), (change + after).replace(tzinfo=None)


def localise(moment: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """A naive wall-clock time someone typed, in `zone`, as an aware UTC datetime; an aware one
    is kept. A time the clocks skip that night is refused, naming the date and the change; a time
    that happens twice is the first of the two (RFC 5545 §3.3.5)."""
    if moment.tzinfo is not None:
        return moment.astimezone(datetime.UTC)
    if skipped_by_clock_change(moment, zone):
        jump_from, jump_to = clock_change_gap(moment, zone)
        raise InvalidTimes(
            _(
                "%(moment)s does not exist on %(moment2)s %(day)s %(moment3)s in %(key)s: the "
                "clocks go forward from %(jump_from)s to %(jump_to)s that night. Choose another "
                "time."
            )
            % {
                "moment": f"{moment:%H:%M}",
                "moment2": f"{moment:%A}",
                "day": moment.day,
                "moment3": f"{moment:%B %Y}",
                "key": zone.key,
                "jump_from": f"{jump_from:%H:%M}",
                "jump_to": f"{jump_to:%H:%M}",
            }
        )
    return moment.replace(tzinfo=zone).astimezone(datetime.UTC)


def span_at(
    local: datetime.datetime, wall_length: datetime.timedelta, zone: zoneinfo.ZoneInfo
) -> tuple[datetime.datetime, datetime.datetime]:
    """(start, end) in UTC of a date the rule gives at naive wall-clock `local`.

    A start the clocks skip moves forward with its whole length, as calendars move it.
    """
    start = local.replace(tzinfo=zone).astimezone(datetime.UTC)
    if skipped_by_clock_change(local, zone):
        return start, start + wall_length
    end = (local + wall_length).replace(tzinfo=zone).astimezone(datetime.UTC)
    return start, max(end, start + datetime.timedelta(minutes=1))


def normalise_rule(rule: str) -> str:
    rule = rule.strip().upper()
    if rule.startswith("RRULE:"):
        rule = rule[len("RRULE:") :]
    return rule


def parse_rule(rule: str, *, local_start: datetime.datetime) -> rrule.rrule:
    """The rule as dateutil reads it, starting at the naive local start. Refuses odd rules."""
    rule = normalise_rule(rule)
    if not RULE_SHAPE.match(rule):
        raise InvalidRecurrence(_("Write the repeat rule like FREQ=WEEKLY;COUNT=10."))
    parts = dict(part.split("=", 1) for part in rule.split(";"))
    if parts.get("FREQ") not in ALLOWED_FREQUENCIES:
        raise InvalidRecurrence(_("An activity repeats daily, weekly, monthly or yearly."))
    if "COUNT" not in parts and "UNTIL" not in parts:
        raise InvalidRecurrence(_("Say when the series ends: add COUNT=… or UNTIL=…."))
    if "UNTIL" in parts and parts["UNTIL"].endswith("Z"):
        # A naive DTSTART takes a naive UNTIL; the activity's own zone is meant.
        rule = rule.replace(parts["UNTIL"], parts["UNTIL"][:-1])
    try:
        return rrule.rrulestr(rule, dtstart=local_start)
    except (ValueError, TypeError) as error:
        raise InvalidRecurrence(
            _("The repeat rule cannot be read: %(error)s.") % {"error": error}
        ) from error


def occurrence_times(
    *,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    time_zone: str,
    rule: str = "",
    exception_dates: list[str] | tuple[str, ...] = (),
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """(start, end) of every occurrence in UTC, skipping the exception dates (local dates)."""
    zone = zone_for(time_zone)
    utc = datetime.UTC
    if not rule:
        return [(starts_at.astimezone(utc), ends_at.astimezone(utc))]
    local_start = starts_at.astimezone(zone).replace(tzinfo=None)
    wall_length = ends_at.astimezone(zone).replace(tzinfo=None) - local_start
    skipped = {datetime.date.fromisoformat(day) for day in exception_dates}
    dates = list(itertools.islice(parse_rule(rule, local_start=local_start), MAX_OCCURRENCES + 1))
    if len(dates) > MAX_OCCURRENCES:
        raise InvalidRecurrence(
            _("A series may have at most %(MAX_OCCURRENCES)s dates.")
            % {"MAX_OCCURRENCES": MAX_OCCURRENCES}
        )
    times = [span_at(local, wall_length, zone) for local in dates if local.date() not in skipped]
    if not times:
        raise InvalidRecurrence(_("The repeat rule and its exceptions leave no dates."))
    return times


def align_to_rule(
    *, starts_at: datetime.datetime, ends_at: datetime.datetime, time_zone: str, rule: str
) -> tuple[datetime.datetime, datetime.datetime]:
    """Moves a series' start to the rule's first date (RFC 5545: DTSTART is the first
    occurrence), keeping the wall-clock times and length."""
    if not rule:
        return starts_at, ends_at
    zone = zone_for(time_zone)
    local_start = starts_at.astimezone(zone).replace(tzinfo=None)
    wall_length = ends_at.astimezone(zone).replace(tzinfo=None) - local_start
    first = next(iter(parse_rule(rule, local_start=local_start)), None)
    if first is None:
        raise InvalidRecurrence(_("The repeat rule gives no dates."))
    return span_at(first, wall_length, zone)


# The repeats most networks need, picked from a list rather than typed as an RRULE.
REPEATS = (
    ("weekly", "Every week"),
    ("fortnightly", "Every fortnight"),
    ("monthly", "Every month on the same weekday (e.g. the second Wednesday)"),
)
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def rule_for(
    repeat: str,
    *,
    local_start: datetime.datetime,
    count: int | None = None,
    until: datetime.date | None = None,
) -> str:
    """The RRULE for a picked repeat, starting at the naive `local_start`: `count` dates, or
    dates up to and including the day `until`."""
    if (count is None) == (until is None):
        raise InvalidRecurrence(
            _("Say when the series ends: after a number of dates, or on a day.")
        )
    if count is not None and not 1 <= count <= MAX_OCCURRENCES:
        raise InvalidRecurrence(
            _("A series has between 1 and %(MAX_OCCURRENCES)s dates.")
            % {"MAX_OCCURRENCES": MAX_OCCURRENCES}
        )
    if until is not None and until < local_start.date():
        raise InvalidRecurrence(_("The series cannot end before its first date."))
    weekday = WEEKDAY_CODES[local_start.weekday()]
    if repeat == "weekly":
        parts = ["FREQ=WEEKLY"]
    elif repeat == "fortnightly":
        parts = ["FREQ=WEEKLY", "INTERVAL=2"]
    elif repeat == "monthly":
        nth = (local_start.day - 1) // 7 + 1
        # A fifth Wednesday is not in every month: the last one is what people mean.
        parts = ["FREQ=MONTHLY", f"BYDAY={-1 if nth == 5 else nth}{weekday}"]
    else:
        raise InvalidRecurrence(_("Choose how the activity repeats."))
    if count is not None:
        parts.append(f"COUNT={count}")
    else:
        parts.append(f"UNTIL={until:%Y%m%d}T235959")
    return ";".join(parts)


def parse_exception_dates(text: str) -> list[str]:
    """'2025-02-17, 2025-04-07' → ['2025-02-17', '2025-04-07']; refuses anything else."""
    days = []
    for piece in re.split(r"[\s,]+", text.strip()):
        if not piece:
            continue
        try:
            days.append(datetime.date.fromisoformat(piece).isoformat())
        except ValueError as error:
            raise InvalidRecurrence(
                _("%(piece)s is not a date like 2025-02-17.") % {"piece": piece}
            ) from error
    return sorted(set(days))
