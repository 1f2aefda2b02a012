"""Reads, always through the viewer's scope: another network's enquiry 404s like a missing one."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from netlearn.accounts import selectors as account_selectors
from netlearn.accounts.models import Person
from netlearn.charter import selectors as charter_selectors
from netlearn.charter.models import Goal, LearningFocus
from netlearn.core.charts import Scale
from netlearn.core.home import NEW, WAITING, HomeContext, HomeItem
from netlearn.networks import selectors as network_selectors
from netlearn.networks.access import access_for
from netlearn.networks.models import Group, Network, School

from . import charts, policy, run_chart
from .models import (
    Account,
    AccountStatus,
    Attachment,
    Audience,
    CasePupil,
    DataPoint,
    Enquiry,
    Method,
    Observation,
    PdsaCycle,
    Prediction,
    ResearchLesson,
    RuleSet,
    RunChartDefault,
    SpiralEntry,
    Stage,
    SubQuestion,
)

DEFAULT_STALE_DAYS = 42


def stale_after() -> datetime.timedelta:
    """Enquiries with no activity for this long are flagged on the overview."""
    return datetime.timedelta(days=getattr(settings, "ENQUIRY_STALE_DAYS", DEFAULT_STALE_DAYS))


def _with_viewer(rows: QuerySet, viewer, group_path: str) -> QuerySet:
    """Marks whether the viewer belongs to the enquiry's group (read by the policy, no query)."""
    person_id = access_for(viewer).person_id
    if person_id is None:
        return rows.annotate(
            viewer_in_group=Value(False), group_viewer_id=Value(None, output_field=IntegerField())
        )
    return rows.annotate(
        viewer_in_group=Exists(
            network_selectors.own_group_places(person_id=person_id).filter(
                group_id=OuterRef(group_path)
            )
        ),
        group_viewer_id=Value(person_id),
    )


def network_for(*, viewer, network_slug: str) -> Network:
    network = network_selectors.network_for(viewer=viewer, slug=network_slug)
    if not policy.can_view_network_enquiry(viewer, network):
        raise Http404
    return network


# Enquiries ------------------------------------------------------------------------------------


def enquiries_for(*, viewer) -> QuerySet[Enquiry]:
    return _with_viewer(
        Enquiry.objects.filter(policy.enquiry_scope(viewer))
        .select_related("network", "focus", "group", "goal", "account")
        .prefetch_related("schools"),
        viewer,
        "group_id",
    )


def enquiries_in_network(*, viewer, network: Network, filters: dict | None = None):
    rows = enquiries_for(viewer=viewer).filter(network=network)
    filters = filters or {}
    if filters.get("focus"):
        rows = rows.filter(focus_id=filters["focus"])
    if filters.get("method"):
        rows = rows.filter(method=filters["method"])
    if filters.get("stage"):
        rows = rows.filter(stage=filters["stage"])
    if filters.get("school"):
        rows = rows.filter(schools__id=filters["school"]).distinct()
    return rows


def enquiry_for(*, viewer, network: Network, enquiry_id: int) -> Enquiry:
    return get_object_or_404(enquiries_in_network(viewer=viewer, network=network), pk=enquiry_id)


def is_stale(enquiry: Enquiry, *, now=None) -> bool:
    if enquiry.stage == Stage.COMPLETE:
        return False
    return enquiry.last_activity_at < (now or timezone.now()) - stale_after()


# The network's choices, for forms -------------------------------------------------------------


def groups_of(*, network: Network) -> QuerySet[Group]:
    return network_selectors.groups_of(network=network).order_by("name")


def groups_to_start_for(*, viewer, network: Network) -> QuerySet[Group]:
    """The groups `viewer` may start an enquiry for: their own, or any if they co-lead."""
    groups = groups_of(network=network)
    if policy.can_start_for_any_group(viewer, network):
        return groups
    own_places = network_selectors.own_group_places(person_id=viewer.pk)
    return groups.filter(pk__in=own_places.values("group_id"))


def foci_of(*, network: Network) -> QuerySet[LearningFocus]:
    return (
        charter_selectors.foci_of_network(network=network)
        .filter(dropped_at__isnull=True)
        .order_by("position", "pk")
    )


def goals_of(*, network: Network) -> QuerySet[Goal]:
    return (
        charter_selectors.goals_of_network(network=network)
        .filter(dropped_at__isnull=True)
        .select_related("focus")
        .order_by("focus__position", "pk")
    )


def schools_of(*, network: Network) -> QuerySet[School]:
    return network_selectors.schools_in_network(network=network).order_by("name")


def group_people(*, group: Group) -> QuerySet[Person]:
    person_ids = network_selectors.person_ids_in_groups(group_ids=[group.pk])
    return account_selectors.people().filter(pk__in=person_ids).order_by("name")


# One enquiry's records ------------------------------------------------------------------------


def case_pupils_of(*, enquiry: Enquiry) -> QuerySet[CasePupil]:
    return enquiry.case_pupils.all()


def lessons_of(*, enquiry: Enquiry, with_case_notes: bool) -> QuerySet[ResearchLesson]:
    lessons = enquiry.lessons.select_related("teacher", "school")
    if with_case_notes:
        lessons = lessons.prefetch_related(
            Prefetch("predictions", queryset=Prediction.objects.select_related("case_pupil")),
            Prefetch(
                "observations",
                queryset=Observation.objects.select_related("case_pupil", "observer"),
            ),
        )
    return lessons


def lesson_for(*, enquiry: Enquiry, lesson_id: int, with_case_notes: bool) -> ResearchLesson:
    lesson = get_object_or_404(
        lessons_of(enquiry=enquiry, with_case_notes=with_case_notes), pk=lesson_id
    )
    lesson.enquiry = enquiry  # the viewer's annotated copy, for the policy
    return lesson


def spiral_entries_of(*, enquiry: Enquiry) -> QuerySet[SpiralEntry]:
    return enquiry.spiral_entries.select_related("author")


def cycles_of(*, enquiry: Enquiry) -> QuerySet[PdsaCycle]:
    return enquiry.cycles.all()


def cycle_for(*, enquiry: Enquiry, cycle_id: int) -> PdsaCycle:
    return get_object_or_404(enquiry.cycles.all(), pk=cycle_id)


def data_points_of(*, enquiry: Enquiry) -> QuerySet[DataPoint]:
    return enquiry.data_points.all()


def sub_questions_of(*, enquiry: Enquiry) -> QuerySet[SubQuestion]:
    return enquiry.sub_questions.select_related("school")


def sub_question_for(*, enquiry: Enquiry, part_id: int) -> SubQuestion:
    return get_object_or_404(sub_questions_of(enquiry=enquiry), pk=part_id)


def attachments_of(*, enquiry: Enquiry) -> QuerySet[Attachment]:
    return enquiry.attachments.select_related("uploaded_by")


def attachment_for(*, enquiry: Enquiry, attachment_id: int) -> Attachment:
    return get_object_or_404(attachments_of(enquiry=enquiry), pk=attachment_id)


@dataclass(frozen=True)
class ChartPoint:
    index: int
    measured_on: datetime.date
    value: float | None
    note: str
    side: str
    flagged: bool
    x: float
    y: float


@dataclass(frozen=True)
class RunChart:
    points: list[ChartPoint]
    analysis: run_chart.Analysis | None
    width: int = 640
    height: int = 260
    y_ticks: list = field(default_factory=list)
    cycle_marks: list = field(default_factory=list)
    # (x from, x to, y, label) for each phase's median; (x, label) where a phase starts.
    median_lines: list = field(default_factory=list)
    phase_marks: list = field(default_factory=list)
    measure: str = ""

    @property
    def svg(self) -> str:
        return charts.run_chart(self)

    @property
    def path(self) -> str:
        """The line through the points, lifted over a missing value so it never bridges one."""
        steps, pen_down = [], False
        for point in self.points:
            if point.value is None:
                pen_down = False
                continue
            steps.append(f"{'L' if pen_down else 'M'}{point.x:.1f},{point.y:.1f}")
            pen_down = True
        return " ".join(steps)

    @property
    def rule_set_name(self) -> str:
        return run_chart.RULE_SETS[self.analysis.rules] if self.analysis else ""


def run_chart_rules_for(*, enquiry: Enquiry, network_default: str | None = None) -> str:
    """The enquiry's own rule set, else its network's default, else the IHI rules.

    `network_default`: the network's default read once already (charts of many enquiries)."""
    if enquiry.run_chart_rules:
        return enquiry.run_chart_rules
    if network_default is not None:
        return network_default
    default = RunChartDefault.objects.filter(network_id=enquiry.network_id).first()
    return default.rules if default else RuleSet.IHI


def run_chart_default_of(*, network) -> str:
    default = RunChartDefault.objects.filter(network=network).first()
    return default.rules if default else RuleSet.IHI


def run_chart_of(*, enquiry: Enquiry, network_default: str | None = None) -> RunChart:
    """The enquiry's data in time order, analysed, and laid out for its chart (`charts`).

    Reads `enquiry.data_points` (prefetched, when many charts are drawn: `run_charts_of`)."""
    points = list(data_points_of(enquiry=enquiry))
    values = [None if point.value is None else float(point.value) for point in points]
    present = [v for v in values if v is not None]
    if not present:
        return RunChart(points=[], analysis=None)
    baseline = min(enquiry.baseline_points, len(present)) if enquiry.baseline_points else None
    starts = [i for i, point in enumerate(points) if point.starts_phase and i > 0]
    analysis = run_chart.analyse(
        values,
        baseline=baseline,
        rules=run_chart_rules_for(enquiry=enquiry, network_default=network_default),
        phase_starts=starts,
    )
    width, height, pad_left, pad_right, pad_y = 640, 260, 48, 16, 24
    medians = [phase.median for phase in analysis.phases]
    low, high = min(present + medians), max(present + medians)
    if high == low:
        low, high = low - 1, high + 1
    x = Scale(0, max(len(values) - 1, 1), pad_left, width - pad_right)
    y = Scale(low, high, height - pad_y, pad_y)

    def side(i):
        if values[i] is None:
            return "not measured"
        centre = analysis.median_at(i)
        if values[i] == centre:
            return "on the median"
        return "above" if values[i] > centre else "below"

    flagged = analysis.flagged
    chart_points = [
        ChartPoint(
            index=i + 1,
            measured_on=point.measured_on,
            value=values[i],
            note=point.note,
            side=side(i),
            flagged=i in flagged,
            x=x(i),
            y=y(values[i]) if values[i] is not None else 0.0,
        )
        for i, point in enumerate(points)
    ]
    ticks = [(round(y(v), 1), f"{v:g}") for v in (low, (low + high) / 2, high)]
    marks = []
    for cycle in cycles_of(enquiry=enquiry):
        before = [i for i, point in enumerate(points) if point.measured_on >= cycle.started]
        if before:
            marks.append((round(x(before[0]), 1), f"Cycle {cycle.number}"))
    several = len(analysis.phases) > 1
    median_lines = [
        (
            round(x(phase.first), 1) if several else pad_left,
            round(x(phase.last), 1) if several else width,
            round(y(phase.median), 1),
            f"median {phase.median:g}" if several else "median",
        )
        for phase in analysis.phases
    ]
    phase_marks = [
        (round(x(phase.first), 1), f"Phase {number}")
        for number, phase in enumerate(analysis.phases, start=1)
        if number > 1
    ]
    return RunChart(
        points=chart_points,
        analysis=analysis,
        width=width,
        height=height,
        y_ticks=ticks,
        cycle_marks=marks,
        median_lines=median_lines,
        phase_marks=phase_marks,
        measure=enquiry.measure,
    )


# Accounts -------------------------------------------------------------------------------------


def accounts_for(*, viewer) -> QuerySet[Account]:
    return _with_viewer(
        Account.objects.filter(policy.account_scope(viewer)).select_related(
            "enquiry__network", "enquiry__focus", "enquiry__group", "written_by"
        ),
        viewer,
        "enquiry__group_id",
    )


def accounts_in_network(*, viewer, network: Network, search: str = "") -> QuerySet[Account]:
    rows = accounts_for(viewer=viewer).filter(enquiry__network=network)
    for word in search.split()[:8]:
        rows = rows.filter(
            Q(title__icontains=word)
            | Q(question__icontains=word)
            | Q(what_we_tried__icontains=word)
            | Q(what_we_learned__icontains=word)
            | Q(what_others_could_try__icontains=word)
        )
    return rows


def published_in_network(*, viewer, network: Network, search: str = "") -> QuerySet[Account]:
    return accounts_in_network(viewer=viewer, network=network, search=search).filter(
        status=AccountStatus.PUBLISHED
    )


def account_for(*, viewer, network: Network, account_id: int) -> Account:
    return get_object_or_404(accounts_in_network(viewer=viewer, network=network), pk=account_id)


def readable_account_for(*, viewer, network_slug: str, account_id: int) -> Account:
    """An account the viewer may read, under its network's slug. One published for every network
    opens for members of other networks too, though nothing else of its network does."""
    rows = accounts_for(viewer=viewer).filter(enquiry__network__slug=network_slug)
    return get_object_or_404(rows, pk=account_id)


def shared_with(*, viewer) -> QuerySet[Account]:
    """Accounts other networks have published for every network: what is shared with the viewer
    from beyond their own networks, newest first."""
    return (
        accounts_for(viewer=viewer)
        .filter(status=AccountStatus.PUBLISHED, audience=Audience.ALL_NETWORKS)
        .exclude(enquiry__network_id__in=list(access_for(viewer).network_ids))
        .order_by("-published_at", "pk")
    )


def accounts_written_at(*, viewer, writing_day) -> QuerySet[Account]:
    """The published accounts written at a writing day that the viewer may read, with their
    enquiries' groups and schools: what the day's compilation gathers
    (docs/seed-practices.md#writing-days)."""
    return (
        accounts_for(viewer=viewer)
        .filter(writing_day=writing_day, status=AccountStatus.PUBLISHED)
        .prefetch_related("enquiry__schools")
        .order_by("title", "pk")
    )


def accounts_to_link(*, viewer, network: Network) -> list[Account]:
    """Accounts of the network the viewer may edit, not yet linked to a writing day."""
    rows = accounts_in_network(viewer=viewer, network=network).filter(writing_day__isnull=True)
    return [
        account
        for account in rows.order_by("title", "pk")
        if policy.can_edit_account(viewer, account)
    ]


def account_of(*, viewer, enquiry: Enquiry) -> Account | None:
    return accounts_for(viewer=viewer).filter(enquiry=enquiry).first()


# What serves a learning focus (the golden thread) ---------------------------------------------


def enquiries_serving(*, viewer, focus: LearningFocus) -> QuerySet[Enquiry]:
    """The enquiries the viewer may see that serve the focus or one of its goals, with their
    data points loaded, so their run charts cost no further query each (`run_charts_of`). Only
    the joins the golden thread shows (no group, account nor the viewer's membership: it checks
    no policy per enquiry)."""
    return (
        Enquiry.objects.filter(policy.enquiry_scope(viewer))
        .filter(Q(focus=focus) | Q(goal__focus=focus))
        .select_related("network", "goal")
        .prefetch_related("schools", "data_points", "cycles")
        .order_by("started", "pk")
    )


def run_charts_of(*, enquiries, network: Network) -> dict[int, RunChart]:
    """The run chart of each PDSA enquiry among `enquiries` (loaded by `enquiries_serving`),
    by enquiry id; the network's default rules are read once."""
    pdsa = [enquiry for enquiry in enquiries if enquiry.method == Method.PDSA]
    if not pdsa:
        return {}
    default = run_chart_default_of(network=network)
    return {enquiry.pk: run_chart_of(enquiry=enquiry, network_default=default) for enquiry in pdsa}


def published_accounts_serving(*, viewer, focus: LearningFocus) -> QuerySet[Account]:
    """Published accounts, as far as the viewer may read them, of enquiries serving the focus:
    what the golden thread lists of them and their links need, nothing a policy check reads."""
    return (
        Account.objects.filter(policy.account_scope(viewer))
        .filter(Q(enquiry__focus=focus) | Q(enquiry__goal__focus=focus))
        .filter(status=AccountStatus.PUBLISHED)
        .select_related("enquiry__network")
        .only("title", "published_at", "enquiry__network__slug")
        .order_by("-published_at", "pk")
    )


# Overview -------------------------------------------------------------------------------------


@dataclass
class Overview:
    enquiries: list
    stale: list
    by_method: list
    by_stage: list
    by_focus: list
    by_school: list
    schools_taking_part: list
    people_taking_part: list


def overview_of(*, viewer, network: Network, filters: dict | None = None) -> Overview:
    """Every enquiry of the network with its tallies, in a fixed number of queries."""
    enquiries = list(enquiries_in_network(viewer=viewer, network=network, filters=filters))
    now = timezone.now()
    for enquiry in enquiries:
        enquiry.is_stale = is_stale(enquiry, now=now)
    group_ids = {enquiry.group_id for enquiry in enquiries}
    person_ids = network_selectors.person_ids_in_groups(group_ids=group_ids)
    people = account_selectors.people().filter(pk__in=person_ids).order_by("name")
    methods = Counter(enquiry.get_method_display() for enquiry in enquiries)
    stages = Counter(enquiry.get_stage_display() for enquiry in enquiries)
    foci = Counter(enquiry.focus.title if enquiry.focus else "No focus" for enquiry in enquiries)
    schools = Counter(school.name for enquiry in enquiries for school in enquiry.schools.all())
    return Overview(
        enquiries=enquiries,
        stale=[enquiry for enquiry in enquiries if enquiry.is_stale],
        by_method=sorted(methods.items()),
        by_stage=sorted(stages.items()),
        by_focus=sorted(foci.items()),
        by_school=sorted(schools.items()),
        schools_taking_part=sorted(schools),
        people_taking_part=list(people),
    )


# The home ("what needs me") ---------------------------------------------------------------------


def home_items(context: HomeContext) -> list[HomeItem]:
    """Accounts of the person's groups awaiting their review (written by another member) or
    their publication, and accounts published since `since`. Two queries."""
    access = access_for(context.person)
    if access.person_id is None or access.is_pupil:
        return []
    items = []
    if context.network is None:
        network_ids = list(access.network_ids)
        own_groups = network_selectors.own_group_places(person_id=access.person_id).values(
            "group_id"
        )
        waiting = (
            Account.objects.filter(
                Q(status=AccountStatus.DRAFT) & ~Q(written_by_id=access.person_id)
                | Q(status=AccountStatus.REVIEWED),
                enquiry__network_id__in=network_ids,
                enquiry__group_id__in=own_groups,
            )
            .select_related("enquiry__network")
            .order_by("-updated_at", "pk")[: context.limit]
        )
        for account in waiting:
            verb = "Review" if account.status == AccountStatus.DRAFT else "Publish"
            items.append(
                HomeItem(
                    section=WAITING,
                    kind="Account",
                    title=f"{verb} the account “{account.title}”",
                    url=account.get_absolute_url(),
                    when=account.reviewed_at or account.updated_at,
                    network=account.enquiry.network.name,
                )
            )
    else:
        network_ids = [context.network.pk]
    published = (
        Account.objects.filter(
            status=AccountStatus.PUBLISHED,
            enquiry__network_id__in=network_ids,
            published_at__gt=context.since,
        )
        .select_related("enquiry__network")
        .only("title", "published_at", "enquiry__network__slug", "enquiry__network__name")
        .order_by("-published_at", "pk")[: context.limit]
    )
    items += [
        HomeItem(
            section=NEW,
            kind="Account",
            title=f"Published: {account.title}",
            url=account.get_absolute_url(),
            when=account.published_at,
            network=account.enquiry.network.name,
        )
        for account in published
    ]
    return items


# Counts per focus (a programme's side-by-side page) -------------------------------------------


@dataclass(frozen=True)
class FocusEnquiries:
    """How many enquiries serve a focus, which of its goals one serves, how many accounts of
    them are published: counts only, for a focus whose network the caller authorized."""

    enquiries: int = 0
    goal_ids: frozenset = frozenset()
    published_accounts: int = 0


def enquiries_by_focus(*, focus_ids) -> dict[int, FocusEnquiries]:
    """focus id → `FocusEnquiries`. Two queries, however many foci."""
    focus_ids = list(focus_ids)
    serving = Q(focus_id__in=focus_ids) | Q(goal__focus_id__in=focus_ids)
    enquiries: dict[int, set] = {}
    goals: dict[int, set] = {}
    for pk, focus_id, goal_id, goal_focus_id in Enquiry.objects.filter(serving).values_list(
        "pk", "focus_id", "goal_id", "goal__focus_id"
    ):
        for served in {focus_id, goal_focus_id} - {None}:
            enquiries.setdefault(served, set()).add(pk)
        if goal_id:
            goals.setdefault(goal_focus_id, set()).add(goal_id)
    accounts = Counter()
    for focus_id, goal_focus_id in Account.objects.filter(
        Q(enquiry__focus_id__in=focus_ids) | Q(enquiry__goal__focus_id__in=focus_ids),
        status=AccountStatus.PUBLISHED,
    ).values_list("enquiry__focus_id", "enquiry__goal__focus_id"):
        for served in {focus_id, goal_focus_id} - {None}:
            accounts[served] += 1
    return {
        focus_id: FocusEnquiries(
            enquiries=len(enquiries.get(focus_id, ())),
            goal_ids=frozenset(goals.get(focus_id, ())),
            published_accounts=accounts[focus_id],
        )
        for focus_id in focus_ids
    }


# For the network's health (docs/health.md#collaboration-map, #engagement-against-outcomes) -----


def account_authors_of(*, network: Network, since=None, until=None) -> list[tuple[int, int]]:
    """(account id, person id) for everyone who wrote an account of the network's enquiries, or
    a part of the enquiry behind it (an entry of its spiral, a research lesson taught): the
    account's co-authors, for the collaboration map. Accounts last changed between `since` and
    `until` when given. Three queries; ids only."""
    accounts = Account.objects.filter(enquiry__network=network)
    if since is not None:
        accounts = accounts.filter(updated_at__gte=since)
    if until is not None:
        accounts = accounts.filter(updated_at__lt=until)
    by_enquiry = dict(accounts.values_list("enquiry_id", "pk"))
    pairs = {
        (account_id, person_id)
        for account_id, person_id in accounts.values_list("pk", "written_by_id")
        if person_id
    }
    for enquiry_id, person_id in SpiralEntry.objects.filter(
        enquiry_id__in=list(by_enquiry), author__isnull=False
    ).values_list("enquiry_id", "author_id"):
        pairs.add((by_enquiry[enquiry_id], person_id))
    for enquiry_id, person_id in ResearchLesson.objects.filter(
        enquiry_id__in=list(by_enquiry), teacher__isnull=False
    ).values_list("enquiry_id", "teacher_id"):
        pairs.add((by_enquiry[enquiry_id], person_id))
    return sorted(pairs)


def account_schools_of(*, network: Network, since=None, until=None) -> list[tuple[int, int]]:
    """(account id, school id) for the schools of the enquiry behind each of the network's
    accounts (last changed between `since` and `until` when given). One query; ids only."""
    accounts = Account.objects.filter(enquiry__network=network)
    if since is not None:
        accounts = accounts.filter(updated_at__gte=since)
    if until is not None:
        accounts = accounts.filter(updated_at__lt=until)
    return list(
        accounts.filter(enquiry__schools__isnull=False)
        .order_by("pk", "enquiry__schools")
        .values_list("pk", "enquiry__schools")
    )


def enquiries_by_school(*, network: Network, since=None) -> dict[int, int]:
    """school id → how many of the network's enquiries it takes part in, of those still going
    at `since` (not ended before it) when given. One query; counts only."""
    enquiries = Enquiry.objects.filter(network=network, schools__isnull=False)
    if since is not None:
        enquiries = enquiries.filter(Q(ends__isnull=True) | Q(ends__gte=since.date()))
    return dict(
        enquiries.order_by()
        .values("schools")
        .annotate(n=Count("pk", distinct=True))
        .values_list("schools", "n")
    )
