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
from netlearn.core.money import summed
from netlearn.networks import selectors as network_selectors

from . import joint, policy, release, selectors, services
from .models import (
    BidStatus,
    ExchangeKind,
    FacilityKind,
    IncomeSource,
    LoanKind,
    PurchaseStatus,
    Purpose,
    RequestStatus,
)

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


def _exception_request_out(item) -> dict:
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
    return [_exception_request_out(item) for item in items]


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
    return Status(201, _exception_request_out(item))


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
    return _exception_request_out(item)


# Exchange between schools (docs/exchange.md#exchange-between-schools) ----------------------------
# Recharges are staff costs: null for a viewer the policy does not show them to.

Short = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00]*$")]
Note = Annotated[str, Field(min_length=1, max_length=1000, pattern=r"^[^\x00]*$")]
Recharge = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]


class OfferOut(Schema):
    id: int
    school: Ref
    note: str
    person: Ref | None
    facility_id: int | None
    places: int | None
    recharge: Decimal | None
    currency: str
    offerer_agreed: bool
    asker_agreed: bool
    agreed_at: datetime.datetime | None


class ExchangeRequestOut(Schema):
    id: int
    school: Ref
    kind: ExchangeKind
    title: str
    description: str
    expertise: str | None
    needed_from: datetime.date | None
    needed_until: datetime.date | None
    status: RequestStatus
    posted_at: datetime.datetime
    feedback: str


class ExchangeRequestDetailOut(ExchangeRequestOut):
    offers: list[OfferOut]


class ExchangeRequestIn(Schema):
    school_id: int
    kind: ExchangeKind
    title: Short
    description: Annotated[str, Field("", max_length=2000, pattern=r"^[^\x00]*$")]
    expertise: Annotated[str, Field("", max_length=80, pattern=r"^[^\x00]*$")]
    needed_from: datetime.date | None = None
    needed_until: datetime.date | None = None


class OfferIn(Schema):
    school_id: int
    note: Note
    person_id: int | None = None
    facility_id: int | None = None
    places: Annotated[int, Field(ge=1, le=500)] | None = None
    recharge: Recharge | None = None


class FeedbackIn(Schema):
    feedback: Note


class FacilityOut(Schema):
    id: int
    school: Ref
    name: str
    kind: FacilityKind
    description: str


class FacilityIn(Schema):
    school_id: int
    name: Short
    kind: FacilityKind
    description: Optional500 = ""


class BookingOut(Schema):
    id: int
    facility_id: int
    school: Ref
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    purpose: str


class BookingIn(Schema):
    school_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    purpose: Why


class LoanOut(Schema):
    id: int
    kind: LoanKind
    person: Ref
    from_school: Ref
    to_school: Ref
    starts_on: datetime.date
    ends_on: datetime.date
    days_a_week: Decimal
    recharge: Decimal | None
    currency: str
    purpose: str


class LoanIn(Schema):
    kind: LoanKind = LoanKind.LOAN
    person_id: int
    from_school_id: int
    to_school_id: int
    starts_on: datetime.date
    ends_on: datetime.date
    days_a_week: Annotated[Decimal, Field(ge=Decimal("0.5"), le=5, decimal_places=1)] = Decimal("5")
    recharge: Recharge
    purpose: Why


def _board(request, slug):
    return selectors.board_network_for(viewer=_viewer(request), network_slug=slug)


def _exchange_request(request, slug, exchange_request_id):
    network = _board(request, slug)
    return network, selectors.request_for(
        viewer=_viewer(request), network=network, request_id=exchange_request_id
    )


def _request_out(asked) -> dict:
    return {
        "id": asked.pk,
        "school": _ref(asked.school),
        "kind": asked.kind,
        "title": asked.title,
        "description": asked.description,
        "expertise": asked.expertise.name if asked.expertise_id else None,
        "needed_from": asked.needed_from,
        "needed_until": asked.needed_until,
        "status": asked.status,
        "posted_at": asked.posted_at,
        "feedback": asked.feedback,
    }


def _offer_out(viewer, offer, currency) -> dict:
    return {
        "id": offer.pk,
        "school": _ref(offer.school),
        "note": offer.note,
        "person": _ref(offer.person),
        "facility_id": offer.facility_id,
        "places": offer.places,
        "recharge": offer.recharge if policy.can_see_offer_recharge(viewer, offer) else None,
        "currency": currency,
        "offerer_agreed": offer.offerer_agreed_by_id is not None,
        "asker_agreed": offer.asker_agreed_by_id is not None,
        "agreed_at": offer.agreed_at,
    }


def _request_detail(viewer, asked) -> dict:
    offers = selectors.offers_of(request=asked)
    currency = asked.network.currency
    return {
        **_request_out(asked),
        "offers": [_offer_out(viewer, offer, currency) for offer in offers],
    }


def _loan_out(viewer, loan) -> dict:
    return {
        "id": loan.pk,
        "kind": loan.kind,
        "person": _ref(loan.person),
        "from_school": _ref(loan.from_school),
        "to_school": _ref(loan.to_school),
        "starts_on": loan.starts_on,
        "ends_on": loan.ends_on,
        "days_a_week": loan.days_a_week,
        "recharge": loan.recharge if policy.can_see_loan_recharge(viewer, loan) else None,
        "currency": loan.network.currency,
        "purpose": loan.purpose,
    }


@router.get("/networks/{slug:slug}/exchange/requests", response=list[ExchangeRequestOut])
@paginate(Pages)
def list_exchange_requests(request, slug: str):
    network = _board(request, slug)
    return [
        _request_out(a) for a in selectors.requests_for(viewer=_viewer(request), network=network)
    ]


@router.post("/networks/{slug:slug}/exchange/requests", response={201: ExchangeRequestDetailOut})
def post_exchange_request(request, slug: str, payload: ExchangeRequestIn):
    network = _board(request, slug)
    asked = services.post_request(
        network=network,
        school=_school(network, payload.school_id),
        kind=payload.kind,
        title=payload.title,
        description=payload.description,
        expertise=payload.expertise,
        needed_from=payload.needed_from,
        needed_until=payload.needed_until,
        by=_viewer(request),
    )
    _, asked = _exchange_request(request, slug, asked.pk)
    return Status(201, _request_detail(_viewer(request), asked))


@router.get(
    "/networks/{slug:slug}/exchange/requests/{exchange_request_id}",
    response=ExchangeRequestDetailOut,
)
def get_exchange_request(request, slug: str, exchange_request_id: Id):
    _, asked = _exchange_request(request, slug, exchange_request_id)
    return _request_detail(_viewer(request), asked)


@router.post(
    "/networks/{slug:slug}/exchange/requests/{exchange_request_id}/offers",
    response={201: ExchangeRequestDetailOut},
)
def make_offer(request, slug: str, exchange_request_id: Id, payload: OfferIn):
    network, asked = _exchange_request(request, slug, exchange_request_id)
    facility = None
    if payload.facility_id is not None:
        facility = selectors.facility_for(
            viewer=_viewer(request), network=network, facility_id=payload.facility_id
        )
    services.make_offer(
        request=asked,
        school=_school(network, payload.school_id),
        note=payload.note,
        person=_person(network, payload.person_id) if payload.person_id else None,
        facility=facility,
        places=payload.places,
        recharge=payload.recharge,
        by=_viewer(request),
    )
    return Status(201, _request_detail(_viewer(request), asked))


@router.post(
    "/networks/{slug:slug}/exchange/requests/{exchange_request_id}/offers/{offer_id}/agree",
    response=ExchangeRequestDetailOut,
)
def agree_offer(request, slug: str, exchange_request_id: Id, offer_id: Id):
    _, asked = _exchange_request(request, slug, exchange_request_id)
    offer = selectors.offer_of(request=asked, offer_id=offer_id)
    services.agree_offer(offer=offer, by=_viewer(request))
    _, asked = _exchange_request(request, slug, exchange_request_id)
    return _request_detail(_viewer(request), asked)


@router.post(
    "/networks/{slug:slug}/exchange/requests/{exchange_request_id}/close",
    response=ExchangeRequestDetailOut,
)
def close_exchange_request(request, slug: str, exchange_request_id: Id, payload: FeedbackIn):
    _, asked = _exchange_request(request, slug, exchange_request_id)
    services.close_request(request=asked, feedback=payload.feedback, by=_viewer(request))
    _, asked = _exchange_request(request, slug, exchange_request_id)
    return _request_detail(_viewer(request), asked)


@router.get("/networks/{slug:slug}/exchange/facilities", response=list[FacilityOut])
@paginate(Pages)
def list_facilities(request, slug: str):
    network = _board(request, slug)
    return [
        {
            "id": item.pk,
            "school": _ref(item.school),
            "name": item.name,
            "kind": item.kind,
            "description": item.description,
        }
        for item in selectors.facilities_for(viewer=_viewer(request), network=network)
    ]


@router.post("/networks/{slug:slug}/exchange/facilities", response={201: FacilityOut})
def create_facility(request, slug: str, payload: FacilityIn):
    network = _board(request, slug)
    item = services.create_facility(
        network=network,
        school=_school(network, payload.school_id),
        name=payload.name,
        kind=payload.kind,
        description=payload.description,
        by=_viewer(request),
    )
    return Status(
        201,
        {
            "id": item.pk,
            "school": _ref(item.school),
            "name": item.name,
            "kind": item.kind,
            "description": item.description,
        },
    )


def _booking_out(booking) -> dict:
    return {
        "id": booking.pk,
        "facility_id": booking.facility_id,
        "school": _ref(booking.school),
        "starts_at": booking.starts_at,
        "ends_at": booking.ends_at,
        "purpose": booking.purpose,
    }


@router.get(
    "/networks/{slug:slug}/exchange/facilities/{facility_id}/bookings", response=list[BookingOut]
)
@paginate(Pages)
def list_bookings(request, slug: str, facility_id: Id):
    network = _board(request, slug)
    item = selectors.facility_for(viewer=_viewer(request), network=network, facility_id=facility_id)
    return [_booking_out(booking) for booking in selectors.bookings_of(facility=item)]


@router.post(
    "/networks/{slug:slug}/exchange/facilities/{facility_id}/bookings", response={201: BookingOut}
)
def book_facility(request, slug: str, facility_id: Id, payload: BookingIn):
    network = _board(request, slug)
    item = selectors.facility_for(viewer=_viewer(request), network=network, facility_id=facility_id)
    booking = services.book_facility(
        facility=item,
        school=_school(network, payload.school_id),
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        purpose=payload.purpose,
        by=_viewer(request),
    )
    return Status(201, _booking_out(booking))


@router.get("/networks/{slug:slug}/exchange/loans", response=list[LoanOut])
@paginate(Pages)
def list_loans(request, slug: str):
    network = _board(request, slug)
    viewer = _viewer(request)
    return [_loan_out(viewer, loan) for loan in selectors.loans_for(viewer=viewer, network=network)]


@router.post("/networks/{slug:slug}/exchange/loans", response={201: LoanOut})
def arrange_loan(request, slug: str, payload: LoanIn):
    network = _board(request, slug)
    loan = services.arrange_loan(
        network=network,
        kind=payload.kind,
        person=_person(network, payload.person_id),
        from_school=_school(network, payload.from_school_id),
        to_school=_school(network, payload.to_school_id),
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        days_a_week=payload.days_a_week,
        recharge=payload.recharge,
        purpose=payload.purpose,
        by=_viewer(request),
    )
    return Status(201, _loan_out(_viewer(request), loan))


@router.get("/networks/{slug:slug}/exchange/loans/{loan_id}", response=LoanOut)
def get_loan(request, slug: str, loan_id: Id):
    network = _board(request, slug)
    viewer = _viewer(request)
    return _loan_out(viewer, selectors.loan_for(viewer=viewer, network=network, loan_id=loan_id))


@router.post(
    "/networks/{slug:slug}/exchange/requests/{exchange_request_id}/withdraw",
    response=ExchangeRequestDetailOut,
)
def withdraw_exchange_request(request, slug: str, exchange_request_id: Id):
    """The asking school's lead withdraws an open request."""
    _, asked = _exchange_request(request, slug, exchange_request_id)
    services.withdraw_request(request=asked, by=_viewer(request))
    _, asked = _exchange_request(request, slug, exchange_request_id)
    return _request_detail(_viewer(request), asked)


@router.delete(
    "/networks/{slug:slug}/exchange/facilities/{facility_id}/bookings/{booking_id}",
    response={204: None},
)
def cancel_booking(request, slug: str, facility_id: Id, booking_id: Id):
    """Whoever made the booking, or the facility's school lead, cancels it."""
    network = _board(request, slug)
    item = selectors.facility_for(viewer=_viewer(request), network=network, facility_id=facility_id)
    booking = selectors.booking_of(facility=item, booking_id=booking_id)
    services.cancel_booking(booking=booking, by=_viewer(request))
    return Status(204, None)


# Joint courses, purchasing and bids (docs/exchange.md#joint-courses-purchasing-and-bids) ---------
# Summaries for every member: schools, numbers of places, shares and outcomes; no pupil is named.

Long = Annotated[str, Field("", max_length=2000, pattern=r"^[^\x00]*$")]
Optional200 = Annotated[str, Field("", max_length=200, pattern=r"^[^\x00]*$")]


class PlacesOut(Schema):
    school: Ref
    places: int


class CourseOut(Schema):
    id: int
    school: Ref
    title: str
    description: str
    starts_on: datetime.date
    ends_on: datetime.date
    places: int
    places_held: int


class CourseDetailOut(CourseOut):
    allocations: list[PlacesOut]


class CourseIn(Schema):
    school_id: Id
    title: Short
    description: Long
    starts_on: datetime.date
    ends_on: datetime.date
    places: Annotated[int, Field(ge=1, le=1000)]


class PlacesIn(Schema):
    school_id: Id
    places: Annotated[int, Field(ge=1, le=1000)]


class ShareOut(Schema):
    school: Ref
    amount: Decimal
    contribution_id: int | None


class PurchaseOut(Schema):
    id: int
    title: str
    description: str
    supplier: str
    budget_id: int
    currency: str
    schools_needed: int
    schools_joined: int
    pledged: Decimal
    status: PurchaseStatus
    placed_at: datetime.datetime | None
    commitment_id: int | None


class PurchaseDetailOut(PurchaseOut):
    shares: list[ShareOut]


class PurchaseIn(Schema):
    title: Short
    description: Long
    supplier: Optional200
    budget_id: Id
    schools_needed: Annotated[int, Field(ge=2, le=200)]


class PurchaseShareIn(Schema):
    school_id: Id
    amount: Amount


class BidOut(Schema):
    id: int
    title: str
    funder: str
    description: str
    amount_sought: Decimal
    currency: str
    deadline: datetime.date | None
    status: BidStatus
    schools_signed: int
    granted: Decimal | None
    funder_reference: str | None
    outcome_note: str


class BidDetailOut(BidOut):
    schools: list[Ref]


class BidIn(Schema):
    title: Short
    funder: Short
    description: Long
    amount_sought: Amount
    deadline: datetime.date | None = None


class SignUpIn(Schema):
    school_id: Id


class OutcomeIn(Schema):
    won: bool
    note: Optional500
    budget_id: Id | None = None
    amount: Amount | None = None
    funder_reference: Annotated[str, Field("", max_length=100, pattern=r"^[^\x00]*$")]


def _course_out(course) -> dict:
    return {
        "id": course.pk,
        "school": _ref(course.school),
        "title": course.title,
        "description": course.description,
        "starts_on": course.starts_on,
        "ends_on": course.ends_on,
        "places": course.places,
        "places_held": course.places_held,
    }


def _course(request, slug, joint_course_id):
    network = _board(request, slug)
    return network, selectors.course_for(
        viewer=_viewer(request), network=network, course_id=joint_course_id
    )


def _course_detail(course) -> dict:
    return {
        **_course_out(course),
        "allocations": [
            {"school": _ref(item.school), "places": item.places}
            for item in selectors.places_of(course=course)
        ],
    }


@router.get("/networks/{slug:slug}/exchange/courses", response=list[CourseOut])
@paginate(Pages)
def list_courses(request, slug: str):
    network = _board(request, slug)
    return [_course_out(c) for c in selectors.courses_for(viewer=_viewer(request), network=network)]


@router.post("/networks/{slug:slug}/exchange/courses", response={201: CourseDetailOut})
def create_course(request, slug: str, payload: CourseIn):
    network = _board(request, slug)
    course = joint.create_course(
        network=network,
        school=_school(network, payload.school_id),
        title=payload.title,
        description=payload.description,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        places=payload.places,
        by=_viewer(request),
    )
    _, course = _course(request, slug, course.pk)
    return Status(201, _course_detail(course))


@router.get("/networks/{slug:slug}/exchange/courses/{joint_course_id}", response=CourseDetailOut)
def get_course(request, slug: str, joint_course_id: Id):
    _, course = _course(request, slug, joint_course_id)
    return _course_detail(course)


@router.post(
    "/networks/{slug:slug}/exchange/courses/{joint_course_id}/places", response=CourseDetailOut
)
def hold_places(request, slug: str, joint_course_id: Id, payload: PlacesIn):
    """A school's lead holds places for their own school: a number of pupils, never names."""
    network, course = _course(request, slug, joint_course_id)
    joint.hold_places(
        course=course,
        school=_school(network, payload.school_id),
        places=payload.places,
        by=_viewer(request),
    )
    _, course = _course(request, slug, joint_course_id)
    return _course_detail(course)


@router.delete(
    "/networks/{slug:slug}/exchange/courses/{joint_course_id}/places/{school_id}",
    response={204: None},
)
def release_places(request, slug: str, joint_course_id: Id, school_id: Id):
    """A school's lead gives their school's places back."""
    _, course = _course(request, slug, joint_course_id)
    allocation = selectors.allocation_of(course=course, school_id=school_id)
    joint.release_places(allocation=allocation, by=_viewer(request))
    return Status(204, None)


def _purchase_out(proposal) -> dict:
    return {
        "id": proposal.pk,
        "title": proposal.title,
        "description": proposal.description,
        "supplier": proposal.supplier,
        "budget_id": proposal.budget_id,
        "currency": proposal.network.currency,
        "schools_needed": proposal.schools_needed,
        "schools_joined": proposal.schools_joined,
        "pledged": summed(proposal.pledged),
        "status": proposal.status,
        "placed_at": proposal.placed_at,
        "commitment_id": proposal.commitment_id,
    }


def _purchase(request, slug, purchase_id):
    network = _board(request, slug)
    return network, selectors.purchase_for(
        viewer=_viewer(request), network=network, purchase_id=purchase_id
    )


def _purchase_detail(proposal) -> dict:
    return {
        **_purchase_out(proposal),
        "shares": [
            {
                "school": _ref(share.school),
                "amount": share.amount,
                "contribution_id": share.contribution_id,
            }
            for share in selectors.shares_of_purchase(proposal=proposal)
        ],
    }


@router.get("/networks/{slug:slug}/exchange/purchases", response=list[PurchaseOut])
@paginate(Pages)
def list_purchases(request, slug: str):
    network = _board(request, slug)
    return [
        _purchase_out(p) for p in selectors.purchases_for(viewer=_viewer(request), network=network)
    ]


@router.post("/networks/{slug:slug}/exchange/purchases", response={201: PurchaseDetailOut})
def propose_purchase(request, slug: str, payload: PurchaseIn):
    network = _board(request, slug)
    budget = get_object_or_404(selectors.purchase_budgets_of(network=network), pk=payload.budget_id)
    proposal = joint.propose_purchase(
        network=network,
        budget=budget,
        title=payload.title,
        description=payload.description,
        supplier=payload.supplier,
        schools_needed=payload.schools_needed,
        by=_viewer(request),
    )
    _, proposal = _purchase(request, slug, proposal.pk)
    return Status(201, _purchase_detail(proposal))


@router.get("/networks/{slug:slug}/exchange/purchases/{purchase_id}", response=PurchaseDetailOut)
def get_purchase(request, slug: str, purchase_id: Id):
    _, proposal = _purchase(request, slug, purchase_id)
    return _purchase_detail(proposal)


@router.post(
    "/networks/{slug:slug}/exchange/purchases/{purchase_id}/shares", response=PurchaseDetailOut
)
def opt_in(request, slug: str, purchase_id: Id, payload: PurchaseShareIn):
    """A school's lead opts their own school in with its share (or changes it while open)."""
    network, proposal = _purchase(request, slug, purchase_id)
    joint.opt_in(
        proposal=proposal,
        school=_school(network, payload.school_id),
        amount=payload.amount,
        by=_viewer(request),
    )
    _, proposal = _purchase(request, slug, purchase_id)
    return _purchase_detail(proposal)


@router.delete(
    "/networks/{slug:slug}/exchange/purchases/{purchase_id}/shares/{school_id}",
    response={204: None},
)
def opt_out(request, slug: str, purchase_id: Id, school_id: Id):
    """A school's lead takes their school out of a purchase that is not yet placed."""
    _, proposal = _purchase(request, slug, purchase_id)
    share = selectors.share_of(proposal=proposal, school_id=school_id)
    joint.opt_out(share=share, by=_viewer(request))
    return Status(204, None)


@router.post(
    "/networks/{slug:slug}/exchange/purchases/{purchase_id}/place", response=PurchaseDetailOut
)
def place_purchase(request, slug: str, purchase_id: Id):
    """The budget holder places a purchase once enough schools have joined."""
    _, proposal = _purchase(request, slug, purchase_id)
    joint.place_purchase(proposal=proposal, by=_viewer(request))
    _, proposal = _purchase(request, slug, purchase_id)
    return _purchase_detail(proposal)


def _bid_out(bid) -> dict:
    return {
        "id": bid.pk,
        "title": bid.title,
        "funder": bid.funder,
        "description": bid.description,
        "amount_sought": bid.amount_sought,
        "currency": bid.network.currency,
        "deadline": bid.deadline,
        "status": bid.status,
        "schools_signed": bid.schools_signed,
        "granted": bid.grant.amount if bid.grant_id else None,
        "funder_reference": bid.grant.funder_reference if bid.grant_id else None,
        "outcome_note": bid.outcome_note,
    }


def _bid(request, slug, joint_bid_id):
    network = _board(request, slug)
    return network, selectors.bid_for(viewer=_viewer(request), network=network, bid_id=joint_bid_id)


def _bid_detail(bid) -> dict:
    return {
        **_bid_out(bid),
        "schools": [_ref(entry.school) for entry in selectors.schools_of_bid(bid=bid)],
    }


@router.get("/networks/{slug:slug}/exchange/bids", response=list[BidOut])
@paginate(Pages)
def list_bids(request, slug: str):
    network = _board(request, slug)
    return [_bid_out(b) for b in selectors.bids_for(viewer=_viewer(request), network=network)]


@router.post("/networks/{slug:slug}/exchange/bids", response={201: BidDetailOut})
def propose_bid(request, slug: str, payload: BidIn):
    network = _board(request, slug)
    bid = joint.propose_bid(
        network=network,
        title=payload.title,
        funder=payload.funder,
        description=payload.description,
        amount_sought=payload.amount_sought,
        deadline=payload.deadline,
        by=_viewer(request),
    )
    _, bid = _bid(request, slug, bid.pk)
    return Status(201, _bid_detail(bid))


@router.get("/networks/{slug:slug}/exchange/bids/{joint_bid_id}", response=BidDetailOut)
def get_bid(request, slug: str, joint_bid_id: Id):
    _, bid = _bid(request, slug, joint_bid_id)
    return _bid_detail(bid)


@router.post("/networks/{slug:slug}/exchange/bids/{joint_bid_id}/schools", response=BidDetailOut)
def sign_up(request, slug: str, joint_bid_id: Id, payload: SignUpIn):
    """A school's lead signs their own school up to the bid."""
    network, bid = _bid(request, slug, joint_bid_id)
    joint.sign_up(bid=bid, school=_school(network, payload.school_id), by=_viewer(request))
    _, bid = _bid(request, slug, joint_bid_id)
    return _bid_detail(bid)


@router.post("/networks/{slug:slug}/exchange/bids/{joint_bid_id}/outcome", response=BidDetailOut)
def record_bid_outcome(request, slug: str, joint_bid_id: Id, payload: OutcomeIn):
    """Who runs the money records won or lost; a won bid's grant is income in the budget given."""
    network, bid = _bid(request, slug, joint_bid_id)
    budget = None
    if payload.budget_id is not None:
        budget = get_object_or_404(
            selectors.grant_budgets_of(network=network), pk=payload.budget_id
        )
    joint.record_bid_outcome(
        bid=bid,
        won=payload.won,
        by=_viewer(request),
        note=payload.note,
        budget=budget,
        amount=payload.amount,
        funder_reference=payload.funder_reference,
    )
    _, bid = _bid(request, slug, joint_bid_id)
    return _bid_detail(bid)
