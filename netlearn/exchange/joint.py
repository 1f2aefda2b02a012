"""Writes for what the schools do together (docs/exchange.md#joint-courses-purchasing-and-bids):
a joint course with places per school, a purchase the schools opt into with their shares, and a
joint bid with the schools that sign up and its outcome.

Money moves only through the ledger's services: placing a purchase records each share as the
school's contribution and commits the total to the supplier; a won bid records its grant as
income with the funder's reference. Those services lock the budget and keep its balance.
"""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext

from netlearn.accounts import selectors as account_selectors
from netlearn.core.money import format_amount
from netlearn.core.policy import require
from netlearn.networks import selectors as network_selectors
from netlearn.notifications.models import NotificationKind

from . import policy, services
from .errors import ExchangeClosed, ExchangeError, NoPlacesLeft, NotEnoughSchools
from .models import (
    BidSchool,
    BidStatus,
    Budget,
    CoursePlaces,
    IncomeSource,
    JointBid,
    JointCourse,
    PurchaseProposal,
    PurchaseShare,
    PurchaseStatus,
    Purpose,
)

MAX_PLACES = 1000


def _leads_of_network(network, *, but=None) -> list:
    """The leads of the network's schools, but the person acting: they decide whether to join."""
    people = account_selectors.active_people(
        ids=network_selectors.school_lead_ids(
            school_ids=network_selectors.member_school_ids(network=network)
        )
    )
    if but is not None:
        people = people.exclude(pk=but.pk)
    return list(people)


def _places(value, what: str, *, limit: int = MAX_PLACES) -> int:
    try:
        places = int(value)
    except (TypeError, ValueError):
        raise ExchangeError(gettext("Give %(what)s as a whole number.") % {"what": what}) from None
    if not 1 <= places <= limit:
        raise ExchangeError(
            gettext("Give %(what)s between 1 and %(limit)s.") % {"what": what, "limit": limit}
        )
    return places


# Joint courses -----------------------------------------------------------------------------------


@transaction.atomic
def create_course(
    *, network, school, title: str, starts_on, ends_on, places, by, description: str = ""
) -> JointCourse:
    """A school's lead lists a course their school runs for pupils of the network's schools."""
    require(policy.can_act_for(by, network, school))
    services._check_school(network, school)
    if starts_on is None or ends_on is None or ends_on < starts_on:
        raise ExchangeError(gettext("A course ends on or after the day it starts."))
    course = JointCourse.objects.create(
        network=network,
        school=school,
        title=services._short(title, "the course's title", 200),
        description=services._short(description, "the description", 2000, required=False),
        starts_on=starts_on,
        ends_on=ends_on,
        places=_places(places, gettext("the places on the course")),
        created_by=by,
    )
    services._tell(
        _leads_of_network(network, but=by),
        kind=NotificationKind.EXCHANGE_REQUESTED,
        text=f"{school.name} runs “{course.title}” for the network's pupils: "
        f"{course.places} places",
        url=course.get_absolute_url(),
    )
    return course


@transaction.atomic
def hold_places(*, course: JointCourse, school, places, by) -> CoursePlaces:
    """A school's lead holds places on a course for their school's pupils (a number, never
    names), or changes how many. The course's row is locked, so two schools racing for the last
    places take turns."""
    require(policy.can_act_for(by, course.network, school))
    services._check_school(course.network, school)
    places = _places(places, gettext("the number of places"))
    locked = JointCourse.objects.select_for_update(of=("self",)).get(pk=course.pk)
    if locked.ends_on < datetime.date.today():
        raise ExchangeClosed(gettext("The course has ended."))
    held = (
        CoursePlaces.objects.filter(course=locked)
        .exclude(school=school)
        .aggregate(total=Sum("places"))["total"]
        or 0
    )
    if held + places > locked.places:
        raise NoPlacesLeft(
            gettext(
                "The other schools hold %(held)s of the %(places)s places on %(title)s: %(name)s "
                "may hold at most %(number)s."
            )
            % {
                "held": held,
                "places": locked.places,
                "title": locked.title,
                "name": school.name,
                "number": locked.places - held,
            }
        )
    allocation, _ = CoursePlaces.objects.update_or_create(
        course=locked, school=school, defaults={"places": places, "set_by": by}
    )
    if school.pk != locked.school_id:
        services._tell(
            services._leads_of(course.school, but=by),
            kind=NotificationKind.EXCHANGE_ANSWERED,
            text=f"{school.name} holds {places} places on “{locked.title}”",
            url=locked.get_absolute_url(),
        )
    return allocation


@transaction.atomic
def release_places(*, allocation: CoursePlaces, by) -> None:
    """A school's lead gives its places back."""
    require(policy.can_act_for(by, allocation.course.network, allocation.school))
    allocation.delete()


# Joint purchasing --------------------------------------------------------------------------------


@transaction.atomic
def propose_purchase(
    *,
    network,
    budget: Budget,
    title: str,
    schools_needed,
    by,
    description: str = "",
    supplier: str = "",
) -> PurchaseProposal:
    """Proposes a purchase the schools pool for; it is placed once `schools_needed` have joined.
    The shares will go into `budget`, the network's purchasing (or CPD) budget."""
    require(policy.can_start_joint(by, network))
    if budget.network_id != network.pk or budget.parent_id is not None:
        raise ExchangeError(gettext("Choose one of the network's own budgets for the shares."))
    if budget.purpose not in (Purpose.PURCHASING, Purpose.CPD):
        raise ExchangeError(gettext("Pool a purchase in a joint purchasing or CPD budget."))
    needed = _places(schools_needed, gettext("how many schools must join"), limit=200)
    if needed < 2:
        raise ExchangeError(gettext("A joint purchase needs at least two schools."))
    proposal = PurchaseProposal.objects.create(
        network=network,
        budget=budget,
        title=services._short(title, "what the schools would buy", 200),
        description=services._short(description, "the details", 2000, required=False),
        supplier=services._short(supplier, "the supplier", 200, required=False),
        schools_needed=needed,
        proposed_by=by,
    )
    services._tell(
        _leads_of_network(network, but=by),
        kind=NotificationKind.EXCHANGE_REQUESTED,
        text=f"Join a purchase: {proposal.title} (placed once {needed} schools join)",
        url=proposal.get_absolute_url(),
    )
    return proposal


def _locked_proposal(proposal: PurchaseProposal) -> PurchaseProposal:
    return (
        PurchaseProposal.objects.select_for_update(of=("self",))
        .select_related("network", "budget__network", "budget__holder", "budget__parent")
        .get(pk=proposal.pk)
    )


@transaction.atomic
def opt_in(*, proposal: PurchaseProposal, school, amount, by) -> PurchaseShare:
    """A school's lead opts their school into a purchase with its share (or changes the share
    while the purchase is open). The budget holder is told once enough schools have joined."""
    require(policy.can_act_for(by, proposal.network, school))
    services._check_school(proposal.network, school)
    amount = services._amount(amount)
    proposal = _locked_proposal(proposal)
    if proposal.status != PurchaseStatus.OPEN:
        raise ExchangeClosed(gettext("The purchase is placed: shares no longer change."))
    share, _ = PurchaseShare.objects.update_or_create(
        proposal=proposal, school=school, defaults={"amount": amount, "opted_in_by": by}
    )
    joined = proposal.shares.count()
    if joined == proposal.schools_needed:
        services._tell(
            [proposal.budget.holder] if proposal.budget.holder_id != by.pk else [],
            kind=NotificationKind.MONEY,
            text=f"{joined} schools have joined “{proposal.title}”: it can be placed",
            url=proposal.get_absolute_url(),
        )
    return share


@transaction.atomic
def opt_out(*, share: PurchaseShare, by) -> None:
    require(policy.can_act_for(by, share.proposal.network, share.school))
    proposal = _locked_proposal(share.proposal)
    if proposal.status != PurchaseStatus.OPEN:
        raise ExchangeClosed(gettext("The purchase is placed: a school's share is in the ledger."))
    share.delete()


@transaction.atomic
def place_purchase(*, proposal: PurchaseProposal, by) -> PurchaseProposal:
    """The budget holder places a purchase enough schools have joined: each share becomes the
    school's contribution (income) in the budget's ledger and the total is committed to the
    supplier, all in one transaction through the ledger's services."""
    proposal = _locked_proposal(proposal)
    require(policy.can_place_purchase(by, proposal))
    if proposal.status != PurchaseStatus.OPEN:
        raise ExchangeClosed(gettext("The purchase is already placed."))
    shares = list(proposal.shares.select_related("school").select_for_update(of=("self",)))
    if len(shares) < proposal.schools_needed:
        raise NotEnoughSchools(
            gettext(
                "%(count)s of the %(schools_needed)s schools needed have joined: the purchase is "
                "placed once enough schools have."
            )
            % {"count": len(shares), "schools_needed": proposal.schools_needed}
        )
    budget = proposal.budget
    total = sum((share.amount for share in shares), start=Decimal(0))
    for share in shares:
        share.contribution = services.record_income(
            budget=budget,
            amount=share.amount,
            by=by,
            description=f"{share.school.name}'s share of {proposal.title}"[:500],
            source=IncomeSource.SCHOOL_CONTRIBUTION,
            funder=share.school.name,
            school=share.school,
        )
        share.save(update_fields=["contribution"])
    supplier = f" from {proposal.supplier}" if proposal.supplier else ""
    proposal.commitment = services.commit(
        budget=budget,
        amount=total,
        by=by,
        description=f"Joint purchase placed{supplier}: {proposal.title}"[:500],
    )
    proposal.status = PurchaseStatus.PLACED
    proposal.placed_by = by
    proposal.placed_at = timezone.now()
    proposal.save(update_fields=["commitment", "status", "placed_by", "placed_at"])
    leads = account_selectors.active_people(
        ids=network_selectors.school_lead_ids(school_ids=[share.school_id for share in shares])
    ).exclude(pk=by.pk)
    services._tell(
        list(leads),
        kind=NotificationKind.MONEY,
        text=f"“{proposal.title}” is placed: {format_amount(total, budget.network.currency)} "
        f"from {len(shares)} schools",
        url=proposal.get_absolute_url(),
    )
    return proposal


# Joint bids --------------------------------------------------------------------------------------


@transaction.atomic
def propose_bid(
    *, network, title: str, funder: str, amount_sought, by, description: str = "", deadline=None
) -> JointBid:
    require(policy.can_start_joint(by, network))
    bid = JointBid.objects.create(
        network=network,
        title=services._short(title, "what the bid is for", 200),
        funder=services._short(funder, "the funder", 200),
        description=services._short(description, "the details", 2000, required=False),
        amount_sought=services._amount(amount_sought),
        deadline=deadline,
        created_by=by,
    )
    services._tell(
        _leads_of_network(network, but=by),
        kind=NotificationKind.EXCHANGE_REQUESTED,
        text=f"Sign up to a joint bid to {bid.funder}: {bid.title}",
        url=bid.get_absolute_url(),
    )
    return bid


def _locked_bid(bid: JointBid) -> JointBid:
    return JointBid.objects.select_for_update(of=("self",)).select_related("network").get(pk=bid.pk)


@transaction.atomic
def sign_up(*, bid: JointBid, school, by) -> BidSchool:
    """A school's lead signs their school up to a joint bid."""
    require(policy.can_act_for(by, bid.network, school))
    services._check_school(bid.network, school)
    bid = _locked_bid(bid)
    if bid.status != BidStatus.OPEN:
        raise ExchangeClosed(gettext("The bid has its outcome: schools no longer sign up."))
    try:
        with transaction.atomic():
            return BidSchool.objects.create(bid=bid, school=school, signed_up_by=by)
    except IntegrityError:
        raise ExchangeClosed(
            gettext("%(name)s has already signed up.") % {"name": school.name}
        ) from None


@transaction.atomic
def record_bid_outcome(
    *,
    bid: JointBid,
    won: bool,
    by,
    note: str = "",
    budget: Budget | None = None,
    amount=None,
    funder_reference: str = "",
    occurred_on: datetime.date | None = None,
) -> JointBid:
    """Who runs the money records whether the bid was won; a won bid's grant is income in
    `budget`'s ledger with the funder's reference."""
    bid = _locked_bid(bid)
    require(policy.can_record_bid_outcome(by, bid))
    if bid.status != BidStatus.OPEN:
        raise ExchangeClosed(gettext("The bid's outcome is already recorded."))
    if not bid.schools.exists():
        raise ExchangeError(gettext("No school has signed up to the bid."))
    bid.outcome_note = services._short(note, "a note on the outcome", 500, required=False)
    if won:
        if budget is None or budget.network_id != bid.network_id:
            raise ExchangeError(gettext("Choose the budget the grant goes into."))
        if amount in (None, ""):
            raise ExchangeError(gettext("Give the amount granted."))
        reference = services._short(funder_reference, "the funder's reference", 100)
        bid.grant = services.record_income(
            budget=budget,
            amount=amount,
            by=by,
            description=f"Grant for the joint bid: {bid.title}"[:500],
            source=IncomeSource.GRANT,
            funder=bid.funder,
            funder_reference=reference,
            occurred_on=occurred_on,
        )
    bid.status = BidStatus.WON if won else BidStatus.LOST
    bid.outcome_by = by
    bid.outcome_at = timezone.now()
    bid.save(update_fields=["outcome_note", "grant", "status", "outcome_by", "outcome_at"])
    leads = account_selectors.active_people(
        ids=network_selectors.school_lead_ids(
            school_ids=list(bid.schools.values_list("school_id", flat=True))
        )
    ).exclude(pk=by.pk)
    services._tell(
        list(leads),
        kind=NotificationKind.MONEY,
        text=f"The joint bid “{bid.title}” was {bid.get_status_display().lower()}",
        url=bid.get_absolute_url(),
    )
    return bid
