"""A closing school's budget shares, ledger, bookings, offers, loans, courses and joint purchases
move to the school that continues it; ledger lines keep the school they were written for.

The contract: netlearn/core/school_records.py.
"""

from netlearn.core.school_records import carry_rows, count_rows

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


def carry_school(*, from_school, to_school, on) -> dict[str, dict[str, int]]:
    return carry_rows(FIELDS, from_school=from_school, to_school=to_school)
