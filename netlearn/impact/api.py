"""The impact part of the JSON API: measures, datasets, school results and model runs.

Every figure about pupils comes from the selectors' published form (disclosure control): a
suppressed figure is the string "c", a non-zero figure that rounds to zero is "low", and each
carries its n. Pupil-level rows are listed only for the data role (everyone else gets an empty
list); another network's objects answer 404.
"""

import datetime

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from netlearn.core.api import Id, Pages, Text

from . import selectors, services
from .models import DatasetKind, Level, RunStatus

router = Router(tags=["impact"])
Published = float | str | None


def _shown(figure) -> Published:
    return figure.as_json()


class MeasureOut(Schema):
    id: int
    name: str
    code: str
    unit: str
    higher_is_better: bool
    level: Level
    network: str | None = None

    @staticmethod
    def resolve_network(measure) -> str | None:
        return measure.network.slug if measure.network_id else None


class DatasetOut(Schema):
    id: int
    name: str
    network: str
    measure: str
    measure_id: int
    kind: DatasetKind
    source: str
    is_public_research: bool
    rows: int | str = Field(..., description='Pupil rows are a count of pupils: "c" if few.')
    created_at: datetime.datetime

    @staticmethod
    def resolve_network(dataset) -> str:
        return dataset.network.slug

    @staticmethod
    def resolve_measure(dataset) -> str:
        return dataset.measure.name

    @staticmethod
    def resolve_rows(dataset) -> int:
        return selectors.dataset_rows(dataset)


class SchoolResultOut(Schema):
    school: str
    year: int
    value: Published = Field(..., description='The figure, "c" if suppressed, "low" if ~0.')
    pupils: Published
    disadvantage: float | None
    quartile: int | str
    against_the_odds: bool | str


class TrendOut(Schema):
    year: int
    network: Published
    network_pupils: Published
    peers: Published
    peer_pupils: Published
    authority: float | None
    nation: float | None


class SchoolReportOut(Schema):
    year: int | None
    threshold: int
    band: list[float]
    disadvantage: str = Field(
        description="What `disadvantage` and `band` measure: “Disadvantage (FSM %)”, a "
        "percentage, or New Zealand's “Equity Index”, an index"
    )
    disadvantage_is_index: bool
    schools: list[SchoolResultOut]
    trend: list[TrendOut]
    against_the_odds: list[str]


class PupilRecordOut(Schema):
    id: int
    school: str
    pupil: str
    year: int
    outcome: float
    prior: float | None
    context: dict

    @staticmethod
    def resolve_school(record) -> str:
        return record.school.name


class RunIn(Schema):
    formula: Text = Field(..., min_length=3, max_length=500)
    reml: bool = True


class EffectOut(Schema):
    school: str
    estimate: Published
    lower: Published
    upper: Published
    pupils: Published


class TermOut(Schema):
    name: str
    estimate: Published = Field(..., description='"c" where it rests on too few pupils.')
    se: Published


class RunOut(Schema):
    id: int
    dataset_id: int
    formula: str
    reml: bool
    status: RunStatus
    progress: int
    error: str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


class RunDetailOut(RunOut):
    n_obs: Published = None
    suppressed: bool = False
    fixed_effects: list[TermOut] = []
    variances: dict[str, float] = {}
    icc: float | None = None
    loglik: float | None = None
    school_effects: list[EffectOut] = []


class DatasetFilters(Schema):
    network: str | None = Field(None, max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")


@router.get("/impact/measures", response=list[MeasureOut])
@paginate(Pages)
def list_measures(request):
    return selectors.measures_for(viewer=request.auth).order_by("name", "pk")


@router.get("/impact/datasets", response=list[DatasetOut])
@paginate(Pages)
def list_datasets(request, filters: Query[DatasetFilters]):
    datasets = selectors.datasets_for(viewer=request.auth)
    if filters.network:
        datasets = datasets.filter(network__slug=filters.network)
    return datasets.order_by("-created_at", "-pk")


@router.get("/impact/datasets/{impact_dataset_id}", response=DatasetOut)
def get_dataset(request, impact_dataset_id: Id):
    return selectors.dataset_for(viewer=request.auth, dataset_id=impact_dataset_id)


@router.get("/impact/datasets/{impact_dataset_id}/schools", response=SchoolReportOut)
def get_school_results(request, impact_dataset_id: Id):
    """The latest year's school results and the yearly trend, as published (suppressed)."""
    dataset = selectors.dataset_for(viewer=request.auth, dataset_id=impact_dataset_id)
    report = selectors.school_report(dataset=dataset)
    return {
        "year": report.year,
        "threshold": report.rules.threshold,
        "band": list(report.band),
        "disadvantage": report.scale.name,
        "disadvantage_is_index": report.scale.is_index,
        "schools": [
            {
                "school": row.school,
                "year": row.year,
                "value": _shown(row.value),
                "pupils": _shown(row.cohort),
                "disadvantage": row.disadvantage,
                "quartile": row.quartile,
                "against_the_odds": row.against_the_odds,
            }
            for row in report.rows
        ],
        "trend": [
            {
                "year": row.year,
                "network": _shown(row.network),
                "network_pupils": _shown(row.network_pupils),
                "peers": _shown(row.peers),
                "peer_pupils": _shown(row.peer_pupils),
                "authority": row.authority,
                "nation": row.nation,
            }
            for row in report.trend
        ],
        "against_the_odds": report.against_the_odds,
    }


@router.get("/impact/datasets/{impact_dataset_id}/records", response=list[PupilRecordOut])
@paginate(Pages)
def list_pupil_records(request, impact_dataset_id: Id):
    """Pupil-level rows, for the data role of their school or network only (others: none)."""
    dataset = selectors.dataset_for(viewer=request.auth, dataset_id=impact_dataset_id)
    return selectors.pupil_records(viewer=request.auth, dataset=dataset)


@router.get("/impact/datasets/{impact_dataset_id}/runs", response=list[RunOut])
@paginate(Pages)
def list_runs(request, impact_dataset_id: Id):
    dataset = selectors.dataset_for(viewer=request.auth, dataset_id=impact_dataset_id)
    return selectors.runs_of(dataset=dataset)


@router.post("/impact/datasets/{impact_dataset_id}/runs", response={202: RunOut})
def create_run(request, impact_dataset_id: Id, payload: RunIn):
    """Queues a model run; poll its detail for status and progress."""
    dataset = selectors.dataset_for(viewer=request.auth, dataset_id=impact_dataset_id)
    run = services.request_run(
        dataset=dataset, by=request.auth, formula=payload.formula, reml=payload.reml
    )
    run.refresh_from_db()
    return Status(202, run)


@router.get("/impact/runs/{impact_run_id}", response=RunDetailOut)
def get_run(request, impact_run_id: Id):
    run = selectors.run_for(viewer=request.auth, run_id=impact_run_id)
    answer = RunOut.from_orm(run).dict()
    if run.status != RunStatus.DONE:
        return answer
    report = selectors.run_report(run=run)
    answer.update(
        n_obs=_shown(report.n),
        suppressed=report.suppressed,
        fixed_effects=report.fixed,
        variances={row["name"]: row["variance"] for row in report.variances},
        icc=report.icc,
        loglik=report.loglik,
        school_effects=[
            {
                "school": row.school,
                "estimate": _shown(row.estimate),
                "lower": _shown(row.lower),
                "upper": _shown(row.upper),
                "pupils": _shown(row.n),
            }
            for row in report.effects
        ],
    )
    return answer


class GroupValueAddedOut(Schema):
    group: str = Field(description="network, peers, authority or all")
    label: str
    schools: int
    pupils: Published
    estimate: Published
    lower: Published
    upper: Published


class SchoolAgainstPeersOut(Schema):
    school: str
    effect: Published
    lower: Published
    upper: Published
    against_peers: Published
    against_peers_lower: Published
    against_peers_upper: Published


class RunValueAddedOut(Schema):
    run: int
    dataset: str
    formula: str
    years: list[int]
    problem: str
    groups: list[GroupValueAddedOut]
    schools: list[SchoolAgainstPeersOut]


class NetworkValueAddedOut(Schema):
    network: str
    threshold: int
    level: float = Field(0.95, description="of every interval")
    runs: list[RunValueAddedOut]


@router.get("/networks/{network_slug}/impact/value-added", response=NetworkValueAddedOut)
def get_network_value_added(request, network_slug: str):
    """The network's value added year by year (the latest finished model of each pupil dataset):
    the mean of its schools' effects with a 95% interval from the model, beside peer schools,
    each authority of its schools and every school in the model; each network school against
    its peers. Figures as published (suppressed "c" where they rest on too few pupils)."""
    network = selectors.network_for(viewer=request.auth, network_slug=network_slug)
    reports = selectors.network_value_added(viewer=request.auth, network=network)
    return {
        "network": network.slug,
        "threshold": selectors.rules_for(network).threshold,
        "runs": [
            {
                "run": report.run.pk,
                "dataset": report.run.dataset.name,
                "formula": report.run.formula,
                "years": report.years,
                "problem": report.problem,
                "groups": [
                    {
                        "group": group.key,
                        "label": group.label,
                        "schools": group.schools,
                        "pupils": _shown(group.pupils),
                        "estimate": _shown(group.estimate),
                        "lower": _shown(group.lower),
                        "upper": _shown(group.upper),
                    }
                    for group in report.groups
                ],
                "schools": [
                    {
                        "school": row.school,
                        "effect": _shown(row.effect),
                        "lower": _shown(row.lower),
                        "upper": _shown(row.upper),
                        "against_peers": _shown(row.difference),
                        "against_peers_lower": _shown(row.difference_lower),
                        "against_peers_upper": _shown(row.difference_upper),
                    }
                    for row in report.schools
                ],
            }
            for report in reports
        ],
    }
