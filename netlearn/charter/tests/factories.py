"""A charter with one of everything, built through the services as a co-leader would."""

import datetime
from decimal import Decimal

from netlearn.charter import services
from netlearn.charter.models import CommitmentKind

GOOD_FOCUS = {
    "title": "Writing in the middle years of Key Stage 2",
    "description": (
        "Pupils in Years 4 and 5 write less, and less well, than they read. Every school will "
        "teach extended writing weekly, moderate pupils' work together each term and share "
        "what works."
    ),
    "pupils": "All pupils in Years 4 and 5 in every school",
    "pupil_groups": "Boys and pupils eligible for free school meals",
    "visible_when_achieved": (
        "Pupils choose to write at length, drafts show revision, and moderated samples meet "
        "the expected standard in every school."
    ),
    "adult_learning_link": (
        "Teachers in triads run lesson study on writing; what they learn about modelling "
        "drafts is what pupils practise the following week in class."
    ),
}


def build_charter(network, *, by, marker: str = "", lead_group=None):
    """Charter, focus, goal, two progress entries, a commitment and a proposed version."""
    charter = services.start_charter(
        network=network,
        by=by,
        purpose=f"Better writing for every pupil {marker}".strip(),
        shared_values=f"Openness and trust {marker}".strip(),
    )
    focus_values = {key: f"{value} {marker}".strip() for key, value in GOOD_FOCUS.items()}
    focus = services.add_focus(charter=charter, by=by, lead_group=lead_group, **focus_values)
    goal = services.add_goal(
        focus=focus,
        by=by,
        measure=f"Pupils at the expected standard in writing {marker}".strip(),
        unit=f"% of pupils {marker}".strip(),
        baseline_value=Decimal("60"),
        baseline_date=datetime.date(2024, 7, 1),
        target_value=Decimal("75"),
        target_date=datetime.date(2026, 7, 1),
        source_note=f"Teacher assessment {marker}".strip(),
    )
    entry = services.record_progress(
        goal=goal,
        by=by,
        measured_on=datetime.date(2025, 1, 1),
        value=Decimal("64"),
        note=f"Autumn moderation {marker}".strip(),
    )
    commitment = services.add_commitment(
        charter=charter,
        by=by,
        text=f"A school that attends fewer than two thirds of network meetings loses access to "
        f"the pooled fund {marker}".strip(),
        binds=f"Every member school {marker}".strip(),
        how_checked=f"Meeting registers, each term {marker}".strip(),
        kind=CommitmentKind.ATTENDANCE,
        attendance_threshold=67,
    )
    version = charter.versions.order_by("-number").first()
    return charter, focus, goal, entry, commitment, version
