"""The golden thread of a learning focus: from its goals to the difference it made.

One page joins what each app holds about a focus, each part read through the owning app's
selectors and so through its scope: goals with baseline, target and progress (charter); the
charter's commitments and how each school keeps them, attendance against the threshold and release
used (activities); the activities, enquiries (with run charts) and published accounts serving the
focus (activities, enquiry); endorsed library resources filed under it (library); and the value
added of the schools involved on the goals' measures, through disclosure control (impact). Every
link is a relation in the data; a missing one is a `Gap`, with where to fill it when the viewer
may. A fixed number of queries, however many items hang from the focus.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from netlearn.activities import selectors as activity_selectors
from netlearn.charter import selectors as charter_selectors
from netlearn.charter.models import CommitmentKind
from netlearn.enquiry import selectors as enquiry_selectors
from netlearn.impact import selectors as impact_selectors
from netlearn.library import selectors as library_selectors

from . import policy

# Attendance is read over the year to date: the period a network reports on to its heads.
ATTENDANCE_DAYS = 365


@dataclass(frozen=True)
class Gap:
    """A link of the thread the data does not hold yet, and where to fill it (or None)."""

    part: str
    text: str
    url: str | None = None


@dataclass(frozen=True)
class SchoolKeeping:
    """How one school keeps the commitments: attendance against the threshold, release used."""

    school: object
    invited: int
    attended: int
    percent: Decimal | None
    below_threshold: bool
    release_sessions: Decimal | None


@dataclass(frozen=True)
class EnquiryStrand:
    enquiry: object
    chart: object | None  # the run chart of a PDSA enquiry with data

    @property
    def signals(self) -> list:
        analysis = getattr(self.chart, "analysis", None)
        return list(analysis.signals) if analysis else []


@dataclass(frozen=True)
class SchoolEffect:
    school: str
    estimate: object
    lower: object
    upper: object
    n: object


@dataclass(frozen=True)
class OutcomeStrand:
    goal: object
    measure: object
    run: object | None
    effects: list[SchoolEffect]
    suppressed: bool


@dataclass
class Thread:
    network: object
    focus: object
    goals: list  # charter GoalView
    commitments: list
    threshold: Decimal | None
    attendance_start: datetime.date
    attendance_end: datetime.date
    schools: list[SchoolKeeping]
    activities: list
    enquiries: list[EnquiryStrand]
    goals_without_enquiry: list
    accounts: list
    resources: list
    outcomes: list[OutcomeStrand]
    can_view_outcomes: bool
    gaps: list[Gap] = field(default_factory=list)
    as_evaluator: bool = False


def network_for(*, viewer, network_slug: str):
    network = charter_selectors.network_for(viewer=viewer, network_slug=network_slug)
    return network


def focus_for(*, viewer, network, focus_id: int):
    """The focus, if the viewer may read it: the thread is seen by whoever may see its focus."""
    return charter_selectors.focus_in_network(viewer=viewer, network=network, focus_id=focus_id)


def _schools_keeping(*, viewer, network, activity_ids, commitments, today) -> tuple:
    start = today - datetime.timedelta(days=ATTENDANCE_DAYS)
    report = activity_selectors.attendance_report(
        viewer=viewer,
        network=network,
        start=start,
        end=today,
        with_people=False,
        commitments=commitments,
    )
    release = activity_selectors.release_used_by_school(
        viewer=viewer, network=network, activity_ids=activity_ids
    )
    rows = [
        SchoolKeeping(
            school=row.school,
            invited=row.rate.invited,
            attended=row.rate.attended,
            percent=row.rate.percent,
            below_threshold=row.below_commitment,
            release_sessions=release.get(row.school.pk),
        )
        for row in report.schools
    ]
    return report.threshold, start, rows


def _outcomes(*, viewer, network, goals, school_names) -> list[OutcomeStrand]:
    goals_by_id = {goal.pk: goal for goal in goals}
    strands = []
    for found in impact_selectors.value_added_for_goals(
        viewer=viewer, network=network, goal_ids=list(goals_by_id)
    ):
        report = found.report
        effects = []
        if report is not None and not report.suppressed:
            effects = [
                SchoolEffect(row.school, row.estimate, row.lower, row.upper, row.n)
                for row in report.effects
                # Only the network's own schools, and of those the ones the focus involves.
                if row.in_network and (not school_names or row.school in school_names)
            ]
        strands.append(
            OutcomeStrand(
                goal=goals_by_id[found.goal_id],
                measure=found.measure,
                run=report.run if report else None,
                effects=effects,
                suppressed=bool(report and report.suppressed),
            )
        )
    return strands


def thread_of(*, viewer, focus, today: datetime.date | None = None) -> Thread:
    """The focus's golden thread as the viewer may see it. Caller has read `focus` through
    `focus_for` (the viewer may see it)."""
    network = focus.charter.network
    today = today or timezone.localdate()
    view = charter_selectors.focus_view(focus)
    goals = [goal_view.goal for goal_view in view.goals]
    commitments = list(charter_selectors.commitments_of(charter=focus.charter))

    activities = list(activity_selectors.activities_serving(viewer=viewer, focus=focus))
    threshold, start, schools = _schools_keeping(
        viewer=viewer,
        network=network,
        activity_ids=[a.pk for a in activities],
        commitments=commitments,
        today=today,
    )
    enquiries = list(enquiry_selectors.enquiries_serving(viewer=viewer, focus=focus))
    charts = enquiry_selectors.run_charts_of(enquiries=enquiries, network=network)
    strands = [EnquiryStrand(enquiry, charts.get(enquiry.pk)) for enquiry in enquiries]
    served_goal_ids = {enquiry.goal_id for enquiry in enquiries if enquiry.goal_id}
    accounts = list(enquiry_selectors.published_accounts_serving(viewer=viewer, focus=focus))
    resources = list(library_selectors.endorsed_serving(viewer=viewer, focus=focus))

    can_view_outcomes = policy.can_view_value_added(viewer, network)
    involved = {school.name for enquiry in enquiries for school in enquiry.schools.all()}
    outcomes = (
        _outcomes(viewer=viewer, network=network, goals=goals, school_names=involved)
        if can_view_outcomes
        else []
    )
    thread = Thread(
        network=network,
        focus=focus,
        goals=view.goals,
        commitments=commitments,
        threshold=threshold,
        attendance_start=start,
        attendance_end=today,
        schools=schools,
        activities=activities,
        enquiries=strands,
        goals_without_enquiry=[goal for goal in goals if goal.pk not in served_goal_ids],
        accounts=accounts,
        resources=resources,
        outcomes=outcomes,
        can_view_outcomes=can_view_outcomes,
        as_evaluator=policy.reads_as_evaluator(viewer, network),
    )
    thread.gaps = [] if thread.as_evaluator else _gaps(viewer=viewer, thread=thread)
    return thread


def _gaps(*, viewer, thread: Thread) -> list[Gap]:
    network, focus = thread.network, thread.focus
    slug = network.slug

    def url(allowed: bool, name: str, *args, query: str = "") -> str | None:
        return f"{reverse(name, args=args)}{query}" if allowed else None

    gaps = []
    if not thread.goals:
        gaps.append(
            Gap(
                "goals",
                "No measurable goal for this focus yet.",
                url(policy.can_add_goal(viewer, network), "charter:add_goal", slug, focus.pk),
            )
        )
    if not any(c.kind == CommitmentKind.ATTENDANCE for c in thread.commitments):
        gaps.append(
            Gap(
                "commitments",
                "The charter makes no attendance commitment yet.",
                url(policy.can_add_goal(viewer, network), "charter:add_commitment", slug),
            )
        )
    if not thread.activities:
        gaps.append(
            Gap(
                "activities",
                "No activity serves this focus yet.",
                url(
                    policy.can_schedule_activity(viewer, network),
                    "activities:create",
                    slug,
                    query=f"?focus={focus.pk}",
                ),
            )
        )
    start = url(policy.can_start_enquiry(viewer, network), "enquiry:start", slug)
    if not thread.enquiries:
        gaps.append(Gap("enquiries", "No enquiry serves this focus yet.", start))
    for goal in thread.goals_without_enquiry:
        gaps.append(Gap("enquiries", f"No enquiry serves the goal “{goal.measure}” yet.", start))
    if not thread.accounts:
        gaps.append(Gap("accounts", "No published account of an enquiry serving this focus yet."))
    if not thread.resources:
        gaps.append(
            Gap(
                "resources",
                "No endorsed library resource is filed under this focus yet.",
                url(policy.can_add_resource(viewer, network), "library:add", slug),
            )
        )
    if thread.can_view_outcomes and thread.goals and not thread.outcomes:
        gaps.append(
            Gap(
                "outcomes",
                "No goal of this focus takes its figures from an outcome measure yet.",
                url(policy.can_link_goal(viewer, network), "impact:goals", slug),
            )
        )
    for outcome in thread.outcomes:
        if outcome.run is None:
            gaps.append(
                Gap(
                    "outcomes",
                    f"No model of “{outcome.measure.name}” has been run yet.",
                    url(policy.can_view_value_added(viewer, network), "impact:overview", slug),
                )
            )
    return gaps


# Many foci at once (a programme's side-by-side page) ------------------------------------------


@dataclass(frozen=True)
class ThreadSummary:
    """How far a focus's thread reaches, in counts, and the links it still lacks (`Gap.part`)."""

    goals: int
    activities: int
    enquiries: int
    published_accounts: int
    goals_without_enquiry: int
    gaps: tuple[str, ...]


def thread_summaries_of(*, foci) -> dict[int, ThreadSummary]:
    """focus id → its `ThreadSummary`, counted as the thread page counts its gaps for a member,
    without the figures. Three queries, however many foci and networks. Foci read through
    `charter_selectors.foci_of_networks` (their active goals loaded); the caller authorized them."""
    foci = list(foci)
    focus_ids = [focus.pk for focus in foci]
    activities = activity_selectors.activity_counts_by_focus(focus_ids=focus_ids)
    enquiries = enquiry_selectors.enquiries_by_focus(focus_ids=focus_ids)
    summaries = {}
    for focus in foci:
        goals = list(focus.active_goals)
        served = enquiries[focus.pk]
        unserved = sum(1 for goal in goals if goal.pk not in served.goal_ids)
        gaps = []
        if not goals:
            gaps.append("goals")
        if not activities.get(focus.pk):
            gaps.append("activities")
        if not served.enquiries or unserved:
            gaps.append("enquiries")
        if not served.published_accounts:
            gaps.append("accounts")
        summaries[focus.pk] = ThreadSummary(
            goals=len(goals),
            activities=activities.get(focus.pk, 0),
            enquiries=served.enquiries,
            published_accounts=served.published_accounts,
            goals_without_enquiry=unserved,
            gaps=tuple(gaps),
        )
    return summaries
