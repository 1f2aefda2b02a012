"""Reading progress reports, and compiling a report's figures from the apps that hold them.

A report's contents are plain data (`compile_contents`): sections of tables whose cells are the
figures as they are shown, already through each app's own scope and, for outcomes, through
disclosure control (impact's `run_report`). The page, the PDF and the XLSX all render the same
data, so their figures cannot disagree; a published version stores it (`ReportVersion.snapshot`)
and is rendered from what it stored, whatever the data says later.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from netlearn.activities import selectors as activity_selectors
from netlearn.activities.models import Kind as ActivityKind
from netlearn.charter import selectors as charter_selectors
from netlearn.core.home import WAITING, HomeContext, HomeItem
from netlearn.enquiry import selectors as enquiry_selectors
from netlearn.exchange import policy as exchange_policy
from netlearn.exchange import release as exchange_release
from netlearn.exchange import selectors as exchange_selectors
from netlearn.golden_thread import policy as thread_policy
from netlearn.golden_thread import selectors as thread_selectors
from netlearn.impact import selectors as impact_selectors
from netlearn.library import selectors as library_selectors
from netlearn.networks import selectors as network_selectors
from netlearn.networks.access import access_for

from . import policy
from .models import ProgressReport, ReportVersion, VersionStatus

# The version of the contents' shape, stored with a snapshot so a later reader knows it.
CONTENTS_FORMAT = 1
NARRATIVE = (
    ("summary", "Summary"),
    ("highlights", "What went well"),
    ("challenges", "What was hard"),
    ("next_steps", "Next steps"),
)


def network_for(*, viewer, network_slug: str):
    network = network_selectors.network_with_slug(slug=network_slug)
    if network is None or not policy.can_view_reports(viewer, network):
        raise Http404
    return network


def reports_for(*, viewer, network) -> QuerySet[ProgressReport]:
    return (
        ProgressReport.objects.filter(policy.report_scope(viewer), network=network)
        .select_related("network")
        .order_by("-ends_on", "-pk")
    )


def report_for(*, viewer, network, report_id: int) -> ProgressReport:
    return get_object_or_404(reports_for(viewer=viewer, network=network), pk=report_id)


def versions_of(*, report: ProgressReport) -> QuerySet[ReportVersion]:
    return report.versions.order_by("-number")


def open_version_of(*, report: ProgressReport) -> ReportVersion | None:
    return report.versions.exclude(status=VersionStatus.PUBLISHED).first()


def latest_published_of(*, report: ProgressReport) -> ReportVersion | None:
    return report.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()


def version_to_show(*, viewer, report: ProgressReport, number: int | None = None):
    """The version a viewer reads: the numbered one if they may see it, else the latest
    published, else (for those who draft) the open one. 404 for a version they may not see."""
    may_draft = policy.can_draft(viewer, report.network)
    versions = versions_of(report=report)
    if not may_draft:
        versions = versions.filter(status=VersionStatus.PUBLISHED)
    if number is not None:
        return get_object_or_404(versions, number=number)
    published = versions.filter(status=VersionStatus.PUBLISHED).first()
    shown = published or versions.first()
    if shown is None:
        raise Http404
    return shown


# Compiling the figures -----------------------------------------------------------------------


def _day(value) -> str:
    return value.strftime("%-d %b %Y") if value else "—"


def _number(value, places: int | None = None) -> str:
    if value is None:
        return "—"
    if places is None:
        text = f"{value}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text
    return f"{value:,.{places}f}"


def _table(key: str, title: str, columns: list[str], rows: list[list], empty: str) -> dict:
    return {
        "key": key,
        "title": title,
        "columns": columns,
        "rows": [[str(cell) for cell in row] for row in rows],
        "empty": empty,
    }


def _window(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, ...]:
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, zone)
    return since, until


def _charter_section(*, viewer, network) -> tuple[dict, list]:
    charter = charter_selectors.charter_of(viewer=viewer, network=network)
    foci = list(charter_selectors.foci_of(charter=charter)) if charter else []
    rows = []
    for focus in foci:
        view = charter_selectors.focus_view(focus)
        for goal_view in view.goals:
            goal, status = goal_view.goal, goal_view.status
            latest = status.latest.value if status.latest else None
            rows.append(
                [
                    focus.title,
                    goal.measure,
                    goal.unit,
                    _number(goal.baseline_value),
                    _number(goal.target_value),
                    _number(latest),
                    status.label,
                ]
            )
    section = {
        "key": "charter",
        "title": "Charter and learning foci",
        "paragraphs": [charter.purpose] if charter and charter.purpose else [],
        "items": [focus.title for focus in foci],
        "tables": [
            _table(
                "goals",
                "Goals of the learning foci",
                ["Focus", "Goal", "Unit", "Baseline", "Target", "Latest", "Progress"],
                rows,
                "The charter has no measurable goal yet.",
            )
        ],
    }
    return section, foci


def _threads_section(*, viewer, foci, end) -> dict:
    rows, gaps = [], []
    for focus in foci:
        thread = thread_selectors.thread_of(viewer=viewer, focus=focus, today=end)
        rows.append(
            [
                focus.title,
                len(thread.activities),
                len(thread.enquiries),
                len(thread.accounts),
                len(thread.resources),
                len(thread.gaps),
            ]
        )
        gaps.extend(f"{focus.title}: {gap.text}" for gap in thread.gaps)
    return {
        "key": "threads",
        "title": "Golden threads",
        "paragraphs": [
            "From each focus to what serves it: the links held in Netlearn, and the gaps still "
            "to fill."
        ],
        "items": gaps,
        "tables": [
            _table(
                "threads",
                "What serves each learning focus",
                ["Focus", "Activities", "Enquiries", "Accounts", "Resources", "Gaps"],
                rows,
                "The charter has no learning focus yet.",
            )
        ],
    }


def _happened_section(*, viewer, network, start, end) -> dict:
    since, until = _window(start, end)
    activities = (
        activity_selectors.activities_in_network(viewer=viewer, network=network)
        .filter(starts_at__gte=since, starts_at__lt=until, cancelled_at__isnull=True)
        .order_by("starts_at", "pk")
    )
    attendance = activity_selectors.attendance_report(
        viewer=viewer, network=network, start=start, end=end
    )
    enquiries = (
        enquiry_selectors.enquiries_in_network(viewer=viewer, network=network)
        .filter(started__lte=end)
        .filter(Q(ends__isnull=True) | Q(ends__gte=start))
        .order_by("started", "pk")
    )
    accounts = (
        enquiry_selectors.published_in_network(viewer=viewer, network=network)
        .filter(published_at__gte=since, published_at__lt=until)
        .order_by("published_at", "pk")
    )
    resources = (
        library_selectors.library_of(viewer=viewer, network=network)
        .filter(network=network, endorsed_at__gte=since, endorsed_at__lt=until)
        .select_related("school")
        .order_by("endorsed_at", "pk")
    )
    return {
        "key": "happened",
        "title": "What happened",
        "paragraphs": [
            f"{attendance.meetings} network meetings had their register taken; the attendance "
            f"commitment is {_number(attendance.threshold)}%."
        ],
        "items": [],
        "tables": [
            _table(
                "activities",
                "Activities",
                ["Date", "Activity", "Kind"],
                [
                    [_day(timezone.localtime(a.starts_at)), a.title, a.get_kind_display()]
                    for a in activities
                ],
                "No activity took place in this period.",
            ),
            _table(
                "attendance",
                "Attendance at network meetings",
                ["School", "Meetings invited", "Attended", "Attendance", "Keeps the commitment"],
                [
                    [
                        row.school.name,
                        row.rate.invited,
                        row.rate.attended,
                        f"{row.rate.percent}%" if row.rate.percent is not None else "—",
                        "No register"
                        if row.rate.percent is None
                        else ("Below" if row.below_commitment else "Yes"),
                    ]
                    for row in attendance.schools
                ],
                "The network has no member school.",
            ),
            _table(
                "enquiries",
                "Enquiries",
                ["Question", "Method", "Stage", "Started"],
                [
                    [e.question, e.get_method_display(), e.get_stage_display(), _day(e.started)]
                    for e in enquiries
                ],
                "No enquiry ran in this period.",
            ),
            _table(
                "accounts",
                "Accounts published",
                ["Account", "Published"],
                [[a.title, _day(timezone.localtime(a.published_at))] for a in accounts],
                "No account was published in this period.",
            ),
            _table(
                "library",
                "Library resources endorsed",
                ["Resource", "School", "Endorsed"],
                [
                    [r.title, r.school.name, _day(timezone.localtime(r.endorsed_at))]
                    for r in resources
                ],
                "No resource was endorsed in this period.",
            ),
        ],
    }


def _money_section(*, viewer, network, start, end) -> dict:
    section = {"key": "money", "title": "Money", "paragraphs": [], "items": [], "tables": []}
    if not exchange_policy.can_view_budgets(viewer, network):
        section["paragraphs"].append("The network's budgets are not open to this report's author.")
        return section
    years = range(
        exchange_release.budget_year(network, start), exchange_release.budget_year(network, end) + 1
    )
    budgets = exchange_selectors.with_figures(
        exchange_selectors.budgets_for(viewer=viewer, network=network).filter(year__in=years)
    ).order_by("year", "pk")
    rows = []
    for budget in budgets:
        figures = exchange_selectors.figures_of(budget)
        entries = exchange_selectors.entries_of(budget=budget).filter(
            occurred_on__gte=start, occurred_on__lte=end
        )
        received = sum((e.cash_effect for e in entries if e.cash_effect > 0), start=0)
        spent = -sum((e.cash_effect for e in entries if e.cash_effect < 0), start=0)
        rows.append(
            [
                budget.name or budget.get_purpose_display(),
                budget.year,
                _number(received, 2),
                _number(spent, 2),
                _number(figures.cash.amount, 2),
                _number(figures.committed.amount, 2),
                _number(figures.available.amount, 2),
            ]
        )
    section["paragraphs"].append(f"Amounts in {network.currency}.")
    section["tables"].append(
        _table(
            "budgets",
            "Budgets and spending",
            [
                "Budget",
                "Year",
                "Received in period",
                "Spent in period",
                "Cash",
                "Committed",
                "Available",
            ],
            rows,
            "The network holds no budget for these years.",
        )
    )
    return section


def _outcomes_section(*, viewer, network, foci) -> dict:
    section = {
        "key": "outcomes",
        "title": "Outcomes",
        "paragraphs": [
            "Value added of the network's schools on the goals' measures, as the disclosure "
            "rules publish it: c is a figure resting on too few pupils to show."
        ],
        "items": [],
        "tables": [],
    }
    if not thread_policy.can_view_value_added(viewer, network):
        section["paragraphs"] = ["Outcome figures are not open to this report's author."]
        return section
    goal_ids = [goal.pk for focus in foci for goal in charter_selectors.goals_of(focus=focus)]
    found = impact_selectors.value_added_for_goals(
        viewer=viewer, network=network, goal_ids=goal_ids
    )
    rows = []
    for goal_value_added in found:
        report = goal_value_added.report
        measure = goal_value_added.measure.name
        if report is None:
            rows.append([measure, "No model run yet", "", "", ""])
            continue
        if report.suppressed:
            rows.append([measure, "c", "c", "c", "c"])
            continue
        for row in report.effects:
            if row.in_network:
                interval = (
                    "c" if row.lower.shown == "c" else f"{row.lower.shown} to {row.upper.shown}"
                )
                rows.append([measure, row.school, row.estimate.shown, interval, row.n.shown])
    section["tables"].append(
        _table(
            "value_added",
            "Value added by school",
            ["Measure", "School", "Value added", "95% interval", "Pupils"],
            rows,
            "No goal takes its figures from an outcome measure yet.",
        )
    )
    return section


def compile_contents(*, viewer, report: ProgressReport, now=None) -> dict:
    """The report's figures for its period, as `viewer` may see them, as plain data."""
    network = report.network
    start, end = report.starts_on, report.ends_on
    charter, foci = _charter_section(viewer=viewer, network=network)
    sections = [
        charter,
        _threads_section(viewer=viewer, foci=foci, end=end),
        _happened_section(viewer=viewer, network=network, start=start, end=end),
        _money_section(viewer=viewer, network=network, start=start, end=end),
        _outcomes_section(viewer=viewer, network=network, foci=foci),
    ]
    return {
        "format": CONTENTS_FORMAT,
        "network": network.name,
        "title": report.title,
        "period": report.get_period_kind_display(),
        "starts_on": _day(start),
        "ends_on": _day(end),
        "compiled_at": (now or timezone.now()).isoformat(),
        "sections": sections,
    }


def contents_of(*, viewer, version: ReportVersion) -> dict:
    """A published version's stored figures; an open version's compiled now."""
    if version.snapshot is not None:
        return version.snapshot
    return compile_contents(viewer=viewer, report=version.report)


@dataclass(frozen=True)
class Document:
    """What the page, the PDF and the XLSX render: contents and the version's narrative."""

    report: ProgressReport
    version: ReportVersion
    contents: dict

    @property
    def narrative(self) -> list[tuple[str, str, str]]:
        return [(key, title, getattr(self.version, key)) for key, title in NARRATIVE]

    @property
    def toc(self) -> list[tuple[str, str]]:
        entries = [("narrative", "Our account of the period")]
        entries += [(s["key"], s["title"]) for s in self.contents["sections"]]
        return entries

    @property
    def figures(self) -> list[str]:
        """Every cell of every table holding a digit: what the PDF must show as the page does."""
        return [
            cell
            for section in self.contents["sections"]
            for table in section["tables"]
            for row in table["rows"]
            for cell in row
            if any(ch.isdigit() for ch in cell)
        ]


def document_of(*, viewer, report, version) -> Document:
    return Document(report, version, contents_of(viewer=viewer, version=version))


# Home ----------------------------------------------------------------------------------------


def home_items(context: HomeContext) -> list[HomeItem]:
    """Reports waiting in review, on the personal homes of those who may publish them (one
    query). Nothing on a network's home, which shows nothing waiting (core/home.build_feed)."""
    person = context.person
    if context.network is not None:
        return []
    access = access_for(person)
    ids = [
        network_id
        for network_id in access.network_ids
        if access.is_site_admin or access.holds(*policy.DRAFTING_ROLES, in_network=network_id)
    ]
    if not ids:
        return []
    waiting = (
        ReportVersion.objects.filter(status=VersionStatus.IN_REVIEW, report__network_id__in=ids)
        .exclude(submitted_by=person)
        .select_related("report__network")
        .order_by("-submitted_at")[: context.limit]
    )
    return [
        HomeItem(
            section=WAITING,
            title=f"{version.report.title}: waiting for your review",
            url=reverse("reports:detail", args=[version.report.network.slug, version.report.pk]),
            when=version.submitted_at,
            network=version.report.network.name,
            kind="Progress report",
        )
        for version in waiting
    ]


# Writing days ---------------------------------------------------------------------------------


def writing_days_of(*, viewer, network) -> QuerySet:
    """The network's writing days the viewer may see, newest first."""
    return (
        activity_selectors.activities_in_network(viewer=viewer, network=network)
        .filter(kind=ActivityKind.WRITING_DAY)
        .order_by("-starts_at", "-pk")
    )


def writing_day_for(*, viewer, network, writing_day_id: int):
    """A writing day of the network the viewer may see; any other activity answers 404."""
    if not policy.can_view_writing_day(viewer, network):
        raise Http404
    return get_object_or_404(writing_days_of(viewer=viewer, network=network), pk=writing_day_id)


@dataclass(frozen=True)
class Compilation:
    """A writing day's published accounts, gathered into one document
    (docs/seed-practices.md#writing-days)."""

    network: object
    writing_day: object
    accounts: list

    @property
    def schools(self) -> list[str]:
        names = {school.name for a in self.accounts for school in a.enquiry.schools.all()}
        return sorted(names)


def compilation_of(*, viewer, network, writing_day) -> Compilation:
    accounts = list(enquiry_selectors.accounts_written_at(viewer=viewer, writing_day=writing_day))
    return Compilation(network, writing_day, accounts)


def published_reports_of_networks(*, network_ids) -> dict[int, list[ProgressReport]]:
    """network id → its published reports, newest period first. One query, however many
    networks (a programme's side-by-side page); the caller authorized every network."""
    found: dict[int, list[ProgressReport]] = {network_id: [] for network_id in network_ids}
    for report in (
        ProgressReport.objects.filter(network_id__in=list(network_ids), published_at__isnull=False)
        .select_related("network")
        .order_by("-ends_on", "-pk")
    ):
        found[report.network_id].append(report)
    return found
