"""Writes of the impact app. Each service checks the policy itself and runs in one transaction:
an import writes every row of its file or none; a model run is queued only once its row has
committed, and running it twice does the work once.
"""

import datetime
import logging
import re

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from netlearn.analytics import design, disclosure
from netlearn.analytics.errors import AnalyticsError, FormulaError
from netlearn.analytics.formula import parse_formula
from netlearn.charter import services as charter_services
from netlearn.charter.errors import CharterError
from netlearn.core.deferred import after_commit
from netlearn.core.policy import require
from netlearn.networks import selectors as network_selectors
from netlearn.networks.models import Network

from . import imports, policy, selectors
from .errors import ImpactError, InvalidLink, InvalidMeasure, InvalidRun
from .models import (
    Dataset,
    DatasetKind,
    GoalLink,
    Level,
    Measure,
    ModelRun,
    PendingImport,
    PupilRecord,
    RunStatus,
    SchoolResult,
)

logger = logging.getLogger(__name__)
# A run left "running" this long ago by a worker that died may be taken up again.
STALE_RUN = datetime.timedelta(hours=1)
_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,59}")


def _text(value, *, limit: int, name: str, required: bool = False) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ImpactError(
            _("The %(name)s contains a character that cannot be stored.") % {"name": name}
        )
    if required and not value:
        raise ImpactError(_("Give the %(name)s.") % {"name": name})
    if len(value) > limit:
        raise ImpactError(
            _("The %(name)s is longer than %(limit)s characters.") % {"name": name, "limit": limit}
        )
    return value


# Measures ------------------------------------------------------------------------------------


@transaction.atomic
def define_measure(
    *,
    network: Network | None,
    by,
    name: str,
    code: str,
    unit: str,
    higher_is_better: bool = True,
    level: str = Level.SCHOOL,
    description: str = "",
) -> Measure:
    """A measure of the network's own; `network=None` (site admins only) one for every network."""
    if network is None:
        require(getattr(by, "is_superuser", False))
    else:
        require(policy.can_define_measure(by, network))
    code = _text(code, limit=60, name=_("code"), required=True).lower()
    if not _CODE.fullmatch(code):
        raise InvalidMeasure(
            _("The code is lower-case letters, digits and hyphens (e.g. ks2-rwm).")
        )
    if Measure.objects.filter(Q(network__isnull=True) | Q(network=network), code=code).exists():
        raise InvalidMeasure(
            _("A measure with the code “%(code)s” already exists.") % {"code": code}
        )
    return Measure.objects.create(
        network=network,
        name=_text(name, limit=200, name=_("name"), required=True),
        code=code,
        unit=_text(unit, limit=40, name=_("unit"), required=True),
        higher_is_better=bool(higher_is_better),
        level=level if level in Level.values else Level.SCHOOL,
        description=_text(description, limit=5000, name=_("description")),
    )


# Imports -------------------------------------------------------------------------------------


def _check_measure(measure: Measure, network: Network) -> None:
    if measure.network_id not in (None, network.pk):
        raise InvalidMeasure(_("Choose a measure of this network or one shared by every network."))


@transaction.atomic
def start_import(
    *,
    network: Network,
    by,
    measure: Measure,
    kind: str,
    dataset_name: str,
    upload,
    source: str = "",
) -> PendingImport:
    """Keeps an uploaded file until its columns are mapped and the import confirmed.

    The file is refused here, unread beyond its first bytes, if it is too large, binary, an
    archive or not text; its header must name columns.
    """
    require(policy.can_import(by, network))
    _check_measure(measure, network)
    if kind not in DatasetKind.values:
        raise ImpactError(_("Choose whether the file holds school figures or pupil records."))
    text = imports.read_text(upload)
    imports.read_header(text)
    return PendingImport.objects.create(
        network=network,
        measure=measure,
        kind=kind,
        dataset_name=_text(dataset_name, limit=200, name=_("dataset name"), required=True),
        source=_text(source, limit=300, name=_("source")),
        file_name=_text(getattr(upload, "name", "") or "", limit=200, name=_("file name"))[:200],
        text=text,
        created_by=by,
    )


def school_references(network: Network) -> dict[str, int]:
    """The network's current schools by reference (see `imports.reference_key`)."""
    return {
        imports.reference_key(school.reference): school.pk
        for school in network_selectors.schools_in_network(network=network)
        if school.reference
    }


def comparison_references(network: Network) -> dict[str, int]:
    """Every other school of the register, for school-year files with comparison schools."""
    own = set(school_references(network).values())
    return {
        imports.reference_key(reference): pk
        for pk, reference in network_selectors.schools_with_reference().values_list(
            "pk", "reference"
        )
        if pk not in own
    }


def parse_pending(
    pending: PendingImport, *, mapping: dict, extra=(), comparison: bool = False
) -> imports.ParsedFile:
    """Reads the whole file under a mapping, writing nothing (the preview and the import)."""
    network = pending.network
    return imports.parse(
        pending.text,
        pending.kind,
        mapping,
        schools=school_references(network),
        # Pupil files too: the model's other schools are the peers, the authority and the
        # dataset that the network's value added is set against (never named).
        comparison_schools=comparison_references(network) if comparison else None,
        extra=list(extra),
    )


@transaction.atomic
def import_dataset(
    *, pending: PendingImport, by, mapping: dict, extra=(), comparison: bool = False
) -> Dataset:
    """Writes every row of the file, or none (ImportRefused names each row and column at fault).

    Importing into a dataset of the same name replaces the rows the file holds again (the same
    school and year, or pupil and year) and keeps the others: importing a file twice gives the
    same state. Goals linked to the measure take the new figures.
    """
    require(policy.can_continue_import(by, pending) and policy.can_import(by, pending.network))
    pending = PendingImport.objects.select_for_update().get(pk=pending.pk)
    parsed = parse_pending(pending, mapping=mapping, extra=extra, comparison=comparison)
    dataset, created = Dataset.objects.select_for_update().get_or_create(
        network=pending.network,
        name=pending.dataset_name,
        defaults={
            "measure": pending.measure,
            "kind": pending.kind,
            "source": pending.source,
            "columns": parsed.columns,
            "created_by": by,
        },
    )
    if not created:
        if dataset.kind != pending.kind or dataset.measure_id != pending.measure_id:
            raise ImpactError(
                _(
                    "The dataset “%(dataset)s” holds %(kind)s of %(measure)s: import this file "
                    "under another name."
                )
                % {
                    "dataset": dataset.name,
                    "kind": dataset.get_kind_display().lower(),
                    "measure": dataset.measure.name,
                }
            )
        dataset.columns = {**dataset.columns, **parsed.columns}
        if pending.source:
            dataset.source = pending.source
        dataset.save()
    write_rows(dataset, parsed.rows)
    pending.delete()
    update_linked_goals(dataset=dataset)
    return dataset


def write_rows(dataset: Dataset, rows: list[dict]) -> None:
    """Replaces the rows for the keys in `rows` with `rows`. Caller holds a transaction."""
    years = sorted({row["year"] for row in rows})
    if dataset.kind == DatasetKind.SCHOOL:
        keys = {(row["school_id"], row["year"]) for row in rows}
        existing = dataset.school_results.filter(year__in=years).values_list(
            "pk", "school_id", "year"
        )
        stale = [pk for pk, school_id, year in existing if (school_id, year) in keys]
        SchoolResult.objects.filter(pk__in=stale).delete()
        SchoolResult.objects.bulk_create(
            [
                SchoolResult(
                    dataset=dataset,
                    school_id=row["school_id"],
                    year=row["year"],
                    value=row["value"],
                    cohort=row["cohort"],
                    disadvantage=row.get("disadvantage"),
                    authority_value=row.get("authority_value"),
                    nation_value=row.get("nation_value"),
                    is_comparison=bool(row.get("is_comparison")),
                )
                for row in rows
            ],
            batch_size=2000,
        )
    else:
        keys = {(row["pupil"], row["year"]) for row in rows}
        existing = dataset.pupil_records.filter(year__in=years).values_list("pk", "pupil", "year")
        stale = [pk for pk, pupil, year in existing if (pupil, year) in keys]
        for start in range(0, len(stale), 5000):
            PupilRecord.objects.filter(pk__in=stale[start : start + 5000]).delete()
        PupilRecord.objects.bulk_create(
            [
                PupilRecord(
                    dataset=dataset,
                    school_id=row["school_id"],
                    pupil=row["pupil"],
                    year=row["year"],
                    outcome=row["outcome"],
                    prior=row.get("prior"),
                    context=row.get("context") or {},
                )
                for row in rows
            ],
            batch_size=2000,
        )


@transaction.atomic
def discard_import(*, pending: PendingImport, by) -> None:
    require(policy.can_continue_import(by, pending))
    pending.delete()


# Model runs ----------------------------------------------------------------------------------


@transaction.atomic
def request_run(*, dataset: Dataset, by, formula: str, reml: bool = True) -> ModelRun:
    """Queues a multilevel model on a pupil dataset; the task starts once this commits."""
    require(policy.can_run_model(by, dataset.network))
    if dataset.kind != DatasetKind.PUPIL:
        raise InvalidRun(_("Models run on pupil-level records; this dataset holds school figures."))
    formula = _text(formula, limit=500, name=_("formula"), required=True)
    if "~" not in formula or "|" not in formula:
        raise InvalidRun(
            _(
                "Write the model as outcome ~ predictors + (1|school), e.g. "
                "“outcome ~ prior + fsm + (1|school)”."
            )
        )
    try:
        parse_formula(formula)
    except FormulaError as error:
        # Refused before a run exists: interactions (a:b, a*b) among them, whose every
        # combination of levels a coefficient would describe.
        raise InvalidRun(_("The formula cannot be used: %(error)s.") % {"error": error}) from error
    columns, _levels = fit_columns(dataset)
    problem = thin_level_problem(formula, columns, selectors.rules_for(dataset.network))
    if problem:
        raise InvalidRun(problem)
    run = ModelRun.objects.create(dataset=dataset, formula=formula, reml=bool(reml), created_by=by)
    after_commit("netlearn.impact.tasks.fit_model_run", run.pk)
    return run


def fixed_levels_of(formula: str, columns: dict[str, list]) -> dict[str, dict] | None:
    """The pupils behind each level of each factor among the formula's fixed effects, or None
    when the formula or the data cannot be read (the run itself then fails, saying why)."""
    try:
        terms = design.fixed_levels(parse_formula(formula), columns)
    except AnalyticsError:
        return None
    return {term.term: term.to_json() for term in terms}


def thin_level_problem(formula: str, columns: dict[str, list], rules) -> str:
    """Why the model may not be fitted under disclosure control, or "" when it may.

    Every coefficient is published with its standard error, and a factor's coefficient
    describes the pupils of its level (and of the reference level), so each level must hold as
    many pupils as a published mean. The message names the term and the level, not its size.
    """
    thin = disclosure.thin_levels(fixed_levels_of(formula, columns) or {}, rules)
    if not thin:
        return ""
    first = thin[0]
    more = len(thin) - 1
    return (
        f"The term “{first.term}” has the level “{first.level}” with fewer than "
        f"{rules.mean_minimum} pupils"
        + (f" (and {more} more level{'s' if more > 1 else ''} like it)" if more else "")
        + f": every level of a factor in a model needs at least {rules.mean_minimum} pupils, "
        "so that no published coefficient describes fewer (disclosure control). Leave "
        f"“{first.term}” out of the model, or group its small levels together."
    )


def _claim(run_id: int) -> ModelRun | None:
    """Marks a queued (or long-abandoned) run as running; None if another worker has it."""
    now = timezone.now()
    claimed = ModelRun.objects.filter(
        Q(status=RunStatus.QUEUED) | Q(status=RunStatus.RUNNING, started_at__lt=now - STALE_RUN),
        pk=run_id,
    ).update(status=RunStatus.RUNNING, started_at=now, progress=1, error="")
    return ModelRun.objects.select_related("dataset").get(pk=run_id) if claimed else None


def fit_columns(dataset: Dataset) -> tuple[dict[str, list], dict[str, str]]:
    """The dataset's records as named columns for `mixed.fit`, and school id → school name for
    the network's own schools (comparison schools of the file are not named).

    Columns carry our field names (outcome, prior, fsm, sen, eal, sex, year, school) and also the
    names the file gave them, so a formula may use either (`normexam ~ standLRT + (1|school)`).
    Schools are identified by their reference (URN or school number).
    """
    records = dataset.pupil_records.select_related("school").order_by("pk")
    columns: dict[str, list] = {"school": [], "outcome": [], "prior": [], "year": []}
    context_keys: set[str] = set()
    rows = list(records.values_list("school_id", "outcome", "prior", "year", "context"))
    for *_fields, context in rows:
        context_keys.update(context)
    for key in context_keys:
        columns.setdefault(key, [])
    schools = dict(
        network_selectors.schools_with_ids(school_ids={row[0] for row in rows}).values_list(
            "pk", "reference"
        )
    )
    # Only the network's own schools are named; comparison schools stay unnamed in the results.
    members = network_selectors.member_school_ids(network=dataset.network)
    names = dict(
        network_selectors.schools_with_ids(school_ids=schools)
        .filter(pk__in=members)
        .values_list("pk", "name")
    )
    labels = {pk: (reference or f"school-{pk}") for pk, reference in schools.items()}
    for school_id, outcome, prior, year, context in rows:
        columns["school"].append(labels[school_id])
        columns["outcome"].append(outcome)
        columns["prior"].append(prior)
        columns["year"].append(year)
        for key in context_keys:
            columns[key].append(context.get(key))
    for field, header in (dataset.columns or {}).items():
        if field in columns and header not in columns:
            columns[header] = columns[field]
    return columns, {labels[pk]: names[pk] for pk in labels if pk in names}


def run_model(*, run_id: int) -> None:
    """The task: fits the run's model and stores its results. Safe to run twice."""
    from netlearn.analytics.mixed import fit

    run = _claim(run_id)
    if run is None:
        return
    last = {"value": 1}

    def progress(value) -> None:
        percent = int(value * 100 if value <= 1 else value)
        percent = max(1, min(99, percent))
        # Writes only when it moves by 5 points: a fit reports often, the page polls each second.
        if percent >= last["value"] + 5:
            last["value"] = percent
            ModelRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(progress=percent)

    try:
        columns, names = fit_columns(run.dataset)
        # The data may have changed since the run was asked for: checked again on what is fitted.
        problem = thin_level_problem(run.formula, columns, selectors.rules_for(run.dataset.network))
        if problem:
            _finish(run_id, status=RunStatus.FAILED, error=problem)
            return
        ModelRun.objects.filter(pk=run_id).update(progress=10)
        last["value"] = 10
        result = fit(run.formula, columns, reml=run.reml, progress=progress)
    except AnalyticsError as error:
        _finish(run_id, status=RunStatus.FAILED, error=str(error))
        return
    except Exception:
        logger.exception("Model run %s failed", run_id)
        _finish(run_id, status=RunStatus.FAILED, error="The model could not be fitted.")
        return
    results = result.to_json()
    # Kept with the results, so that the published form can check each coefficient again.
    results["fixed_levels"] = fixed_levels_of(run.formula, columns) or {}
    _finish(run_id, status=RunStatus.DONE, results=results, names=names)


def _finish(run_id: int, *, status: str, error: str = "", results=None, names=None) -> None:
    ModelRun.objects.filter(pk=run_id).update(
        status=status,
        progress=100,
        error=error[:5000],
        results=results,
        school_names=names or {},
        finished_at=timezone.now(),
    )


# Charter link ------------------------------------------------------------------------------


@transaction.atomic
def link_goal(*, goal, measure: Measure, by) -> GoalLink:
    """The goal takes its figures from the measure: each year's network figure, when imported."""
    network = goal.focus.charter.network
    require(policy.can_link_goal(by, network))
    _check_measure(measure, network)
    if goal.dropped_at is not None:
        raise InvalidLink(_("This goal has been dropped from the charter."))
    link, _created = GoalLink.objects.update_or_create(
        goal=goal, defaults={"measure": measure, "linked_by": by, "linked_at": timezone.now()}
    )
    charter_services.mark_goal_source(goal=goal, from_data=True, note=f"Impact: {measure.name}")
    update_linked_goals(network=network, measure=measure)
    return link


@transaction.atomic
def unlink_goal(*, goal, by) -> None:
    require(policy.can_link_goal(by, goal.focus.charter.network))
    GoalLink.objects.filter(goal=goal).delete()
    charter_services.mark_goal_source(goal=goal, from_data=False, note="")


def _network_figures(network: Network, measure: Measure) -> dict[int, tuple[float, int] | None]:
    """year → (the network's figure, pupils it rests on) from the measure's datasets, or None for
    a year whose figure may not be published (disclosure control, with the network's rules).

    A school's figure for a year counts once, from the latest dataset that holds it; the total
    over the network's schools is published only where `selectors.cohort_suppression` says that
    it gives back no hidden school, alone or set against any dataset's table.
    """
    from netlearn.analytics.schools import weighted_mean

    cohort = selectors.cohort_suppression(network=network, measure=measure)
    latest: dict[tuple[int, int], tuple[float, int]] = {}
    results = (
        SchoolResult.objects.filter(
            dataset__network=network, dataset__measure=measure, is_comparison=False
        )
        .order_by("dataset__created_at", "dataset_id")
        .values_list("school_id", "year", "value", "cohort")
    )
    for school_id, year, value, pupils in results:
        latest[(school_id, year)] = (value, pupils)
    by_year: dict[int, list[tuple[int, int]]] = {}
    for cell in latest:
        by_year.setdefault(cell[1], []).append(cell)
    figures: dict[int, tuple[float, int] | None] = {}
    for year, cells in by_year.items():
        if not cohort.total_shown(cells):
            figures[year] = None
            continue
        figures[year] = weighted_mean([latest[c][0] for c in cells], [latest[c][1] for c in cells])
    # The network's figure is its own schools' pupils, not the comparison schools' of a file.
    pupils = PupilRecord.objects.filter(
        dataset__network=network,
        dataset__measure=measure,
        school_id__in=network_selectors.member_school_ids(network=network),
    )
    for year in set(pupils.values_list("year", flat=True)) - set(figures):
        outcomes = list(pupils.filter(year=year).values_list("outcome", flat=True))
        figures[year] = (
            None
            if disclosure.is_hidden(len(outcomes), cohort.rules)
            else (sum(outcomes) / len(outcomes), len(outcomes))
        )
    return figures


def measured_on(year: int) -> datetime.date:
    # Results for a year describe the academic year ending that summer.
    return min(datetime.date(year, 7, 31), timezone.localdate())


def update_linked_goals(*, dataset: Dataset | None = None, network=None, measure=None) -> int:
    """Records each linked goal's progress from the network's figures; returns entries written.

    The charter is read by every member of the network (docs/safety.md#suppression), so its
    figures pass the same disclosure control as the impact pages, with the network's rules (New
    Zealand's for a Kāhui Ako): a year whose figure may not be published is not recorded, and an
    entry recorded for it before is withdrawn. The pupils in the note are a published count
    (rounded in NZ).
    """
    network = network or dataset.network
    measure = measure or dataset.measure
    links = GoalLink.objects.filter(
        measure=measure, goal__focus__charter__network=network, goal__dropped_at__isnull=True
    ).select_related("goal")
    if not links:
        return 0
    rules = selectors.rules_for(network)
    figures = _network_figures(network, measure)
    written = 0
    for link in links:
        for year, figure in sorted(figures.items()):
            on = measured_on(year)
            if on < link.goal.baseline_date:
                continue
            if figure is None or figure[0] != figure[0]:
                charter_services.withdraw_measured_progress(goal=link.goal, measured_on=on)
                continue
            value, pupils = figure
            shown = disclosure.count(pupils, rules, key=f"{measure.pk}/{year}/network")
            try:
                charter_services.record_measured_progress(
                    goal=link.goal,
                    measured_on=on,
                    value=round(value, 3),
                    note=f"{measure.name}, {year}: the network's figure over {shown.shown} "
                    "pupils (impact data).",
                )
            except CharterError as error:
                # A figure the charter cannot hold (out of its range) must not refuse the import.
                logger.warning("Goal %s not updated from %s: %s", link.goal_id, year, error)
                continue
            written += 1
    return written
