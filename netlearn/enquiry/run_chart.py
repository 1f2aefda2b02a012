"""Run-chart analysis: the median and two named sets of run-chart rules. Plain Python, no Django.

**IHI rules** (Perla, Provost & Murray, "The run chart", BMJ Qual Saf 2011):
- a *shift*: six or more consecutive points on one side of the median; points on the median
  neither add to nor break a shift;
- a *trend*: five or more consecutive points all going up or all going down; a point equal to
  the one before is ignored (it neither adds to nor breaks a trend);
- *too few or too many runs*: a run is a sequence of points on one side of the median (points on
  the median ignored); with ten or more useful points, fewer runs than the lower limit or more
  than the upper limit signals non-random variation. The limits are computed from the
  Swed–Eisenhart distribution of the number of runs, with the useful points split as evenly as
  possible above and below the median and 2.5% in each tail (`runs_limits`); the chart says so,
  since for a few numbers of points the printed table differs by one run.

**Anhøj rules** (Anhøj & Olesen, "Run charts revisited", PLoS ONE 2014), with n the useful points
(those not on the median, which neither make nor break a run):
- an *unusually long run*: a run longer than round(log2(n) + 3) points;
- *too few crossings*: the line crosses the median fewer times than the 5th percentile of a
  binomial distribution with n − 1 trials and probability 0.5.

**Phases**: a change adopted starts a new phase, with its own median (frozen over the phase's
first `baseline` points when given); the rules are applied within each phase. **Missing values**
(None) keep their place in time but are not points: they neither make nor break a run or trend.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb, log2
from statistics import median as _median

SHIFT_LENGTH = 6
TREND_LENGTH = 5
MIN_POINTS_FOR_RUNS = 10
TAIL = 0.025

SHIFT, TREND, TOO_FEW_RUNS, TOO_MANY_RUNS = "shift", "trend", "too_few_runs", "too_many_runs"
LONG_RUN, TOO_FEW_CROSSINGS = "long_run", "too_few_crossings"

IHI, ANHOEJ = "ihi", "anhoej"
RULE_SETS = {IHI: "IHI rules", ANHOEJ: "Anhøj rules"}
METHODS = {
    IHI: "IHI rules (Perla, Provost & Murray 2011): a shift is six or more points in a row on one "
    "side of the median; a trend five or more points in a row going up or down; from ten points "
    "off the median, the number of runs is judged against limits computed from the "
    "Swed–Eisenhart distribution with 2.5% in each tail (for a few numbers of points the printed "
    "table differs by one run).",
    ANHOEJ: "Anhøj rules (Anhøj & Olesen 2014): with n points off the median, a run longer than "
    "log2(n) + 3 (rounded) is unusually long, and fewer median crossings than the 5th percentile "
    "of a binomial distribution with n − 1 trials and probability 0.5 are too few.",
}


class RunChartError(ValueError):
    pass


@dataclass(frozen=True)
class Signal:
    rule: str
    first: int | None  # index of the first point of the signal; None for the runs rule
    last: int | None
    message: str


@dataclass(frozen=True)
class Phase:
    first: int  # index of the phase's first point (missing values included)
    last: int
    median: float
    useful: int  # points not on the median
    runs: int
    longest_run: int
    crossings: int
    runs_limits: tuple[int, int] | None  # IHI
    longest_run_limit: int | None  # Anhøj
    crossings_limit: int | None  # Anhøj


@dataclass(frozen=True)
class Analysis:
    values: tuple[float | None, ...]
    rules: str
    phases: tuple[Phase, ...]
    signals: tuple[Signal, ...]

    # The figures of the current (last) phase: a chart with one phase reads as before.
    @property
    def median(self) -> float:
        return self.phases[-1].median

    @property
    def useful(self) -> int:
        return self.phases[-1].useful

    @property
    def runs(self) -> int:
        return self.phases[-1].runs

    @property
    def runs_limits(self) -> tuple[int, int] | None:
        return self.phases[-1].runs_limits

    @property
    def method(self) -> str:
        return METHODS[self.rules]

    def median_at(self, index: int) -> float | None:
        for phase in self.phases:
            if phase.first <= index <= phase.last:
                return phase.median
        return None

    @property
    def flagged(self) -> frozenset[int]:
        """Indices of points inside a shift, a trend or an unusually long run."""
        points: set[int] = set()
        for signal in self.signals:
            if signal.first is not None:
                points.update(
                    i for i in range(signal.first, signal.last + 1) if self.values[i] is not None
                )
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


def longest_run_limit(useful: int) -> int:
    """Anhøj: a run longer than this is unusually long."""
    return round(log2(useful) + 3)


def crossings_limit(useful: int) -> int:
    """Anhøj: fewer crossings than this are too few (5th percentile of Binomial(n − 1, 0.5),
    the smallest count whose cumulative probability reaches 5%)."""
    trials = useful - 1
    cumulative = 0.0
    for crossings in range(trials + 1):
        cumulative += comb(trials, crossings) / 2**trials
        if cumulative >= 0.05:
            return crossings
    return trials


def _sides(points, centre) -> list[tuple[int, int]]:
    """(index, +1 above / -1 below) for each point not on the median."""
    return [(i, 1 if v > centre else -1) for i, v in points if v != centre]


def _run_spans(sides) -> list[tuple[int, int]]:
    """(start, end) positions in `sides` of each run, end exclusive."""
    spans, start = [], 0
    for end in range(1, len(sides) + 1):
        if end == len(sides) or sides[end][1] != sides[start][1]:
            spans.append((start, end))
            start = end
    return spans


def _where(side: int) -> str:
    return "above" if side > 0 else "below"


def _shifts(sides) -> list[Signal]:
    return [
        Signal(
            SHIFT,
            sides[start][0],
            sides[end - 1][0],
            f"Shift: {end - start} points in a row {_where(sides[start][1])} the median.",
        )
        for start, end in _run_spans(sides)
        if end - start >= SHIFT_LENGTH
    ]


def _trends(points) -> list[Signal]:
    # Drop a point equal to the one before: like values neither make nor break a trend.
    kept = [(i, v) for k, (i, v) in enumerate(points) if k == 0 or v != points[k - 1][1]]
    steps = [kept[k + 1][1] > kept[k][1] for k in range(len(kept) - 1)]
    signals, start = [], 0
    for k in range(1, len(steps) + 1):
        if k == len(steps) or steps[k] != steps[start]:
            count = k - start + 1  # steps start..k-1 join points start..k
            if count >= TREND_LENGTH:
                way = "up" if steps[start] else "down"
                signals.append(
                    Signal(
                        TREND,
                        kept[start][0],
                        kept[k][0],
                        f"Trend: {count} points in a row going {way}.",
                    )
                )
            start = k
    return signals


def _runs_test(runs: int, limits, where: str) -> list[Signal]:
    if runs < limits[0]:
        message = f"Too few runs{where}: {runs} runs where at least {limits[0]} are expected."
        return [Signal(TOO_FEW_RUNS, None, None, message)]
    if runs > limits[1]:
        message = f"Too many runs{where}: {runs} runs where at most {limits[1]} are expected."
        return [Signal(TOO_MANY_RUNS, None, None, message)]
    return []


def _anhoej(sides, spans, where: str) -> tuple[list[Signal], int | None, int | None]:
    useful = len(sides)
    if useful < 2:
        return [], None, None
    run_limit, cross_limit = longest_run_limit(useful), crossings_limit(useful)
    signals = [
        Signal(
            LONG_RUN,
            sides[start][0],
            sides[end - 1][0],
            f"Unusually long run{where}: {end - start} points in a row "
            f"{_where(sides[start][1])} the median, where more than {run_limit} is unusual for "
            f"{useful} points off the median.",
        )
        for start, end in spans
        if end - start > run_limit
    ]
    crossings = len(spans) - 1
    if crossings < cross_limit:
        signals.append(
            Signal(
                TOO_FEW_CROSSINGS,
                None,
                None,
                f"Too few crossings{where}: the line crosses the median {crossings} "
                f"time{'' if crossings == 1 else 's'} where at least {cross_limit} are expected "
                f"for {useful} points off the median.",
            )
        )
    return signals, run_limit, cross_limit


def _phase(values, first: int, last: int, *, baseline, rules: str, where: str):
    points = [(i, values[i]) for i in range(first, last + 1) if values[i] is not None]
    if not points:
        return None, []
    frozen = points[:baseline] if baseline else points
    centre = float(_median([v for _, v in frozen]))
    sides = _sides(points, centre)
    spans = _run_spans(sides)
    runs_limits_ = run_limit = cross_limit = None
    if rules == IHI:
        signals = _shifts(sides) + _trends(points)
        if len(sides) >= MIN_POINTS_FOR_RUNS:
            runs_limits_ = RUNS_TABLE.get(len(sides)) or runs_limits(len(sides))
            signals += _runs_test(len(spans), runs_limits_, where)
    else:
        signals, run_limit, cross_limit = _anhoej(sides, spans, where)
    phase = Phase(
        first=first,
        last=last,
        median=centre,
        useful=len(sides),
        runs=len(spans),
        longest_run=max((end - start for start, end in spans), default=0),
        crossings=max(len(spans) - 1, 0),
        runs_limits=runs_limits_,
        longest_run_limit=run_limit,
        crossings_limit=cross_limit,
    )
    return phase, signals


def analyse(values, *, baseline: int | None = None, rules: str = IHI, phase_starts=()) -> Analysis:
    """Analyses a series in time order by the named rule set (`IHI` or `ANHOEJ`).

    `phase_starts` are the indices where a change was adopted and a new phase begins. In each
    phase the median is taken over its first `baseline` points (all of them when None), so a
    change is judged against the time before it. A value of None is a missing measurement.
    """
    values = tuple(None if v is None else float(v) for v in values)
    if rules not in RULE_SETS:
        raise RunChartError("Choose the IHI or the Anhøj run-chart rules.")
    if all(v is None for v in values):
        raise RunChartError("A run chart needs at least one point.")
    present = sum(v is not None for v in values)
    if baseline is not None and not 1 <= baseline <= present:
        raise RunChartError("The baseline must be between one point and all of them.")
    starts = sorted({s for s in phase_starts if 0 < s < len(values)})
    bounds = list(zip([0, *starts], [*[s - 1 for s in starts], len(values) - 1], strict=True))
    phases, signals = [], []
    for number, (first, last) in enumerate(bounds, start=1):
        where = f" in phase {number}" if len(bounds) > 1 else ""
        phase, found = _phase(values, first, last, baseline=baseline, rules=rules, where=where)
        if phase is not None:
            phases.append(phase)
            signals += found
    return Analysis(values, rules, tuple(phases), tuple(signals))
