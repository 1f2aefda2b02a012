"""The golden thread in the JSON API: the same structure as the page, read by the same selector.

Figures about pupils come as the disclosure rules publish them: a number, or "c" (suppressed) or
"low" (rounds to zero) as a string.
"""

import datetime
from decimal import Decimal

from ninja import Router, Schema

from netlearn.core.api import Id

from . import selectors

router = Router(tags=["golden thread"])

Figure = float | str | None


class ThreadFocusOut(Schema):
    id: int
    title: str


class ThreadProgressOut(Schema):
    measured_on: datetime.date
    value: Decimal


class ThreadGoalOut(Schema):
    id: int
    measure: str
    unit: str
    baseline_value: Decimal
    baseline_date: datetime.date
    target_value: Decimal
    target_date: datetime.date
    status: str
    progress: list[ThreadProgressOut]


class ThreadCommitmentOut(Schema):
    id: int
    text: str
    binds: str
    kind: str
    attendance_threshold: int | None


class ThreadSchoolOut(Schema):
    school_id: int
    school: str
    meetings_invited: int
    meetings_attended: int
    attendance_percent: Decimal | None
    below_threshold: bool
    release_sessions: Decimal | None


class ThreadAttendanceOut(Schema):
    start: datetime.date
    end: datetime.date
    threshold: Decimal | None
    schools: list[ThreadSchoolOut]


class ThreadActivityOut(Schema):
    id: int
    title: str
    kind: str
    starts_at: datetime.datetime


class ThreadSignalOut(Schema):
    rule: str
    message: str


class ThreadRunChartOut(Schema):
    points: int
    median: float | None
    signals: list[ThreadSignalOut]


class ThreadEnquiryOut(Schema):
    id: int
    question: str
    method: str
    stage: str
    goal_id: int | None
    schools: list[str]
    run_chart: ThreadRunChartOut | None


class ThreadAccountOut(Schema):
    id: int
    title: str
    published_at: datetime.datetime | None


class ThreadResourceOut(Schema):
    id: int
    title: str
    school: str
    endorsed_at: datetime.datetime | None


class ThreadEffectOut(Schema):
    school: str
    estimate: Figure
    lower: Figure
    upper: Figure
    pupils: Figure


class ThreadOutcomeOut(Schema):
    goal_id: int
    measure: str
    unit: str
    run_id: int | None
    suppressed: bool
    effects: list[ThreadEffectOut]


class ThreadGapOut(Schema):
    part: str
    text: str
    url: str | None


class ThreadOut(Schema):
    focus: ThreadFocusOut
    goals: list[ThreadGoalOut]
    commitments: list[ThreadCommitmentOut]
    attendance: ThreadAttendanceOut
    activities: list[ThreadActivityOut]
    enquiries: list[ThreadEnquiryOut]
    accounts: list[ThreadAccountOut]
    resources: list[ThreadResourceOut]
    outcomes_visible: bool
    outcomes: list[ThreadOutcomeOut]
    gaps: list[ThreadGapOut]


def _chart(chart) -> dict | None:
    if chart is None or chart.analysis is None:
        return None
    return {
        "points": len(chart.points),
        "median": chart.analysis.median,
        "signals": [
            {"rule": signal.rule, "message": signal.message} for signal in chart.analysis.signals
        ],
    }


def thread_out(thread: selectors.Thread) -> dict:
    """The thread as plain data: the API's answer, and what the page's figures are checked by."""
    return {
        "focus": {"id": thread.focus.pk, "title": thread.focus.title},
        "goals": [
            {
                "id": view.goal.pk,
                "measure": view.goal.measure,
                "unit": view.goal.unit,
                "baseline_value": view.goal.baseline_value,
                "baseline_date": view.goal.baseline_date,
                "target_value": view.goal.target_value,
                "target_date": view.goal.target_date,
                "status": view.status.key,
                "progress": [
                    {"measured_on": entry.measured_on, "value": entry.value}
                    for entry in view.entries
                ],
            }
            for view in thread.goals
        ],
        "commitments": [
            {
                "id": commitment.pk,
                "text": commitment.text,
                "binds": commitment.binds,
                "kind": commitment.kind,
                "attendance_threshold": commitment.attendance_threshold,
            }
            for commitment in thread.commitments
        ],
        "attendance": {
            "start": thread.attendance_start,
            "end": thread.attendance_end,
            "threshold": thread.threshold,
            "schools": [
                {
                    "school_id": row.school.pk,
                    "school": row.school.name,
                    "meetings_invited": row.invited,
                    "meetings_attended": row.attended,
                    "attendance_percent": row.percent,
                    "below_threshold": row.below_threshold,
                    "release_sessions": row.release_sessions,
                }
                for row in thread.schools
            ],
        },
        "activities": [
            {"id": a.pk, "title": a.title, "kind": a.kind, "starts_at": a.starts_at}
            for a in thread.activities
        ],
        "enquiries": [
            {
                "id": strand.enquiry.pk,
                "question": strand.enquiry.question,
                "method": strand.enquiry.method,
                "stage": strand.enquiry.stage,
                "goal_id": strand.enquiry.goal_id,
                "schools": [school.name for school in strand.enquiry.schools.all()],
                "run_chart": _chart(strand.chart),
            }
            for strand in thread.enquiries
        ],
        "accounts": [
            {"id": account.pk, "title": account.title, "published_at": account.published_at}
            for account in thread.accounts
        ],
        "resources": [
            {
                "id": resource.pk,
                "title": resource.title,
                "school": resource.school.name,
                "endorsed_at": resource.endorsed_at,
            }
            for resource in thread.resources
        ],
        "outcomes_visible": thread.can_view_outcomes,
        "outcomes": [
            {
                "goal_id": outcome.goal.pk,
                "measure": outcome.measure.name,
                "unit": outcome.measure.unit,
                "run_id": outcome.run.pk if outcome.run else None,
                "suppressed": outcome.suppressed,
                "effects": [
                    {
                        "school": effect.school,
                        "estimate": effect.estimate.as_json(),
                        "lower": effect.lower.as_json(),
                        "upper": effect.upper.as_json(),
                        "pupils": effect.n.as_json(),
                    }
                    for effect in outcome.effects
                ],
            }
            for outcome in thread.outcomes
        ],
        "gaps": [{"part": gap.part, "text": gap.text, "url": gap.url} for gap in thread.gaps],
    }


@router.get("/networks/{slug:slug}/charter/foci/{focus_id}/thread", response=ThreadOut)
def get_thread(request, slug: str, focus_id: Id):
    """A learning focus's golden thread, as the viewer may see it: seen by whoever may see the
    focus, each part filtered by its own app's rules."""
    viewer = request.auth
    network = selectors.network_for(viewer=viewer, network_slug=slug)
    focus = selectors.focus_for(viewer=viewer, network=network, focus_id=focus_id)
    return thread_out(selectors.thread_of(viewer=viewer, focus=focus))
