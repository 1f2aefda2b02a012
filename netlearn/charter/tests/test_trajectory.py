import datetime
from decimal import Decimal
from types import SimpleNamespace

from netlearn.charter import trajectory


def goal(baseline=50, target=70):
    return SimpleNamespace(
        baseline_value=Decimal(baseline),
        baseline_date=datetime.date(2024, 1, 1),
        target_value=Decimal(target),
        target_date=datetime.date(2026, 1, 1),
    )


def entry(day, value, pk=1):
    return SimpleNamespace(measured_on=day, value=Decimal(value), pk=pk)


def test_no_entries_is_not_yet_measured():
    assert trajectory.status(goal(), []).key == trajectory.NOT_MEASURED


def test_on_track_at_or_above_the_straight_line():
    halfway = datetime.date(2025, 1, 1)  # 366 of 731 days: planned just over 60
    assert trajectory.status(goal(), [entry(halfway, "61")]).key == trajectory.ON_TRACK
    assert trajectory.status(goal(), [entry(halfway, "59")]).key == trajectory.OFF_TRACK


def test_a_falling_target_is_on_track_below_the_line():
    falling = goal(baseline=20, target=10)  # e.g. % persistently absent
    halfway = datetime.date(2025, 1, 1)
    assert trajectory.status(falling, [entry(halfway, "14")]).key == trajectory.ON_TRACK
    assert trajectory.status(falling, [entry(halfway, "16")]).key == trajectory.OFF_TRACK


def test_the_latest_entry_decides_and_after_the_target_date_the_target_is_planned():
    entries = [entry(datetime.date(2024, 6, 1), "90", 1), entry(datetime.date(2026, 6, 1), "69", 2)]
    status = trajectory.status(goal(), entries)
    assert status.key == trajectory.OFF_TRACK and status.planned == Decimal(70)


def test_chart_places_points_inside_the_plot():
    chart = trajectory.chart(goal(), [entry(datetime.date(2025, 1, 1), "61")])
    point = chart.progress[0]
    assert chart.left <= point.x <= chart.right and chart.top <= point.y <= chart.bottom
    assert chart.plan[0].y > chart.plan[1].y  # the target is higher up the page
