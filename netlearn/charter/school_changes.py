"""A closing school's charter sign-offs move to the school that continues it; a version both
signed keeps the closing school's sign-off with it.

The contract: netlearn/core/school_records.py.
"""

from netlearn.core.school_records import carry_rows, count_rows

from .models import SignOff

FIELDS = ((SignOff, "school"),)


def count_school(*, school) -> dict[str, int]:
    return count_rows(FIELDS, school=school)


def carry_school(*, from_school, to_school, on) -> dict[str, dict[str, int]]:
    return carry_rows(FIELDS, from_school=from_school, to_school=to_school)
