"""Reads of the impact app, through the policy's scopes (another network's objects 404), and the
published form of every figure: school results, trends and model runs pass through
`netlearn.analytics.disclosure` here, once, so pages, CSV files, charts and the API show the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from netlearn.analytics import disclosure, schools
from netlearn.analytics.errors import FormulaError
from netlearn.analytics.formula import parse_formula
from netlearn.networks import selectors as network_selectors
from netlearn.networks.country import other_countries_measures, profile_of
from netlearn.networks.models import Network

from . import policy
from .models import (
    Dataset,
    DatasetKind,
    GoalLink,
    Measure,
    ModelRun,
    PendingImport,
    PupilRecord,
    RunStatus,
    SchoolResult,
)


def network_for(*, viewer, network_slug: str) -> Network:
    network = network_selectors.network_for(viewer=viewer, slug=network_slug)
    if not policy.can_view_impact(viewer, network):
        raise Http404
    return network


def rules_for(network: Network) -> disclosure.Rules:
    """England's rules, or New Zealand's for a Kāhui Ako (or when the site says so)."""
    mode = settings.IMPACT_DISCLOSURE_MODE
    if profile_of(network).disclosure_mode == disclosure.NEW_ZEALAND:
        mode = disclosure.NEW_ZEALAND
    return disclosure.Rules(threshold=settings.IMPACT_SUPPRESSION_THRESHOLD, mode=mode)


def measures_for(*, viewer) -> QuerySet[Measure]:
    return Measure.objects.filter(policy.measure_scope(viewer)).select_related("network")


def measures_of(*, network: Network) -> QuerySet[Measure]:
    """The shared measures of the network's country and its own (networks/country.py)."""
    measures = Measure.objects.filter(Q(network__isnull=True) | Q(network=network))
    for prefix in other_countries_measures(network):
        measures = measures.exclude(network__isnull=True, code__startswith=prefix)
    return measures


def datasets_for(*, viewer) -> QuerySet[Dataset]:
    return (
        Dataset.objects.filter(policy.dataset_scope(viewer))
        .select_related("network", "measure")
        .annotate(
            school_rows=Count("school_results", distinct=True),
            pupil_rows=Count("pupil_records", distinct=True),
        )
    )


def datasets_of(*, viewer, network: Network) -> QuerySet[Dataset]:
    return datasets_for(viewer=viewer).filter(network=network)


def dataset_for(*, viewer, dataset_id: int) -> Dataset:
    return get_object_or_404(datasets_for(viewer=viewer), pk=dataset_id)


def runs_for(*, viewer) -> QuerySet[ModelRun]:
    return ModelRun.objects.filter(policy.run_scope(viewer)).select_related(
        "dataset__network", "dataset__measure"
    )


def runs_of(*, dataset: Dataset) -> QuerySet[ModelRun]:
    return dataset.runs.select_related("dataset__network", "dataset__measure")


def run_for(*, viewer, run_id: int) -> ModelRun:
    return get_object_or_404(runs_for(viewer=viewer), pk=run_id)


def pending_for(*, viewer, pending_id: int) -> PendingImport:
    pending = get_object_or_404(
        PendingImport.objects.filter(policy.network_scope(viewer)).select_related(
            "network", "measure"
        ),
        pk=pending_id,
    )
    if not policy.can_continue_import(viewer, pending):
        raise Http404
    return pending


def pupil_records(*, viewer, dataset: Dataset) -> QuerySet[PupilRecord]:
    """Pupil-level rows the viewer's data role reaches; empty for everyone else."""
    return (
        dataset.pupil_records.filter(policy.pupil_record_scope(viewer))
        .select_related("school")
        .order_by("school__name", "pupil", "year")
    )


def goal_links_of(*, network: Network) -> dict[int, GoalLink]:
    links = GoalLink.objects.filter(goal__focus__charter__network=network).select_related("measure")
    return {link.goal_id: link for link in links}


# Published figures ---------------------------------------------------------------------------


# No schools to make a figure from (e.g. no peer schools in the file): nothing to suppress.
NO_FIGURE = disclosure.Figure(None, None, "")


Cell = tuple[int, int]  # (school id, year) of one measure in one network: one cohort


@dataclass
class CohortSuppression:
    """Which cohorts, and which totals over them, may be published for one measure of a network.

    Every dataset of the measure that holds a school's figure for a year describes the same
    pupils, so the decision is made once for the cohort (school, year, measure) over every table
    that could be set against another: each dataset's schools in each year and the totals over
    them, the network's figure across its datasets (charter goals), and the cells by which two
    such totals differ. A cell hidden in one table is hidden in all of them.
    """

    rules: disclosure.Rules
    hidden: frozenset[Cell] = frozenset()
    shown_totals: frozenset[frozenset[Cell]] = frozenset()

    def cell_hidden(self, school_id: int, year: int) -> bool:
        return (school_id, year) in self.hidden

    def total_shown(self, cells) -> bool:
        """Whether a total over exactly these cells may be published."""
        return frozenset(cells) in self.shown_totals


def cohort_suppression(*, network: Network, measure: Measure) -> CohortSuppression:
    rules = rules_for(network)
    rows = SchoolResult.objects.filter(
        dataset__network=network, dataset__measure=measure
    ).values_list("dataset_id", "school_id", "year", "cohort", "is_comparison")
    smallest: dict[Cell, int] = {}
    sets: dict[tuple[int, int, bool], set[Cell]] = {}
    for dataset_id, school_id, year, cohort, is_comparison in rows:
        cell = (school_id, year)
        # Two datasets may disagree on a cohort's size: the smaller decides (the safe side).
        smallest[cell] = min(cohort, smallest.get(cell, cohort))
        sets.setdefault((dataset_id, year, bool(is_comparison)), set()).add(cell)
    if not smallest:
        return CohortSuppression(rules=rules)
    cells = sorted(smallest)
    index = {cell: i for i, cell in enumerate(cells)}
    counts = np.array([smallest[cell] for cell in cells], dtype=np.int64)
    # The totals published over the cells, by year and side (network schools, comparison
    # schools): each dataset's, and the network's figure over all its datasets (charter).
    totals: dict[tuple[int, bool], set[frozenset[Cell]]] = {}
    union: dict[int, set[Cell]] = {}
    for (_, year, comparison), members in sets.items():
        totals.setdefault((year, comparison), set()).add(frozenset(members))
        if not comparison:
            union.setdefault(year, set()).update(members)
    for year, members in union.items():
        totals[(year, False)].add(frozenset(members))
    groups = []
    for family in totals.values():
        family = sorted(family, key=sorted)
        groups.extend([index[cell] for cell in total] for total in family)
        for i, first in enumerate(family):
            for second in family[i + 1 :]:
                # One total minus the other gives back the cells only one of them covers.
                groups.append([index[cell] for cell in first ^ second])
    hidden = disclosure.protect(counts, groups, rules)

    def position(cell_set) -> list[int]:
        return [index[cell] for cell in cell_set]

    shown: set[frozenset[Cell]] = set()
    for family in totals.values():
        published: list[frozenset[Cell]] = []
        # The largest total first (the network's figure): a smaller one is hidden if it and a
        # total already published differ by cells that would give hidden ones back.
        for total in sorted(family, key=lambda cells_: (-len(cells_), sorted(cells_))):
            n = int(counts[position(total)].sum())
            if disclosure.total_hidden(hidden, position(total), n, rules, counts=counts):
                continue
            if any(
                disclosure.exposes(counts, hidden, position(total ^ other), rules)
                for other in published
            ):
                continue
            published.append(total)
        shown.update(published)
    return CohortSuppression(
        rules=rules,
        hidden=frozenset(cell for cell, hide in zip(cells, hidden, strict=True) if hide),
        shown_totals=frozenset(shown),
    )


@dataclass(frozen=True)
class SchoolRow:
    school: str
    school_id: int
    year: int
    value: disclosure.Figure
    cohort: disclosure.Figure
    disadvantage: float | None
    quartile: int | str
    against_the_odds: bool | str


@dataclass(frozen=True)
class TrendRow:
    year: int
    network: disclosure.Figure
    network_pupils: disclosure.Figure
    peers: disclosure.Figure
    peer_pupils: disclosure.Figure
    authority: float | None
    nation: float | None


@dataclass(frozen=True)
class Point:
    """A school on the scatter: only schools whose figure may be published are plotted."""

    label: str
    disadvantage: float
    value: float
    in_network: bool
    against_the_odds: bool


@dataclass
class SchoolReport:
    dataset: Dataset
    rules: disclosure.Rules
    band: tuple[float, float]
    year: int | None = None
    rows: list[SchoolRow] = field(default_factory=list)
    network_total: disclosure.Figure | None = None
    trend: list[TrendRow] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    association: schools.Association | None = None
    against_the_odds: list[str] = field(default_factory=list)
    comparison_schools: int = 0
    # What the disadvantage figures are: FSM % or New Zealand's Equity Index (an index).
    scale: schools.DisadvantageScale = field(default_factory=schools.DisadvantageScale.fsm)


def _plain(value) -> float | None:
    return None if value is None or value != value else round(float(value), 1)


def school_report(*, dataset: Dataset, band: tuple[float, float] | None = None) -> SchoolReport:
    """The school-year dataset as it may be published: the latest year's schools, the scatter,
    against-the-odds schools, and the network's trend against peers, authority and nation.

    The disadvantage figures follow their kind (`disadvantage_scale`): FSM % in England, the
    Equity Index in New Zealand, each with its own default band and peer tolerance.

    Every figure rests on its cohort; a school with fewer pupils than the threshold is `c`, and
    secondary suppression hides another school of the same year so that the network's total
    cannot give it back. Those decisions are the cohort's (`cohort_suppression`), the same in
    every dataset of the measure; a yearly total is `c` where it, or its difference from another
    table's, would give back hidden schools. Counts are published counts (rounded to base 3 in
    New Zealand, keyed by the cohort). Comparison schools outside the network are never named.
    """
    scale = disadvantage_scale(dataset.network)
    band = band or scale.band
    rules = rules_for(dataset.network)
    report = SchoolReport(dataset=dataset, rules=rules, band=band, scale=scale)
    results = list(
        SchoolResult.objects.filter(dataset=dataset)
        .select_related("school")
        .order_by("year", "school__name", "pk")
    )
    if not results:
        return report
    years = np.array([r.year for r in results], dtype=float)
    values = np.array([r.value for r in results], dtype=float)
    cohorts = np.array([r.cohort for r in results], dtype=float)
    fsm = np.array([np.nan if r.disadvantage is None else r.disadvantage for r in results])
    member = np.array([not r.is_comparison for r in results])
    # Secondary suppression is decided for the cohorts, over every dataset of the measure, so
    # that this table and any other cannot be set against each other (`cohort_suppression`).
    cohort = cohort_suppression(network=dataset.network, measure=dataset.measure)
    hidden = np.array([cohort.cell_hidden(r.school_id, r.year) for r in results])

    latest = int(years.max())
    report.year = latest
    now = years == latest
    higher = dataset.measure.higher_is_better
    quartile = np.zeros(len(results), dtype=int)
    odds = np.zeros(len(results), dtype=bool)
    quartile[now] = schools.quartiles(values[now], higher_is_better=higher)
    odds[now] = schools.against_the_odds(values[now], fsm[now], band=band, higher_is_better=higher)
    shown_now = now & ~hidden
    report.association = schools.association(values[shown_now], fsm[shown_now])
    report.comparison_schools = int((now & ~member).sum())
    for i in np.flatnonzero(now):
        result = results[i]
        if not result.is_comparison:
            # Keyed by the cohort: the same count in two datasets rounds the same way.
            key = f"{dataset.measure_id}/{result.school_id}/{result.year}"
            report.rows.append(
                SchoolRow(
                    school=result.school.name,
                    school_id=result.school_id,
                    year=result.year,
                    value=disclosure.figure(result.value, result.cohort, rules, hidden=hidden[i]),
                    cohort=disclosure.count(result.cohort, rules, key=key, hidden=hidden[i]),
                    disadvantage=_plain(result.disadvantage),
                    quartile=disclosure.SUPPRESSED if hidden[i] else int(quartile[i]),
                    against_the_odds=disclosure.SUPPRESSED if hidden[i] else bool(odds[i]),
                )
            )
        if not hidden[i] and not np.isnan(fsm[i]):
            report.points.append(
                Point(
                    label=result.school.name if not result.is_comparison else "Comparison school",
                    disadvantage=float(fsm[i]),
                    value=float(values[i]),
                    in_network=not result.is_comparison,
                    against_the_odds=bool(odds[i]),
                )
            )
    report.against_the_odds = [row.school for row in report.rows if row.against_the_odds is True]
    peers = (
        schools.peers(
            member,
            [r.school.authority for r in results],
            fsm,
            tolerance=scale.peer_tolerance,
        )
        | ~member
    )  # comparison schools the file brought are the peers
    comparison = schools.compare(
        years,
        values,
        cohorts,
        member,
        peers,
        authority_values=[
            np.nan if r.authority_value is None else r.authority_value for r in results
        ],
        nation_values=[np.nan if r.nation_value is None else r.nation_value for r in results],
    )
    for i, year in enumerate(comparison.years):
        network_n = int(comparison.network.n[i])
        peer_n = int(comparison.peers.n[i])
        in_year = years == year
        network_hidden = not cohort.total_shown(
            (r.school_id, r.year) for r, keep in zip(results, in_year & member, strict=True) if keep
        )
        peers_hidden = not cohort.total_shown(
            (r.school_id, r.year) for r, keep in zip(results, in_year & peers, strict=True) if keep
        )
        key = f"{dataset.measure_id}/{int(year)}"
        has_peers = bool(comparison.peers.schools[i])
        report.trend.append(
            TrendRow(
                year=int(year),
                network=disclosure.figure(
                    comparison.network.mean[i], network_n, rules, hidden=network_hidden
                ),
                network_pupils=disclosure.count(
                    network_n, rules, key=f"{key}/network", hidden=network_hidden
                ),
                peers=(
                    disclosure.figure(comparison.peers.mean[i], peer_n, rules, hidden=peers_hidden)
                    if has_peers
                    else NO_FIGURE
                ),
                peer_pupils=(
                    disclosure.count(peer_n, rules, key=f"{key}/peers", hidden=peers_hidden)
                    if has_peers
                    else NO_FIGURE
                ),
                authority=_plain(comparison.authority[i]),
                nation=_plain(comparison.nation[i]),
            )
        )
    report.network_total = report.trend[-1].network if report.trend else None
    return report


@dataclass(frozen=True)
class EffectRow:
    school: str
    group: str
    estimate: disclosure.Figure
    lower: disclosure.Figure
    upper: disclosure.Figure
    n: disclosure.Figure
    in_network: bool


@dataclass
class RunReport:
    run: ModelRun
    rules: disclosure.Rules
    suppressed: bool = False
    fixed: list[dict] = field(default_factory=list)
    variances: list[dict] = field(default_factory=list)
    icc: float | None = None
    loglik: float | None = None
    n_obs: int | None = None
    n: disclosure.Figure = NO_FIGURE
    dropped: disclosure.Figure = NO_FIGURE
    effects: list[EffectRow] = field(default_factory=list)
    factor: str = ""
    hidden_terms: int = 0


def _effects_of(results: dict) -> tuple[str, dict[str, list]]:
    """The school factor's effects as columns ({id, estimate, lower, upper, n}), from
    `MixedFit.to_json()`'s {factor: {group id: {estimate, se, lower, upper, n}}}."""
    effects = results.get("effects") or {}
    if not effects:
        return "", {}
    factor = "school" if "school" in effects else next(iter(effects))
    by_id = effects[factor]
    keys = ("estimate", "se", "lower", "upper", "n")
    columns = {"id": list(by_id)}
    columns.update({key: [by_id[group].get(key) for group in by_id] for key in keys})
    return factor, columns


def _formula_terms(formula: str) -> tuple[str, ...]:
    try:
        return parse_formula(formula).fixed
    except FormulaError:
        return ()


def run_report(*, run: ModelRun) -> RunReport:
    """A finished run as it may be published: variance components (resting on every pupil of the
    fit); each fixed effect with its standard error, `c` where it rests on a level of a factor
    with too few pupils (`disclosure.hidden_coefficients`: runs are refused before that, this
    guards what is stored); and each school's effect with its 95% interval, `c` where the school
    has fewer pupils than the threshold (and, by secondary suppression, more when the hidden
    schools could be told from the fit's total n)."""
    rules = rules_for(run.dataset.network)
    report = RunReport(run=run, rules=rules)
    results = run.results or {}
    if not results:
        return report
    report.n_obs = int(results.get("n_obs") or 0)
    if disclosure.is_hidden(report.n_obs, rules):
        report.suppressed = True
        report.n = disclosure.count(None, rules)
        return report
    report.n = disclosure.count(report.n_obs, rules, key=f"run {run.pk}/n")
    report.dropped = disclosure.count(
        int(results.get("n_dropped") or 0), rules, key=f"run {run.pk}/dropped"
    )
    fixed = results.get("fixed_effects") or {}
    hidden_terms = disclosure.hidden_coefficients(
        fixed, results.get("fixed_levels"), _formula_terms(run.formula), rules
    )
    report.hidden_terms = len(hidden_terms)
    report.fixed = [
        {"name": name, "estimate": disclosure.SUPPRESSED, "se": disclosure.SUPPRESSED}
        if name in hidden_terms
        else {"name": name, "estimate": term.get("estimate"), "se": term.get("se")}
        for name, term in fixed.items()
    ]
    report.variances = [
        {"name": name, "variance": value}
        for name, value in (results.get("variances") or {}).items()
    ]
    report.icc = results.get("icc")
    report.loglik = results.get("loglik")
    factor, columns = _effects_of(results)
    report.factor = factor
    ids = [str(value) for value in columns.get("id", [])]
    counts = [int(n) if n is not None else 0 for n in columns.get("n", [0] * len(ids))]
    # The fit's n is published, so the hidden schools must not be small even taken together.
    hidden = disclosure.protect(counts, [list(range(len(ids)))], rules, together=True)
    names_by_id = run.school_names or {}
    for i, group in enumerate(ids):
        n = counts[i]
        report.effects.append(
            EffectRow(
                # A school outside the network (a comparison school of the file) is not named.
                school=names_by_id.get(group, "Comparison school"),
                group=group,
                estimate=disclosure.figure(
                    columns["estimate"][i], n, rules, decimals=3, hidden=hidden[i]
                ),
                lower=disclosure.figure(
                    columns["lower"][i], n, rules, decimals=3, hidden=hidden[i]
                ),
                upper=disclosure.figure(
                    columns["upper"][i], n, rules, decimals=3, hidden=hidden[i]
                ),
                n=disclosure.count(n, rules, key=f"run {run.pk}/{group}", hidden=hidden[i]),
                in_network=group in names_by_id,
            )
        )
    report.effects.sort(key=lambda row: (row.estimate.value is None, row.estimate.value or 0.0))
    return report


@dataclass
class GoalValueAdded:
    """A goal's measure and the latest finished model of it, as it may be published."""

    goal_id: int
    measure: Measure
    report: RunReport | None


def value_added_for_goals(*, viewer, network: Network, goal_ids) -> list[GoalValueAdded]:
    """For each goal taking its figures from a measure (`GoalLink`), the latest finished run of
    the network's data on that measure that the viewer may see, published through `run_report`
    (disclosure control). Two queries, however many goals."""
    links = list(
        GoalLink.objects.filter(goal_id__in=list(goal_ids), goal__focus__charter__network=network)
        .select_related("measure")
        .order_by("goal_id")
    )
    if not links:
        return []
    latest: dict[int, ModelRun] = {}
    runs = runs_for(viewer=viewer).filter(
        dataset__network=network,
        dataset__measure_id__in={link.measure_id for link in links},
        status=RunStatus.DONE,
    )
    for run in runs.order_by("-finished_at", "-pk"):
        latest.setdefault(run.dataset.measure_id, run)
    return [
        GoalValueAdded(
            goal_id=link.goal_id,
            measure=link.measure,
            report=run_report(run=latest[link.measure_id]) if link.measure_id in latest else None,
        )
        for link in links
    ]


def school_summary(*, dataset: Dataset) -> list[dict]:
    """Pupils per school and year of a pupil dataset, each count through disclosure control;
    schools outside the network (comparison schools of the file) are not named."""
    rules = rules_for(dataset.network)
    members = set(
        network_selectors.member_school_ids(network=dataset.network).values_list(
            "school_id", flat=True
        )
    )
    rows = list(
        dataset.pupil_records.values("school_id", "school__name", "year")
        .annotate(pupils=Count("pk"))
        .order_by("year", "school_id")
    )
    for row in rows:
        # Comparison schools of the file are counted, never named, and listed after the
        # network's own (their order tells nothing of their names).
        row["label"] = row["school__name"] if row["school_id"] in members else "Comparison school"
    rows.sort(key=lambda row: (row["year"], row["school_id"] not in members, row["label"]))
    counts = [row["pupils"] for row in rows]
    groups = [
        [i for i, row in enumerate(rows) if row["year"] == year]
        for year in sorted({row["year"] for row in rows})
    ]
    # The dataset's number of rows is published too (lists, API): a total over every cell.
    groups.append(list(range(len(rows))))
    hidden = disclosure.protect(counts, groups, rules, mean=False, together=True)
    return [
        {
            "school": row["label"],
            "year": row["year"],
            "pupils": disclosure.count(
                row["pupils"],
                rules,
                key=f"{dataset.pk}/{row['school__name']}/{row['year']}",
                hidden=hidden[i],
            ),
        }
        for i, row in enumerate(rows)
    ]


def dataset_rows(dataset: Dataset) -> int | str:
    """The dataset's number of rows as published: school-year rows as they are; pupil rows are
    a count of pupils, so through disclosure control (rounded to base 3 in New Zealand).
    Expects `datasets_for`'s annotations."""
    if dataset.kind == DatasetKind.SCHOOL:
        return dataset.school_rows
    shown = disclosure.count(
        dataset.pupil_rows, rules_for(dataset.network), key=f"dataset {dataset.pk}/rows"
    )
    return shown.n if shown.n is not None else shown.shown


def dataset_kind_label(dataset: Dataset) -> str:
    return "pupil" if dataset.kind == DatasetKind.PUPIL else "school"


# Network value added (issue 17, item 2) ------------------------------------------------------


@dataclass(frozen=True)
class GroupValueAdded:
    """A group of schools' value added in one run, as published: the mean of its schools'
    effects with its interval (`netlearn.analytics.value_added.mean_effect`)."""

    key: str  # "network", "peers", "authority", "all"
    label: str
    schools: int
    pupils: disclosure.Figure
    estimate: disclosure.Figure
    lower: disclosure.Figure
    upper: disclosure.Figure


@dataclass(frozen=True)
class SchoolAgainstPeers:
    """A network school's effect, and its effect minus the peer schools' mean, as published."""

    school: str
    effect: disclosure.Figure
    lower: disclosure.Figure
    upper: disclosure.Figure
    difference: disclosure.Figure
    difference_lower: disclosure.Figure
    difference_upper: disclosure.Figure
    school_id: int | None = None


@dataclass
class RunValueAdded:
    run: ModelRun
    years: list[int]
    rules: disclosure.Rules
    # Why no figures could be made ("" when they could): no school level, two levels, too few.
    problem: str = ""
    groups: list[GroupValueAdded] = field(default_factory=list)
    schools: list[SchoolAgainstPeers] = field(default_factory=list)

    @property
    def label(self) -> str:
        if not self.years:
            return "—"
        first, last = self.years[0], self.years[-1]
        return str(first) if first == last else f"{first}–{last}"

    def group(self, key: str) -> GroupValueAdded | None:
        return next((group for group in self.groups if group.key == key), None)


def _hidden_groups(counts, hidden, groups: list[list[int]], rules) -> list[bool]:
    """Which group means to withhold. A group's mean times its number of schools (published) is
    a sum of effects: it may not give back a hidden school alone (`disclosure.total_hidden`),
    nor may two published groups, set against each other, give back the schools by which they
    differ. The largest group is decided first, as in `cohort_suppression`."""
    decided: list[bool] = [True] * len(groups)
    published: list[set[int]] = []
    for i in sorted(range(len(groups)), key=lambda i: (-len(groups[i]), i)):
        members = groups[i]
        n = int(sum(counts[j] for j in members))
        if not members or disclosure.total_hidden(hidden, members, n, rules, counts=counts):
            continue
        if any(
            disclosure.exposes(counts, hidden, sorted(set(members) ^ other), rules)
            for other in published
        ):
            continue
        published.append(set(members))
        decided[i] = False
    return decided


def run_value_added(*, run: ModelRun, network: Network, years=()) -> RunValueAdded:
    """One run's `network_value_added` (the run's page)."""
    ids = _school_ids_of(run)
    return _run_value_added(
        run=run,
        network=network,
        years=years,
        schools_by_reference=_schools_by_reference(ids, network.country),
        members=_member_ids(network),
    )


def _school_ids_of(run: ModelRun) -> list[str]:
    effects = (run.results or {}).get("effects") or {}
    return [str(group) for group in (effects.get("school") or {})]


def _schools_by_reference(references, country: str) -> dict:
    """The run's schools by the reference it labels them with (`services.fit_columns`)."""
    references = list(references)
    if not references:
        return {}
    return {
        school.reference: school
        for school in network_selectors.schools_with_reference().filter(
            reference__in=references, country=country
        )
    }


def _member_ids(network: Network) -> set[int]:
    return set(
        network_selectors.member_school_ids(network=network).values_list("school_id", flat=True)
    )


def _disadvantage_of(school, network: Network) -> float:
    """The school's disadvantage on the network's measure of it: FSM % or the Equity Index."""
    scale = disadvantage_scale(network)
    value = school.equity_index if scale.is_index else school.fsm_percent
    return np.nan if value is None else float(value)


def disadvantage_scale(network: Network) -> schools.DisadvantageScale:
    """FSM % in England; New Zealand's Equity Index (an index, not a percentage) in a Kāhui Ako."""
    if profile_of(network).disadvantage.is_index:
        return schools.DisadvantageScale.equity_index(
            band=tuple(settings.IMPACT_AGAINST_THE_ODDS_EQI_BAND)
        )
    return schools.DisadvantageScale.fsm(band=tuple(settings.IMPACT_AGAINST_THE_ODDS_BAND))


def network_value_added(*, viewer, network: Network) -> list[RunValueAdded]:
    """The network's value added year by year: for each pupil dataset of the network the viewer
    may see, its latest finished model (`run_value_added`), in order of the years its pupils
    are from. Four queries, however many schools, datasets and runs."""
    latest: dict[int, ModelRun] = {}
    runs = runs_for(viewer=viewer).filter(
        dataset__network=network, dataset__kind=DatasetKind.PUPIL, status=RunStatus.DONE
    )
    for run in runs.order_by("-finished_at", "-pk"):
        latest.setdefault(run.dataset_id, run)
    if not latest:
        return []
    years: dict[int, set[int]] = {}
    for dataset_id, year in (
        PupilRecord.objects.filter(dataset_id__in=list(latest))
        .values_list("dataset_id", "year")
        .distinct()
    ):
        years.setdefault(dataset_id, set()).add(year)
    references = {ref for run in latest.values() for ref in _school_ids_of(run)}
    by_reference = _schools_by_reference(references, network.country)
    members = _member_ids(network)
    reports = [
        _run_value_added(
            run=run,
            network=network,
            years=years.get(dataset_id, ()),
            schools_by_reference=by_reference,
            members=members,
        )
        for dataset_id, run in latest.items()
    ]
    reports.sort(key=lambda report: (report.years or [0], report.run.pk))
    return reports


def value_added_of_networks(*, networks) -> dict[int, list[RunValueAdded]]:
    """network id → its value added year by year (`network_value_added`) as its members see it:
    only published figures, through disclosure control. A fixed number of queries however many
    networks (a programme's side-by-side page): four, and one more per further country. Trusts
    the caller to have authorized every network."""
    by_id = {network.pk: network for network in networks}
    latest: dict[int, ModelRun] = {}
    runs = ModelRun.objects.filter(
        dataset__network_id__in=list(by_id),
        dataset__kind=DatasetKind.PUPIL,
        status=RunStatus.DONE,
    ).select_related("dataset__network", "dataset__measure")
    for run in runs.order_by("-finished_at", "-pk"):
        latest.setdefault(run.dataset_id, run)
    result: dict[int, list[RunValueAdded]] = {network_id: [] for network_id in by_id}
    if not latest:
        return result
    years: dict[int, set[int]] = {}
    for dataset_id, year in (
        PupilRecord.objects.filter(dataset_id__in=list(latest))
        .values_list("dataset_id", "year")
        .distinct()
    ):
        years.setdefault(dataset_id, set()).add(year)
    references: dict[str, set[str]] = {}
    for run in latest.values():
        country = by_id[run.dataset.network_id].country
        references.setdefault(country, set()).update(_school_ids_of(run))
    by_reference = {
        country: _schools_by_reference(refs, country) for country, refs in references.items()
    }
    members = network_selectors.member_school_ids_by_network(network_ids=list(by_id))
    for dataset_id, run in latest.items():
        network = by_id[run.dataset.network_id]
        result[network.pk].append(
            _run_value_added(
                run=run,
                network=network,
                years=years.get(dataset_id, ()),
                schools_by_reference=by_reference[network.country],
                members=members[network.pk],
            )
        )
    for reports in result.values():
        reports.sort(key=lambda report: (report.years or [0], report.run.pk))
    return result


def _run_value_added(
    *, run: ModelRun, network: Network, years, schools_by_reference: dict, members: set[int]
) -> RunValueAdded:
    """The network's value added in a finished run against peer schools, each authority of the
    network's schools and every school of the run, and each network school against its peers.

    Method (`netlearn.analytics.value_added`, docs/seed-practices.md#network-value-added): a group's
    value added is the mean of its schools' effects (conditional modes), its interval from the
    schools' conditional variances, Var = Σ se² / k², for a model with a single school level.
    Membership is the network's today; peers as the school-year comparison defines them
    (`schools.peers`: outside the network, in an authority of a network school, similar
    disadvantage). Disclosure control: schools hidden as on the run's page (`run_report`), and a
    group's figure is `c` where it rests on too few pupils or would give back hidden schools,
    alone or set against another group.
    """
    from netlearn.analytics import value_added

    rules = rules_for(network)
    report = RunValueAdded(run=run, years=sorted(years), rules=rules)
    results = run.results or {}
    effects = results.get("effects") or {}
    if set(effects) != {"school"}:
        report.problem = gettext(
            "This model has no single school level (it needs “(1|school)” and no other "
            "grouping), so the network's value added cannot be drawn from it."
        )
        return report
    if disclosure.is_hidden(int(results.get("n_obs") or 0), rules):
        report.problem = gettext("This model rests on too few pupils to publish.")
        return report
    level = float(results.get("level") or 0.95)
    _, columns = _effects_of(results)
    ids = [str(value) for value in columns["id"]]
    estimate = np.array([np.nan if v is None else v for v in columns["estimate"]], dtype=float)
    se = np.array([np.nan if v is None else v for v in columns["se"]], dtype=float)
    counts = [int(n) if n is not None else 0 for n in columns["n"]]
    # The same hidden schools as the run's page: the fit's n is published with them.
    hidden = disclosure.protect(counts, [list(range(len(ids)))], rules, together=True)
    schools_of_run = [schools_by_reference.get(group) for group in ids]
    member = np.array([s is not None and s.pk in members for s in schools_of_run])
    authorities = [s.authority if s is not None else "" for s in schools_of_run]
    disadvantage = np.array(
        [_disadvantage_of(s, network) if s is not None else np.nan for s in schools_of_run]
    )
    scale = disadvantage_scale(network)
    peers = schools.peers(member, authorities, disadvantage, tolerance=scale.peer_tolerance)
    groups: list[tuple[str, str, np.ndarray]] = [
        ("network", network.name, member),
        ("peers", "Peer schools", peers),
    ]
    for authority in sorted({a for a, m in zip(authorities, member, strict=True) if m and a}):
        groups.append(("authority", authority, np.array([a == authority for a in authorities])))
    groups.append(("all", "All schools in the model", np.ones(len(ids), dtype=bool)))
    withheld = _hidden_groups(
        counts, hidden, [list(np.flatnonzero(mask)) for _, _, mask in groups], rules
    )
    means = {}
    for (key, label, mask), hide in zip(groups, withheld, strict=True):
        mean = value_added.mean_effect(estimate, se, counts, mask, level=level)
        means[key] = (mean, hide)
        shown = dict(rules=rules, decimals=3, hidden=hide)
        report.groups.append(
            GroupValueAdded(
                key=key,
                label=label,
                schools=mean.schools,
                pupils=disclosure.count(
                    mean.pupils, rules, key=f"run {run.pk}/{key}/{label}", hidden=hide
                )
                if mean.schools
                else NO_FIGURE,
                estimate=disclosure.figure(mean.estimate, mean.pupils, **shown)
                if mean.schools
                else NO_FIGURE,
                lower=disclosure.figure(mean.lower, mean.pupils, **shown)
                if mean.schools
                else NO_FIGURE,
                upper=disclosure.figure(mean.upper, mean.pupils, **shown)
                if mean.schools
                else NO_FIGURE,
            )
        )
    peer_mean, peers_hidden = means["peers"]
    for i in np.flatnonzero(member):
        school = schools_of_run[i]
        own = dict(rules=rules, decimals=3, hidden=bool(hidden[i]))
        contrast = value_added.against(estimate[i], se[i], peer_mean, level=level)
        if contrast is None:
            difference = lower = upper = NO_FIGURE
        else:
            against = dict(rules=rules, decimals=3, hidden=bool(hidden[i]) or peers_hidden)
            n = counts[i] + peer_mean.pupils
            difference = disclosure.figure(contrast.estimate, n, **against)
            lower = disclosure.figure(contrast.lower, n, **against)
            upper = disclosure.figure(contrast.upper, n, **against)
        report.schools.append(
            SchoolAgainstPeers(
                school=school.name,
                effect=disclosure.figure(estimate[i], counts[i], **own),
                lower=disclosure.figure(columns["lower"][i], counts[i], **own),
                upper=disclosure.figure(columns["upper"][i], counts[i], **own),
                difference=difference,
                difference_lower=lower,
                difference_upper=upper,
                school_id=school.pk,
            )
        )
    report.schools.sort(key=lambda row: row.school)
    return report
