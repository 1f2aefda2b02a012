"""The run-chart rules on series worked by hand (no Django: this module must stay pure)."""

import pytest

from netlearn.enquiry import run_chart
from netlearn.enquiry.run_chart import SHIFT, TOO_FEW_RUNS, TOO_MANY_RUNS, TREND, analyse


def test_a_series_with_no_signal():
    # Median 5.5; sides B A A B B A A A B B: five runs (limits 3–9 for ten points); the longest
    # run is three points; the longest rise or fall is four points (7, 6, 4, 3).
    result = analyse([5, 7, 6, 4, 3, 6, 8, 7, 4, 5])
    assert result.median == 5.5
    assert result.runs == 5
    assert result.runs_limits == (3, 9)
    assert result.signals == ()
    assert result.flagged == frozenset()


def test_six_points_above_the_median_are_a_shift():
    # Median (3 + 7) / 2 = 5: six points below, then six above.
    result = analyse([2, 3, 2, 3, 2, 3, 7, 8, 7, 8, 7, 8])
    shifts = [signal for signal in result.signals if signal.rule == SHIFT]
    assert [(s.first, s.last) for s in shifts] == [(0, 5), (6, 11)]
    assert "6 points in a row above the median" in shifts[1].message


def test_five_points_on_one_side_are_not_a_shift_and_points_on_the_median_are_skipped():
    # Median 5; 5 sits on it and neither breaks nor extends the run of five below.
    result = analyse([1, 2, 5, 1, 2, 1, 9, 8, 9, 8, 9])
    assert SHIFT not in result.rules_broken
    assert result.useful == 10


def test_a_point_on_the_median_does_not_break_a_shift():
    result = analyse([1, 2, 1, 5, 2, 1, 2, 9, 8, 9, 8, 9, 8, 5])
    assert (0, 6) in [(s.first, s.last) for s in result.signals if s.rule == SHIFT]


def test_five_points_going_up_are_a_trend():
    # 5, 6, 7, 8, 9: four rises, five points.
    result = analyse([5, 6, 7, 8, 9, 3, 4, 5, 4, 5])
    trends = [signal for signal in result.signals if signal.rule == TREND]
    assert [(t.first, t.last) for t in trends] == [(0, 4)]
    assert "5 points in a row going up" in trends[0].message
    assert result.flagged >= {0, 1, 2, 3, 4}


def test_a_repeated_value_neither_makes_nor_breaks_a_trend():
    # 9, 8, 8, 7, 6: the second 8 is ignored, so four points going down: no trend.
    assert TREND not in analyse([9, 8, 8, 7, 6, 7]).rules_broken
    # 9, 8, 8, 7, 6, 5: five points going down once the repeat is ignored.
    trends = [s for s in analyse([9, 8, 8, 7, 6, 5, 9]).signals if s.rule == TREND]
    assert [(t.first, t.last) for t in trends] == [(0, 5)]


def test_two_long_runs_are_too_few_runs():
    # Median 5: five below then five above, two runs where ten points need at least three.
    result = analyse([1, 2, 1, 2, 1, 9, 8, 9, 8, 9])
    assert result.runs == 2
    assert result.rules_broken == (TOO_FEW_RUNS,)


def test_a_see_saw_is_too_many_runs():
    result = analyse([1, 9] * 6)
    assert result.runs == 12
    assert TOO_MANY_RUNS in result.rules_broken


def test_the_runs_rule_waits_for_ten_useful_points():
    result = analyse([1, 2, 1, 2, 9, 8, 9, 8])
    assert result.runs_limits is None
    assert TOO_FEW_RUNS not in result.rules_broken


def test_runs_limits_follow_swed_and_eisenhart():
    # Spot values: ten points 3–9, fifteen 5–12, sixteen 5–13, thirty 11–21.
    assert run_chart.RUNS_TABLE[10] == (3, 9)
    assert run_chart.RUNS_TABLE[15] == (5, 12)
    assert run_chart.RUNS_TABLE[16] == (5, 13)
    assert run_chart.RUNS_TABLE[30] == (11, 21)
    assert run_chart.runs_limits(80) == run_chart.runs_limits(80)
    with pytest.raises(run_chart.RunChartError):
        run_chart.runs_limits(9)


def test_a_baseline_fixes_the_median_before_the_change():
    result = analyse([2, 3, 2, 3, 2, 3, 7, 8, 7, 8, 7, 8], baseline=6)
    assert result.median == 2.5


def test_bad_series_are_refused():
    with pytest.raises(run_chart.RunChartError):
        analyse([])
    with pytest.raises(run_chart.RunChartError):
        analyse([1, 2], baseline=3)


def test_the_module_does_not_import_django():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(run_chart))
    names = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ] + [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [name for name in names if name.startswith("django")]
