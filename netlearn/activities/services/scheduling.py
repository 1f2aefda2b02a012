"""Scheduling activities: creating, changing, cancelling and moving them and their dates,
and inviting their audience."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from netlearn.accounts.models import Person
from netlearn.charter import selectors as charter_selectors
from netlearn.charter.models import LearningFocus
from netlearn.core.deferred import after_commit
from netlearn.core.policy import require
from netlearn.networks import selectors as network_selectors
from netlearn.networks.models import Group, Network, Role, School
from netlearn.notifications.models import NotificationKind

from .. import policy, selectors
from ..errors import (
    ActivityCancelled,
    ActivityError,
    AudienceOutsideNetwork,
    FocusNotInCharter,
    InvalidTimes,
    NotYoursToSchedule,
    PurposeRequired,
)
from ..links import clean_web_link
from ..models import VISIT_KINDS, Activity, Audience, Invitation, Occurrence, Payer
from ..recurrence import align_to_rule, localise, normalise_rule, occurrence_times, zone_for
from .common import _network_people, _now, _tell

EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
ACTIVITY_FIELDS = (
    "kind",
    "title",
    "description",
    "purpose",
    "learning_focus",
    "host_school",
    "place",
    "online_url",
    "starts_at",
    "ends_at",
    "time_zone",
    "all_day",
    "recurrence",
    "exception_dates",
    "audience",
    "capacity",
    "rsvp_closes_at",
    "cost",
    "paid_by",
    "paying_school",
)


def _check_may_schedule(by, network, values, groups, roles) -> None:
    refusal = policy.scheduling_refusal(
        by,
        network,
        kind=values["kind"],
        audience=values["audience"],
        groups=groups,
        roles=roles,
        host_school=values["host_school"],
    )
    if refusal:
        raise NotYoursToSchedule(refusal)


def _local_day(moment: datetime.datetime, zone) -> datetime.date:
    return moment.date() if moment.tzinfo is None else moment.astimezone(zone).date()


def _whole_days(values: dict, zone) -> None:
    """An all-day activity runs from local midnight of the start's day to the midnight after
    the end's day (RFC 5545: DTEND of a DATE is the day after the last)."""
    first_day = _local_day(values["starts_at"], zone)
    last_day = _local_day(values["ends_at"], zone)
    if last_day < first_day:
        raise InvalidTimes(_("The last day cannot come before the first."))
    values["starts_at"] = datetime.datetime.combine(first_day, datetime.time())
    values["ends_at"] = datetime.datetime.combine(
        last_day + datetime.timedelta(days=1), datetime.time()
    )


def _check_years(values: dict) -> None:
    moments = [values["starts_at"], values["ends_at"], values.get("rsvp_closes_at")]
    if any(moment and not EARLIEST_YEAR <= moment.year <= LATEST_YEAR for moment in moments):
        raise InvalidTimes(
            _("Give dates between %(EARLIEST_YEAR)s and %(LATEST_YEAR)s.")
            % {"EARLIEST_YEAR": EARLIEST_YEAR, "LATEST_YEAR": LATEST_YEAR}
        )


def _clean_schedule(values: dict, network: Network) -> list[tuple]:
    """Checks an activity's fields; returns its occurrence times. Changes nothing."""
    if not values.get("title", "").strip():
        raise ActivityError(_("Give the activity a title."))
    values["online_url"] = clean_web_link(values.get("online_url"))
    zone = zone_for(values["time_zone"])
    if values.get("all_day"):
        _whole_days(values, zone)
    # Checked before moving to UTC as well as after: year 1 at +01:00 has no UTC time at all.
    _check_years(values)
    values["starts_at"] = localise(values["starts_at"], zone)
    values["ends_at"] = localise(values["ends_at"], zone)
    _check_years(values)
    if values["ends_at"] <= values["starts_at"]:
        raise InvalidTimes(_("The activity must end after it starts."))
    if values["ends_at"] - values["starts_at"] > datetime.timedelta(days=14):
        raise InvalidTimes(_("One occurrence may last at most two weeks; make a series instead."))
    if values.get("rsvp_closes_at") is not None:
        values["rsvp_closes_at"] = localise(values["rsvp_closes_at"], zone)
        if values["rsvp_closes_at"] > values["starts_at"]:
            raise InvalidTimes(_("RSVPs must close before the activity starts."))
    if values["kind"] in VISIT_KINDS and not values.get("purpose", "").strip():
        # A walk or visit starts from its purpose (docs/seed-practices.md#activities).
        raise PurposeRequired(
            _("A learning walk or school visit needs a purpose: the question it is to answer.")
        )
    if values.get("capacity") is not None and values["capacity"] < 1:
        raise ActivityError(_("Capacity must be at least one person, or left empty."))
    if values.get("cost") is not None and values["cost"] < 0:
        raise ActivityError(_("A cost cannot be negative."))
    member_ids = set(selectors.schools_of_network(network=network).values_list("pk", flat=True))
    for field in ("host_school", "paying_school"):
        school = values.get(field)
        if school is not None and school.pk not in member_ids:
            raise AudienceOutsideNetwork(
                _("%(school)s is not a school of %(network)s.")
                % {"school": school, "network": network}
            )
    if values.get("paid_by") == Payer.SCHOOL and values.get("paying_school") is None:
        raise ActivityError(_("Say which school pays."))
    if values.get("paid_by") != Payer.SCHOOL:
        values["paying_school"] = None
    values["recurrence"] = normalise_rule(values.get("recurrence") or "")
    if not values["recurrence"]:
        values["exception_dates"] = []
    values["starts_at"], values["ends_at"] = align_to_rule(
        starts_at=values["starts_at"],
        ends_at=values["ends_at"],
        time_zone=values["time_zone"],
        rule=values["recurrence"],
    )
    return occurrence_times(
        starts_at=values["starts_at"],
        ends_at=values["ends_at"],
        time_zone=values["time_zone"],
        rule=values["recurrence"],
        exception_dates=values.get("exception_dates") or [],
    )


def _clean_learning_focus(
    focus: LearningFocus | None, network: Network, *, kept_id: int | None = None
) -> None:
    """The focus must be one the network's charter still holds. Changes nothing.

    `kept_id`: the focus the activity already serves, which it keeps even once dropped, so that
    a dropped focus does not stop the rest of the activity being edited.
    """
    if focus is None or focus.pk == kept_id:
        return
    # Read afresh: the caller's copy may predate a drop.
    row = charter_selectors.focus_standing(focus_id=focus.pk)
    if row is None or row["charter__network_id"] != network.pk:
        # Never the focus's title: it is another network's.
        raise FocusNotInCharter(
            _("That learning focus is not in the charter of %(network)s.") % {"network": network}
        )
    if row["dropped_at"] is not None:
        raise FocusNotInCharter(
            _("“%(title)s” has been dropped from the charter: choose a focus it still holds.")
            % {"title": row["title"]}
        )


def _clean_audience(network: Network, groups, roles, people) -> tuple[list, list, list]:
    groups, roles, people = list(groups or []), list(roles or []), list(people or [])
    if any(group.network_id != network.pk for group in groups):
        raise AudienceOutsideNetwork(_("Invite groups of this network only."))
    if any(role not in Role.values for role in roles):
        raise ActivityError(_("That is not a role of the network."))
    if people:
        inside = set(
            _network_people(network)
            .filter(pk__in=[person.pk for person in people])
            .values_list("pk", flat=True)
        )
        outsiders = [person for person in people if person.pk not in inside]
        if outsiders:
            raise AudienceOutsideNetwork(
                _("%(value)s is not in %(network)s.") % {"value": outsiders[0], "network": network}
            )
    return groups, roles, people


def _audience_ids(activity: Activity, people=()) -> set[int]:
    network = activity.network
    everyone = _network_people(network)
    if activity.audience == Audience.NETWORK:
        return set(everyone.values_list("pk", flat=True)) | {activity.organiser_id}
    groups = activity.audience_groups.all()
    chosen = Q(group_memberships__group__in=groups)
    chosen |= Q(pk__in=network_selectors.staff_ids_in_groups(groups=groups))
    if activity.audience_roles:
        chosen |= Q(
            pk__in=network_selectors.role_holder_ids(
                network_id=network.pk, roles=activity.audience_roles
            )
        )
    ids = set(everyone.filter(chosen).values_list("pk", flat=True))
    return ids | {person.pk for person in people} | {activity.organiser_id}


def _invite(activity: Activity, person_ids: set[int]) -> list[int]:
    """Invites those not invited yet; returns their ids."""
    already = set(activity.invitations.values_list("person_id", flat=True))
    new_ids = sorted(person_ids - already)
    schools = selectors.home_schools(network=activity.network, person_ids=new_ids)
    # Two answers from one person to two dates of a series may both invite them; the second
    # finds the row there (invitation_once) and is not an error.
    Invitation.objects.bulk_create(
        (
            Invitation(activity=activity, person_id=person_id, school_id=schools.get(person_id))
            for person_id in new_ids
        ),
        ignore_conflicts=True,
    )
    return new_ids


def _materialise(
    activity: Activity, times: list[tuple], *, length: datetime.timedelta | None = None
) -> None:
    """Makes the stored occurrences match the rule's dates, keeping the RSVPs of dates that stay.

    A date the rule still gives keeps its row, and keeps its own time if it was moved alone
    (`length`: the series' length before this change); a date the rule moved takes over a row
    whose date the rule no longer gives (in order); rows left over are deleted with their RSVPs.
    """
    existing = {occurrence.original_start: occurrence for occurrence in activity.occurrences.all()}
    wanted = {start: end for start, end in times}
    for start in set(existing) & set(wanted):
        occurrence = existing[start]
        moved_alone = occurrence.starts_at != start or (
            length is not None and occurrence.ends_at - occurrence.starts_at != length
        )
        if moved_alone and activity.recurrence:
            continue
        if occurrence.starts_at != start or occurrence.ends_at != wanted[start]:
            occurrence.starts_at, occurrence.ends_at = start, wanted[start]
            occurrence.save(update_fields=["starts_at", "ends_at"])
    spare = [existing[start] for start in sorted(set(existing) - set(wanted))]
    new = sorted(set(wanted) - set(existing))
    for occurrence, start in zip(spare, new, strict=False):
        occurrence.starts_at = occurrence.original_start = start
        occurrence.ends_at = wanted[start]
        occurrence.save(update_fields=["starts_at", "original_start", "ends_at"])
    Occurrence.objects.filter(pk__in=[occurrence.pk for occurrence in spare[len(new) :]]).delete()
    Occurrence.objects.bulk_create(
        Occurrence(activity=activity, starts_at=start, original_start=start, ends_at=wanted[start])
        for start in new[len(spare) :]
    )


@transaction.atomic
def create_activity(
    *,
    network: Network,
    by: Person,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    kind: str = "learning_meeting",
    time_zone: str | None = None,
    all_day: bool = False,
    description: str = "",
    purpose: str = "",
    learning_focus: LearningFocus | None = None,
    host_school: School | None = None,
    place: str = "",
    online_url: str = "",
    recurrence: str = "",
    exception_dates: Iterable[str] = (),
    audience: str = Audience.NETWORK,
    groups: Iterable[Group] = (),
    roles: Iterable[str] = (),
    people: Iterable[Person] = (),
    capacity: int | None = None,
    rsvp_closes_at: datetime.datetime | None = None,
    cost: Decimal | None = None,
    paid_by: str = Payer.FREE,
    paying_school: School | None = None,
    organiser: Person | None = None,
    notify: bool = True,
) -> Activity:
    """Schedules an activity, invites its audience and emails each invitee an .ics.

    Without a `time_zone`, the activity is in its network's zone.
    """
    arguments = dict(locals())
    require(policy.can_create_activity(by, network))
    arguments["time_zone"] = time_zone or selectors.time_zone_of(network=network)
    values = {name: arguments[name] for name in ACTIVITY_FIELDS}
    values["exception_dates"] = list(exception_dates)
    times = _clean_schedule(values, network)
    _clean_learning_focus(learning_focus, network)
    groups, roles, people = _clean_audience(network, groups, roles, people)
    _check_may_schedule(by, network, values, groups, roles)
    if audience == Audience.SELECTED and not (groups or roles or people):
        raise ActivityError(_("Choose who is invited: groups, roles or people."))
    activity = Activity.objects.create(
        network=network, organiser=organiser or by, audience_roles=roles, **values
    )
    activity.audience_groups.set(groups)
    _materialise(activity, times)
    invited = _invite(activity, _audience_ids(activity, people))
    if notify:
        after_commit("netlearn.activities.tasks.send_invitations", activity.pk, invited)
        _tell_invited(activity, invited, by=by)
    return activity


def _tell_invited(activity: Activity, person_ids, *, by) -> None:
    _tell(
        person_ids,
        kind=NotificationKind.INVITATION,
        text=f"You are invited to {activity.title} ({activity.network})",
        url=activity.get_absolute_url(),
        by=by,
    )


def _tell_changed(activity: Activity, what: str, *, by, person_ids=None) -> None:
    """Tells everyone invited (or `person_ids`) that the activity changed."""
    if person_ids is None:
        person_ids = activity.invitations.values("person_id")
    _tell(
        person_ids,
        kind=NotificationKind.ACTIVITY_CHANGED,
        text=f"{activity.title} ({activity.network}): {what}",
        url=activity.get_absolute_url(),
        by=by,
    )


# What invitees are told about when it changes: when and where it happens, and what it is.
TOLD_FIELDS = ("title", "starts_at", "ends_at", "place", "online_url", "recurrence")


@transaction.atomic
def update_activity(
    *,
    activity: Activity,
    by: Person,
    groups: Iterable[Group] | None = None,
    roles: Iterable[str] | None = None,
    people: Iterable[Person] = (),
    notify: bool = True,
    **changes,
) -> Activity:
    """Changes an activity; raises SEQUENCE so calendars replace their copy. Newly included
    people are invited; nobody is uninvited."""
    require(policy.can_manage_activity(by, activity))
    if activity.is_cancelled:
        raise ActivityCancelled(_("A cancelled activity cannot be changed."))
    unknown = set(changes) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"update_activity() got unexpected fields {sorted(unknown)}")
    values = {name: getattr(activity, name) for name in ACTIVITY_FIELDS}
    if activity.all_day:
        # Kept days stay the same days: the stored end is the midnight after the last one.
        values["starts_at"] = activity.local_start.replace(tzinfo=None)
        values["ends_at"] = datetime.datetime.combine(activity.last_day, datetime.time())
    values.update(changes)
    values["exception_dates"] = list(values.get("exception_dates") or [])
    times = _clean_schedule(values, activity.network)
    _clean_learning_focus(
        values["learning_focus"], activity.network, kept_id=activity.learning_focus_id
    )
    groups, roles, people = _clean_audience(
        activity.network,
        activity.audience_groups.all() if groups is None else groups,
        activity.audience_roles if roles is None else roles,
        people,
    )
    # An organiser who is not a co-leader may not widen what they were allowed to schedule.
    if (
        any(values[name] != getattr(activity, name) for name in ("kind", "audience", "host_school"))
        or set(groups) != set(activity.audience_groups.all())
        or roles != activity.audience_roles
    ):
        _check_may_schedule(by, activity.network, values, groups, roles)
    if values["audience"] == Audience.SELECTED and not (
        groups or roles or people or activity.invitations.exists()
    ):
        raise ActivityError(_("Choose who is invited: groups, roles or people."))
    length = activity.ends_at - activity.starts_at
    before = {name: getattr(activity, name) for name in TOLD_FIELDS}
    already_invited = set(activity.invitations.values_list("person_id", flat=True))
    for name, value in values.items():
        setattr(activity, name, value)
    activity.audience_roles = roles
    activity.sequence += 1
    activity.save()
    activity.audience_groups.set(groups)
    _materialise(activity, times, length=length)
    invited = _invite(activity, _audience_ids(activity, people))
    if notify and invited:
        after_commit("netlearn.activities.tasks.send_invitations", activity.pk, invited)
        _tell_invited(activity, invited, by=by)
    if notify and any(getattr(activity, name) != value for name, value in before.items()):
        _tell_changed(
            activity, "its time, place or title changed", by=by, person_ids=already_invited
        )
    return activity


@transaction.atomic
def cancel_activity(*, activity: Activity, by: Person, notify: bool = True) -> Activity:
    require(policy.can_manage_activity(by, activity))
    if activity.is_cancelled:
        raise ActivityCancelled(_("The activity is already cancelled."))
    activity.cancelled_at = _now()
    activity.sequence += 1
    activity.save(update_fields=["cancelled_at", "sequence", "updated_at"])
    if notify:
        after_commit("netlearn.activities.tasks.send_cancellation", activity.pk)
        _tell_changed(activity, "cancelled", by=by)
    return activity


@transaction.atomic
def cancel_occurrence(*, occurrence: Occurrence, by: Person) -> Occurrence:
    """Cancels one date of a series (a calendar shows it struck out); a one-off's only date
    cancels the activity."""
    activity = occurrence.activity
    require(policy.can_manage_activity(by, activity))
    if activity.is_cancelled or occurrence.is_cancelled:
        raise ActivityCancelled(_("That date is already cancelled."))
    if not activity.recurrence:
        cancel_activity(activity=activity, by=by)
    occurrence.cancelled_at = _now()
    occurrence.save(update_fields=["cancelled_at"])
    if activity.recurrence:
        activity.sequence += 1
        activity.save(update_fields=["sequence", "updated_at"])
        local = occurrence.starts_at.astimezone(activity.zone)
        _tell_changed(activity, f"the date of {local:%-d %B %Y} is cancelled", by=by)
    return occurrence


@transaction.atomic
def move_occurrence(
    *,
    occurrence: Occurrence,
    by: Person,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
) -> Occurrence:
    """Moves one date of a series to another time (wall-clock times in the activity's zone);
    its RSVPs stay, and calendars keep the date the rule gave as its RECURRENCE-ID. Moving a
    one-off's only date moves the activity."""
    activity = occurrence.activity
    require(policy.can_manage_activity(by, activity))
    if activity.is_cancelled or occurrence.is_cancelled:
        raise ActivityCancelled(_("A cancelled date cannot be moved."))
    if not activity.recurrence:
        update_activity(activity=activity, by=by, starts_at=starts_at, ends_at=ends_at)
        return activity.occurrences.get()
    zone = activity.zone
    values = {"starts_at": starts_at, "ends_at": ends_at}
    if activity.all_day:
        _whole_days(values, zone)
    start, end = localise(values["starts_at"], zone), localise(values["ends_at"], zone)
    if not all(EARLIEST_YEAR <= moment.year <= LATEST_YEAR for moment in (start, end)):
        raise InvalidTimes(
            _("Give dates between %(EARLIEST_YEAR)s and %(LATEST_YEAR)s.")
            % {"EARLIEST_YEAR": EARLIEST_YEAR, "LATEST_YEAR": LATEST_YEAR}
        )
    if end <= start:
        raise InvalidTimes(_("The date must end after it starts."))
    if end - start > datetime.timedelta(days=14):
        raise InvalidTimes(_("One date may last at most two weeks."))
    occurrence.starts_at, occurrence.ends_at = start, end
    occurrence.save(update_fields=["starts_at", "ends_at"])
    activity.sequence += 1
    activity.save(update_fields=["sequence", "updated_at"])
    local = start.astimezone(zone)
    _tell_changed(activity, f"one date moved to {local:%H:%M on %-d %B %Y}", by=by)
    return occurrence
