"""A closing school's discussion spaces and its pupils' and parents' profiles move to the school
that continues it.

The contract: netlearn/core/school_records.py.
"""

from netlearn.core.school_records import carry_rows, count_rows

from .models import ParentProfile, PupilProfile, Space

FIELDS = (
    (Space, "school"),
    (PupilProfile, "school"),
    (ParentProfile, "school"),
)


def count_school(*, school) -> dict[str, int]:
    return count_rows(FIELDS, school=school)


def carry_school(*, from_school, to_school, on) -> dict[str, dict[str, int]]:
    return carry_rows(FIELDS, from_school=from_school, to_school=to_school)
