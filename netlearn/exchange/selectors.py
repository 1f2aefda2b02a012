"""Reads of the network's money, scoped by the viewer's policy (`*_for`) or trusting an
authorized parent (`*_of`). A budget's figures are sums over its ledger, in one query for a list.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from netlearn.activities import selectors as activity_selectors
from netlearn.activities.ical import FeedEvent
from netlearn.core.home import WAITING, HomeContext, HomeItem
from netlearn.core.money import Money, summed
from netlearn.core.related import RelatedLink
from netlearn.networks import selectors as network_selectors
from netlearn.networks.access import access_for
from netlearn.networks.models import Network, School

from . import policy
from .models import (
    AttendanceException,
    BidSchool,
    Booking,
    Budget,
    CoursePlaces,
    CoverRate,
    EntryKind,
    ExceptionRequest,
    ExchangeRequest,
    Facility,
    FundingStatus,
    JointBid,
    JointCourse,
    LedgerEntry,
    Offer,
    PurchaseProposal,
    PurchaseShare,
    Purpose,
    ReleaseFunding,
    StaffLoan,
)

ZERO = Decimal("0.00")
_MONEY = DecimalField(max_digits=14, decimal_places=2)
# How far back attendance counts for the gate: the last year of registers, as the attendance
# page shows by default.
ATTENDANCE_WINDOW = datetime.timedelta(days=365)


def _sum(field: str, condition: Q | None = None):
    return Coalesce(Sum(field, filter=condition), Value(ZERO), output_field=_MONEY)


def with_figures(budgets: QuerySet[Budget]) -> QuerySet[Budget]:
    """Annotates `cash`, `committed`, `income` and `spent` from the ledger, in the same query."""
    return budgets.annotate(
        cash=_sum("entries__cash_effect"),
        committed=_sum("entries__commitment_effect"),
    )


@dataclass(frozen=True)
class Figures:
    cash: Money
    committed: Money

    @property
    def available(self) -> Money:
        return self.cash - self.committed


def figures_of(budget: Budget) -> Figures:
    """The budget's cash and open commitments (annotated by `with_figures`, or summed now)."""
    currency = budget.network.currency
    if hasattr(budget, "cash"):
        return Figures(
            Money(summed(budget.cash), currency), Money(summed(budget.committed), currency)
        )
    entries = LedgerEntry.objects.filter(budget=budget)
    return Figures(Money(entries.cash(), currency), Money(entries.committed(), currency))


def network_for(*, viewer, network_slug: str) -> Network:
    """The network, if the viewer may see its money."""
    network = network_selectors.network_for(viewer=viewer, slug=network_slug)
    if not policy.can_view_budgets(viewer, network):
        raise Http404
    return network


def budgets_for(*, viewer, network: Network) -> QuerySet[Budget]:
    return with_figures(
        Budget.objects.filter(policy.budget_scope(viewer), network=network).select_related(
            "network", "holder", "parent", "school", "group"
        )
    )


def budget_for(*, viewer, network: Network, budget_id: int) -> Budget:
    return get_object_or_404(budgets_for(viewer=viewer, network=network), pk=budget_id)


def entries_for(*, viewer, budget: Budget) -> QuerySet[LedgerEntry]:
    return (
        LedgerEntry.objects.filter(policy.entry_scope(viewer, budget), budget=budget)
        .select_related("recorded_by", "school", "reverses", "commitment")
        .annotate(reversed_by_id=F("reversal__id"))
    )


def entry_for(*, viewer, budget: Budget, entry_id: int) -> LedgerEntry:
    return get_object_or_404(entries_for(viewer=viewer, budget=budget), pk=entry_id)


def entries_of(*, budget: Budget) -> QuerySet[LedgerEntry]:
    """Every line of an authorized budget's ledger, for exports."""
    return LedgerEntry.objects.filter(budget=budget).select_related("recorded_by", "school")


def open_commitment(entry: LedgerEntry) -> Decimal:
    """What is still committed of a commitment: its amount less what settled it (a reversed
    settlement counts again)."""
    settled = LedgerEntry.objects.filter(
        Q(commitment=entry) | Q(reverses__commitment=entry)
    ).aggregate(total=Sum("commitment_effect"))["total"]
    return entry.commitment_effect + summed(settled)


def open_commitments_of(*, budget: Budget) -> QuerySet[LedgerEntry]:
    """Commitments of the budget with something left open, annotated `open`."""
    commitments = LedgerEntry.objects.filter(
        budget=budget, kind=EntryKind.COMMITMENT, reversal__isnull=True
    )
    rows = []
    for entry in commitments:
        left = open_commitment(entry)
        if left > 0:
            entry.open = left
            rows.append(entry.pk)
    return commitments.filter(pk__in=rows)


def shares_of(*, budget: Budget) -> QuerySet[Budget]:
    return with_figures(budget.shares.select_related("network", "school", "group", "holder"))


def totals_by_school(*, budget: Budget, viewer) -> list[tuple[School | None, Decimal, Decimal]]:
    """(school, committed, spent) over the lines the viewer sees, per school."""
    rows = (
        LedgerEntry.objects.filter(policy.entry_scope(viewer, budget), budget=budget)
        .values("school_id")
        .annotate(
            committed=_sum("commitment_effect"),
            spent=Coalesce(
                Sum(
                    "cash_effect",
                    filter=Q(kind=EntryKind.SPENDING)
                    | Q(kind=EntryKind.REVERSAL, reverses__kind=EntryKind.SPENDING),
                ),
                Value(ZERO),
                output_field=_MONEY,
            ),
        )
        .order_by("school_id")
    )
    schools = network_selectors.schools_by_id({row["school_id"] for row in rows} - {None})
    return [
        (schools.get(row["school_id"]), summed(row["committed"]), -summed(row["spent"]))
        for row in rows
        if row["committed"] or row["spent"]
    ]


def statement_of(*, budget: Budget, funder: str, start: datetime.date, end: datetime.date):
    """A funder's statement: the income they gave over [start, end], and the budget's spending
    over the same period (their money's use)."""
    entries = entries_of(budget=budget).filter(occurred_on__gte=start, occurred_on__lte=end)
    income = entries.filter(
        Q(kind=EntryKind.INCOME, funder__iexact=funder.strip())
        | Q(
            kind=EntryKind.REVERSAL,
            reverses__kind=EntryKind.INCOME,
            reverses__funder__iexact=funder.strip(),
        )
    )
    spending = entries.filter(
        Q(kind=EntryKind.SPENDING) | Q(kind=EntryKind.REVERSAL, reverses__kind=EntryKind.SPENDING)
    )
    return income, spending


def funders_of(*, budget: Budget) -> list[str]:
    return sorted(
        set(
            LedgerEntry.objects.filter(budget=budget, kind=EntryKind.INCOME)
            .exclude(funder="")
            .values_list("funder", flat=True)
        )
    )


# Attendance gate ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """A school's attendance against the network's commitment."""

    school: School
    percent: Decimal | None
    threshold: Decimal

    @property
    def below(self) -> bool:
        return self.percent is not None and self.percent < self.threshold


def attendance_standing(*, network: Network, school: School, today=None) -> Standing:
    """The school's share of its meetings attended over the last year, from the registers (the
    attendance page's own computation, activities/selectors.py)."""
    end = today or datetime.date.today()
    report = activity_selectors.attendance_report(
        viewer=None, network=network, start=end - ATTENDANCE_WINDOW, end=end
    )
    for row in report.schools:
        if row.school.pk == school.pk:
            return Standing(school, row.rate.percent, report.threshold)
    return Standing(school, None, report.threshold)


def standings_of(*, network: Network, today=None) -> list[Standing]:
    end = today or datetime.date.today()
    report = activity_selectors.attendance_report(
        viewer=None, network=network, start=end - ATTENDANCE_WINDOW, end=end
    )
    return [Standing(row.school, row.rate.percent, report.threshold) for row in report.schools]


def has_exception(*, budget: Budget, school: School) -> bool:
    root = budget.parent if budget.parent_id else budget
    return AttendanceException.objects.filter(budget=root, school=school).exists()


def exceptions_of(*, budget: Budget) -> QuerySet[AttendanceException]:
    return budget.exceptions.select_related("school", "recorded_by")


# Release funding ------------------------------------------------------------------------------


def cover_rates_of(*, network: Network) -> QuerySet[CoverRate]:
    return CoverRate.objects.filter(network=network).select_related("school", "set_by")


def cover_rate_for(*, network: Network, school_id: int | None) -> Decimal | None:
    """The school's own rate for a half-day session, else the network's, else None."""
    rates = dict(
        CoverRate.objects.filter(network=network)
        .filter(Q(school_id=school_id) | Q(school__isnull=True))
        .values_list("school_id", "per_session")
    )
    return rates.get(school_id, rates.get(None))


def release_budget_for(*, network: Network, year: int) -> Budget | None:
    return (
        Budget.objects.filter(network=network, year=year, purpose="release", parent__isnull=True)
        .select_related("network", "parent")
        .first()
    )


def release_funding_for(*, viewer, network: Network) -> QuerySet[ReleaseFunding]:
    return ReleaseFunding.objects.filter(
        policy.release_funding_scope(viewer), network=network
    ).select_related("person", "school", "occurrence__activity__learning_focus", "budget")


def release_funding_of_occurrence(*, occurrence) -> QuerySet[ReleaseFunding]:
    return ReleaseFunding.objects.filter(occurrence=occurrence).select_related(
        "budget__network", "budget__parent", "school", "person", "commitment", "settlement"
    )


def release_totals(fundings, *, by: str = "school") -> dict[str, dict]:
    """Committed, spent, freed and withheld per school (or per learning focus the activity
    serves: the thread from aim to impact), from funding rows already scoped."""
    totals: dict[str, dict] = {}
    for funding in fundings:
        if by == "focus":
            activity = funding.occurrence.activity if funding.occurrence else None
            focus = activity.learning_focus if activity else None
            name = focus.title if focus else "No learning focus"
        else:
            name = funding.school.name if funding.school else "No school"
        row = totals.setdefault(name, {status: ZERO for status in FundingStatus.values})
        row[funding.status] += funding.amount
    return dict(sorted(totals.items()))


def ledger_sums(budget: Budget) -> tuple[Decimal, Decimal]:
    """(cash, committed) summed from the ledger now; services call it holding the budget's lock."""
    entries = LedgerEntry.objects.filter(budget_id=budget.pk)
    return entries.cash(), entries.committed()


def exception_requests_for(*, viewer, budget: Budget) -> QuerySet[ExceptionRequest]:
    root = budget.parent if budget.parent_id else budget
    return ExceptionRequest.objects.filter(
        policy.exception_request_scope(viewer, root), budget=root
    ).select_related("school", "requested_by", "answered_by")


def exception_request_for(*, viewer, budget: Budget, request_id: int) -> ExceptionRequest:
    return get_object_or_404(exception_requests_for(viewer=viewer, budget=budget), pk=request_id)


# The home ("what needs me") ---------------------------------------------------------------------


def home_items(context: HomeContext) -> list[HomeItem]:
    """On the personal home of a budget holder: schools' requests to draw on a gated fund despite
    their attendance, waiting for an answer. One query."""
    if context.network is not None:
        return []
    access = access_for(context.person)
    if access.person_id is None or access.is_pupil:
        return []
    waiting = (
        ExceptionRequest.objects.filter(
            budget__holder_id=access.person_id,
            budget__network_id__in=list(access.network_ids),
            granted__isnull=True,
        )
        .select_related("budget__network", "school")
        .order_by("requested_at", "pk")[: context.limit]
    )
    return [
        HomeItem(
            section=WAITING,
            kind="Budget",
            title=f"{request.school} asks to draw on {request.budget} despite its attendance",
            url=reverse("exchange:budget", args=[request.budget.network.slug, request.budget_id])
            + "#gate-heading",
            when=request.requested_at,
            network=request.budget.network.name,
        )
        for request in waiting
    ]


# Exchange between schools -------------------------------------------------------------------------


def board_network_for(*, viewer, network_slug: str) -> Network:
    network = network_selectors.network_for(viewer=viewer, slug=network_slug)
    if not policy.can_view_board(viewer, network):
        raise Http404
    return network


def requests_for(*, viewer, network: Network) -> QuerySet[ExchangeRequest]:
    return (
        ExchangeRequest.objects.filter(policy.board_scope(viewer), network=network)
        .select_related("network", "school", "expertise", "posted_by")
        .annotate(offer_count=Count("offers"))
        # A grouped query drops the model's ordering: the board pages newest first all the same.
        .order_by("-posted_at", "-pk")
    )


def request_for(*, viewer, network: Network, request_id: int) -> ExchangeRequest:
    return get_object_or_404(
        ExchangeRequest.objects.filter(policy.board_scope(viewer), network=network).select_related(
            "network", "school", "expertise", "posted_by", "feedback_by"
        ),
        pk=request_id,
    )


def offers_of(*, request: ExchangeRequest) -> QuerySet[Offer]:
    return request.offers.select_related(
        "school",
        "person",
        "facility",
        "offered_by",
        "asker_agreed_by",
        "offerer_agreed_by",
        "request__network",
    )


def offer_of(*, request: ExchangeRequest, offer_id: int) -> Offer:
    return get_object_or_404(offers_of(request=request), pk=offer_id)


def facilities_for(*, viewer, network: Network) -> QuerySet[Facility]:
    return Facility.objects.filter(policy.board_scope(viewer), network=network).select_related(
        "network", "school"
    )


def facility_for(*, viewer, network: Network, facility_id: int) -> Facility:
    return get_object_or_404(facilities_for(viewer=viewer, network=network), pk=facility_id)


def bookings_of(*, facility: Facility, since=None) -> QuerySet[Booking]:
    bookings = facility.bookings.select_related("school", "booked_by")
    if since is not None:
        bookings = bookings.filter(ends_at__gte=since)
    return bookings


def booking_of(*, facility: Facility, booking_id: int) -> Booking:
    return get_object_or_404(bookings_of(facility=facility), pk=booking_id)


def loans_for(*, viewer, network: Network) -> QuerySet[StaffLoan]:
    return StaffLoan.objects.filter(policy.board_scope(viewer), network=network).select_related(
        "network", "person", "from_school", "to_school"
    )


def loan_for(*, viewer, network: Network, loan_id: int) -> StaffLoan:
    return get_object_or_404(loans_for(viewer=viewer, network=network), pk=loan_id)


def _loan_links(viewer, loans) -> list[RelatedLink]:
    links = []
    for loan in loans:
        detail = f"{loan.starts_on:%d %b %Y} – {loan.ends_on:%d %b %Y}"
        if policy.can_see_loan_recharge(viewer, loan):
            detail += f", recharge {Money(loan.recharge, loan.network.currency)}"
        links.append(
            RelatedLink(
                heading="Staff loans and secondments",
                title=f"{loan.get_kind_display()}: {loan.person.name}, {loan.from_school.name} → "
                f"{loan.to_school.name}",
                url=loan.get_absolute_url(),
                detail=detail,
            )
        )
    return links


def loans_of_school(*, viewer, obj) -> list[RelatedLink]:
    """Related links for a school's page: its loans in and out, in networks the viewer sees."""
    loans = StaffLoan.objects.filter(policy.board_scope(viewer)).filter(
        Q(from_school=obj) | Q(to_school=obj)
    )
    return _loan_links(
        viewer, loans.select_related("network", "person", "from_school", "to_school")[:20]
    )


def loans_of_person(*, viewer, obj) -> list[RelatedLink]:
    """Related links for a person's page: their loans and secondments the viewer may see."""
    loans = StaffLoan.objects.filter(policy.board_scope(viewer), person=obj)
    return _loan_links(
        viewer, loans.select_related("network", "person", "from_school", "to_school")[:20]
    )


def has_exchange(*, network: Network) -> bool:
    """Whether the network has any facility, request or loan (the demo loads once)."""
    return (
        Facility.objects.filter(network=network).exists()
        or ExchangeRequest.objects.filter(network=network).exists()
        or StaffLoan.objects.filter(network=network).exists()
    )


# Joint courses, purchasing and bids ---------------------------------------------------------------


def courses_for(*, viewer, network: Network) -> QuerySet[JointCourse]:
    """The network's joint courses, each with `places_held` (one query for a list)."""
    return (
        JointCourse.objects.filter(policy.board_scope(viewer), network=network)
        .select_related("network", "school")
        .annotate(places_held=Coalesce(Sum("allocations__places"), Value(0)))
        .order_by("-starts_on", "-pk")
    )


def course_for(*, viewer, network: Network, course_id: int) -> JointCourse:
    return get_object_or_404(courses_for(viewer=viewer, network=network), pk=course_id)


def places_of(*, course: JointCourse) -> QuerySet[CoursePlaces]:
    return course.allocations.select_related("school", "course__network")


def allocation_of(*, course: JointCourse, school_id: int) -> CoursePlaces:
    return get_object_or_404(places_of(course=course), school_id=school_id)


def purchases_for(*, viewer, network: Network) -> QuerySet[PurchaseProposal]:
    """The network's joint purchases, each with `schools_joined` and `pledged` (one query)."""
    return (
        PurchaseProposal.objects.filter(policy.board_scope(viewer), network=network)
        .select_related("network", "budget__network", "budget__holder", "proposed_by")
        .annotate(schools_joined=Count("shares"), pledged=_sum("shares__amount"))
        .order_by("-proposed_at", "-pk")
    )


def purchase_for(*, viewer, network: Network, purchase_id: int) -> PurchaseProposal:
    return get_object_or_404(purchases_for(viewer=viewer, network=network), pk=purchase_id)


def shares_of_purchase(*, proposal: PurchaseProposal) -> QuerySet[PurchaseShare]:
    return proposal.shares.select_related("school", "opted_in_by")


def share_of(*, proposal: PurchaseProposal, school_id: int) -> PurchaseShare:
    return get_object_or_404(shares_of_purchase(proposal=proposal), school_id=school_id)


def bids_for(*, viewer, network: Network) -> QuerySet[JointBid]:
    """The network's joint bids, each with `schools_signed` (one query for a list)."""
    return (
        JointBid.objects.filter(policy.board_scope(viewer), network=network)
        .select_related("network", "grant")
        .annotate(schools_signed=Count("schools"))
        .order_by("-created_at", "-pk")
    )


def bid_for(*, viewer, network: Network, bid_id: int) -> JointBid:
    return get_object_or_404(bids_for(viewer=viewer, network=network), pk=bid_id)


def schools_of_bid(*, bid: JointBid) -> QuerySet[BidSchool]:
    return bid.schools.select_related("school")


def purchase_budgets_of(*, network: Network) -> QuerySet[Budget]:
    """The budgets a joint purchase may pool into: the network's own purchasing and CPD budgets."""
    return Budget.objects.filter(
        network=network, parent__isnull=True, purpose__in=[Purpose.PURCHASING, Purpose.CPD]
    ).select_related("network")


def grant_budgets_of(*, network: Network) -> QuerySet[Budget]:
    return Budget.objects.filter(network=network).select_related("network", "school", "group")


def has_joint_work(*, network: Network) -> bool:
    """Whether the network has a joint course, purchase or bid (the demo loads once)."""
    return (
        JointCourse.objects.filter(network=network).exists()
        or PurchaseProposal.objects.filter(network=network).exists()
        or JointBid.objects.filter(network=network).exists()
    )


# Calendar feeds (activities.hooks.on_feed) --------------------------------------------------------

# How far back a feed reaches: a term of past entries, as calendars keep what they were sent.
FEED_PAST = datetime.timedelta(days=120)
FEED_LIMIT = 500


def _uid(kind: str, pk: int) -> str:
    return f"{kind}-{pk}@{urlsplit(settings.SITE_URL).netloc.lower() or 'netlearn'}"


def feed_events(*, viewer, network: Network | None = None) -> list[FeedEvent]:
    """Staff loans, facility bookings and release days for a calendar feed, in a fixed number of
    queries. The viewer's own feed: the loans they are lent on, the bookings they made and their
    release days. A network's feed: the network's loans and bookings (members see these on the
    board) and the release days the viewer may see; no recharge or cost is written."""
    access = access_for(viewer)
    if access.person_id is None or access.is_pupil or access.is_parent:
        return []
    since = timezone.now() - FEED_PAST
    loans = StaffLoan.objects.filter(policy.board_scope(viewer), ends_on__gte=since.date())
    bookings = Booking.objects.filter(policy.booking_scope(viewer), ends_at__gte=since)
    releases = ReleaseFunding.objects.filter(
        policy.release_funding_scope(viewer),
        occurrence__isnull=False,
        occurrence__ends_at__gte=since,
        status__in=[FundingStatus.COMMITTED, FundingStatus.SPENT],
    )
    if network is None:
        loans = loans.filter(person_id=access.person_id)
        bookings = bookings.filter(booked_by_id=access.person_id)
        releases = releases.filter(person_id=access.person_id)
    else:
        loans = loans.filter(network=network)
        bookings = bookings.filter(facility__network=network)
        releases = releases.filter(network=network)
    events = []
    for loan in loans.select_related("network", "person", "from_school", "to_school")[:FEED_LIMIT]:
        events.append(
            FeedEvent(
                uid=_uid("loan", loan.pk),
                summary=f"{loan.get_kind_display()}: {loan.person.name} at {loan.to_school.name}",
                start=loan.starts_on,
                end=loan.ends_on + datetime.timedelta(days=1),
                stamp=loan.arranged_at,
                url=loan.get_absolute_url(),
                description=f"From {loan.from_school.name}, {loan.days_a_week} days a week: "
                f"{loan.purpose}",
            )
        )
    for booking in bookings.select_related("facility__network", "facility__school", "school")[
        :FEED_LIMIT
    ]:
        facility = booking.facility
        events.append(
            FeedEvent(
                uid=_uid("booking", booking.pk),
                summary=f"{facility.name} ({facility.school.name}) booked by {booking.school.name}",
                start=booking.starts_at,
                end=booking.ends_at,
                stamp=booking.booked_at,
                url=facility.get_absolute_url(),
                description=booking.purpose,
            )
        )
    for funding in releases.select_related(
        "person", "occurrence", "release_request__activity__network"
    )[:FEED_LIMIT]:
        activity = funding.release_request.activity
        events.append(
            FeedEvent(
                uid=_uid("release", funding.pk),
                summary=f"Release: {funding.person.name}, {activity.title}",
                start=funding.occurrence.starts_at,
                end=funding.occurrence.ends_at,
                stamp=funding.created_at,
                url=activity.get_absolute_url(),
                description=f"{funding.sessions} half-day sessions of release "
                f"({funding.get_status_display().lower()})",
            )
        )
    return events


def school_pairs_of(*, network: Network, since=None, until=None) -> list[tuple[int, int]]:
    """(school, school) for each exchange agreed between two of the network's schools between
    `since` and `until` when given (an offer agreed to a request; a staff loan starting): who
    gives to whom, for the network's collaboration map. Two queries; ids only."""
    offers = Offer.objects.filter(request__network=network, agreed_at__isnull=False)
    loans = StaffLoan.objects.filter(network=network)
    if since is not None:
        offers = offers.filter(agreed_at__gte=since)
        loans = loans.filter(starts_on__gte=getattr(since, "date", lambda: since)())
    if until is not None:
        offers = offers.filter(agreed_at__lt=until)
        loans = loans.filter(starts_on__lt=getattr(until, "date", lambda: until)())
    pairs = list(offers.order_by("pk").values_list("request__school_id", "school_id"))
    pairs += list(loans.order_by("pk").values_list("from_school_id", "to_school_id"))
    return [(a, b) for a, b in pairs if a != b]
