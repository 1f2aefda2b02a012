"""Run-chart analysis: the median and the standard run-chart rules. Plain Python, no Django.

The rules (Perla, Provost & Murray, "The run chart", BMJ Qual Saf 2011; the IHI's rules):
- a *shift*: six or more consecutive points on one side of the median; points on the median
  neither add to nor break a shift;
- a *trend*: five or more consecutive points all going up or all going down; a point equal to
  the one before is ignored (it neither adds to nor breaks a trend);
- *too few or too many runs*: a run is a sequence of points on one side of the median (points on
  the median ignored); with ten or more useful points, fewer runs than the lower limit or more
  than the upper limit signals non-random variation.

The runs limits come from the Swed–Eisenhart distribution of the number of runs, with the useful
points split as evenly as possible above and below the median, and 2.5% in each tail: the basis
of the printed IHI table. They are computed, not copied (`runs_limits`).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb
from statistics import median as _median

SHIFT_LENGTH = 6
TREND_LENGTH = 5
MIN_POINTS_FOR_RUNS = 10
TAIL = 0.025

SHIFT, TREND, TOO_FEW_RUNS, TOO_MANY_RUNS = "shift", "trend", "too_few_runs", "too_many_runs"


class RunChartError(ValueError):
    pass


@dataclass(frozen=True)
class Signal:
    rule: str
    first: int | None  # index of the first point of the signal; None for the runs rule
    last: int | None
    message: str


@dataclass(frozen=True)
class Analysis:
    values: tuple[float, ...]
    median: float
    useful: int  # points not on the median
    runs: int
    runs_limits: tuple[int, int] | None
    signals: tuple[Signal, ...]

    @property
    def flagged(self) -> frozenset[int]:
        """Indices of points inside a shift or a trend."""
        points: set[int] = set()
        for signal in self.signals:
            if signal.first is not None:
                points.update(range(signal.first, signal.last + 1))
        return frozenset(points)

    @property
    def rules_broken(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(signal.rule for signal in self.signals))


def _runs_distribution(above: int, below: int) -> dict[int, float]:
    """P(R = r) for `above` + `below` points in random order (Swed & Eisenhart 1943)."""
    total = comb(above + below, above)
    result = {}
    for runs in range(2, above + below + 1):
        k = runs // 2
        if runs % 2 == 0:
            ways = 2 * comb(above - 1, k - 1) * comb(below - 1, k - 1)
        else:
            ways = comb(above - 1, k - 1) * comb(below - 1, k) + comb(above - 1, k) * comb(
                below - 1, k - 1
            )
        result[runs] = ways / total
    return result


def runs_limits(useful: int) -> tuple[int, int]:
    """(lower, upper): fewer runs than `lower` or more than `upper` is a signal."""
    if useful < MIN_POINTS_FOR_RUNS:
        raise RunChartError("The runs rule needs ten or more points off the median.")
    above = useful // 2
    distribution = _runs_distribution(above, useful - above)
    lower, tail = 2, 0.0
    for runs in sorted(distribution):
        if tail + distribution[runs] > TAIL:
            lower = runs
            break
        tail += distribution[runs]
    upper, tail = useful, 0.0
    for runs in sorted(distribution, reverse=True):
        if tail + distribution[runs] > TAIL:
            upper = runs
            break
        tail += distribution[runs]
    return lower, upper


# The table the rule reads, for 10 to 60 useful points (beyond it, `runs_limits` computes).
RUNS_TABLE = {n: runs_limits(n) for n in range(MIN_POINTS_FOR_RUNS, 61)}


def _sides(values, centre) -> list[tuple[int, int]]:
    """(index, +1 above / -1 below) for each point not on the median."""
    return [(i, 1 if v > centre else -1) for i, v in enumerate(values) if v != centre]


def _shifts(sides) -> list[Signal]:
    signals, start = [], 0
    for end in range(1, len(sides) + 1):
        if end == len(sides) or sides[end][1] != sides[start][1]:
            if end - start >= SHIFT_LENGTH:
                where = "above" if sides[start][1] > 0 else "below"
                signals.append(
                    Signal(
                        SHIFT,
                        sides[start][0],
                        sides[end - 1][0],
                        f"Shift: {end - start} points in a row {where} the median.",
                    )
                )
            start = end
    return signals


def _trends(values) -> list[Signal]:
    # Drop a point equal to the one before: like values neither make nor break a trend.
    kept = [i for i, v in enumerate(values) if i == 0 or v != values[i - 1]]
    steps = [values[kept[k + 1]] > values[kept[k]] for k in range(len(kept) - 1)]
    signals, start = [], 0
    for k in range(1, len(steps) + 1):
        if k == len(steps) or steps[k] != steps[start]:
            points = k - start + 1  # steps start..k-1 join points start..k
            if points >= TREND_LENGTH:
                way = "up" if steps[start] else "down"
                signals.append(
                    Signal(
                        TREND,
                        kept[start],
                        kept[k],
                        f"Trend: {points} points in a row going {way}.",
                    )
                )
            start = k
    return signals


def analyse(values, *, baseline: int | None = None) -> Analysis:
    """Analyses a series in time order. The median is taken over the first `baseline` points
    (all of them when None), so that a change can be judged against the time before it."""
    values = tuple(float(v) for v in values)
    if not values:
        raise RunChartError("A run chart needs at least one point.")
    if baseline is not None and not 1 <= baseline <= len(values):
        raise RunChartError("The baseline must be between one point and all of them.")
    centre = float(_median(values[: baseline or len(values)]))
    sides = _sides(values, centre)
    runs = sum(1 for k, (_, side) in enumerate(sides) if k == 0 or side != sides[k - 1][1])
    signals = _shifts(sides) + _trends(values)
    limits = None
    if len(sides) >= MIN_POINTS_FOR_RUNS:
        limits = RUNS_TABLE.get(len(sides)) or runs_limits(len(sides))
        if runs < limits[0]:
            signals.append(
                Signal(
                    TOO_FEW_RUNS,
                    None,
                    None,
                    f"Too few runs: {runs} runs where at least {limits[0]} are expected.",
                )
            )
        elif runs > limits[1]:
            signals.append(
                Signal(
                    TOO_MANY_RUNS,
                    None,
                    None,
                    f"Too many runs: {runs} runs where at most {limits[1]} are expected.",
                )
            )
    return Analysis(values, centre, len(sides), runs, limits, tuple(signals))
