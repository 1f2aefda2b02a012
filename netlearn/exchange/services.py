"""Writes to the network's money: budgets, shares, and the append-only ledger.

Every write locks the budget row first (`select_for_update`: PostgreSQL makes a second writer
wait; SQLite's IMMEDIATE transactions already take turns), then reads its figures and checks the
rules, so two spends racing never overdraw it (docs/exchange.md#budgets-and-the-ledger).
Notifications wait for the commit.
"""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from netlearn.accounts import selectors as account_selectors
from netlearn.core.money import MoneyError, format_amount, to_decimal
from netlearn.core.policy import require
from netlearn.networks import selectors as network_selectors
from netlearn.notifications.models import NotificationKind
from netlearn.notifications.services import notify

from . import policy, selectors
from .errors import (
    AlreadyAnswered,
    AlreadyReversed,
    AttendanceBelowCommitment,
    BookingClash,
    BudgetExists,
    ExchangeClosed,
    ExchangeError,
    Overdrawn,
)
from .models import (
    GATED_PURPOSES,
    AttendanceException,
    Booking,
    Budget,
    CoverRate,
    EntryKind,
    ExceptionRequest,
    ExchangeKind,
    ExchangeRequest,
    Facility,
    FacilityKind,
    IncomeSource,
    LedgerEntry,
    LoanKind,
    Offer,
    Purpose,
    ReleaseFunding,
    RequestStatus,
    StaffLoan,
)

MAX_TEXT = 500


def _amount(value) -> Decimal:
    try:
        amount = to_decimal(value)
    except MoneyError as error:
        raise ExchangeError(str(error)) from None
    if amount <= 0:
        raise ExchangeError(
            gettext("Give an amount above zero; a correction is a reversing entry.")
        )
    return amount


def _text(value: str, what: str, *, required: bool = True) -> str:
    text = " ".join((value or "").replace("\x00", "").split())
    if required and not text:
        raise ExchangeError(gettext("Say %(what)s: the ledger records why.") % {"what": what})
    if len(text) > MAX_TEXT:
        raise ExchangeError(
            gettext("Keep %(what)s under %(MAX_TEXT)s characters.")
            % {"what": what, "MAX_TEXT": MAX_TEXT}
        )
    return text


def _locked(budget: Budget) -> Budget:
    """The budget row, locked until the transaction ends. Caller is inside `atomic`."""
    return (
        Budget.objects.select_for_update(of=("self",))
        .select_related("network", "parent", "school", "group", "holder")
        .get(pk=budget.pk)
    )


def _check_school(network, school) -> None:
    if school is not None and not network_selectors.is_member_school(
        network=network, school=school
    ):
        raise ExchangeError(
            gettext("%(name)s is not a member school of %(network_name)s.")
            % {"name": school.name, "network_name": network.name}
        )


def check_attendance_gate(*, budget: Budget, school) -> None:
    """No attendance, no money (docs/seed-practices.md#money-and-exchange): a school under the
    network's attendance commitment draws on a gated fund only with the budget holder's recorded
    exception."""
    if school is None or budget.purpose not in GATED_PURPOSES:
        return
    if selectors.has_exception(budget=budget, school=school):
        return
    standing = selectors.attendance_standing(network=budget.network, school=school)
    if standing.below:
        raise AttendanceBelowCommitment(
            gettext(
                "%(name)s attended %(percent)s%% of its network meetings over the last year, "
                "below the network's commitment of %(threshold)s%%: no attendance, no money. The "
                "budget holder, %(holder_name)s, may record an exception with a reason."
            )
            % {
                "name": school.name,
                "percent": standing.percent,
                "threshold": standing.threshold,
                "holder_name": (budget.parent or budget).holder.name,
            }
        )


def _write(
    *,
    budget: Budget,
    kind: str,
    amount: Decimal,
    cash_effect: Decimal,
    commitment_effect: Decimal,
    by,
    description: str,
    override_reason: str = "",
    tell_holder: bool = True,
    **fields,
) -> LedgerEntry:
    """Appends one entry. Caller holds the budget's lock (`_locked`).

    An entry that lowers what is available and would leave it below zero needs an override
    with a reason, recorded by the budget holder; any other entry keeps no override.
    """
    cash, committed = selectors.ledger_sums(budget)
    available_after = (cash + cash_effect) - (committed + commitment_effect)
    lowers = cash_effect - commitment_effect < 0
    override = ""
    if lowers and available_after < 0:
        override = _text(
            override_reason, gettext("why the budget may go below zero"), required=False
        )
        currency = budget.network.currency
        if not override:
            raise Overdrawn(
                gettext(
                    "That would take %(title)s below zero: it has %(amount)s available and this "
                    "needs %(value)s. Only the budget holder, %(name)s, may go below zero, with a "
                    "reason."
                )
                % {
                    "title": budget.title,
                    "amount": format_amount(cash - committed, currency),
                    "value": format_amount(amount, currency),
                    "name": budget.holder.name,
                }
            )
        if not policy.is_budget_holder(by, budget):
            raise Overdrawn(
                gettext("Only the budget holder, %(name)s, may take %(title)s below zero.")
                % {"name": budget.holder.name, "title": budget.title}
            )
    if committed + commitment_effect < 0:
        raise ExchangeError(gettext("That frees more than is committed."))
    entry = LedgerEntry(
        budget=budget,
        kind=kind,
        amount=amount,
        cash_effect=cash_effect,
        commitment_effect=commitment_effect,
        recorded_by=by,
        description=description,
        override_reason=override,
        **fields,
    )
    entry.save()
    if tell_holder and budget.holder_id != by.pk:
        _tell_holder(budget, entry)
    return entry


def _tell_holder(budget: Budget, entry: LedgerEntry) -> None:
    text = (
        f"{entry.get_kind_display()} of {format_amount(entry.amount, budget.network.currency)} "
        f"on {budget.title}: {entry.description}"
    )
    url = budget.get_absolute_url()
    holder = budget.holder
    transaction.on_commit(
        lambda: notify(recipients=[holder], kind=NotificationKind.MONEY, text=text, url=url)
    )


# Budgets ----------------------------------------------------------------------------------------


@transaction.atomic
def create_budget(*, network, year: int, purpose: str, holder, by, name: str = "") -> Budget:
    require(policy.can_manage_budgets(by, network))
    if purpose not in Purpose.values:
        raise ExchangeError(gettext("Choose the budget's purpose."))
    if not 2000 <= int(year) <= 2100:
        raise ExchangeError(gettext("Give the year the budget starts, e.g. 2026."))
    if not network_selectors.people_of_network(network=network).filter(pk=holder.pk).exists():
        raise ExchangeError(
            gettext("%(name)s is not part of %(network_name)s.")
            % {"name": holder.name, "network_name": network.name}
        )
    try:
        with transaction.atomic():
            return Budget.objects.create(
                network=network,
                year=year,
                purpose=purpose,
                holder=holder,
                name=_text(name, gettext("the name"), required=False)[:200],
                created_by=by,
            )
    except IntegrityError:
        raise BudgetExists(
            gettext("%(name)s already has a %(lower)s budget for %(year)s.")
            % {"name": network.name, "lower": Purpose(purpose).label.lower(), "year": year}
        ) from None


@transaction.atomic
def devolve(
    *,
    budget: Budget,
    amount,
    by,
    description: str,
    school=None,
    group=None,
    holder=None,
    override_reason: str = "",
) -> Budget:
    """Hands a share of a network budget to a school or group, which then has its own balance."""
    require(policy.can_manage_budgets(by, budget.network))
    if budget.parent_id:
        raise ExchangeError(gettext("Devolve from the network's budget, not from a share of it."))
    if (school is None) == (group is None):
        raise ExchangeError(gettext("Devolve to one school or one group."))
    amount = _amount(amount)
    description = _text(description, gettext("why the share is devolved"))
    budget = _locked(budget)
    _check_school(budget.network, school)
    if group is not None and group.network_id != budget.network_id:
        raise ExchangeError(gettext("That group is not of this network."))
    share = Budget.objects.filter(parent=budget, school=school, group=group).first()
    if share is None:
        share = Budget.objects.create(
            network=budget.network,
            year=budget.year,
            purpose=budget.purpose,
            holder=holder or by,
            parent=budget,
            school=school,
            group=group,
            created_by=by,
        )
    share = _locked(share)
    out = _write(
        budget=budget,
        kind=EntryKind.DEVOLVED,
        amount=amount,
        cash_effect=-amount,
        commitment_effect=Decimal(0),
        by=by,
        description=description,
        override_reason=override_reason,
        school=school,
    )
    _write(
        budget=share,
        kind=EntryKind.ALLOCATION,
        amount=amount,
        cash_effect=amount,
        commitment_effect=Decimal(0),
        by=by,
        description=description,
        school=school,
        counterpart=out,
    )
    return share


# The ledger -------------------------------------------------------------------------------------


@transaction.atomic
def record_income(
    *,
    budget: Budget,
    amount,
    by,
    description: str,
    source: str,
    funder: str = "",
    funder_reference: str = "",
    occurred_on: datetime.date | None = None,
    school=None,
) -> LedgerEntry:
    """Money in: a grant, a school's contribution, a national programme's funding."""
    require(policy.can_record(by, budget))
    if source not in IncomeSource.values:
        raise ExchangeError(gettext("Say where the money came from."))
    amount = _amount(amount)
    budget = _locked(budget)
    _check_school(budget.network, school)
    return _write(
        budget=budget,
        kind=EntryKind.INCOME,
        amount=amount,
        cash_effect=amount,
        commitment_effect=Decimal(0),
        by=by,
        description=_text(description, gettext("what the income is")),
        source=source,
        funder=_text(funder, gettext("the funder"), required=False)[:200],
        funder_reference=_text(funder_reference, gettext("the reference"), required=False)[:100],
        occurred_on=occurred_on or datetime.date.today(),
        school=school,
    )


@transaction.atomic
def commit(
    *,
    budget: Budget,
    amount,
    by,
    description: str,
    school=None,
    override_reason: str = "",
    occurred_on: datetime.date | None = None,
    gate_checked: bool = False,
) -> LedgerEntry:
    """Sets money aside for a known cost; it becomes spending, or is freed, later."""
    require(policy.can_record(by, budget))
    amount = _amount(amount)
    budget = _locked(budget)
    _check_school(budget.network, school)
    if not gate_checked:
        check_attendance_gate(budget=budget, school=school)
    return _write(
        budget=budget,
        kind=EntryKind.COMMITMENT,
        amount=amount,
        cash_effect=Decimal(0),
        commitment_effect=amount,
        by=by,
        description=_text(description, gettext("what the commitment is for")),
        override_reason=override_reason,
        school=school,
        occurred_on=occurred_on or datetime.date.today(),
    )


@transaction.atomic
def spend(
    *,
    budget: Budget,
    amount,
    by,
    description: str,
    school=None,
    commitment: LedgerEntry | None = None,
    override_reason: str = "",
    occurred_on: datetime.date | None = None,
) -> LedgerEntry:
    """Money out. Against a commitment it settles (up to) what is open of it; a draw for a
    school on a gated fund passes the attendance gate (a settled commitment passed it already)."""
    require(policy.can_record(by, budget))
    amount = _amount(amount)
    budget = _locked(budget)
    _check_school(budget.network, school)
    settles = Decimal(0)
    if commitment is not None:
        if commitment.budget_id != budget.pk or commitment.kind != EntryKind.COMMITMENT:
            raise ExchangeError(gettext("That commitment is not one of this budget's."))
        settles = min(amount, selectors.open_commitment(commitment))
        if settles <= 0:
            raise ExchangeError(gettext("That commitment is already settled."))
        school = school or commitment.school
    else:
        check_attendance_gate(budget=budget, school=school)
    return _write(
        budget=budget,
        kind=EntryKind.SPENDING,
        amount=amount,
        cash_effect=-amount,
        commitment_effect=-settles,
        by=by,
        description=_text(description, gettext("what the money was spent on")),
        override_reason=override_reason,
        school=school,
        commitment=commitment,
        occurred_on=occurred_on or datetime.date.today(),
    )


@transaction.atomic
def free_commitment(*, commitment: LedgerEntry, by, description: str, amount=None) -> LedgerEntry:
    """Gives back what a commitment no longer needs (all that is open of it, by default)."""
    budget = commitment.budget
    require(policy.can_record(by, budget))
    budget = _locked(budget)
    if commitment.kind != EntryKind.COMMITMENT:
        raise ExchangeError(gettext("Only a commitment is freed."))
    left = selectors.open_commitment(commitment)
    amount = left if amount in (None, "") else _amount(amount)
    if amount <= 0 or amount > left:
        raise ExchangeError(
            gettext("Free at most what is still committed: %(amount)s.")
            % {"amount": format_amount(max(left, Decimal(0)), budget.network.currency)}
        )
    return _write(
        budget=budget,
        kind=EntryKind.FREED,
        amount=amount,
        cash_effect=Decimal(0),
        commitment_effect=-amount,
        by=by,
        description=_text(description, gettext("why it is freed")),
        school=commitment.school,
        commitment=commitment,
    )


@transaction.atomic
def reverse_entry(
    *, entry: LedgerEntry, by, description: str, override_reason: str = ""
) -> LedgerEntry:
    """Corrects an entry by an entry that undoes it: nothing in the ledger is edited.

    Reversing one side of a devolved share reverses the other side too, in the same
    transaction (both budgets locked, the network's first, so two reversals never deadlock).
    """
    require(policy.can_record(by, entry.budget))
    description = _text(description, gettext("why it is reversed"))
    other = _counterpart(entry)
    budgets = sorted([entry.budget] + ([other.budget] if other else []), key=lambda b: b.pk)
    locked = {budget.pk: _locked(budget) for budget in budgets}
    reversal = _reverse_one(
        entry,
        budget=locked[entry.budget_id],
        by=by,
        description=description,
        override_reason=override_reason,
    )
    if other is not None:
        _reverse_one(
            other,
            budget=locked[other.budget_id],
            by=by,
            description=description,
            override_reason=override_reason,
        )
    return reversal


def settle_release(*, budget: Budget, commitment: LedgerEntry, by, description: str, kind: str):
    """Spends (the teacher came) or frees (they did not) a release commitment in full.

    Caller is the register's hook (release.py): whoever may take the register settles what the
    register says, without a money role of their own; the commitment already passed the rules.
    """
    budget = _locked(budget)
    left = selectors.open_commitment(commitment)
    if left <= 0:
        raise ExchangeError(gettext("That release commitment is already settled."))
    spending = kind == EntryKind.SPENDING
    return _write(
        budget=budget,
        kind=kind,
        amount=left,
        cash_effect=-left if spending else Decimal(0),
        commitment_effect=-left,
        by=by,
        description=description,
        school=commitment.school,
        commitment=commitment,
        occurred_on=commitment.occurred_on,
        tell_holder=False,
    )


def reverse_settlement(*, entry: LedgerEntry, by, description: str) -> LedgerEntry:
    """Undoes a release settlement when the register is corrected (caller: the register's hook).
    Reopening freed money may need the budget holder if the budget has since been spent."""
    budget = _locked(entry.budget)
    return _write(
        budget=budget,
        kind=EntryKind.REVERSAL,
        amount=entry.amount,
        cash_effect=-entry.cash_effect,
        commitment_effect=-entry.commitment_effect,
        by=by,
        description=description,
        school=entry.school,
        reverses=entry,
        tell_holder=False,
    )


def _counterpart(entry: LedgerEntry) -> LedgerEntry | None:
    if entry.counterpart_id:
        return LedgerEntry.objects.select_related("budget").get(pk=entry.counterpart_id)
    return LedgerEntry.objects.filter(counterpart=entry).select_related("budget").first()


def _reverse_one(entry, *, budget, by, description, override_reason) -> LedgerEntry:
    if entry.kind == EntryKind.REVERSAL:
        raise AlreadyReversed(
            gettext("A reversal is not reversed: record the entry again instead.")
        )
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise AlreadyReversed(gettext("That entry is already reversed."))
    if ReleaseFunding.objects.filter(commitment=entry).exists() or (
        ReleaseFunding.objects.filter(settlement=entry).exists()
    ):
        raise ExchangeError(
            gettext("That is release funding: it follows the release request and the register.")
        )
    if entry.kind == EntryKind.COMMITMENT and selectors.open_commitment(entry) != entry.amount:
        raise ExchangeError(
            gettext("Part of that commitment is spent or freed: reverse those entries first.")
        )
    return _write(
        budget=budget,
        kind=EntryKind.REVERSAL,
        amount=entry.amount,
        cash_effect=-entry.cash_effect,
        commitment_effect=-entry.commitment_effect,
        by=by,
        description=description,
        override_reason=override_reason,
        school=entry.school,
        reverses=entry,
    )


# The attendance gate's exceptions and cover rates -----------------------------------------------


@transaction.atomic
def record_exception(*, budget: Budget, school, by, reason: str) -> AttendanceException:
    """The budget holder lets a school under the attendance commitment draw on the fund."""
    root = budget.parent if budget.parent_id else budget
    if not policy.is_budget_holder(by, root):
        require(False)
    reason = _text(reason, gettext("why the school may draw on the fund"))
    _check_school(root.network, school)
    try:
        with transaction.atomic():
            exception = AttendanceException.objects.create(
                budget=root, school=school, reason=reason, recorded_by=by
            )
    except IntegrityError:
        raise ExchangeError(
            gettext("%(name)s already has an exception for this budget.") % {"name": school.name}
        ) from None
    leads = list(
        network_selectors.people_of_network(network=root.network).filter(
            pk__in=network_selectors.school_lead_ids(school_ids=[school.pk])
        )
    )
    text = f"{school.name} may draw on {root.title} despite its attendance: {reason}"
    url = root.get_absolute_url()
    transaction.on_commit(
        lambda: notify(recipients=leads, kind=NotificationKind.MONEY, text=text, url=url)
    )
    return exception


@transaction.atomic
def set_cover_rate(*, network, per_session, by, school=None) -> CoverRate:
    """What a half-day session of cover costs: the network's rate, or one school's."""
    require(policy.can_manage_budgets(by, network))
    amount = _amount(per_session)
    _check_school(network, school)
    rate, _ = CoverRate.objects.update_or_create(
        network=network, school=school, defaults={"per_session": amount, "set_by": by}
    )
    return rate


@transaction.atomic
def request_exception(*, budget: Budget, school, by, reason: str) -> ExceptionRequest:
    """A school's lead asks the budget holder to let their school draw despite its attendance."""
    root = budget.parent if budget.parent_id else budget
    require(policy.can_request_exception(by, root, school))
    reason = _text(reason, gettext("why your school should draw on the fund"))
    if selectors.has_exception(budget=root, school=school):
        raise ExchangeError(
            gettext("%(name)s already has an exception for this budget.") % {"name": school.name}
        )
    try:
        with transaction.atomic():
            request = ExceptionRequest.objects.create(
                budget=root, school=school, reason=reason, requested_by=by
            )
    except IntegrityError:
        raise AlreadyAnswered(
            gettext("%(name)s has already asked; the holder will answer.") % {"name": school.name}
        ) from None
    holder = root.holder
    text = f"{by.name} asks for an exception to the attendance gate for {school.name}: {reason}"
    url = root.get_absolute_url()
    transaction.on_commit(
        lambda: notify(
            recipients=[holder], kind=NotificationKind.EXCHANGE_REQUESTED, text=text, url=url
        )
    )
    return request


# Exchange between schools (docs/exchange.md#exchange-between-schools) ----------------------------


def _short(value: str, what: str, limit: int, *, required: bool = True) -> str:
    text = " ".join((value or "").replace("\x00", "").split())
    if required and not text:
        raise ExchangeError(gettext("Say %(what)s.") % {"what": what})
    if len(text) > limit:
        raise ExchangeError(
            gettext("Keep %(what)s under %(limit)s characters.") % {"what": what, "limit": limit}
        )
    return text


def _recharge(value, *, required: bool = False) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise ExchangeError(
                gettext("Give the recharge: 0 if the lending school asks for nothing.")
            )
        return None
    try:
        amount = to_decimal(value)
    except MoneyError as error:
        raise ExchangeError(str(error)) from None
    if amount < 0:
        raise ExchangeError(gettext("A recharge cannot be negative."))
    return amount


def _tell(recipients, *, kind, text: str, url: str) -> None:
    people = [person for person in recipients if person is not None]
    if people:
        transaction.on_commit(lambda: notify(recipients=people, kind=kind, text=text, url=url))


def _leads_of(school, *, but=None) -> list:
    people = account_selectors.active_people(
        ids=network_selectors.school_lead_ids(school_ids=[school.pk])
    )
    if but is not None:
        people = people.exclude(pk=but.pk)
    return list(people)


@transaction.atomic
def create_facility(*, network, school, name: str, kind: str, by, description: str = ""):
    require(policy.can_act_for(by, network, school) or policy.can_manage_budgets(by, network))
    _check_school(network, school)
    if kind not in FacilityKind.values:
        raise ExchangeError(gettext("Choose what kind of facility it is."))
    return Facility.objects.create(
        network=network,
        school=school,
        name=_short(name, "the facility's name", 200),
        kind=kind,
        description=_short(description, "the description", 500, required=False),
        created_by=by,
    )


@transaction.atomic
def book_facility(*, facility, school, starts_at, ends_at, purpose: str, by) -> Booking:
    """Books a facility for a school. The facility's row is locked first, so two bookings racing
    for the same hour take turns and the second is refused (docs/exchange.md)."""
    require(policy.can_act_for(by, facility.network, school))
    _check_school(facility.network, school)
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise ExchangeError(gettext("A booking ends after it starts."))
    if ends_at - starts_at > datetime.timedelta(days=14):
        raise ExchangeError(gettext("Book at most two weeks at a time."))
    purpose = _short(purpose, "what the booking is for", 500)
    locked = Facility.objects.select_for_update(of=("self",)).get(pk=facility.pk)
    clash = (
        Booking.objects.filter(facility=locked, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .select_related("school")
        .first()
    )
    if clash is not None:
        raise BookingClash(
            gettext(
                "%(name)s is already booked by %(school_name)s from %(starts_at)s to %(ends_at)s: "
                "choose another time."
            )
            % {
                "name": facility.name,
                "school_name": clash.school.name,
                "starts_at": f"{clash.starts_at:%d %b %Y %H:%M}",
                "ends_at": f"{clash.ends_at:%d %b %Y %H:%M}",
            }
        )
    booking = Booking.objects.create(
        facility=locked,
        school=school,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=purpose,
        booked_by=by,
    )
    if school.pk != facility.school_id:
        _tell(
            _leads_of(facility.school, but=by),
            kind=NotificationKind.EXCHANGE_ANSWERED,
            text=f"{school.name} booked {facility.name}: {purpose}",
            url=facility.get_absolute_url(),
        )
    return booking


@transaction.atomic
def cancel_booking(*, booking: Booking, by) -> None:
    """Whoever made the booking, their school's lead or the facility's school lead cancels it;
    the other side is told, so the facility's school can let the time go."""
    require(policy.can_cancel_booking(by, booking))
    facility = booking.facility
    text = (
        f"{booking.school.name}'s booking of {facility.name} on "
        f"{booking.starts_at:%d %b %Y %H:%M} is cancelled"
    )
    told = _leads_of(facility.school, but=by) + _leads_of(booking.school, but=by)
    if booking.booked_by_id != by.pk:
        told.append(booking.booked_by)
    booking.delete()
    _tell(told, kind=NotificationKind.EXCHANGE_ANSWERED, text=text, url=facility.get_absolute_url())


@transaction.atomic
def post_request(
    *,
    network,
    school,
    kind: str,
    title: str,
    by,
    description: str = "",
    expertise: str = "",
    needed_from=None,
    needed_until=None,
) -> ExchangeRequest:
    """A school asks the network: the other schools' leads are told, to answer with offers."""
    require(policy.can_act_for(by, network, school))
    _check_school(network, school)
    if kind not in ExchangeKind.values:
        raise ExchangeError(gettext("Choose what the school is asking for."))
    if needed_from and needed_until and needed_until < needed_from:
        raise ExchangeError(gettext("The request ends on or after the day it starts."))
    tag = None
    if expertise:
        tag = account_selectors.expertise_named(name=expertise)
        if tag is None:
            raise ExchangeError(
                gettext(
                    "No one in the expertise directory lists “%(number)s”: choose a listed tag."
                )
                % {"number": expertise[:80]}
            )
    request = ExchangeRequest.objects.create(
        network=network,
        school=school,
        kind=kind,
        title=_short(title, "what the school needs", 200),
        description=_short(description, "the details", 2000, required=False),
        expertise=tag,
        needed_from=needed_from,
        needed_until=needed_until,
        posted_by=by,
    )
    other_schools = network_selectors.member_school_ids(network=network).exclude(
        school_id=school.pk
    )
    leads = account_selectors.active_people(
        ids=network_selectors.school_lead_ids(school_ids=other_schools)
    ).exclude(pk=by.pk)
    _tell(
        list(leads),
        kind=NotificationKind.EXCHANGE_REQUESTED,
        text=f"{school.name} asks: {request.title}",
        url=request.get_absolute_url(),
    )
    return request


def _locked_request(request: ExchangeRequest) -> ExchangeRequest:
    return (
        ExchangeRequest.objects.select_for_update(of=("self",))
        .select_related("network", "school")
        .get(pk=request.pk)
    )


@transaction.atomic
def make_offer(
    *,
    request: ExchangeRequest,
    school,
    note: str,
    by,
    person=None,
    facility=None,
    places=None,
    recharge=None,
) -> Offer:
    """Another school answers a request. Its lead's offer counts as that school's agreement."""
    require(policy.can_act_for(by, request.network, school))
    request = _locked_request(request)
    if request.status != RequestStatus.OPEN:
        raise ExchangeClosed(gettext("The request is no longer open for offers."))
    if school.pk == request.school_id:
        raise ExchangeError(gettext("A school answers other schools' requests, not its own."))
    _check_school(request.network, school)
    if facility is not None and (
        facility.network_id != request.network_id or facility.school_id != school.pk
    ):
        raise ExchangeError(gettext("Offer one of your school's own facilities."))
    if (
        person is not None
        and not network_selectors.current_posts_at(person_id=person.pk, school=school).exists()
    ):
        raise ExchangeError(
            gettext("%(name)s does not work at %(school_name)s.")
            % {"name": person.name, "school_name": school.name}
        )
    if places is not None and not 1 <= int(places) <= 500:
        raise ExchangeError(gettext("Offer between 1 and 500 places."))
    offer = Offer.objects.create(
        request=request,
        school=school,
        note=_short(note, "what the school offers", 1000),
        person=person,
        facility=facility,
        places=places,
        recharge=_recharge(recharge),
        offered_by=by,
        offerer_agreed_by=by,
    )
    _tell(
        _leads_of(request.school, but=by),
        kind=NotificationKind.EXCHANGE_ANSWERED,
        text=f"{school.name} offers help with “{request.title}”",
        url=request.get_absolute_url(),
    )
    return offer


@transaction.atomic
def agree_offer(*, offer: Offer, by) -> Offer:
    """A school's lead agrees to an offer for their school; when both schools have, the request
    is agreed (and an offer of a named person becomes a staff loan)."""
    request = _locked_request(offer.request)
    offer = Offer.objects.select_for_update(of=("self",)).select_related("school").get(pk=offer.pk)
    asker = policy.can_act_for(by, request.network, request.school)
    offerer = policy.can_act_for(by, request.network, offer.school)
    require(asker or offerer)
    if request.status != RequestStatus.OPEN:
        raise ExchangeClosed(
            gettext("The request is no longer open: an offer was agreed or it closed.")
        )
    if asker:
        offer.asker_agreed_by = by
    if offerer:
        offer.offerer_agreed_by = by
    told = []
    if offer.asker_agreed_by_id and offer.offerer_agreed_by_id:
        offer.agreed_at = timezone.now()
        request.status = RequestStatus.AGREED
        request.save(update_fields=["status"])
        if offer.person_id and request.needed_from and request.needed_until:
            StaffLoan.objects.create(
                network=request.network,
                person=offer.person,
                from_school=offer.school,
                to_school=request.school,
                starts_on=request.needed_from,
                ends_on=request.needed_until,
                recharge=offer.recharge or Decimal("0"),
                purpose=request.title[:500],
                offer=offer,
                arranged_by=by,
            )
        told = _leads_of(request.school, but=by) + _leads_of(offer.school, but=by)
        text = f"{request.school.name} and {offer.school.name} agreed: {request.title}"
    else:
        other = offer.school if asker else request.school
        told = _leads_of(other, but=by)
        agreeing = request.school if asker else offer.school
        text = f"{agreeing.name} agreed to an offer: {request.title}"
    offer.save(update_fields=["asker_agreed_by", "offerer_agreed_by", "agreed_at"])
    _tell(told, kind=NotificationKind.EXCHANGE_ANSWERED, text=text, url=request.get_absolute_url())
    return offer


@transaction.atomic
def close_request(*, request: ExchangeRequest, feedback: str, by) -> ExchangeRequest:
    """The asking school's lead closes an agreed request with short feedback."""
    require(policy.can_act_for(by, request.network, request.school))
    request = _locked_request(request)
    if request.status != RequestStatus.AGREED:
        raise ExchangeClosed(gettext("Agree to an offer before closing the request with feedback."))
    request.feedback = _short(feedback, "how it went, in a line or two", 1000)
    request.feedback_by = by
    request.done_at = timezone.now()
    request.status = RequestStatus.DONE
    request.save(update_fields=["feedback", "feedback_by", "done_at", "status"])
    offer = request.offers.filter(agreed_at__isnull=False).select_related("school").first()
    if offer is not None:
        _tell(
            _leads_of(offer.school, but=by),
            kind=NotificationKind.EXCHANGE_ANSWERED,
            text=f"{request.school.name}'s feedback on “{request.title}”: {request.feedback}",
            url=request.get_absolute_url(),
        )
    return request


@transaction.atomic
def withdraw_request(*, request: ExchangeRequest, by) -> ExchangeRequest:
    """The asking school's lead withdraws an open request; the schools that offered are told."""
    require(policy.can_act_for(by, request.network, request.school))
    request = _locked_request(request)
    if request.status != RequestStatus.OPEN:
        raise ExchangeClosed(gettext("Only an open request is withdrawn."))
    request.status = RequestStatus.WITHDRAWN
    request.save(update_fields=["status"])
    # The schools that offered stop holding their offer open.
    offering = {offer.school for offer in request.offers.select_related("school")}
    told = [lead for school in offering for lead in _leads_of(school, but=by)]
    _tell(
        told,
        kind=NotificationKind.EXCHANGE_ANSWERED,
        text=f"{request.school.name} withdrew its request “{request.title}”",
        url=request.get_absolute_url(),
    )
    return request


@transaction.atomic
def arrange_loan(
    *,
    network,
    person,
    from_school,
    to_school,
    starts_on,
    ends_on,
    recharge,
    purpose: str,
    by,
    kind: str = LoanKind.LOAN,
    days_a_week=Decimal("5"),
) -> StaffLoan:
    """A person from one school works for another between two dates, with a recharge."""
    require(policy.can_arrange_loan(by, network, from_school, to_school))
    _check_school(network, from_school)
    _check_school(network, to_school)
    if from_school.pk == to_school.pk:
        raise ExchangeError(gettext("A loan is from one school to another."))
    if kind not in LoanKind.values:
        raise ExchangeError(gettext("Choose a loan or a secondment."))
    if starts_on is None or ends_on is None or ends_on < starts_on:
        raise ExchangeError(gettext("A loan ends on or after the day it starts."))
    try:
        days = Decimal(str(days_a_week))
    except Exception:
        raise ExchangeError(gettext("Give the days a week as a number from 0.5 to 5.")) from None
    if not Decimal("0.5") <= days <= Decimal("5"):
        raise ExchangeError(gettext("Give the days a week as a number from 0.5 to 5."))
    if not network_selectors.current_posts_at(person_id=person.pk, school=from_school).exists():
        raise ExchangeError(
            gettext("%(name)s does not work at %(from_school_name)s.")
            % {"name": person.name, "from_school_name": from_school.name}
        )
    loan = StaffLoan.objects.create(
        network=network,
        kind=kind,
        person=person,
        from_school=from_school,
        to_school=to_school,
        starts_on=starts_on,
        ends_on=ends_on,
        days_a_week=days,
        recharge=_recharge(recharge, required=True),
        purpose=_short(purpose, "what the loan is for", 500),
        arranged_by=by,
    )
    told = [person] + _leads_of(from_school) + _leads_of(to_school)
    _tell(
        [p for p in told if p.pk != by.pk],
        kind=NotificationKind.EXCHANGE_ANSWERED,
        text=f"{loan.get_kind_display()}: {person.name} from {from_school.name} to "
        f"{to_school.name}, {starts_on:%d %b %Y} to {ends_on:%d %b %Y}",
        url=loan.get_absolute_url(),
    )
    return loan
