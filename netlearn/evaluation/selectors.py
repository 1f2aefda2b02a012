"""Reads, through the viewer's scope: a programme another person evaluates answers 404.

The side-by-side page reads each consenting network's charter, golden threads, engagement and
outcomes through the owning apps' selectors, in a fixed number of queries however many networks
(`side_by_side`). It reads nothing personal: counts of meetings and attendance, goals' progress,
counts along the golden thread, and value added as published, through disclosure control applied
again at the programme's level (`netlearn.analytics.disclosure`).
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from netlearn.activities import selectors as activity_selectors
from netlearn.analytics import disclosure, value_added
from netlearn.charter import selectors as charter_selectors
from netlearn.core.home import WAITING, HomeContext, HomeItem
from netlearn.golden_thread import selectors as thread_selectors
from netlearn.impact import selectors as impact_selectors
from netlearn.networks import selectors as network_selectors
from netlearn.reports import selectors as report_selectors

from . import policy
from .models import Evaluator, NetworkProgramme, ProgrammeMembership

# Engagement is read over the year to date, as the golden thread reads attendance.
ENGAGEMENT_DAYS = 365


def programmes_for(*, viewer) -> QuerySet[NetworkProgramme]:
    return NetworkProgramme.objects.filter(policy.programme_scope(viewer)).order_by("name")


def programme_for(*, viewer, slug: str) -> NetworkProgramme:
    return get_object_or_404(programmes_for(viewer=viewer), slug=slug)


def programme_by_id_for(*, viewer, programme_id: int) -> NetworkProgramme:
    return get_object_or_404(programmes_for(viewer=viewer), pk=programme_id)


def memberships_of(*, programme: NetworkProgramme) -> QuerySet[ProgrammeMembership]:
    """Every open membership (invited or consented) of a programme the caller may see."""
    return (
        programme.memberships.filter(withdrawn_at__isnull=True)
        .select_related("network", "consented_by", "invited_by")
        .order_by("network__name")
    )


def consented_networks_of(*, programme: NetworkProgramme) -> list:
    return [
        membership.network
        for membership in memberships_of(programme=programme)
        if membership.is_consented
    ]


def evaluators_of(*, programme: NetworkProgramme) -> QuerySet[Evaluator]:
    return programme.evaluators.current().select_related("person").order_by("person__name")


def network_for(*, viewer, network_slug: str):
    """A network whose programme memberships the viewer (a co-leader) decides."""
    network = network_selectors.network_for(viewer=viewer, slug=network_slug)
    if not policy.can_view_memberships(viewer, network):
        raise Http404
    return network


def memberships_of_network(*, network) -> QuerySet[ProgrammeMembership]:
    """Every membership of the network, withdrawn ones too: the record of its consent."""
    return (
        ProgrammeMembership.objects.filter(network=network)
        .select_related("programme", "invited_by", "consented_by", "withdrawn_by")
        .order_by("withdrawn_at", "-invited_at")
    )


def membership_for(*, viewer, membership_id: int) -> ProgrammeMembership:
    return get_object_or_404(
        ProgrammeMembership.objects.filter(policy.membership_scope(viewer)).select_related(
            "programme", "network"
        ),
        pk=membership_id,
    )


def network_to_invite(*, slug: str):
    """Any network, by its slug: asking shows the evaluator nothing of it until it consents."""
    return network_selectors.network_with_slug(slug=slug)


def evaluated_network_reach(person_ids: list[int]) -> dict[int, set[int]]:
    """person id → the networks consenting to a programme the person evaluates today (one
    query): their read-only reach (`core.reach`, read by `networks.access`)."""
    reach: dict[int, set[int]] = {}
    today = timezone.localdate()
    for person_id, network_id in (
        Evaluator.objects.current(today)
        .filter(
            person_id__in=person_ids,
            programme__memberships__consented_at__isnull=False,
            programme__memberships__withdrawn_at__isnull=True,
        )
        .order_by()
        .values_list("person_id", "programme__memberships__network_id")
    ):
        reach.setdefault(person_id, set()).add(network_id)
    return reach


# Side by side -------------------------------------------------------------------------------


@dataclass
class FocusRow:
    focus: object
    goals: list  # charter GoalView: baseline, target, progress, status
    thread: object  # golden_thread ThreadSummary


@dataclass
class OutcomeRow:
    label: str  # the years
    measure: str
    problem: str
    network: disclosure.Figure | None
    peers: disclosure.Figure | None
    everyone: disclosure.Figure | None
    # The network's figure, interval, schools and pupils as published: what the programme's
    # combined figure is made from (`combined_outcomes`).
    published: disclosure.Figure | None = None
    network_lower: disclosure.Figure | None = None
    network_upper: disclosure.Figure | None = None
    schools: int = 0
    pupils: disclosure.Figure | None = None
    level: float = 0.95


@dataclass
class ProgrammeOutcome:
    """The programme's value added for one measure and years: the mean of the effects of all its
    networks' schools, made from the networks' published figures alone."""

    label: str  # the years
    measure: str
    networks: list[str]  # the networks whose figures it combines
    schools: int
    pupils: disclosure.Figure
    estimate: disclosure.Figure
    lower: disclosure.Figure
    upper: disclosure.Figure


@dataclass
class NetworkColumn:
    network: object
    membership: object
    foci: list[FocusRow] = field(default_factory=list)
    engagement: object = None
    outcomes: list[OutcomeRow] = field(default_factory=list)
    reports: list = field(default_factory=list)  # its published progress reports

    @property
    def gaps(self) -> int:
        return sum(len(row.thread.gaps) for row in self.foci)


@dataclass
class SideBySide:
    programme: NetworkProgramme
    columns: list[NetworkColumn]
    start: datetime.date
    end: datetime.date
    rules: disclosure.Rules
    combined: list[ProgrammeOutcome] = field(default_factory=list)


def programme_rules(networks) -> disclosure.Rules:
    """The strictest of the networks' rules: a figure published beside another network's is
    suppressed as the strictest of them would suppress it."""
    rules = [impact_selectors.rules_for(network) for network in networks]
    if not rules:
        return disclosure.Rules(threshold=settings.IMPACT_SUPPRESSION_THRESHOLD)
    strictest = max(rules, key=lambda rule: (rule.threshold, rule.mode == disclosure.NEW_ZEALAND))
    return disclosure.Rules(threshold=max(rule.threshold for rule in rules), mode=strictest.mode)


def _again(figure, rules, *, decimals: int = 2) -> disclosure.Figure | None:
    """A network's published group figure, checked again under the programme's rules."""
    if figure is None:
        return None
    return disclosure.figure(figure.value, figure.n, rules, decimals=decimals)


def _outcome_rows(reports, rules) -> list[OutcomeRow]:
    rows = []
    for report in reports:
        network = report.group("network")
        peers = report.group("peers")
        everyone = report.group("all")
        rows.append(
            OutcomeRow(
                label=report.label,
                measure=report.run.dataset.measure.name if report.run.dataset.measure else "",
                problem=report.problem,
                network=_again(network.estimate, rules) if network else None,
                peers=_again(peers.estimate, rules) if peers else None,
                everyone=_again(everyone.estimate, rules) if everyone else None,
                # As the network publishes them (three decimals), checked again as above.
                published=_again(network.estimate, rules, decimals=3) if network else None,
                network_lower=_again(network.lower, rules, decimals=3) if network else None,
                network_upper=_again(network.upper, rules, decimals=3) if network else None,
                schools=network.schools if network else 0,
                pupils=network.pupils if network else None,
                level=float((report.run.results or {}).get("level") or 0.95),
            )
        )
    return rows


def combined_outcomes(
    programme: NetworkProgramme, columns: list[NetworkColumn], rules: disclosure.Rules
) -> list[ProgrammeOutcome]:
    """The programme's value added, measure by measure and years by years, across its networks.

    Made from the figures each network publishes at the programme's level (its mean effect, its
    interval, its schools and pupils), so it can tell nothing those figures do not: where any
    network's figure for the measure and years is withheld (`c`) or `low`, the combined figure is
    withheld too (`disclosure.combined_hidden`), since it would otherwise give that network's
    figure back by subtraction. A network whose model gave no figure at all (`problem`) is not in
    it. Method: `netlearn.analytics.value_added.combined_mean`. No queries."""
    parts: dict[tuple[str, str], list[tuple[object, OutcomeRow]]] = {}
    for column in columns:
        for row in column.outcomes:
            if row.problem or row.network is None:
                continue
            parts.setdefault((row.measure, row.label), []).append((column.network, row))
    combined = []
    for (measure, label), rows in sorted(parts.items()):
        figures = [
            figure
            for _, row in rows
            for figure in (
                row.network,
                row.published,
                row.network_lower,
                row.network_upper,
                row.pupils,
            )
        ]
        hidden = disclosure.combined_hidden(
            [f or disclosure.Figure(None, None, "") for f in figures]
        )
        names = [network.name for network, _ in rows]
        if hidden:
            withheld = disclosure.Figure(None, None, disclosure.SUPPRESSED)
            combined.append(
                ProgrammeOutcome(label, measure, names, 0, withheld, withheld, withheld, withheld)
            )
            continue
        mean = value_added.combined_mean(
            [row.published.value for _, row in rows],
            [
                value_added.se_of_interval(
                    row.network_lower.value, row.network_upper.value, level=row.level
                )
                for _, row in rows
            ],
            [row.schools for _, row in rows],
            [row.pupils.value for _, row in rows],
        )
        shown = dict(rules=rules, decimals=3)
        combined.append(
            ProgrammeOutcome(
                label=label,
                measure=measure,
                networks=names,
                schools=mean.schools,
                pupils=disclosure.count(
                    mean.pupils, rules, key=f"programme {programme.pk}/{measure}/{label}"
                ),
                estimate=disclosure.figure(mean.estimate, mean.pupils, **shown),
                lower=disclosure.figure(mean.lower, mean.pupils, **shown),
                upper=disclosure.figure(mean.upper, mean.pupils, **shown),
            )
        )
    return combined


def side_by_side(*, programme: NetworkProgramme, today: datetime.date | None = None) -> SideBySide:
    """Each consenting network's charter foci with their goals' progress and golden-thread
    counts, its engagement over the year, its value added and its published reports. Caller has
    read `programme` through `programme_for`. A fixed number of queries, however many networks."""
    today = today or timezone.localdate()
    start = today - datetime.timedelta(days=ENGAGEMENT_DAYS)
    memberships = [m for m in memberships_of(programme=programme) if m.is_consented]
    networks = [membership.network for membership in memberships]
    network_ids = [network.pk for network in networks]
    rules = programme_rules(networks)
    columns = {
        membership.network_id: NetworkColumn(network=membership.network, membership=membership)
        for membership in memberships
    }
    if not columns:
        return SideBySide(programme, [], start, today, rules)
    foci = list(charter_selectors.foci_of_networks(network_ids=network_ids))
    threads = thread_selectors.thread_summaries_of(foci=foci)
    for focus in foci:
        view = charter_selectors.focus_view(focus)
        columns[focus.charter.network_id].foci.append(
            FocusRow(focus=focus, goals=view.goals, thread=threads[focus.pk])
        )
    engagement = activity_selectors.engagement_of_networks(
        network_ids=network_ids, start=start, end=today
    )
    networks_value_added = impact_selectors.value_added_of_networks(networks=networks)
    reports = report_selectors.published_reports_of_networks(network_ids=network_ids)
    for network_id, column in columns.items():
        column.reports = reports[network_id]
        column.engagement = engagement[network_id]
        column.outcomes = _outcome_rows(networks_value_added[network_id], rules)
    ordered = list(columns.values())
    return SideBySide(
        programme, ordered, start, today, rules, combined_outcomes(programme, ordered, rules)
    )


def membership_filter(viewer):
    """The memberships the viewer sees from the network's side (`policy.membership_scope`)."""
    return policy.membership_scope(viewer)


# The home ("what needs me") -------------------------------------------------------------------


def home_items(context: HomeContext) -> list[HomeItem]:
    """On the personal home (waiting): the programmes the person evaluates, their networks
    side by side to evaluate, and invitations waiting for consent in the networks they co-lead.
    Nothing on a network's home. Two queries, or none for a person who neither evaluates nor
    co-leads."""
    person = context.person
    if context.network is not None:
        return []
    items = []
    evaluated = policy.reach_for(person).programme_ids
    if evaluated:
        for programme in NetworkProgramme.objects.filter(pk__in=evaluated).order_by("name")[
            : context.limit
        ]:
            items.append(
                HomeItem(
                    section=WAITING,
                    title=f"{programme.name}: its networks side by side",
                    url=reverse("evaluation:detail", args=[programme.slug]),
                    kind="Programme",
                )
            )
    led = policy.co_led_network_ids(person)
    if led:
        waiting = (
            ProgrammeMembership.objects.filter(
                network_id__in=led, consented_at__isnull=True, withdrawn_at__isnull=True
            )
            .select_related("programme", "network")
            .order_by("invited_at", "pk")[: context.limit]
        )
        for membership in waiting:
            items.append(
                HomeItem(
                    section=WAITING,
                    title=f"{membership.programme.name} asks to evaluate the network",
                    url=reverse("evaluation:network_programmes", args=[membership.network.slug]),
                    when=membership.invited_at,
                    network=membership.network.name,
                    kind="Programme",
                )
            )
    return items
