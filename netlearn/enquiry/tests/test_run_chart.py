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


# The Anhøj rules -------------------------------------------------------------------------------

# Anhøj & Olesen (2014), table 1: for n useful points, the longest run allowed and the fewest
# crossings expected.
ANHOEJ_TABLE = {
    10: (6, 2),
    11: (6, 2),
    12: (7, 3),
    13: (7, 3),
    14: (7, 4),
    15: (7, 4),
    16: (7, 4),
    17: (7, 5),
    18: (7, 5),
    19: (7, 6),
    20: (7, 6),
    21: (7, 6),
    22: (7, 7),
    23: (8, 7),
    24: (8, 8),
    25: (8, 8),
}


def test_anhoej_limits_match_the_published_table():
    for useful, (longest, crossings) in ANHOEJ_TABLE.items():
        assert run_chart.longest_run_limit(useful) == longest, useful
        assert run_chart.crossings_limit(useful) == crossings, useful


def test_anhoej_a_random_looking_series_gives_no_signal():
    # Median 5.5; sides B A A B B A A A B B: longest run 3 (limit 6), 4 crossings (at least 2).
    result = analyse([5, 7, 6, 4, 3, 6, 8, 7, 4, 5], rules=run_chart.ANHOEJ)
    assert result.signals == ()
    assert result.phases[0].longest_run == 3 and result.phases[0].crossings == 4


def test_anhoej_runs_and_crossings_count_only_points_off_the_median():
    series = [1, 2, 1, 2, 1, 2, 1, 2, 9, 8, 9, 8]
    result = analyse(series, rules=run_chart.ANHOEJ)
    # Median 2: the 2s are not counted, leaving 1 1 1 1 below and 9 8 9 8 above.
    assert result.median == 2
    assert result.useful == 8 and result.phases[0].longest_run == 4
    assert result.signals == ()  # n = 8: runs up to round(log2(8) + 3) = 6 are usual


def test_anhoej_eight_in_a_row_of_sixteen_is_an_unusually_long_run_with_too_few_crossings():
    series = [1, 1, 1, 1, 1, 1, 1, 1, 9, 8, 9, 8, 9, 8, 9, 8]
    result = analyse(series, rules=run_chart.ANHOEJ)  # median 4.5: 8 below, 8 above
    assert result.useful == 16
    long_runs = [s for s in result.signals if s.rule == run_chart.LONG_RUN]
    assert [(s.first, s.last) for s in long_runs] == [(0, 7), (8, 15)]
    assert "8 points in a row below the median" in long_runs[0].message
    # One crossing where sixteen points need at least four.
    assert run_chart.TOO_FEW_CROSSINGS in result.rules_broken
    assert result.flagged == frozenset(range(16))


def test_anhoej_points_on_the_median_neither_make_nor_break_a_run():
    # Median 5: the 5s are skipped, so below-runs join across them: 1 2 (5) 1 2 (5) 1 2 = 6 below.
    series = [1, 2, 5, 1, 2, 5, 1, 2, 9, 8, 9, 8, 9, 8]
    result = analyse(series, rules=run_chart.ANHOEJ)
    assert result.useful == 12 and result.phases[0].longest_run == 6


def test_anhoej_a_see_saw_is_not_a_signal_though_ihi_counts_too_many_runs():
    assert analyse([1, 9] * 6, rules=run_chart.ANHOEJ).signals == ()
    assert TOO_MANY_RUNS in analyse([1, 9] * 6).rules_broken


def test_phases_have_their_own_medians_and_rules_apply_within_each():
    before, after = [2, 3, 2, 3, 2, 3, 2, 3], [7, 8, 7, 8, 7, 8, 7, 8]
    one = analyse(before + after)
    assert SHIFT in one.rules_broken
    two = analyse(before + after, phase_starts=[8])
    assert [(p.first, p.last, p.median) for p in two.phases] == [(0, 7, 2.5), (8, 15, 7.5)]
    assert SHIFT not in two.rules_broken
    assert two.median_at(3) == 2.5 and two.median_at(12) == 7.5


def test_a_baseline_is_frozen_within_each_phase():
    result = analyse([2, 3, 9, 9, 9, 9, 9, 9, 7, 8, 1, 1, 1, 1, 1, 1], baseline=2, phase_starts=[8])
    assert [p.median for p in result.phases] == [2.5, 7.5]
    shifts = [(s.first, s.last) for s in result.signals if s.rule == SHIFT]
    # Phase 1 (median 2.5): 3 and the six 9s above; phase 2 (median 7.5): six 1s below.
    assert shifts == [(1, 7), (10, 15)]


def test_missing_values_keep_their_place_but_are_not_points():
    series = [1, 2, None, 1, 2, 1, 9, None, 8, 9, 8, 9]
    result = analyse(series)
    assert result.useful == 10
    assert result.median == 5
    # The runs join across the gaps: below (1 2 _ 1 2 1), above (9 _ 8 9 8 9).
    assert result.runs == 2 and TOO_FEW_RUNS in result.rules_broken
    assert 2 not in result.flagged and 7 not in result.flagged
    with pytest.raises(run_chart.RunChartError):
        analyse([None, None])


def test_unknown_rule_sets_are_refused():
    with pytest.raises(run_chart.RunChartError):
        analyse([1, 2, 3], rules="western-electric")


# Generated series against an independent reading of each rule ----------------------------------


def _independent_anhoej(values):
    """The Anhøj rules read straight from the paper, written apart from the module."""
    from fractions import Fraction
    from itertools import groupby
    from math import comb, log2
    from statistics import median

    centre = median(values)
    signs = [v > centre for v in values if v != centre]
    n = len(signs)
    if n < 2:
        return set()
    runs = [len(list(group)) for _, group in groupby(signs)]
    found = set()
    if max(runs) > round(log2(n) + 3):
        found.add(run_chart.LONG_RUN)
    trials, cumulative, least = n - 1, Fraction(0), 0
    for k in range(trials + 1):
        cumulative += Fraction(comb(trials, k), 2**trials)
        if cumulative >= Fraction(1, 20):
            least = k
            break
    if len(runs) - 1 < least:
        found.add(run_chart.TOO_FEW_CROSSINGS)
    return found


def _independent_ihi_shifts_and_trends(values):
    from itertools import groupby
    from statistics import median

    centre = median(values)
    found = set()
    signs = [v > centre for v in values if v != centre]
    if any(len(list(group)) >= 6 for _, group in groupby(signs)):
        found.add(SHIFT)
    deduplicated = [v for k, v in enumerate(values) if k == 0 or v != values[k - 1]]
    directions = [b > a for a, b in zip(deduplicated, deduplicated[1:], strict=False)]
    if any(len(list(group)) + 1 >= 5 for _, group in groupby(directions)):
        found.add(TREND)
    return found


def _series():
    from hypothesis import strategies as st

    return st.lists(st.integers(min_value=0, max_value=6), min_size=2, max_size=40)


def test_generated_series_agree_with_an_independent_implementation():
    from hypothesis import given, settings

    @settings(max_examples=300, deadline=None)
    @given(_series())
    def check(values):
        anhoej = set(analyse(values, rules=run_chart.ANHOEJ).rules_broken)
        assert anhoej == _independent_anhoej(values)
        ihi = set(analyse(values).rules_broken) & {SHIFT, TREND}
        assert ihi == _independent_ihi_shifts_and_trends(values)

    check()
