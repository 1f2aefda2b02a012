"""What a person did with the network's money (the contract: netlearn/accounts/personal_data.py).

Budgets, ledger entries, exceptions, cover rates and release funding are the network's financial
record: a funder's statement and an auditor rely on them, so erasure keeps every row (its author
becomes the "Former member" tombstone) and only scrubs the person's name from the text. The
exchange between schools (requests, offers, facilities, bookings, staff loans) is kept the same
way: it is what two schools agreed, and a loan's recharge is part of the money. So is the joint
work (courses and their places, purchases and their shares, bids and their schools): a share and
a grant are entries in the ledger.
"""

from netlearn.accounts.personal_data import label, refers_to, rows, scrub_identifiers

from .models import (
    AttendanceException,
    BidSchool,
    Booking,
    Budget,
    CoursePlaces,
    CoverRate,
    ExceptionRequest,
    ExchangeRequest,
    Facility,
    JointBid,
    JointCourse,
    LedgerEntry,
    Offer,
    PurchaseProposal,
    PurchaseShare,
    ReleaseFunding,
    StaffLoan,
)

MONEY = (Budget, LedgerEntry, AttendanceException, ExceptionRequest, CoverRate, ReleaseFunding)
EXCHANGE = (ExchangeRequest, Offer, Facility, Booking, StaffLoan)
JOINT = (JointCourse, CoursePlaces, PurchaseProposal, PurchaseShare, JointBid, BidSchool)
MODELS = MONEY + EXCHANGE + JOINT


def export(person) -> dict[str, list[dict]]:
    return {
        label(Budget): rows(
            Budget.objects.filter(refers_to(Budget, person)).select_related("network"),
            person,
            extra=lambda budget: {"network_name": budget.network.name, "title": budget.title},
        ),
        label(LedgerEntry): rows(
            LedgerEntry.objects.filter(refers_to(LedgerEntry, person)), person
        ),
        label(AttendanceException): rows(
            AttendanceException.objects.filter(refers_to(AttendanceException, person)), person
        ),
        label(ExceptionRequest): rows(
            ExceptionRequest.objects.filter(refers_to(ExceptionRequest, person)), person
        ),
        label(CoverRate): rows(CoverRate.objects.filter(refers_to(CoverRate, person)), person),
        label(ReleaseFunding): rows(
            ReleaseFunding.objects.filter(refers_to(ReleaseFunding, person)), person
        ),
        **{
            label(model): rows(model.objects.filter(refers_to(model, person)), person)
            for model in EXCHANGE + JOINT
        },
    }


def erase(person) -> None:
    for model in MODELS:
        scrub_identifiers(model.objects.filter(refers_to(model, person)), person)
