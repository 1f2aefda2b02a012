"""A closing school's places in waves, its people's places, support pairings, enrolments, cascade
records and induction plans move to the school that continues it.

The contract: netlearn/core/school_records.py.
"""

from netlearn.core.school_records import carry_rows, count_rows

from .models import CascadeRecord, Enrolment, InductionPlan, SupportRelationship, Wave, WavePlace

FIELDS = (
    (Wave.schools.through, "school"),
    (WavePlace, "school"),
    (SupportRelationship, "supporting_school"),
    (SupportRelationship, "supported_school"),
    (Enrolment, "school"),
    (CascadeRecord, "school"),
    (InductionPlan, "school"),
)


def count_school(*, school) -> dict[str, int]:
    return count_rows(FIELDS, school=school)


def carry_school(*, from_school, to_school, on) -> dict[str, dict[str, int]]:
    return carry_rows(FIELDS, from_school=from_school, to_school=to_school)
