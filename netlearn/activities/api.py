"""The activities part of the JSON API: activities, their dates, RSVPs, registers, attendance.

Every read goes through a selector scoped to the viewer, so another network's activity answers
404 like a missing one; every write goes through a service, which checks the policy (403) and the
network's rules (400).
"""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from netlearn.core.api import Id, Pages, Text
from netlearn.networks import selectors as network_selectors
from netlearn.networks.models import Role

from . import policy, selectors, services
from .models import TIME_ZONES, ActionStatus, Audience, Kind, Payer, ReleaseStatus, Response

router = Router(tags=["activities"])
# Ids of rows: positive 64-bit integers, so a huge number answers 422, not a database error.
# The schema says http(s); the service's check (links.py) is the one that decides, for the form too.
WebLink = Annotated[str, Field(max_length=200, pattern=r"^(https?://[^\s\x00]+)?$")]
TimeZone = Literal[tuple(name for name, _ in TIME_ZONES)]  # type: ignore[valid-type]


def _viewer(request):
    return request.auth


# Schemas ------------------------------------------------------------------------------------


class Ref(Schema):
    id: int
    name: str


class ActivityOut(Schema):
    id: int
    network: str
    kind: Kind
    title: str
    description: str
    purpose: str
    learning_focus_id: int | None
    organiser: Ref
    host_school: Ref | None
    place: str
    online_url: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    time_zone: str
    all_day: bool
    local_start: datetime.datetime
    local_end: datetime.datetime
    recurrence: str
    exception_dates: list[datetime.date]
    audience: Audience
    capacity: int | None
    rsvp_closes_at: datetime.datetime | None
    cost: Decimal | None
    paid_by: Payer
    paying_school: Ref | None
    sequence: int
    cancelled: bool

    @staticmethod
    def resolve_network(activity) -> str:
        return activity.network.slug

    @staticmethod
    def resolve_cancelled(activity) -> bool:
        return activity.is_cancelled


class FeedbackOut(Schema):
    id: int
    author: Ref
    school: Ref | None
    what_we_saw: str
    what_we_learned: str
    what_we_will_try: str
    feedback_to_host: str
    created_at: datetime.datetime


class ActivityDetailOut(ActivityOut):
    can_manage: bool
    can_rsvp: bool
    invited: bool
    feedback: list[FeedbackOut]

    @staticmethod
    def resolve_feedback(activity) -> list:
        return activity.feedback_list

    @staticmethod
    def resolve_invited(activity) -> bool:
        return bool(getattr(activity, "viewer_invited", False))


class ActivityIn(Schema):
    title: Text = Field(..., min_length=1, max_length=200)
    kind: Kind = Kind.LEARNING_MEETING
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    # Empty: the network's own zone.
    time_zone: TimeZone | None = None
    # Whole days: the local dates of starts_at and ends_at are the first and last days.
    all_day: bool = False
    description: Text = Field("", max_length=10000)
    purpose: Text = Field("", max_length=5000)
    learning_focus_id: Id | None = None
    host_school_id: Id | None = None
    place: Text = Field("", max_length=200)
    online_url: WebLink = ""
    recurrence: Text = Field("", max_length=200)
    exception_dates: list[datetime.date] = Field([], max_length=200)
    audience: Audience = Audience.NETWORK
    group_ids: list[Id] = Field([], max_length=200)
    roles: list[Role] = Field([], max_length=20)
    person_ids: list[Id] = Field([], max_length=1000)
    capacity: int | None = Field(None, ge=1, le=100_000)
    rsvp_closes_at: datetime.datetime | None = None
    cost: Decimal | None = Field(None, ge=0, max_digits=9, decimal_places=2)
    paid_by: Payer = Payer.FREE
    paying_school_id: Id | None = None


class ActivityPatch(Schema):
    title: Text = Field(None, min_length=1, max_length=200)
    kind: Kind = None
    starts_at: datetime.datetime = None
    ends_at: datetime.datetime = None
    time_zone: TimeZone = None
    all_day: bool = None
    description: Text = Field(None, max_length=10000)
    purpose: Text = Field(None, max_length=5000)
    learning_focus_id: Id | None = None
    place: Text = Field(None, max_length=200)
    online_url: WebLink = None
    recurrence: Text = Field(None, max_length=200)
    capacity: int | None = Field(None, ge=1, le=100_000)
    rsvp_closes_at: datetime.datetime | None = None


class OccurrenceOut(Schema):
    id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    local_start: datetime.datetime
    cancelled: bool
    going: int
    waiting: int
    register_taken: bool

    @staticmethod
    def resolve_cancelled(occurrence) -> bool:
        return occurrence.is_cancelled

    @staticmethod
    def resolve_going(occurrence) -> int:
        return occurrence.going_count

    @staticmethod
    def resolve_waiting(occurrence) -> int:
        return occurrence.waiting_count

    @staticmethod
    def resolve_register_taken(occurrence) -> bool:
        return occurrence.register_taken_at is not None


class MoveIn(Schema):
    """New wall-clock times in the activity's zone (an offset, if given, is respected)."""

    starts_at: datetime.datetime
    ends_at: datetime.datetime


class RsvpIn(Schema):
    response: Literal["going", "not_going"]


class RsvpOut(Schema):
    response: Response
    waiting_list_position: int | None
    message: str


class AttendanceIn(Schema):
    person_id: Id
    present: bool


class AttendanceOut(Schema):
    id: int
    person: Ref
    school: Ref | None
    present: bool
    recorded_at: datetime.datetime


class RateOut(Schema):
    invited: int
    attended: int
    percent: Decimal | None


class SchoolAttendanceOut(Schema):
    school: Ref
    rate: RateOut
    below_commitment: bool


class PersonAttendanceOut(Schema):
    person: Ref
    school: Ref | None
    rate: RateOut


class AttendanceReportOut(Schema):
    start: datetime.date
    end: datetime.date
    threshold: Decimal
    meetings: int
    schools: list[SchoolAttendanceOut]
    people: list[PersonAttendanceOut]


class Period(Schema):
    start: datetime.date | None = Field(None, ge=datetime.date(2000, 1, 1))
    end: datetime.date | None = Field(None, le=datetime.date(2100, 1, 1))


class ActionOut(Schema):
    id: int
    title: str
    activity_id: int
    network: str
    owner: Ref
    due: datetime.date | None
    status: ActionStatus

    @staticmethod
    def resolve_network(action) -> str:
        return action.activity.network.slug


class ReleaseOut(Schema):
    id: int
    activity_id: int
    person: Ref
    school: Ref | None
    sessions: Decimal
    reason: str
    status: ReleaseStatus
    amount: Decimal | None
    decision_note: str
    requested_at: datetime.datetime


# Activities ---------------------------------------------------------------------------------


def _detail(request, activity):
    viewer = _viewer(request)
    activity.can_manage = policy.can_manage_activity(viewer, activity)
    activity.can_rsvp = policy.can_rsvp(viewer, activity)
    activity.feedback_list = (
        list(selectors.feedback_for(activity=activity, viewer=viewer)) if activity.is_visit else []
    )
    return activity


def _school(request, network, school_id):
    if school_id is None:
        return None
    return get_object_or_404(selectors.schools_of_network(network=network), pk=school_id)


def _focus(request, network, focus_id):
    """Another network's focus answers 404 like a missing one; a dropped one, the service's 400."""
    if focus_id is None:
        return None
    return selectors.focus_for(viewer=_viewer(request), network=network, focus_id=focus_id)


@router.get("/networks/{slug:slug}/activities", response=list[ActivityOut])
@paginate(Pages)
def list_activities(request, slug: str):
    network = network_selectors.network_for(viewer=_viewer(request), slug=slug)
    return selectors.activities_in_network(viewer=_viewer(request), network=network)


@router.post("/networks/{slug:slug}/activities", response={201: ActivityDetailOut})
def create_activity(request, slug: str, payload: ActivityIn):
    viewer = _viewer(request)
    network = network_selectors.network_for(viewer=viewer, slug=slug)
    people = selectors.people_of_network(network=network)
    values = payload.dict()
    groups = list(
        selectors.groups_of_network(network=network).filter(pk__in=values.pop("group_ids"))
    )
    person_ids = values.pop("person_ids")
    chosen = list(people.filter(pk__in=person_ids))
    if len(chosen) != len(set(person_ids)) or len(groups) != len(set(payload.group_ids)):
        raise Http404
    values["host_school"] = _school(request, network, values.pop("host_school_id"))
    values["paying_school"] = _school(request, network, values.pop("paying_school_id"))
    values["learning_focus"] = _focus(request, network, values.pop("learning_focus_id"))
    values["exception_dates"] = [day.isoformat() for day in values["exception_dates"]]
    activity = services.create_activity(
        network=network, by=viewer, groups=groups, people=chosen, **values
    )
    activity = selectors.activity_by_id(viewer=viewer, activity_id=activity.pk)
    return Status(201, _detail(request, activity))


@router.get("/activities/{activity_id}", response=ActivityDetailOut)
def get_activity(request, activity_id: int):
    activity = selectors.activity_by_id(viewer=_viewer(request), activity_id=activity_id)
    return _detail(request, activity)


@router.patch("/activities/{activity_id}", response=ActivityDetailOut)
def update_activity(request, activity_id: int, payload: ActivityPatch):
    viewer = _viewer(request)
    activity = selectors.activity_by_id(viewer=viewer, activity_id=activity_id)
    changes = payload.dict(exclude_unset=True)
    for name in ("title", "kind", "starts_at", "ends_at", "time_zone", "all_day"):
        if changes.get(name, "") is None:
            del changes[name]
    for name in ("description", "purpose", "place", "online_url", "recurrence"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    if "learning_focus_id" in changes:
        # null: the activity no longer serves a focus.
        changes["learning_focus"] = _focus(
            request, activity.network, changes.pop("learning_focus_id")
        )
    services.update_activity(activity=activity, by=viewer, **changes)
    return _detail(request, selectors.activity_by_id(viewer=viewer, activity_id=activity_id))


@router.post("/activities/{activity_id}/cancel", response=ActivityDetailOut)
def cancel_activity(request, activity_id: int):
    viewer = _viewer(request)
    activity = selectors.activity_by_id(viewer=viewer, activity_id=activity_id)
    services.cancel_activity(activity=activity, by=viewer)
    return _detail(request, selectors.activity_by_id(viewer=viewer, activity_id=activity_id))


@router.get("/activities/{activity_id}/occurrences", response=list[OccurrenceOut])
@paginate(Pages)
def list_occurrences(request, activity_id: int):
    activity = selectors.activity_by_id(viewer=_viewer(request), activity_id=activity_id)
    return selectors.occurrences_of(activity=activity).select_related("activity")


def _occurrence_out(activity, occurrence):
    """The date afresh, with its counts."""
    return selectors.occurrence_for(activity=activity, occurrence_id=occurrence.pk)


@router.post("/activities/{activity_id}/occurrences/{occurrence_id}/move", response=OccurrenceOut)
def move_occurrence(request, activity_id: int, occurrence_id: int, payload: MoveIn):
    viewer = _viewer(request)
    activity = selectors.activity_by_id(viewer=viewer, activity_id=activity_id)
    occurrence = selectors.occurrence_for(activity=activity, occurrence_id=occurrence_id)
    moved = services.move_occurrence(
        occurrence=occurrence, by=viewer, starts_at=payload.starts_at, ends_at=payload.ends_at
    )
    return _occurrence_out(activity, moved)


@router.post("/activities/{activity_id}/occurrences/{occurrence_id}/cancel", response=OccurrenceOut)
def cancel_occurrence(request, activity_id: int, occurrence_id: int):
    viewer = _viewer(request)
    activity = selectors.activity_by_id(viewer=viewer, activity_id=activity_id)
    occurrence = selectors.occurrence_for(activity=activity, occurrence_id=occurrence_id)
    services.cancel_occurrence(occurrence=occurrence, by=viewer)
    return _occurrence_out(activity, occurrence)


@router.post("/activities/{activity_id}/occurrences/{occurrence_id}/rsvp", response={200: RsvpOut})
def rsvp(request, activity_id: int, occurrence_id: int, payload: RsvpIn):
    viewer = _viewer(request)
    activity = selectors.activity_by_id(viewer=viewer, activity_id=activity_id)
    occurrence = selectors.occurrence_for(activity=activity, occurrence_id=occurrence_id)
    answer = services.respond(occurrence=occurrence, person=viewer, response=payload.response)
    position = services.waiting_position(answer)
    message = {
        Response.GOING: "You are going.",
        Response.NOT_GOING: "You are not going.",
        Response.WAITING: "The date is full: you are on the waiting list.",
    }[answer.response]
    return {"response": answer.response, "waiting_list_position": position, "message": message}


@router.get(
    "/activities/{activity_id}/occurrences/{occurrence_id}/attendance",
    response=list[AttendanceOut],
)
@paginate(Pages)
def list_attendance(request, activity_id: int, occurrence_id: int):
    viewer = _viewer(request)
    activity = selectors.activity_by_id(viewer=viewer, activity_id=activity_id)
    occurrence = selectors.occurrence_for(activity=activity, occurrence_id=occurrence_id)
    return selectors.attendance_rows_for(occurrence=occurrence, viewer=viewer)


@router.post(
    "/activities/{activity_id}/occurrences/{occurrence_id}/attendance", response=AttendanceOut
)
def record_attendance(request, activity_id: int, occurrence_id: int, payload: AttendanceIn):
    viewer = _viewer(request)
    activity = selectors.activity_by_id(viewer=viewer, activity_id=activity_id)
    occurrence = selectors.occurrence_for(activity=activity, occurrence_id=occurrence_id)
    person = get_object_or_404(selectors.invitees_of(activity=activity), pk=payload.person_id)
    row = services.record_attendance(
        occurrence=occurrence, person=person, present=payload.present, by=viewer
    )
    return selectors.attendance_rows_for(occurrence=occurrence, viewer=viewer).get(pk=row.pk)


# Attendance, actions, release time ----------------------------------------------------------


@router.get("/networks/{slug:slug}/attendance", response=AttendanceReportOut)
def attendance(request, slug: str, period: Query[Period]):
    viewer = _viewer(request)
    network = network_selectors.network_for(viewer=viewer, slug=slug)
    end = period.end or datetime.date.today()
    start = period.start or end - datetime.timedelta(days=365)
    if end < start:
        start, end = end, start
    return selectors.attendance_report(viewer=viewer, network=network, start=start, end=end)


@router.get("/me/actions", response=list[ActionOut])
@paginate(Pages)
def my_actions(request):
    return selectors.actions_of(viewer=_viewer(request))


@router.get("/networks/{slug:slug}/release-requests", response=list[ReleaseOut])
@paginate(Pages)
def list_release_requests(request, slug: str):
    network = network_selectors.network_for(viewer=_viewer(request), slug=slug)
    return selectors.release_requests_for(viewer=_viewer(request), network=network)
