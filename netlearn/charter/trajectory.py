"""A goal's trajectory from baseline to target: the on-track rule and the chart's geometry.

The rule, shown on every goal: the planned trajectory is a straight line from the baseline value
on the baseline date to the target value on the target date (after the target date, the target).
A goal is on track when its latest progress value is at or beyond the planned value for that
value's date, "beyond" meaning above when the target is above the baseline and below when it is
below. With no progress entry yet, the status is "not yet measured".
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from netlearn.core.charts import Scale, label

ON_TRACK = "on_track"
OFF_TRACK = "off_track"
NOT_MEASURED = "not_measured"
STATUS_LABELS = {
    ON_TRACK: "On track",
    OFF_TRACK: "Off track",
    NOT_MEASURED: "Not yet measured",
}
RULE = (
    "On track means the latest progress value is at or beyond the planned value for its date. "
    "The plan is a straight line from the baseline (value and date) to the target (value and "
    "date); beyond means above it when the target is above the baseline, below it when the target "
    "is below. After the target date the planned value is the target."
)


def planned_value(goal, on: datetime.date) -> Decimal:
    if on <= goal.baseline_date:
        return Decimal(goal.baseline_value)
    if on >= goal.target_date:
        return Decimal(goal.target_value)
    share = Decimal((on - goal.baseline_date).days) / Decimal(
        (goal.target_date - goal.baseline_date).days
    )
    return goal.baseline_value + (goal.target_value - goal.baseline_value) * share


@dataclass(frozen=True)
class Status:
    key: str
    latest: object = None  # the latest ProgressEntry
    planned: Decimal | None = None
    target_reached: bool = False

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.key]


def _rising(goal) -> bool:
    return goal.target_value >= goal.baseline_value


def status(goal, entries) -> Status:
    """`entries`: the goal's progress entries (any order)."""
    entries = sorted(entries, key=lambda entry: (entry.measured_on, entry.pk or 0))
    if not entries:
        return Status(NOT_MEASURED)
    latest = entries[-1]
    planned = planned_value(goal, latest.measured_on)
    if _rising(goal):
        on_track = latest.value >= planned
        reached = latest.value >= goal.target_value
    else:
        on_track = latest.value <= planned
        reached = latest.value <= goal.target_value
    return Status(ON_TRACK if on_track else OFF_TRACK, latest, planned, reached)


# The chart ---------------------------------------------------------------------------------

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 20, 48


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: float
    top: int
    bottom: float
    plan: tuple[Point, Point]
    target_y: float
    progress: list[Point]
    y_ticks: list[Tick]
    x_ticks: list[Tick]

    @property
    def progress_path(self) -> str:
        return " ".join(f"{point.x:.1f},{point.y:.1f}" for point in self.progress)


def _format(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def chart(goal, entries) -> Chart:
    """Geometry for the goal's chart (`charts.goal_chart`): plan, target and progress."""
    entries = sorted(entries, key=lambda entry: (entry.measured_on, entry.pk or 0))
    dates = [goal.baseline_date, goal.target_date] + [entry.measured_on for entry in entries]
    values = [goal.baseline_value, goal.target_value] + [entry.value for entry in entries]
    start, end = min(dates), max(dates)
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    first = start.toordinal()
    days = Scale(first, first + max((end - start).days, 1), LEFT, right)
    scale = Scale.over(values, bottom, TOP, pad=0.1)

    def x(day: datetime.date) -> float:
        return days(day.toordinal())

    y_ticks = []
    for step in range(5):
        value = scale.low + (scale.high - scale.low) * step / 4
        y_ticks.append(Tick(scale(value), label(round(value, 1))))
    x_ticks = [Tick(x(day), day.strftime("%b %Y")) for day in sorted({start, end})]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=right,
        top=TOP,
        bottom=bottom,
        plan=(
            Point(x(goal.baseline_date), scale(goal.baseline_value), "Baseline"),
            Point(x(goal.target_date), scale(goal.target_value), "Target"),
        ),
        target_y=scale(goal.target_value),
        progress=[
            Point(
                x(entry.measured_on),
                scale(entry.value),
                f"{_format(entry.value)} on {entry.measured_on:%-d %b %Y}",
            )
            for entry in entries
        ],
        y_ticks=y_ticks,
        x_ticks=x_ticks,
    )


def format_value(value) -> str:
    return "" if value is None else _format(Decimal(value))
