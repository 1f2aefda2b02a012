"""The exchange part of the JSON API: budgets, their ledgers and shares, attendance exceptions,
cover rates and release funding.

Reads go through selectors scoped to the viewer (another network's budget answers 404 like a
missing one); writes go through services, which check the policy (403) and the money rules (400).
Amounts are decimal strings with the network's currency beside them, never floats.
"""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from netlearn.core.api import Id, Pages
from netlearn.networks import selectors as network_selectors

from . import release, selectors, services
from .models import IncomeSource, Purpose

router = Router(tags=["exchange"])
Amount = Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2)]
Why = Annotated[str, Field(min_length=1, max_length=500, pattern=r"^[^\x00]*$")]
Optional500 = Annotated[str, Field("", max_length=500, pattern=r"^[^\x00]*$")]


def _viewer(request):
    return request.auth


class Ref(Schema):
    id: int
    name: str


class BudgetOut(Schema):
    id: int
    title: str
    year: int
    purpose: Purpose
    currency: str
    holder: Ref
    parent_id: int | None
    school: Ref | None
    group: Ref | None
    cash: Decimal
    committed: Decimal
    available: Decimal


class EntryOut(Schema):
    id: int
    budget_id: int
    kind: str
    amount: Decimal
    currency: str
    cash_effect: Decimal
    commitment_effect: Decimal
    description: str
    occurred_on: datetime.date
    recorded_by: Ref
    recorded_at: datetime.datetime
    source: str
    funder: str
    funder_reference: str
    school: Ref | None
    commitment_id: int | None
    reverses_id: int | None
    override_reason: str

    @staticmethod
    def resolve_currency(entry) -> str:
        return entry["currency"] if isinstance(entry, dict) else entry.budget.network.currency


class FundingOut(Schema):
    id: int
    person: Ref
    school: Ref | None
    occurrence_id: int | None
    starts_at: datetime.datetime | None
    budget_id: int
    sessions: Decimal
    amount: Decimal
    currency: str
    status: str
    withheld_reason: str


class CoverRateOut(Schema):
    school: Ref | None
    per_session: Decimal
    currency: str


class ExceptionOut(Schema):
    id: int
    budget_id: int
    school: Ref
    reason: str
    recorded_at: datetime.datetime


class BudgetIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    purpose: Purpose
    holder_id: Id
    name: Annotated[str, Field("", max_length=200, pattern=r"^[^\x00]*$")]


class EntryIn(Schema):
    kind: Literal["income", "commitment", "spending"]
    amount: Amount
    description: Why
    school_id: Id | None = None
    source: IncomeSource | None = None
    funder: Annotated[str, Field("", max_length=200, pattern=r"^[^\x00]*$")]
    funder_reference: Annotated[str, Field("", max_length=100, pattern=r"^[^\x00]*$")]
    # The commitment a spending settles (a ledger entry of this budget).
    settles_entry_id: Id | None = None
    occurred_on: datetime.date | None = None
    override_reason: Optional500


class ReasonIn(Schema):
    description: Why
    override_reason: Optional500


class ShareIn(Schema):
    amount: Amount
    description: Why
    school_id: Id | None = None
    group_id: Id | None = None
    holder_id: Id


class ExceptionIn(Schema):
    school_id: Id
    reason: Why


class CoverRateIn(Schema):
    per_session: Amount
    school_id: Id | None = None


def _ref(obj) -> dict | None:
    return None if obj is None else {"id": obj.pk, "name": obj.name}


def _budget_out(budget) -> dict:
    figures = selectors.figures_of(budget)
    return {
        "id": budget.pk,
        "title": budget.title,
        "year": budget.year,
        "purpose": budget.purpose,
        "currency": budget.network.currency,
        "holder": _ref(budget.holder),
        "parent_id": budget.parent_id,
        "school": _ref(budget.school),
        "group": _ref(budget.group),
        "cash": figures.cash.amount,
        "committed": figures.committed.amount,
        "available": figures.available.amount,
    }


def _entry_out(entry, currency: str) -> dict:
    return {
        **{
            field: getattr(entry, field)
            for field in (
                "id",
                "budget_id",
                "kind",
                "amount",
                "cash_effect",
                "commitment_effect",
                "description",
                "occurred_on",
                "recorded_at",
                "source",
                "funder",
                "funder_reference",
                "commitment_id",
                "reverses_id",
                "override_reason",
            )
        },
        "currency": currency,
        "recorded_by": _ref(entry.recorded_by),
        "school": _ref(entry.school),
    }


def _network(request, slug):
    return selectors.network_for(viewer=_viewer(request), network_slug=slug)


def _budget(request, slug, budget_id):
    network = _network(request, slug)
    return network, selectors.budget_for(
        viewer=_viewer(request), network=network, budget_id=budget_id
    )


def _school(network, school_id):
    if school_id is None:
        return None
    return get_object_or_404(network_selectors.schools_in_network(network=network), pk=school_id)


def _person(network, person_id):
    return get_object_or_404(network_selectors.people_of_network(network=network), pk=person_id)


@router.get("/networks/{slug:slug}/budgets", response=list[BudgetOut])
@paginate(Pages)
def list_budgets(request, slug: str):
    network = _network(request, slug)
    return [
        _budget_out(budget)
        for budget in selectors.budgets_for(viewer=_viewer(request), network=network)
    ]


@router.post("/networks/{slug:slug}/budgets", response={201: BudgetOut})
def create_budget(request, slug: str, payload: BudgetIn):
    network = _network(request, slug)
    budget = services.create_budget(
        network=network,
        year=payload.year,
        purpose=payload.purpose,
        holder=_person(network, payload.holder_id),
        name=payload.name,
        by=_viewer(request),
    )
    _, budget = _budget(request, slug, budget.pk)
    return Status(201, _budget_out(budget))


@router.get("/networks/{slug:slug}/budgets/release-funding", response=list[FundingOut])
@paginate(Pages)
def list_release_funding(request, slug: str):
    network = _network(request, slug)
    return [
        {
            "id": funding.pk,
            "person": _ref(funding.person),
            "school": _ref(funding.school),
            "occurrence_id": funding.occurrence_id,
            "starts_at": funding.occurrence.starts_at if funding.occurrence else None,
            "budget_id": funding.budget_id,
            "sessions": funding.sessions,
            "amount": funding.amount,
            "currency": network.currency,
            "status": funding.status,
            "withheld_reason": funding.withheld_reason,
        }
        for funding in selectors.release_funding_for(viewer=_viewer(request), network=network)
    ]


@router.get("/networks/{slug:slug}/budgets/cover-rates", response=list[CoverRateOut])
@paginate(Pages)
def list_cover_rates(request, slug: str):
    network = _network(request, slug)
    return [
        {"school": _ref(rate.school), "per_session": rate.per_session, "currency": network.currency}
        for rate in selectors.cover_rates_of(network=network)
    ]


@router.post("/networks/{slug:slug}/budgets/cover-rates", response={201: CoverRateOut})
def set_cover_rate(request, slug: str, payload: CoverRateIn):
    network = _network(request, slug)
    rate = services.set_cover_rate(
        network=network,
        per_session=payload.per_session,
        school=_school(network, payload.school_id),
        by=_viewer(request),
    )
    return Status(
        201,
        {
            "school": _ref(rate.school),
            "per_session": rate.per_session,
            "currency": network.currency,
        },
    )


@router.get("/networks/{slug:slug}/budgets/{budget_id}", response=BudgetOut)
def get_budget(request, slug: str, budget_id: Id):
    _, budget = _budget(request, slug, budget_id)
    return _budget_out(budget)


@router.get("/networks/{slug:slug}/budgets/{budget_id}/entries", response=list[EntryOut])
@paginate(Pages)
def list_entries(request, slug: str, budget_id: Id):
    _, budget = _budget(request, slug, budget_id)
    return selectors.entries_for(viewer=_viewer(request), budget=budget).select_related(
        "budget__network"
    )


@router.post("/networks/{slug:slug}/budgets/{budget_id}/entries", response={201: EntryOut})
def record_entry(request, slug: str, budget_id: Id, payload: EntryIn):
    network, budget = _budget(request, slug, budget_id)
    viewer = _viewer(request)
    common = {
        "budget": budget,
        "amount": payload.amount,
        "by": viewer,
        "description": payload.description,
        "school": _school(network, payload.school_id),
        "occurred_on": payload.occurred_on,
    }
    if payload.kind == "income":
        entry = services.record_income(
            **common,
            source=payload.source or "",
            funder=payload.funder,
            funder_reference=payload.funder_reference,
        )
    elif payload.kind == "commitment":
        entry = services.commit(**common, override_reason=payload.override_reason)
    else:
        commitment = None
        if payload.settles_entry_id is not None:
            commitment = selectors.entry_for(
                viewer=viewer, budget=budget, entry_id=payload.settles_entry_id
            )
        entry = services.spend(
            **common, commitment=commitment, override_reason=payload.override_reason
        )
    return Status(201, _entry_out(entry, network.currency))


@router.post(
    "/networks/{slug:slug}/budgets/{budget_id}/entries/{ledger_entry_id}/reversal",
    response={201: EntryOut},
)
def reverse_entry(request, slug: str, budget_id: Id, ledger_entry_id: Id, payload: ReasonIn):
    network, budget = _budget(request, slug, budget_id)
    entry = selectors.entry_for(viewer=_viewer(request), budget=budget, entry_id=ledger_entry_id)
    reversal = services.reverse_entry(
        entry=entry,
        by=_viewer(request),
        description=payload.description,
        override_reason=payload.override_reason,
    )
    return Status(201, _entry_out(reversal, network.currency))


@router.post(
    "/networks/{slug:slug}/budgets/{budget_id}/entries/{ledger_entry_id}/freeing",
    response={201: EntryOut},
)
def free_commitment(request, slug: str, budget_id: Id, ledger_entry_id: Id, payload: ReasonIn):
    network, budget = _budget(request, slug, budget_id)
    entry = selectors.entry_for(viewer=_viewer(request), budget=budget, entry_id=ledger_entry_id)
    freed = services.free_commitment(
        commitment=entry, by=_viewer(request), description=payload.description
    )
    return Status(201, _entry_out(freed, network.currency))


@router.post("/networks/{slug:slug}/budgets/{budget_id}/shares", response={201: BudgetOut})
def devolve(request, slug: str, budget_id: Id, payload: ShareIn):
    network, budget = _budget(request, slug, budget_id)
    group = None
    if payload.group_id is not None:
        group = get_object_or_404(
            network_selectors.groups_in_network(network=network), pk=payload.group_id
        )
    share = services.devolve(
        budget=budget,
        amount=payload.amount,
        by=_viewer(request),
        description=payload.description,
        school=_school(network, payload.school_id),
        group=group,
        holder=_person(network, payload.holder_id),
    )
    _, share = _budget(request, slug, share.pk)
    return Status(201, _budget_out(share))


@router.post("/networks/{slug:slug}/budgets/{budget_id}/exceptions", response={201: ExceptionOut})
def record_exception(request, slug: str, budget_id: Id, payload: ExceptionIn):
    network, budget = _budget(request, slug, budget_id)
    exception = release.grant_exception(
        budget=budget,
        school=_school(network, payload.school_id),
        by=_viewer(request),
        reason=payload.reason,
    )
    return Status(
        201,
        {
            "id": exception.pk,
            "budget_id": exception.budget_id,
            "school": _ref(exception.school),
            "reason": exception.reason,
            "recorded_at": exception.recorded_at,
        },
    )


class ExceptionRequestIn(Schema):
    school_id: Id
    reason: Why


class AnswerIn(Schema):
    grant: bool
    note: Optional500


class ExceptionRequestOut(Schema):
    id: int
    budget_id: int
    school: Ref
    reason: str
    requested_by: Ref
    requested_at: datetime.datetime
    granted: bool | None
    answer_note: str


def _request_out(item) -> dict:
    return {
        "id": item.pk,
        "budget_id": item.budget_id,
        "school": _ref(item.school),
        "reason": item.reason,
        "requested_by": _ref(item.requested_by),
        "requested_at": item.requested_at,
        "granted": item.granted,
        "answer_note": item.answer_note,
    }


@router.get(
    "/networks/{slug:slug}/budgets/{budget_id}/exception-requests",
    response=list[ExceptionRequestOut],
)
@paginate(Pages)
def list_exception_requests(request, slug: str, budget_id: Id):
    _, budget = _budget(request, slug, budget_id)
    items = selectors.exception_requests_for(viewer=_viewer(request), budget=budget)
    return [_request_out(item) for item in items]


@router.post(
    "/networks/{slug:slug}/budgets/{budget_id}/exception-requests",
    response={201: ExceptionRequestOut},
)
def request_exception(request, slug: str, budget_id: Id, payload: ExceptionRequestIn):
    network, budget = _budget(request, slug, budget_id)
    item = services.request_exception(
        budget=budget,
        school=_school(network, payload.school_id),
        by=_viewer(request),
        reason=payload.reason,
    )
    return Status(201, _request_out(item))


@router.post(
    "/networks/{slug:slug}/budgets/{budget_id}/exception-requests/{exception_request_id}/answer",
    response=ExceptionRequestOut,
)
def answer_exception_request(
    request, slug: str, budget_id: Id, exception_request_id: Id, payload: AnswerIn
):
    _, budget = _budget(request, slug, budget_id)
    item = selectors.exception_request_for(
        viewer=_viewer(request), budget=budget, request_id=exception_request_id
    )
    item = release.answer_exception_request(
        exception_request=item, by=_viewer(request), grant=payload.grant, note=payload.note
    )
    return _request_out(item)
