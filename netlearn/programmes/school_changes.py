"""A closing school's places in waves, its people's places, support pairings, enrolments, cascade
records and induction plans move to the school that continues it.

A school cannot support itself: a pairing of two schools that become one ends on the day of the
change, and says why (docs/school-changes.md#support-between-schools).

The contract: netlearn/core/school_records.py.
"""

from django.db.models import Q

from netlearn.core.school_records import carry_rows, count_rows

from .models import (
    CascadeRecord,
    Enrolment,
    InductionPlan,
    RelationshipKind,
    SupportRelationship,
    Wave,
    WavePlace,
)

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


def _becoming_one(school, to_school) -> bool:
    return school is not None and (school.pk == to_school.pk or school.successor_id == to_school.pk)


def _end_pairings_within(*, from_school, to_school, on) -> int:
    """Ends each pairing still running between `from_school` and a school that becomes the same
    school, with the reason; returns how many ended."""
    ended = 0
    pairings = (
        SupportRelationship.objects.filter(kind=RelationshipKind.SCHOOL_SUPPORT)
        .filter(Q(supporting_school=from_school) | Q(supported_school=from_school))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        .select_related("supporting_school", "supported_school")
    )
    for pairing in pairings:
        supporting, supported = pairing.supporting_school, pairing.supported_school
        if not (_becoming_one(supporting, to_school) and _becoming_one(supported, to_school)):
            continue
        pairing.ends_on = max(on, pairing.starts_on)
        pairing.ended_because = (
            f"{supporting} and {supported} amalgamated into {to_school} on {on.day} {on:%B %Y}: "
            "a school does not support itself."
        )
        pairing.save(update_fields=["ends_on", "ended_because"])
        ended += 1
    return ended


def carry_school(*, from_school, to_school, on) -> dict[str, dict[str, int]]:
    _end_pairings_within(from_school=from_school, to_school=to_school, on=on)
    return carry_rows(FIELDS, from_school=from_school, to_school=to_school)
