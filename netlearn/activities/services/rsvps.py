"""RSVPs with a waiting list, and the register of who came."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from netlearn.accounts.models import Person
from netlearn.core.policy import require

from .. import hooks, policy, selectors
from ..errors import ActivityCancelled, ActivityError, InvalidTimes, NotInvited, RsvpClosed
from ..models import Attendance, Audience, Invitation, Occurrence, Response, Rsvp
from .common import _now
from .scheduling import _invite


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
        raise ActivityCancelled(gettext("That date has been cancelled."))
    closes = rsvp_closes_at(occurrence)
    if _now() >= closes:
        local = closes.astimezone(activity.zone)
        raise RsvpClosed(
            gettext("RSVPs for this date closed at %(local)s.")
            % {"local": f"{local:%H:%M on %d %B %Y}"}
        )
    if response not in (Response.GOING, Response.NOT_GOING, Response.WAITING):
        raise ActivityError(gettext("Answer going or not going."))
    if not Invitation.objects.filter(activity=activity, person=person).exists():
        if activity.audience != Audience.NETWORK:
            raise NotInvited(gettext("You are not invited to this activity."))
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
        raise ActivityCancelled(
            gettext("That date has been cancelled: there is no register to take.")
        )
    if _now() < occurrence.starts_at:
        raise InvalidTimes(gettext("The register opens when the activity starts."))


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
        raise NotInvited(gettext("Only invited people are on the register; invite them first."))
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
    hooks.register_taken(occurrence=occurrence, by=by)
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
        raise NotInvited(
            gettext("%(person)s is not invited to this activity.") % {"person": person}
        )
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
    hooks.register_taken(occurrence=occurrence, by=by)
    return row
