"""A closing school's confidential survey responses move to the school that continues it.

Anonymous answers hold no link to anyone, their school included beyond the group a result is
shown for: they stay as they were given (the results of a past wave describe the schools as they
were). The contract: netlearn/core/school_records.py.
"""

from netlearn.core.school_records import carry_rows, count_rows

from .models import ConfidentialResponse

FIELDS = ((ConfidentialResponse, "school"),)


def count_school(*, school) -> dict[str, int]:
    return count_rows(FIELDS, school=school)


def carry_school(*, from_school, to_school, on) -> dict[str, dict[str, int]]:
    return carry_rows(FIELDS, from_school=from_school, to_school=to_school)
