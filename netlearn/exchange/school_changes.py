"""A closing school's budget shares, ledger, bookings, offers, loans, courses and joint purchases
move to the school that continues it; ledger lines keep the school they were written for, and
a loan between two schools that become one stays between them.

The contract: netlearn/core/school_records.py.
"""

from django.db.models import Q

from netlearn.core.school_records import carry_rows, count_rows, key

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
    JointCourse,
    LedgerEntry,
    Offer,
    PurchaseShare,
    ReleaseFunding,
    StaffLoan,
)

FIELDS = (
    (Budget, "school"),
    (AttendanceException, "school"),
    (CoverRate, "school"),
    (ReleaseFunding, "school"),
    (ExceptionRequest, "school"),
    (Facility, "school"),
    (Booking, "school"),
    (ExchangeRequest, "school"),
    (Offer, "school"),
    (StaffLoan, "from_school"),
    (StaffLoan, "to_school"),
    (JointCourse, "school"),
    (CoursePlaces, "school"),
    (PurchaseShare, "school"),
    (BidSchool, "school"),
)

# The ledger is append-only (netlearn/exchange/models.py): each line keeps the school it was
# written for, and is read through its budget, whose share moves to the continuing school.
KEPT = ((LedgerEntry, "school"),)


def count_school(*, school) -> dict[str, int]:
    return count_rows(FIELDS, school=school)


LOAN_SIDES = (("from_school", "to_school"), ("to_school", "from_school"))


def carry_school(*, from_school, to_school, on) -> dict[str, dict[str, int]]:
    carried = carry_rows(
        [(model, field) for model, field in FIELDS if model is not StaffLoan],
        from_school=from_school,
        to_school=to_school,
    )
    # A loan between two schools that become one stays as it was: it was made between two
    # schools, and a school cannot lend to itself (`loan_between_two_schools`). The service
    # names every closing school's successor before it carries (docs/school-changes.md).
    for field, other in LOAN_SIDES:
        loans = StaffLoan.objects.filter(**{field: from_school})
        within = Q(**{other: to_school}) | Q(**{f"{other}__successor": to_school})
        kept = loans.filter(within).count()
        moved = loans.exclude(within).update(**{field: to_school})
        carried[key(StaffLoan, field)] = {"moved": moved, "kept": kept}
    return carried
