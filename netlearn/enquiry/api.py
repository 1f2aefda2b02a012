"""The enquiry part of the JSON API: enquiries, their run-chart data, and accounts.

Reads go through selectors scoped to the viewer (another network's enquiry answers 404); writes go
through services, which check the policy (403) and the rules of enquiry (400). Case pupils and
observations are not in the API: they stay on the group's pages.
"""

import datetime
from decimal import Decimal
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from netlearn.charter import selectors as charter_selectors
from netlearn.core.api import Id, Pages, Text

from . import policy, run_chart, selectors, services
from .errors import EnquiryError
from .models import AccountStatus, Audience, Method, RuleSet, Stage

router = Router(tags=["enquiry"])

# Inline choices rather than enum components: the OpenAPI document names components by class,
# and other apps have their own `Stage` and `Audience`.
MethodValue = Literal.__getitem__(tuple(Method.values))
StageValue = Literal.__getitem__(tuple(Stage.values))
AccountStatusValue = Literal.__getitem__(tuple(AccountStatus.values))
AudienceValue = Literal.__getitem__(tuple(Audience.values))
RuleSetValue = Literal.__getitem__(tuple(RuleSet.values))


def _viewer(request):
    return request.auth


def _network(request, slug: str):
    return selectors.network_for(viewer=_viewer(request), network_slug=slug)


class EnquiryOut(Schema):
    id: int
    question: str
    method: MethodValue
    stage: StageValue
    group_id: int
    group: str
    focus_id: int | None
    goal_id: int | None
    school_ids: list[int]
    summary: str
    started: datetime.date
    ends: datetime.date | None
    measure: str
    measure_unit: str
    last_activity_at: datetime.datetime
    can_edit: bool = False

    @staticmethod
    def resolve_group(enquiry) -> str:
        return enquiry.group.name

    @staticmethod
    def resolve_school_ids(enquiry) -> list[int]:
        return [school.pk for school in enquiry.schools.all()]


class EnquiryIn(Schema):
    question: Text = Field(..., min_length=1, max_length=300)
    method: MethodValue
    group_id: Id
    focus_id: Id | None = None
    goal_id: Id | None = None
    school_ids: list[Id] = Field(default_factory=list, max_length=50)
    summary: Text = Field("", max_length=10000)
    started: datetime.date | None = None
    ends: datetime.date | None = None
    measure: Text = Field("", max_length=300)
    measure_unit: Text = Field("", max_length=40)


class DataPointOut(Schema):
    id: int
    measured_on: datetime.date
    value: Decimal | None
    note: str
    starts_phase: bool


class DataPointIn(Schema):
    measured_on: datetime.date
    # null: not measured that time; the note says why.
    value: Decimal | None = Field(..., ge=-999_999_999, le=999_999_999, decimal_places=3)
    note: Text = Field("", max_length=300)
    starts_phase: bool = False


class SignalOut(Schema):
    rule: str
    first: int | None
    last: int | None
    message: str


class PhaseOut(Schema):
    first: int
    last: int
    median: float
    useful: int
    runs: int
    longest_run: int
    crossings: int
    runs_limits: list[int] | None
    longest_run_limit: int | None
    crossings_limit: int | None


class RunChartOut(Schema):
    points: int
    rules: RuleSetValue
    method: str
    median: float | None
    runs: int | None
    runs_limits: list[int] | None
    phases: list[PhaseOut]
    signals: list[SignalOut]


class AccountOut(Schema):
    id: int
    enquiry_id: int
    title: str
    question: str
    what_we_tried: str
    what_we_learned: str
    evidence: str
    what_others_could_try: str
    status: AccountStatusValue
    audience: AudienceValue
    published_at: datetime.datetime | None
    network_slug: str

    @staticmethod
    def resolve_network_slug(account) -> str:
        return account.enquiry.network.slug


def _enquiry_out(request, enquiry):
    enquiry.can_edit = policy.can_edit_enquiry(_viewer(request), enquiry)
    return enquiry


@router.get("/networks/{slug:slug}/enquiries", response=list[EnquiryOut])
@paginate(Pages)
def list_enquiries(
    request, slug: str, method: MethodValue | None = None, stage: StageValue | None = None
):
    network = _network(request, slug)
    filters = {"method": method, "stage": stage}
    return selectors.enquiries_in_network(viewer=_viewer(request), network=network, filters=filters)


@router.post("/networks/{slug:slug}/enquiries", response={201: EnquiryOut})
def start_enquiry(request, slug: str, payload: EnquiryIn):
    network = _network(request, slug)
    viewer = _viewer(request)
    group = get_object_or_404(selectors.groups_of(network=network), pk=payload.group_id)
    focus = (
        get_object_or_404(charter_selectors.foci_of_network(network=network), pk=payload.focus_id)
        if payload.focus_id is not None
        else None
    )
    goal = (
        get_object_or_404(charter_selectors.goals_of_network(network=network), pk=payload.goal_id)
        if payload.goal_id is not None
        else None
    )
    schools = list(selectors.schools_of(network=network).filter(pk__in=payload.school_ids))
    if len(schools) != len(set(payload.school_ids)):
        raise EnquiryError(_("Every school must be a school of this network."))
    enquiry = services.start_enquiry(
        network=network,
        by=viewer,
        question=payload.question,
        method=payload.method,
        group=group,
        focus=focus,
        goal=goal,
        schools=schools,
        summary=payload.summary,
        started=payload.started,
        ends=payload.ends,
        measure=payload.measure,
        measure_unit=payload.measure_unit,
    )
    enquiry = selectors.enquiry_for(viewer=viewer, network=network, enquiry_id=enquiry.pk)
    return Status(201, _enquiry_out(request, enquiry))


@router.get("/networks/{slug:slug}/enquiries/{enquiry_id}", response=EnquiryOut)
def get_enquiry(request, slug: str, enquiry_id: Id):
    network = _network(request, slug)
    enquiry = selectors.enquiry_for(viewer=_viewer(request), network=network, enquiry_id=enquiry_id)
    return _enquiry_out(request, enquiry)


@router.get("/networks/{slug:slug}/enquiries/{enquiry_id}/data", response=list[DataPointOut])
@paginate(Pages)
def list_data(request, slug: str, enquiry_id: Id):
    network = _network(request, slug)
    enquiry = selectors.enquiry_for(viewer=_viewer(request), network=network, enquiry_id=enquiry_id)
    return selectors.data_points_of(enquiry=enquiry)


@router.post("/networks/{slug:slug}/enquiries/{enquiry_id}/data", response={201: DataPointOut})
def add_data_point(request, slug: str, enquiry_id: Id, payload: DataPointIn):
    network = _network(request, slug)
    enquiry = selectors.enquiry_for(viewer=_viewer(request), network=network, enquiry_id=enquiry_id)
    point = services.add_data_point(enquiry=enquiry, by=_viewer(request), **payload.dict())
    return Status(201, point)


@router.get("/networks/{slug:slug}/enquiries/{enquiry_id}/run-chart", response=RunChartOut)
def get_run_chart(request, slug: str, enquiry_id: Id):
    network = _network(request, slug)
    enquiry = selectors.enquiry_for(viewer=_viewer(request), network=network, enquiry_id=enquiry_id)
    analysis = selectors.run_chart_of(enquiry=enquiry).analysis
    rules = selectors.run_chart_rules_for(enquiry=enquiry)
    if analysis is None:
        return {
            "points": 0,
            "rules": rules,
            "method": run_chart.METHODS[rules],
            "median": None,
            "runs": None,
            "runs_limits": None,
            "phases": [],
            "signals": [],
        }
    return {
        "points": sum(value is not None for value in analysis.values),
        "rules": analysis.rules,
        "method": analysis.method,
        "median": analysis.median,
        "runs": analysis.runs,
        "runs_limits": list(analysis.runs_limits) if analysis.runs_limits else None,
        "phases": [
            {**vars(phase), "runs_limits": list(phase.runs_limits) if phase.runs_limits else None}
            for phase in analysis.phases
        ],
        "signals": [vars(signal) for signal in analysis.signals],
    }


@router.get("/networks/{slug:slug}/accounts", response=list[AccountOut])
@paginate(Pages)
def list_accounts(request, slug: str, q: str = ""):
    network = _network(request, slug)
    return selectors.accounts_in_network(viewer=_viewer(request), network=network, search=q[:200])


@router.get("/networks/{slug:slug}/accounts/{account_id}", response=AccountOut)
def get_account(request, slug: str, account_id: Id):
    """An account the viewer may read: one published for every network opens for members of
    other networks too."""
    return selectors.readable_account_for(
        viewer=_viewer(request), network_slug=slug, account_id=account_id
    )


@router.get("/accounts/shared", response=list[AccountOut])
@paginate(Pages)
def list_shared_accounts(request):
    """Accounts other networks have published for every network."""
    return selectors.shared_with(viewer=_viewer(request))
