"""Writes to activities, RSVPs, registers, feedback, notes, actions and release time.

Each service checks the policy itself, runs in one transaction, refuses bad input with a domain
error from `errors.py` before changing anything, and sends email only once the change commits.
"""

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from netlearn.accounts import selectors as account_selectors
from netlearn.accounts.models import Person
from netlearn.charter import selectors as charter_selectors
from netlearn.charter.models import LearningFocus
from netlearn.core.deferred import after_commit
from netlearn.core.policy import require
from netlearn.networks import selectors as network_selectors
from netlearn.networks.models import Group, Network, Role, School

from . import ical, policy, selectors
from .errors import (
    ActivityCancelled,
    ActivityError,
    AlreadyDecided,
    AudienceOutsideNetwork,
    FeedbackTooEarly,
    FocusNotInCharter,
    InvalidTimes,
    NotInvited,
    NotYoursToSchedule,
    PurposeRequired,
    RsvpClosed,
)
from .links import clean_web_link
from .models import (
    VISIT_KINDS,
    Action,
    ActionStatus,
    Activity,
    ActivitySettings,
    Attendance,
    Audience,
    FeedToken,
    Invitation,
    Note,
    Occurrence,
    Payer,
    ReleaseRequest,
    ReleaseStatus,
    Response,
    Rsvp,
    VisitFeedback,
)
from .recurrence import align_to_rule, localise, normalise_rule, occurrence_times, zone_for

FEED_TOKEN_PREFIX = "cal_"
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


def _now() -> datetime.datetime:
    return timezone.now()


def _network_people(network: Network):
    return network_selectors.people_of_network(network=network)


# Activities ---------------------------------------------------------------------------------


def _local_day(moment: datetime.datetime, zone) -> datetime.date:
    return moment.date() if moment.tzinfo is None else moment.astimezone(zone).date()


def _whole_days(values: dict, zone) -> None:
    """An all-day activity runs from local midnight of the start's day to the midnight after
    the end's day (RFC 5545: DTEND of a DATE is the day after the last)."""
    first_day = _local_day(values["starts_at"], zone)
    last_day = _local_day(values["ends_at"], zone)
    if last_day < first_day:
        raise InvalidTimes("The last day cannot come before the first.")
    values["starts_at"] = datetime.datetime.combine(first_day, datetime.time())
    values["ends_at"] = datetime.datetime.combine(
        last_day + datetime.timedelta(days=1), datetime.time()
    )


def _clean_schedule(values: dict, network: Network) -> list[tuple]:
    """Checks an activity's fields; returns its occurrence times. Changes nothing."""
    if not values.get("title", "").strip():
        raise ActivityError("Give the activity a title.")
    values["online_url"] = clean_web_link(values.get("online_url"))
    zone = zone_for(values["time_zone"])
    if values.get("all_day"):
        _whole_days(values, zone)
    values["starts_at"] = localise(values["starts_at"], zone)
    values["ends_at"] = localise(values["ends_at"], zone)
    moments = [values["starts_at"], values["ends_at"], values.get("rsvp_closes_at")]
    if any(moment and not EARLIEST_YEAR <= moment.year <= LATEST_YEAR for moment in moments):
        raise InvalidTimes(f"Give dates between {EARLIEST_YEAR} and {LATEST_YEAR}.")
    if values["ends_at"] <= values["starts_at"]:
        raise InvalidTimes("The activity must end after it starts.")
    if values["ends_at"] - values["starts_at"] > datetime.timedelta(days=14):
        raise InvalidTimes("One occurrence may last at most two weeks; make a series instead.")
    if values.get("rsvp_closes_at") is not None:
        values["rsvp_closes_at"] = localise(values["rsvp_closes_at"], zone)
        if values["rsvp_closes_at"] > values["starts_at"]:
            raise InvalidTimes("RSVPs must close before the activity starts.")
    if values["kind"] in VISIT_KINDS and not values.get("purpose", "").strip():
        # A walk or visit starts from its purpose (docs/seed-practices.md#activities).
        raise PurposeRequired(
            "A learning walk or school visit needs a purpose: the question it is to answer."
        )
    if values.get("capacity") is not None and values["capacity"] < 1:
        raise ActivityError("Capacity must be at least one person, or left empty.")
    if values.get("cost") is not None and values["cost"] < 0:
        raise ActivityError("A cost cannot be negative.")
    member_ids = set(selectors.schools_of_network(network=network).values_list("pk", flat=True))
    for field in ("host_school", "paying_school"):
        school = values.get(field)
        if school is not None and school.pk not in member_ids:
            raise AudienceOutsideNetwork(f"{school} is not a school of {network}.")
    if values.get("paid_by") == Payer.SCHOOL and values.get("paying_school") is None:
        raise ActivityError("Say which school pays.")
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
        raise FocusNotInCharter(f"That learning focus is not in the charter of {network}.")
    if row["dropped_at"] is not None:
        raise FocusNotInCharter(
            f"“{row['title']}” has been dropped from the charter: choose a focus it still holds."
        )


def _clean_audience(network: Network, groups, roles, people) -> tuple[list, list, list]:
    groups, roles, people = list(groups or []), list(roles or []), list(people or [])
    if any(group.network_id != network.pk for group in groups):
        raise AudienceOutsideNetwork("Invite groups of this network only.")
    if any(role not in Role.values for role in roles):
        raise ActivityError("That is not a role of the network.")
    if people:
        inside = set(
            _network_people(network)
            .filter(pk__in=[person.pk for person in people])
            .values_list("pk", flat=True)
        )
        outsiders = [person for person in people if person.pk not in inside]
        if outsiders:
            raise AudienceOutsideNetwork(f"{outsiders[0]} is not in {network}.")
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
        raise ActivityError("Choose who is invited: groups, roles or people.")
    activity = Activity.objects.create(
        network=network, organiser=organiser or by, audience_roles=roles, **values
    )
    activity.audience_groups.set(groups)
    _materialise(activity, times)
    invited = _invite(activity, _audience_ids(activity, people))
    if notify:
        after_commit("netlearn.activities.tasks.send_invitations", activity.pk, invited)
    return activity


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
        raise ActivityCancelled("A cancelled activity cannot be changed.")
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
        raise ActivityError("Choose who is invited: groups, roles or people.")
    length = activity.ends_at - activity.starts_at
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
    return activity


@transaction.atomic
def cancel_activity(*, activity: Activity, by: Person, notify: bool = True) -> Activity:
    require(policy.can_manage_activity(by, activity))
    if activity.is_cancelled:
        raise ActivityCancelled("The activity is already cancelled.")
    activity.cancelled_at = _now()
    activity.sequence += 1
    activity.save(update_fields=["cancelled_at", "sequence", "updated_at"])
    if notify:
        after_commit("netlearn.activities.tasks.send_cancellation", activity.pk)
    return activity


@transaction.atomic
def cancel_occurrence(*, occurrence: Occurrence, by: Person) -> Occurrence:
    """Cancels one date of a series (a calendar shows it struck out); a one-off's only date
    cancels the activity."""
    activity = occurrence.activity
    require(policy.can_manage_activity(by, activity))
    if activity.is_cancelled or occurrence.is_cancelled:
        raise ActivityCancelled("That date is already cancelled.")
    if not activity.recurrence:
        cancel_activity(activity=activity, by=by)
    occurrence.cancelled_at = _now()
    occurrence.save(update_fields=["cancelled_at"])
    if activity.recurrence:
        activity.sequence += 1
        activity.save(update_fields=["sequence", "updated_at"])
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
        raise ActivityCancelled("A cancelled date cannot be moved.")
    if not activity.recurrence:
        update_activity(activity=activity, by=by, starts_at=starts_at, ends_at=ends_at)
        return activity.occurrences.get()
    zone = activity.zone
    values = {"starts_at": starts_at, "ends_at": ends_at}
    if activity.all_day:
        _whole_days(values, zone)
    start, end = localise(values["starts_at"], zone), localise(values["ends_at"], zone)
    if not all(EARLIEST_YEAR <= moment.year <= LATEST_YEAR for moment in (start, end)):
        raise InvalidTimes(f"Give dates between {EARLIEST_YEAR} and {LATEST_YEAR}.")
    if end <= start:
        raise InvalidTimes("The date must end after it starts.")
    if end - start > datetime.timedelta(days=14):
        raise InvalidTimes("One date may last at most two weeks.")
    occurrence.starts_at, occurrence.ends_at = start, end
    occurrence.save(update_fields=["starts_at", "ends_at"])
    activity.sequence += 1
    activity.save(update_fields=["sequence", "updated_at"])
    return occurrence


# RSVP and the register ----------------------------------------------------------------------


def rsvp_closes_at(occurrence: Occurrence) -> datetime.datetime:
    """When answers for this date close: the activity's closing time, kept the same distance
    before each date of a series, and never later than the start."""
    activity = occurrence.activity
    if activity.rsvp_closes_at is None:
        return occurrence.starts_at
    return occurrence.starts_at - (activity.starts_at - activity.rsvp_closes_at)


@transaction.atomic
def respond(*, occurrence: Occurrence, person: Person, response: str) -> Rsvp:
    """Records a person's answer. Going to a full date puts them on the waiting list; the first
    on the list takes a place someone gives up.

    Locks the occurrence row, so two people cannot take the last place at once.
    """
    activity = occurrence.activity
    require(policy.can_rsvp(person, selectors.as_seen_by(activity, person)))
    occurrence = _locked_occurrence(occurrence)
    if occurrence.is_cancelled:
        raise ActivityCancelled("That date has been cancelled.")
    closes = rsvp_closes_at(occurrence)
    if _now() >= closes:
        local = closes.astimezone(activity.zone)
        raise RsvpClosed(f"RSVPs for this date closed at {local:%H:%M on %d %B %Y}.")
    if response not in (Response.GOING, Response.NOT_GOING, Response.WAITING):
        raise ActivityError("Answer going or not going.")
    if not Invitation.objects.filter(activity=activity, person=person).exists():
        if activity.audience != Audience.NETWORK:
            raise NotInvited("You are not invited to this activity.")
        _invite(activity, {person.pk})
    rsvp = Rsvp.objects.filter(occurrence=occurrence, person=person).first()
    was_going = rsvp is not None and rsvp.response == Response.GOING
    if response in (Response.GOING, Response.WAITING):
        if was_going or (rsvp is not None and rsvp.response == Response.WAITING):
            return rsvp
        going = occurrence.rsvps.filter(response=Response.GOING).count()
        full = activity.capacity is not None and going >= activity.capacity
        response = Response.WAITING if full else Response.GOING
    if rsvp is None:
        rsvp = Rsvp.objects.create(occurrence=occurrence, person=person, response=response)
    else:
        rsvp.response, rsvp.responded_at = response, _now()
        rsvp.save(update_fields=["response", "responded_at"])
    if was_going and response == Response.NOT_GOING:
        _promote_from_waiting_list(occurrence)
    return rsvp


def _promote_from_waiting_list(occurrence: Occurrence) -> Rsvp | None:
    first = occurrence.rsvps.filter(response=Response.WAITING).order_by("responded_at", "pk")
    promoted = first.first()
    if promoted is not None:
        promoted.response = Response.GOING
        promoted.save(update_fields=["response"])
    return promoted


def waiting_position(rsvp: Rsvp) -> int | None:
    if rsvp.response != Response.WAITING:
        return None
    ahead = Rsvp.objects.filter(occurrence_id=rsvp.occurrence_id, response=Response.WAITING).filter(
        Q(responded_at__lt=rsvp.responded_at) | Q(responded_at=rsvp.responded_at, pk__lt=rsvp.pk)
    )
    return ahead.count() + 1


def _locked_occurrence(occurrence: Occurrence) -> Occurrence:
    locked = Occurrence.objects.select_for_update().get(pk=occurrence.pk)
    locked.activity = occurrence.activity
    return locked


def _check_register_open(occurrence: Occurrence) -> None:
    if occurrence.activity.is_cancelled or occurrence.is_cancelled:
        raise ActivityCancelled("That date has been cancelled: there is no register to take.")
    if _now() < occurrence.starts_at:
        raise InvalidTimes("The register opens when the activity starts.")


@transaction.atomic
def take_register(
    *, occurrence: Occurrence, by: Person, present_ids: Iterable[int]
) -> list[Attendance]:
    """Marks every invitee present or absent, with the school they came from.

    Locks the occurrence row: two people taking the register at once (attendance_once) take
    turns, and the second's marks stand, instead of both inserting the same rows.
    """
    activity = occurrence.activity
    require(policy.can_take_register(by, activity))
    occurrence = _locked_occurrence(occurrence)
    _check_register_open(occurrence)
    present_ids = set(present_ids)
    schools = dict(activity.invitations.values_list("person_id", "school_id"))
    if present_ids - set(schools):
        raise NotInvited("Only invited people are on the register; invite them first.")
    existing = {row.person_id: row for row in occurrence.attendances.all()}
    now = _now()
    changed, new = [], []
    for person_id, school_id in schools.items():
        present = person_id in present_ids
        row = existing.get(person_id)
        if row is None:
            new.append(
                Attendance(
                    occurrence=occurrence,
                    person_id=person_id,
                    school_id=school_id,
                    present=present,
                    recorded_by=by,
                    recorded_at=now,
                )
            )
        elif row.present != present:
            row.present, row.recorded_by, row.recorded_at = present, by, now
            changed.append(row)
    Attendance.objects.bulk_create(new)
    Attendance.objects.bulk_update(changed, ["present", "recorded_by", "recorded_at"])
    occurrence.register_taken_at = now
    occurrence.save(update_fields=["register_taken_at"])
    return list(occurrence.attendances.all())


@transaction.atomic
def record_attendance(
    *, occurrence: Occurrence, person: Person, present: bool, by: Person
) -> Attendance:
    """One line of the register. Locks the occurrence, as `take_register` does."""
    activity = occurrence.activity
    require(policy.can_take_register(by, activity))
    occurrence = _locked_occurrence(occurrence)
    _check_register_open(occurrence)
    invitation = Invitation.objects.filter(activity=activity, person=person).first()
    if invitation is None:
        raise NotInvited(f"{person} is not invited to this activity.")
    row, _ = Attendance.objects.update_or_create(
        occurrence=occurrence,
        person=person,
        defaults={
            "present": present,
            "school_id": invitation.school_id,
            "recorded_by": by,
            "recorded_at": _now(),
        },
    )
    occurrence.register_taken_at = _now()
    occurrence.save(update_fields=["register_taken_at"])
    return row


# Learning walks and visits ------------------------------------------------------------------


@transaction.atomic
def give_feedback(
    *,
    activity: Activity,
    by: Person,
    what_we_saw: str,
    what_we_learned: str,
    what_we_will_try: str,
    feedback_to_host: str,
) -> VisitFeedback:
    """A walk's feedback record (docs/seed-practices.md#activities), for the host school's lead."""
    require(policy.can_give_feedback(by, selectors.as_seen_by(activity, by)))
    if activity.is_cancelled:
        raise ActivityCancelled("The visit was cancelled.")
    if _now() < activity.starts_at:
        raise FeedbackTooEarly("Feedback is recorded after the visit has begun.")
    parts = [what_we_saw, what_we_learned, what_we_will_try, feedback_to_host]
    if not all(part.strip() for part in parts):
        raise ActivityError(
            "Fill in all four parts: what you saw, learned and will try, and the host's feedback."
        )
    school_id = selectors.home_schools(network=activity.network, person_ids=[by.pk]).get(by.pk)
    return VisitFeedback.objects.create(
        activity=activity,
        author=by,
        school_id=school_id,
        what_we_saw=what_we_saw.strip(),
        what_we_learned=what_we_learned.strip(),
        what_we_will_try=what_we_will_try.strip(),
        feedback_to_host=feedback_to_host.strip(),
    )


# Notes and actions --------------------------------------------------------------------------


@transaction.atomic
def post_note(*, activity: Activity, by: Person, body: str) -> Note:
    require(policy.can_post_note(by, selectors.as_seen_by(activity, by)))
    if not body.strip():
        raise ActivityError("Write the note before posting it.")
    return Note.objects.create(activity=activity, author=by, body=body.strip())


@transaction.atomic
def add_action(
    *,
    activity: Activity,
    by: Person,
    title: str,
    owner: Person,
    due: datetime.date | None = None,
) -> Action:
    require(policy.can_add_action(by, activity))
    if not title.strip():
        raise ActivityError("Say what the action is.")
    if not _network_people(activity.network).filter(pk=owner.pk).exists():
        raise AudienceOutsideNetwork(f"{owner} is not in {activity.network}.")
    return Action.objects.create(
        activity=activity, title=title.strip(), owner=owner, due=due, created_by=by
    )


@transaction.atomic
def set_action_status(*, action: Action, by: Person, status: str) -> Action:
    require(policy.can_update_action(by, action))
    if status not in ActionStatus.values:
        raise ActivityError("An action is open, done or dropped.")
    action.status = status
    action.save(update_fields=["status"])
    return action


# Release time -------------------------------------------------------------------------------


@transaction.atomic
def request_release(
    *, activity: Activity, by: Person, sessions: Decimal, reason: str = ""
) -> ReleaseRequest:
    require(policy.can_request_release(by, selectors.as_seen_by(activity, by)))
    if sessions is None or sessions <= 0 or sessions > 40:
        raise ActivityError("Ask for between half a session and 40 sessions of cover.")
    if sessions * 2 != int(sessions * 2):
        raise ActivityError("Cover is counted in half-day sessions: 0.5, 1, 1.5…")
    if ReleaseRequest.objects.filter(
        activity=activity, person=by, status=ReleaseStatus.REQUESTED
    ).exists():
        raise AlreadyDecided("You have already asked for cover for this activity.")
    school_id = selectors.home_schools(network=activity.network, person_ids=[by.pk]).get(by.pk)
    return ReleaseRequest.objects.create(
        activity=activity, person=by, school_id=school_id, sessions=sessions, reason=reason.strip()
    )


@transaction.atomic
def decide_release(
    *,
    release_request: ReleaseRequest,
    by: Person,
    approve: bool,
    amount: Decimal | None = None,
    note: str = "",
) -> ReleaseRequest:
    """A co-leader approves funding from the network budget, or declines; either is recorded."""
    require(policy.can_decide_release(by, release_request.activity.network_id))
    release_request = ReleaseRequest.objects.select_for_update().get(pk=release_request.pk)
    if release_request.status != ReleaseStatus.REQUESTED:
        raise AlreadyDecided("That request has already been decided.")
    if approve and (amount is None or amount < 0):
        raise ActivityError("Give the funding approved from the network budget (0 or more).")
    release_request.status = ReleaseStatus.APPROVED if approve else ReleaseStatus.DECLINED
    release_request.amount = amount if approve else None
    release_request.decided_by = by
    release_request.decided_at = _now()
    release_request.decision_note = note.strip()
    release_request.save()
    return release_request


# Settings -----------------------------------------------------------------------------------


@transaction.atomic
def set_attendance_commitment(*, network: Network, by: Person, percent: Decimal):
    require(policy.can_change_activity_settings(by, network))
    if percent is None or not 0 <= percent <= 100:
        raise ActivityError("The commitment is a percentage from 0 to 100.")
    settings_row, _ = ActivitySettings.objects.update_or_create(
        network=network, defaults={"attendance_commitment_percent": percent}
    )
    return settings_row


# Calendar feeds -----------------------------------------------------------------------------


def hash_feed_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_feed_token(*, person: Person) -> tuple[FeedToken, str]:
    """A new secret for the person's feed URLs; the old one stops working at once."""
    if person.is_pupil or not person.is_authenticated:
        raise PermissionDenied
    FeedToken.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=_now())
    secret = FEED_TOKEN_PREFIX + secrets.token_urlsafe(24)
    token = FeedToken.objects.create(
        person=person, prefix=secret[:10], token_hash=hash_feed_secret(secret)
    )
    return token, secret


@transaction.atomic
def revoke_feed_token(*, person: Person) -> int:
    return FeedToken.objects.filter(person=person, revoked_at__isnull=True).update(
        revoked_at=_now()
    )


# Email --------------------------------------------------------------------------------------


def _ics_for(activity: Activity, *, method: str) -> bytes:
    activity.dated_occurrences = list(activity.occurrences.all())
    return ical.calendar_for([activity], name=activity.title, method=method)


def _send(activity: Activity, people, *, subject: str, template: str, method: str) -> int:
    ics = _ics_for(activity, method=method)
    base_url = settings.SITE_URL.rstrip("/")
    messages = []
    for person in people:
        if not person.email:
            continue
        body = render_to_string(
            template, {"activity": activity, "person": person, "base_url": base_url}
        )
        message = EmailMessage(subject=subject, body=body, to=[person.email])
        message.attach("invite.ics", ics, f"text/calendar; method={method}; charset=utf-8")
        messages.append(message)
    return get_connection().send_messages(messages) or 0


def send_invitations(*, activity_id: int, person_ids: list[int]) -> int:
    """Emails each invitee the activity with an .ics to add to their calendar."""
    activity = Activity.objects.select_related("network", "host_school", "organiser").get(
        pk=activity_id
    )
    people = account_selectors.active_people(ids=person_ids)
    return _send(
        activity,
        people,
        subject=f"Invitation: {activity.title} ({activity.network.name})",
        template="activities/invitation_email.txt",
        method="REQUEST",
    )


def send_cancellation(*, activity_id: int) -> int:
    activity = Activity.objects.select_related("network", "host_school", "organiser").get(
        pk=activity_id
    )
    people = account_selectors.people().filter(
        activity_invitations__activity=activity, is_active=True
    )
    return _send(
        activity,
        people,
        subject=f"Cancelled: {activity.title} ({activity.network.name})",
        template="activities/cancellation_email.txt",
        method="CANCEL",
    )
