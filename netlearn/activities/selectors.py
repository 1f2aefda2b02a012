"""Reads, always through the viewer's scope: another network's activity 404s like a missing one."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from netlearn.accounts import selectors as account_selectors
from netlearn.accounts.models import Person
from netlearn.charter import policy as charter_policy
from netlearn.charter import selectors as charter_selectors
from netlearn.charter.models import CommitmentKind, LearningFocus
from netlearn.core.home import COMING, WAITING, HomeContext, HomeItem
from netlearn.networks import selectors as network_selectors
from netlearn.networks.access import access_for
from netlearn.networks.country import profile_of
from netlearn.networks.models import Network, Role, School

from . import policy
from .models import (
    DEFAULT_ATTENDANCE_COMMITMENT,
    Action,
    ActionStatus,
    Activity,
    ActivitySettings,
    Attendance,
    FeedToken,
    Invitation,
    Occurrence,
    ReleaseRequest,
    ReleaseStatus,
    Response,
    Rsvp,
    VisitFeedback,
)


def _with_viewer(activities: QuerySet[Activity], viewer) -> QuerySet[Activity]:
    """Marks whether the viewer is invited (read by the policy without a query)."""
    person_id = access_for(viewer).person_id
    if person_id is None:
        return activities.annotate(
            viewer_invited=Value(False), invited_viewer_id=Value(None, output_field=IntegerField())
        )
    return activities.annotate(
        viewer_invited=Exists(
            Invitation.objects.filter(activity=OuterRef("pk"), person_id=person_id)
        ),
        invited_viewer_id=Value(person_id),
    )


def as_seen_by(activity: Activity, person) -> Activity:
    """Marks whether `person` is invited, for an activity not loaded by `activities_for`."""
    if getattr(activity, "invited_viewer_id", None) != access_for(person).person_id:
        activity.viewer_invited = Invitation.objects.filter(
            activity=activity, person_id=access_for(person).person_id
        ).exists()
        activity.invited_viewer_id = access_for(person).person_id
    return activity


def activities_for(*, viewer) -> QuerySet[Activity]:
    return _with_viewer(
        Activity.objects.filter(policy.activity_scope(viewer)).select_related(
            "network", "organiser", "host_school", "paying_school", "learning_focus"
        ),
        viewer,
    )


def activities_in_network(*, viewer, network: Network) -> QuerySet[Activity]:
    return activities_for(viewer=viewer).filter(network=network)


def activity_for(*, viewer, network: Network, activity_id: int) -> Activity:
    return get_object_or_404(activities_in_network(viewer=viewer, network=network), pk=activity_id)


def activity_by_id(*, viewer, activity_id: int) -> Activity:
    return get_object_or_404(activities_for(viewer=viewer), pk=activity_id)


def occurrences_of(*, activity: Activity) -> QuerySet[Occurrence]:
    return activity.occurrences.annotate(
        going_count=Count("rsvps", filter=Q(rsvps__response=Response.GOING)),
        waiting_count=Count("rsvps", filter=Q(rsvps__response=Response.WAITING)),
    )


def occurrence_for(*, activity: Activity, occurrence_id: int) -> Occurrence:
    occurrence = get_object_or_404(occurrences_of(activity=activity), pk=occurrence_id)
    occurrence.activity = activity  # the viewer's annotated copy, for the policy
    return occurrence


def occurrences_between(
    *,
    viewer,
    start: datetime.datetime,
    end: datetime.datetime,
    network: Network | None = None,
    learning_focus: LearningFocus | None = None,
) -> QuerySet[Occurrence]:
    """Occurrences overlapping [start, end) of the activities the viewer may see; with
    `learning_focus`, only those of the activities serving it."""
    occurrences = Occurrence.objects.filter(
        policy.activity_scope(viewer, prefix="activity__"), starts_at__lt=end, ends_at__gt=start
    )
    if network is not None:
        occurrences = occurrences.filter(activity__network=network)
    if learning_focus is not None:
        occurrences = occurrences.filter(activity__learning_focus=learning_focus)
    return occurrences.select_related(
        "activity", "activity__network", "activity__host_school"
    ).order_by("starts_at", "pk")


def rsvps_of_person(*, person, occurrences) -> dict[int, Rsvp]:
    ids = [occurrence.pk for occurrence in occurrences]
    return {
        rsvp.occurrence_id: rsvp
        for rsvp in Rsvp.objects.filter(person=person, occurrence_id__in=ids)
    }


def rsvps_for(*, occurrence: Occurrence) -> QuerySet[Rsvp]:
    return occurrence.rsvps.select_related("person")


def invitees_of(*, activity: Activity) -> QuerySet[Person]:
    return account_selectors.people().filter(activity_invitations__activity=activity)


def invitations_for(*, activity: Activity) -> QuerySet[Invitation]:
    return activity.invitations.select_related("person", "school")


@dataclass
class RegisterLine:
    person: Person
    school: School | None
    response: str
    present: bool | None
    attendance_id: int | None


def register_for(*, occurrence: Occurrence, viewer) -> list[RegisterLine]:
    """The register as the viewer may see it: all of it for its takers, else their own line."""
    invitations = list(invitations_for(activity=occurrence.activity))
    responses = dict(occurrence.rsvps.values_list("person_id", "response"))
    marks = {
        attendance.person_id: attendance
        for attendance in occurrence.attendances.select_related("school")
    }
    everyone = policy.can_take_register(viewer, occurrence.activity)
    own_id = access_for(viewer).person_id
    lines = []
    for invitation in invitations:
        if not everyone and invitation.person_id != own_id:
            continue
        mark = marks.get(invitation.person_id)
        lines.append(
            RegisterLine(
                person=invitation.person,
                school=mark.school if mark else invitation.school,
                response=responses.get(invitation.person_id, ""),
                present=mark.present if mark else None,
                attendance_id=mark.pk if mark else None,
            )
        )
    return lines


def attendance_rows_for(*, occurrence: Occurrence, viewer) -> QuerySet[Attendance]:
    rows = occurrence.attendances.select_related("person", "school")
    if policy.can_take_register(viewer, occurrence.activity):
        return rows
    return rows.filter(person_id=access_for(viewer).person_id)


def feedback_for(*, activity: Activity, viewer) -> QuerySet[VisitFeedback]:
    feedback = activity.feedback.select_related("author", "school")
    if policy.can_view_all_feedback(viewer, activity):
        return feedback
    return feedback.filter(author_id=access_for(viewer).person_id)


def notes_for(*, activity: Activity) -> QuerySet:
    return activity.notes.select_related("author")


def actions_for(*, activity: Activity) -> QuerySet[Action]:
    return activity.actions.select_related("owner")


def actions_of(*, viewer) -> QuerySet[Action]:
    """'My actions': what the viewer owns, in activities they may still see."""
    person_id = access_for(viewer).person_id
    if person_id is None:
        return Action.objects.none()
    return (
        Action.objects.filter(owner_id=person_id)
        .filter(policy.activity_scope(viewer, prefix="activity__"))
        .select_related("activity", "activity__network", "owner")
        .order_by("status", "due", "pk")
    )


def open_actions_of(*, viewer) -> QuerySet[Action]:
    return actions_of(viewer=viewer).filter(status=ActionStatus.OPEN)


def action_for(*, viewer, network: Network, action_id: int) -> Action:
    actions = Action.objects.filter(
        policy.activity_scope(viewer, prefix="activity__"), activity__network=network
    ).select_related("activity", "owner")
    return get_object_or_404(actions, pk=action_id)


def release_requests_for(*, viewer, network: Network) -> QuerySet[ReleaseRequest]:
    return (
        ReleaseRequest.objects.filter(policy.release_scope(viewer), activity__network=network)
        .select_related("activity", "person", "school", "decided_by")
        .order_by("-requested_at", "pk")
    )


def dates_to_release(*, activity: Activity) -> QuerySet[Occurrence]:
    """The dates release can still be funded for: not cancelled, register not yet taken."""
    return activity.occurrences.filter(
        cancelled_at__isnull=True, register_taken_at__isnull=True
    ).select_related("activity")


def presence_on(*, occurrence: Occurrence) -> dict[int, bool]:
    """person id → present, from the occurrence's register."""
    return dict(occurrence.attendances.values_list("person_id", "present"))


def sessions_attended(*, activity_ids, person_ids=None) -> dict[int, int]:
    """person id → how many of these activities' dates the registers mark them present at
    (for a course's completion: docs/programmes.md#completion)."""
    rows = Attendance.objects.filter(
        occurrence__activity_id__in=list(activity_ids),
        occurrence__cancelled_at__isnull=True,
        present=True,
    )
    if person_ids is not None:
        rows = rows.filter(person_id__in=list(person_ids))
    counts: dict[int, int] = {}
    for person_id in rows.values_list("person_id", flat=True):
        counts[person_id] = counts.get(person_id, 0) + 1
    return counts


def visible_activity_ids(*, viewer, activity_ids) -> set[int]:
    """Of these activities, the ones the viewer may open (a head sees their teacher's request
    for cover to attend a meeting they are not invited to)."""
    return set(
        Activity.objects.filter(
            policy.activity_scope(viewer), pk__in=set(activity_ids)
        ).values_list("pk", flat=True)
    )


def release_request_for(*, viewer, network: Network, request_id: int) -> ReleaseRequest:
    return get_object_or_404(release_requests_for(viewer=viewer, network=network), pk=request_id)


def people_of_network(*, network: Network) -> QuerySet[Person]:
    return network_selectors.people_in_network(network=network)


def schools_of_network(*, network: Network) -> QuerySet[School]:
    return network_selectors.schools_in_network(network=network)


def groups_of_network(*, network: Network):
    return network.groups.all()


def time_zone_of(*, network: Network) -> str:
    """The zone a network's activities are in unless the organiser picks another, from its
    country's profile: a Kāhui Ako meets on New Zealand time. (The Chatham Islands keep their own
    zone, chosen per activity.)"""
    return profile_of(network).time_zone


# Learning foci ------------------------------------------------------------------------------


def foci_to_serve(*, network: Network, keep_id: int | None = None) -> QuerySet[LearningFocus]:
    """The foci an activity of the network may serve: those its charter still holds, and
    `keep_id`, the one an activity already serves, even if it has since been dropped."""
    still_held = Q(dropped_at__isnull=True)
    if keep_id is not None:
        still_held |= Q(pk=keep_id)
    return (
        charter_selectors.foci_of_network(network=network)
        .filter(still_held)
        .order_by("position", "pk")
    )


def focus_for(*, viewer, network: Network, focus_id) -> LearningFocus:
    """A focus of the network's charter, dropped or not, if the viewer may read the charter;
    another network's (or any, for a pupil) answers 404 like a missing one."""
    try:
        focus_id = int(focus_id)
    except (TypeError, ValueError):
        raise Http404 from None
    foci = charter_selectors.foci_of_network(network=network).filter(
        charter_policy.focus_scope(viewer)
    )
    return get_object_or_404(foci, pk=focus_id)


# What serves a learning focus (the golden thread) ---------------------------------------------


def activities_serving(*, viewer, focus: LearningFocus) -> QuerySet[Activity]:
    """The activities the viewer may see that serve the focus, oldest first: only what the golden
    thread lists of them, so no joins nor the viewer's invitation (no policy check reads them)."""
    return (
        Activity.objects.filter(policy.activity_scope(viewer), learning_focus=focus)
        .only("kind", "title", "starts_at")
        .order_by("starts_at", "pk")
    )


def release_used_by_school(*, viewer, network: Network, activity_ids) -> dict[int, Decimal]:
    """Approved release (sessions) per school for these activities, as far as the viewer may
    see release requests (`policy.release_scope`); one query."""
    rows = (
        ReleaseRequest.objects.filter(
            policy.release_scope(viewer),
            activity__network=network,
            activity_id__in=list(activity_ids),
            status=ReleaseStatus.APPROVED,
            school__isnull=False,
        )
        .values("school_id")
        .annotate(total=Sum("sessions"))
    )
    return {row["school_id"]: row["total"] for row in rows}


# Attendance ---------------------------------------------------------------------------------


def charter_attendance_commitment(network: Network):
    """The charter's strictest attendance commitment, or None when the charter makes none."""
    return charter_selectors.attendance_commitments(network=network).last()


def attendance_threshold_for(network: Network) -> Decimal:
    """The share of its meetings a school commits to attend, as a percentage.

    The charter's attendance commitment when it makes one, so the flag follows what the schools
    agreed; otherwise the network's own setting (default two thirds,
    docs/seed-practices.md#commitments-and-protocols).
    """
    return _threshold(network, charter_attendance_commitment(network))


def _strictest_attendance(commitments):
    """What `charter_attendance_commitment` reads, found among commitments already loaded."""
    attendance = [c for c in commitments if c.kind == CommitmentKind.ATTENDANCE]
    return max(attendance, key=lambda c: c.attendance_threshold, default=None)


def _threshold(network: Network, commitment) -> Decimal:
    if commitment is not None:
        return Decimal(commitment.attendance_threshold)
    settings = ActivitySettings.objects.filter(network=network).first()
    return settings.attendance_commitment_percent if settings else DEFAULT_ATTENDANCE_COMMITMENT


@dataclass(frozen=True)
class Rate:
    invited: int
    attended: int

    @property
    def percent(self) -> Decimal | None:
        if not self.invited:
            return None
        return (Decimal(100) * self.attended / self.invited).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class SchoolAttendance:
    school: School
    rate: Rate
    below_commitment: bool


@dataclass(frozen=True)
class PersonAttendance:
    person: Person
    school: School | None
    rate: Rate


@dataclass(frozen=True)
class AttendanceReport:
    start: datetime.date
    end: datetime.date
    threshold: Decimal
    # The charter's commitment the threshold comes from; None: the network's own setting.
    commitment: object | None
    meetings: int
    schools: list[SchoolAttendance]
    people: list[PersonAttendance]


def attendance_report(
    *,
    viewer,
    network: Network,
    start: datetime.date,
    end: datetime.date,
    with_people: bool = True,
    commitments=None,
) -> AttendanceReport:
    """Invitations and attendance per school and person over [start, end].

    Counts the occurrences whose register has been taken and that were not cancelled. A school is
    invited to an occurrence when any of its people is, and attended when any of them came. A
    fixed number of queries, however many rows. `with_people=False` leaves `people` empty, for a
    page that shows only the schools' rates; `commitments`, the charter's commitments when the
    caller has read them already, spares reading its attendance commitment again.
    """
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, zone)
    occurrences = dict(
        Occurrence.objects.filter(
            activity__network=network,
            activity__cancelled_at__isnull=True,
            cancelled_at__isnull=True,
            register_taken_at__isnull=False,
            starts_at__gte=since,
            starts_at__lt=until,
        ).values_list("pk", "activity_id")
    )
    invitations = defaultdict(list)
    for activity_id, person_id, school_id in Invitation.objects.filter(
        activity_id__in=set(occurrences.values())
    ).values_list("activity_id", "person_id", "school_id"):
        invitations[activity_id].append((person_id, school_id))
    present = set(
        Attendance.objects.filter(occurrence_id__in=list(occurrences), present=True).values_list(
            "occurrence_id", "person_id", "school_id"
        )
    )
    person_invited, person_attended = defaultdict(int), defaultdict(int)
    school_invited, school_attended = defaultdict(set), defaultdict(set)
    person_school = {}
    attended_pairs = {(occurrence_id, person_id) for occurrence_id, person_id, _ in present}
    for occurrence_id, _person_id, school_id in present:
        if school_id:
            school_attended[school_id].add(occurrence_id)
    for occurrence_id, activity_id in occurrences.items():
        for person_id, school_id in invitations[activity_id]:
            person_invited[person_id] += 1
            person_school.setdefault(person_id, school_id)
            if (occurrence_id, person_id) in attended_pairs:
                person_attended[person_id] += 1
            if school_id:
                school_invited[school_id].add(occurrence_id)

    if commitments is None:
        commitment = charter_attendance_commitment(network)
    else:
        commitment = _strictest_attendance(commitments)
    threshold = _threshold(network, commitment)
    schools = []
    for school in schools_of_network(network=network).order_by("name"):
        rate = Rate(
            invited=len(school_invited[school.pk]),
            attended=len(school_attended[school.pk] & school_invited[school.pk]),
        )
        below = rate.percent is not None and rate.percent < threshold
        schools.append(SchoolAttendance(school=school, rate=rate, below_commitment=below))

    people = []
    if with_people:
        everyone, led_school_ids, own_id = policy.attendance_people_visibility(viewer, network)
        visible_ids = [
            person_id
            for person_id in person_invited
            if everyone or person_id == own_id or person_school.get(person_id) in led_school_ids
        ]
        people_by_id = account_selectors.people_by_id(visible_ids)
        schools_by_id = network_selectors.schools_by_id(
            {person_school[pid] for pid in visible_ids} - {None}
        )
        people = sorted(
            (
                PersonAttendance(
                    person=people_by_id[person_id],
                    school=schools_by_id.get(person_school[person_id]),
                    rate=Rate(person_invited[person_id], person_attended[person_id]),
                )
                for person_id in visible_ids
                if person_id in people_by_id
            ),
            key=lambda row: (row.school.name if row.school else "", row.person.name),
        )
    return AttendanceReport(
        start=start,
        end=end,
        threshold=threshold,
        commitment=commitment,
        meetings=len(occurrences),
        schools=schools,
        people=people,
    )


# Audience -----------------------------------------------------------------------------------


def home_schools(*, network: Network, person_ids) -> dict[int, int]:
    """Each person's school in the network today: a current post at a member school, else the
    school their role is held for."""
    return network_selectors.home_schools(network=network, person_ids=person_ids)


# Feeds --------------------------------------------------------------------------------------


def person_for_feed_token(token_hash: str):
    """The live owner of a feed token, or None (revoked, unknown, or no longer active)."""
    token = (
        FeedToken.objects.filter(token_hash=token_hash, revoked_at__isnull=True)
        .select_related("person")
        .first()
    )
    if token is None or not token.person.is_active or token.person.is_pupil:
        return None
    return token.person


def live_feed_token(*, person) -> FeedToken | None:
    return FeedToken.objects.filter(person=person, revoked_at__isnull=True).first()


def feed_activities(*, viewer, network: Network | None = None) -> QuerySet[Activity]:
    """A personal feed: what the viewer is invited to or organises. A network feed: every
    activity of the network the viewer may see."""
    activities = activities_for(viewer=viewer)
    if network is not None:
        activities = activities.filter(network=network)
    else:
        person_id = access_for(viewer).person_id
        activities = activities.filter(Q(viewer_invited=True) | Q(organiser_id=person_id))
    return activities.prefetch_related(
        Prefetch("occurrences", queryset=Occurrence.objects.all(), to_attr="dated_occurrences")
    )


# The home ("what needs me") ---------------------------------------------------------------------

# Actions show on the home from this long before they are due (and stay while overdue).
ACTION_DUE_WINDOW = datetime.timedelta(days=7)


def home_items(context: HomeContext) -> list[HomeItem]:
    """Personal: release requests to approve, invitations to answer, my next activities and my
    open actions falling due. A network's: its next occurrences the viewer may see. A fixed number
    of queries (three personal, one for a network), whatever the number of rows."""
    access = access_for(context.person)
    if access.person_id is None or access.is_pupil:
        return []
    if context.network is not None:
        upcoming = _upcoming(context, Q(activity__network=context.network)).only(
            "starts_at", "activity__title", "activity__network__slug", "activity__network__name"
        )
        return [
            _occurrence_item(occurrence, COMING, "Activity")
            for occurrence in upcoming[: context.limit]
        ]
    items = []
    co_led = [
        network_id
        for network_id in access.network_ids
        if access.holds(Role.CO_LEADER, in_network=network_id)
    ]
    if co_led:
        requests = (
            ReleaseRequest.objects.filter(
                activity__network_id__in=co_led, status=ReleaseStatus.REQUESTED
            )
            .select_related("activity__network", "person")
            .order_by("-requested_at", "pk")[: context.limit]
        )
        items += [
            HomeItem(
                section=WAITING,
                kind="Release request",
                title=f"{request.person} asks for cover to attend {request.activity.title}",
                url=reverse("activities:release_requests", args=[request.activity.network.slug]),
                when=request.requested_at,
                network=request.activity.network.name,
            )
            for request in requests
        ]
    mine = _upcoming(
        context,
        Q(activity__network_id__in=list(access.network_ids))
        & (
            Q(activity__invitations__person_id=access.person_id)
            | Q(rsvps__person_id=access.person_id, rsvps__response=Response.GOING)
        ),
    ).annotate(
        my_response=Subquery(
            Rsvp.objects.filter(occurrence_id=OuterRef("pk"), person_id=access.person_id).values(
                "response"
            )[:1]
        )
    )
    for occurrence in mine[: context.limit]:
        if occurrence.my_response is None:
            # Answers close the same distance before each date as before the first
            # (services.rsvp_closes_at, which the selectors cannot import).
            activity = occurrence.activity
            closes = occurrence.starts_at
            if activity.rsvp_closes_at is not None:
                closes -= activity.starts_at - activity.rsvp_closes_at
            if closes > context.now:
                items.append(_occurrence_item(occurrence, WAITING, "Invitation", "Reply: "))
        elif occurrence.my_response in (Response.GOING, Response.WAITING):
            items.append(_occurrence_item(occurrence, COMING, "Activity"))
    due_by = (context.now + ACTION_DUE_WINDOW).date()
    actions = (
        Action.objects.filter(
            owner_id=access.person_id,
            status=ActionStatus.OPEN,
            due__lte=due_by,
            activity__network_id__in=list(access.network_ids),
        )
        .select_related("activity__network")
        .order_by("due", "pk")[: context.limit]
    )
    today = context.now.date()
    for action in actions:
        overdue = " (overdue)" if action.due < today else ""
        items.append(
            HomeItem(
                section=WAITING,
                kind="Action",
                title=f"{action.title}: due {action.due:%-d %B}{overdue}",
                url=reverse("activities:my_actions"),
                when=datetime.datetime.combine(action.due, datetime.time(), tzinfo=datetime.UTC),
                network=action.activity.network.name,
            )
        )
    return items


def _upcoming(context: HomeContext, where: Q) -> QuerySet[Occurrence]:
    return (
        Occurrence.objects.filter(
            where,
            policy.activity_scope(context.person, prefix="activity__"),
            starts_at__gte=context.now,
            cancelled_at__isnull=True,
            activity__cancelled_at__isnull=True,
        )
        .select_related("activity__network")
        .distinct()
        .order_by("starts_at", "pk")
    )


def _occurrence_item(occurrence: Occurrence, section: str, kind: str, prefix: str = "") -> HomeItem:
    activity = occurrence.activity
    return HomeItem(
        section=section,
        kind=kind,
        title=f"{prefix}{activity.title}",
        url=activity.get_absolute_url(),
        when=occurrence.starts_at,
        network=activity.network.name,
    )


# Engagement of many networks (a programme's side-by-side page) -------------------------------


@dataclass(frozen=True)
class Engagement:
    """A network's meetings and attendance over a period: counts only, no person."""

    meetings: int
    places: int  # register lines taken
    present: int
    schools_attending: int

    @property
    def percent(self) -> Decimal | None:
        if not self.places:
            return None
        return (Decimal(100) * self.present / self.places).quantize(Decimal("1"))


NO_ENGAGEMENT = Engagement(0, 0, 0, 0)


def engagement_of_networks(
    *, network_ids, start: datetime.date, end: datetime.date
) -> dict[int, Engagement]:
    """network id → its meetings held (register taken, not cancelled) over [start, end] and the
    registers' totals. Two queries, however many networks. Trusts the caller to have authorized
    every network."""
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, zone)
    held = Q(
        activity__network_id__in=list(network_ids),
        activity__cancelled_at__isnull=True,
        cancelled_at__isnull=True,
        register_taken_at__isnull=False,
        starts_at__gte=since,
        starts_at__lt=until,
    )
    meetings = dict(
        Occurrence.objects.filter(held)
        .order_by()
        .values("activity__network_id")
        .annotate(n=Count("pk"))
        .values_list("activity__network_id", "n")
    )
    registers = {
        row["occurrence__activity__network_id"]: row
        for row in Attendance.objects.filter(
            occurrence__in=Occurrence.objects.filter(held).values("pk")
        )
        .order_by()
        .values("occurrence__activity__network_id")
        .annotate(
            # Not named "present": an annotation of that name would shadow the field in filters.
            places=Count("pk"),
            attended=Count("pk", filter=Q(present=True)),
            schools=Count("school_id", filter=Q(present=True), distinct=True),
        )
    }
    result = {}
    for network_id in network_ids:
        row = registers.get(network_id, {})
        result[network_id] = Engagement(
            meetings=meetings.get(network_id, 0),
            places=row.get("places", 0),
            present=row.get("attended", 0),
            schools_attending=row.get("schools", 0),
        )
    return result


def activity_counts_by_focus(*, focus_ids) -> dict[int, int]:
    """focus id → how many activities (not cancelled) serve it. One query. Counts only."""
    return dict(
        Activity.objects.filter(learning_focus_id__in=list(focus_ids), cancelled_at__isnull=True)
        .values("learning_focus_id")
        .annotate(n=Count("pk"))
        .values_list("learning_focus_id", "n")
    )


def attendance_pairs_of(*, network: Network, since=None, until=None) -> list[tuple[int, int]]:
    """(occurrence id, person id) for each person present at one of the network's activities,
    between `since` and `until` when given: who met whom, for the network's collaboration map."""
    present = Attendance.objects.filter(
        occurrence__activity__network=network, occurrence__cancelled_at__isnull=True, present=True
    )
    if since is not None:
        present = present.filter(occurrence__starts_at__gte=since)
    if until is not None:
        present = present.filter(occurrence__starts_at__lt=until)
    return list(present.values_list("occurrence_id", "person_id"))


def presence_by_school(*, network: Network, since=None, until=None) -> dict[int, int]:
    """school id → how many times its people were present at the network's activities (not
    cancelled), between `since` and `until` when given: a school's attendance, for the network's
    engagement against outcomes. One query; counts only."""
    present = Attendance.objects.filter(
        occurrence__activity__network=network,
        occurrence__cancelled_at__isnull=True,
        present=True,
        school_id__isnull=False,
    )
    if since is not None:
        present = present.filter(occurrence__starts_at__gte=since)
    if until is not None:
        present = present.filter(occurrence__starts_at__lt=until)
    return dict(
        present.order_by().values("school_id").annotate(n=Count("pk")).values_list("school_id", "n")
    )
