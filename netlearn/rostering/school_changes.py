"""A closing school's links to its roster move to the school that continues it; a link the
continuing school already holds for the same person stays with the closing school.

The contract: netlearn/core/school_records.py.
"""

from netlearn.core.school_records import carry_rows, count_rows

from .models import RosterLink

FIELDS = ((RosterLink, "school"),)


def count_school(*, school) -> dict[str, int]:
    return count_rows(FIELDS, school=school)


def carry_school(*, from_school, to_school, on) -> dict[str, dict[str, int]]:
    return carry_rows(FIELDS, from_school=from_school, to_school=to_school)
