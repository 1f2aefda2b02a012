"""Who may see or do what with the network's money (docs/exchange.md#who-sees-what).

Co-leaders and co-ordinators run the budgets; a budget's holder writes to it and alone overrides
its balance or the attendance gate. Every staff member of the network sees the budgets as
summaries (purpose, year, balance), as do the network's external partners (a critical friend
supports and challenges the budget too); the ledger, which names people and their cover costs, is
for those who run the money, a school's lead sees the lines of their own school and their
school's share, and a teacher sees the release funding that is theirs. Pupils and parents see
none of it. Checks read the preloaded access and cost no queries.
"""

from django.db.models import Q

from netlearn.core.policy import in_networks, nothing
from netlearn.networks.access import access_for
from netlearn.networks.models import Role

from .models import (
    GATED_PURPOSES,
    Booking,
    Budget,
    ExchangeRequest,
    Facility,
    JointBid,
    JointCourse,
    PurchaseProposal,
    ReleaseFunding,
    StaffLoan,
)

MONEY_ROLES = (Role.CO_LEADER, Role.CO_ORDINATOR)


def _money_network_ids(access) -> list[int]:
    """Networks where the person is staff of a member school or holds a role."""
    if access.person_id is None or access.is_pupil or access.is_parent:
        return []
    return list(access.network_ids)


def _runs_money(access, network_id: int) -> bool:
    return access.is_site_admin or access.holds(*MONEY_ROLES, in_network=network_id)


def _holds(access, budget) -> bool:
    return access.person_id is not None and access.person_id in (
        budget.holder_id,
        getattr(budget.parent, "holder_id", None) if budget.parent_id else None,
    )


# Budgets --------------------------------------------------------------------------------------


def can_view_budgets(person, network) -> bool:
    access = access_for(person)
    return access.is_site_admin or network.pk in _money_network_ids(access)


def budget_scope(person) -> Q:
    access = access_for(person)
    if access.is_site_admin:
        return Q()
    ids = _money_network_ids(access)
    return in_networks(ids) if ids else nothing()


def can_view_budget(person, budget) -> bool:
    access = access_for(person)
    return access.is_site_admin or budget.network_id in _money_network_ids(access)


def can_manage_budgets(person, network) -> bool:
    """Creates budgets, devolves shares and sets cover rates."""
    return _runs_money(access_for(person), network.pk)


def can_record(person, budget) -> bool:
    """Records income, commitments and spending, and reverses entries."""
    access = access_for(person)
    return can_view_budget(person, budget) and (
        _runs_money(access, budget.network_id) or _holds(access, budget)
    )


def is_budget_holder(person, budget) -> bool:
    """Only the budget holder overrides a balance below zero or the attendance gate."""
    return _holds(access_for(person), budget) and can_view_budget(person, budget)


def can_view_ledger(person, budget) -> bool:
    """The whole ledger: who runs the money, the holder, and the lead of a share's school."""
    access = access_for(person)
    if not can_view_budget(person, budget):
        return False
    return (
        _runs_money(access, budget.network_id)
        or _holds(access, budget)
        or (budget.school_id is not None and budget.school_id in access.led_school_ids)
    )


def entry_scope(person, budget) -> Q:
    """The ledger lines of `budget` a person sees: all of them (`can_view_ledger`), else those
    for the schools they lead."""
    if can_view_ledger(person, budget):
        return Q()
    access = access_for(person)
    if not can_view_budget(person, budget) or not access.led_school_ids:
        return nothing()
    return Q(school_id__in=list(access.led_school_ids))


def can_request_exception(person, budget, school) -> bool:
    """A school's lead asks the holder of a gated fund to let their school draw on it."""
    access = access_for(person)
    return (
        can_view_budget(person, budget)
        and budget.purpose in GATED_PURPOSES
        and school is not None
        and school.pk in access.led_school_ids
    )


def exception_request_scope(person, budget) -> Q:
    """Requests for exceptions a person sees on a budget: all, for whoever sees its ledger;
    their schools', for a school's lead."""
    if can_view_ledger(person, budget):
        return Q()
    access = access_for(person)
    if not can_view_budget(person, budget) or not access.led_school_ids:
        return nothing()
    return Q(school_id__in=list(access.led_school_ids))


# Release funding ------------------------------------------------------------------------------


def release_funding_scope(person) -> Q:
    """Funding for release: all of a network whose money the person runs, their schools' as
    their lead, and their own."""
    access = access_for(person)
    if access.is_site_admin:
        return Q()
    ids = _money_network_ids(access)
    if not ids:
        return nothing()
    runs = [network_id for network_id in ids if _runs_money(access, network_id)]
    return in_networks(ids) & (
        in_networks(runs)
        | Q(school_id__in=list(access.led_school_ids))
        | Q(person_id=access.person_id)
    )


def can_view_release_funding(person, funding) -> bool:
    access = access_for(person)
    if access.is_site_admin:
        return True
    if funding.network_id not in _money_network_ids(access):
        return False
    return (
        _runs_money(access, funding.network_id)
        or funding.school_id in access.led_school_ids
        or funding.person_id == access.person_id
    )


# Exchange between schools --------------------------------------------------------------------
# The network's members (its schools' staff, role holders, partners) see the board of requests and
# offers, facilities, bookings and loans; recharge amounts are staff costs, shown to those who run
# the money, the two schools' leads and the person lent. A school's lead acts for their school.


def can_view_board(person, network) -> bool:
    return can_view_budgets(person, network)


def board_scope(person) -> Q:
    return budget_scope(person)


def can_view_board_item(person, item) -> bool:
    access = access_for(person)
    return access.is_site_admin or item.network_id in _money_network_ids(access)


def can_view_booking(person, booking) -> bool:
    return can_view_board_item(person, booking.facility)


def booking_scope(person) -> Q:
    access = access_for(person)
    if access.is_site_admin:
        return Q()
    ids = _money_network_ids(access)
    return Q(facility__network_id__in=ids) if ids else nothing()


def leads(person, school) -> bool:
    return school is not None and school.pk in access_for(person).led_school_ids


def can_act_for(person, network, school) -> bool:
    """Posts, offers, books and agrees for `school`: its lead, within a network they belong to."""
    return can_view_board(person, network) and leads(person, school)


def can_manage_facility(person, facility) -> bool:
    return can_view_board_item(person, facility) and (
        leads(person, facility.school) or _runs_money(access_for(person), facility.network_id)
    )


def can_arrange_loan(person, network, from_school, to_school) -> bool:
    """A loan is arranged by those who run the network's money or either school's lead."""
    access = access_for(person)
    return can_view_board(person, network) and (
        _runs_money(access, network.pk) or leads(person, from_school) or leads(person, to_school)
    )


def can_see_recharge(person, *, network_id, school_ids, person_id=None) -> bool:
    """Recharge amounts and staff costs: who runs the money, the schools' leads, the person."""
    access = access_for(person)
    if not (access.is_site_admin or network_id in _money_network_ids(access)):
        return False
    return (
        _runs_money(access, network_id)
        or bool(set(school_ids) & set(access.led_school_ids))
        or (person_id is not None and person_id == access.person_id)
    )


def can_see_loan_recharge(person, loan) -> bool:
    return can_see_recharge(
        person,
        network_id=loan.network_id,
        school_ids=(loan.from_school_id, loan.to_school_id),
        person_id=loan.person_id,
    )


def can_see_offer_recharge(person, offer) -> bool:
    return can_see_recharge(
        person,
        network_id=offer.request.network_id,
        school_ids=(offer.school_id, offer.request.school_id),
        person_id=offer.person_id,
    )


def can_cancel_booking(person, booking) -> bool:
    """Whoever made the booking, their school's lead, or whoever manages the facility."""
    return can_view_booking(person, booking) and (
        booking.booked_by_id == access_for(person).person_id
        or leads(person, booking.school)
        or can_manage_facility(person, booking.facility)
    )


# Joint courses, purchasing and bids ------------------------------------------------------------
# The network's members see each as a summary (schools, places, shares, outcome); a school's lead
# reserves places, opts in and signs up for their own school only; the purchasing budget's holder
# places a purchase; who runs the money records a bid's outcome.


def can_start_joint(person, network) -> bool:
    """Proposes a joint purchase or bid, or lists a joint course: a school's lead or who runs
    the network's money."""
    access = access_for(person)
    return can_view_board(person, network) and (
        _runs_money(access, network.pk) or bool(access.led_school_ids)
    )


def can_place_purchase(person, proposal) -> bool:
    return can_view_board_item(person, proposal) and is_budget_holder(person, proposal.budget)


def can_record_bid_outcome(person, bid) -> bool:
    return can_view_board_item(person, bid) and _runs_money(access_for(person), bid.network_id)


# The policy agreement test (tests/test_policy_agreement.py) proves each pair agrees.
AGREEMENTS = (
    (Budget, can_view_budget, budget_scope),
    (ReleaseFunding, can_view_release_funding, release_funding_scope),
    (ExchangeRequest, can_view_board_item, board_scope),
    (Facility, can_view_board_item, board_scope),
    (StaffLoan, can_view_board_item, board_scope),
    (Booking, can_view_booking, booking_scope),
    (JointCourse, can_view_board_item, board_scope),
    (PurchaseProposal, can_view_board_item, board_scope),
    (JointBid, can_view_board_item, board_scope),
)
SCOPES_ALONE = (entry_scope, exception_request_scope)
