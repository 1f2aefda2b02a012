"""Disclosure control: which figures about pupils may be published, and how they are shown.

docs/safety.md#suppression:

- England: any count, percentage, mean or value added resting on fewer than `threshold` pupils
  (default 6, i.e. 5 or fewer) is shown as ``c``; a non-zero figure that rounds to 0 is ``low``.
- Totals are protected by secondary suppression (`protect`): when a published total covers a
  group of cells and only one of them is hidden, the total minus the others would give it back,
  so the next smallest cell is hidden too (and, if there is none, the total). When the hidden
  cells rest together on fewer pupils than the threshold, the total is hidden (`total_hidden`)
  or more cells are (`protect(together=True)`). The same holds for the cells by which two
  published totals differ (two datasets of the same cohorts).
- New Zealand mode: counts randomly rounded to base 3, seeded per cell so the same request gives
  the same figure; counts under 6 suppressed; means only over 20 or more pupils.

Plain functions over numbers and numpy arrays; no Django. Callers (pages, CSV, API, charts) pass
every figure through here, each with the n it rests on.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

SUPPRESSED = "c"
LOW = "low"
ENGLAND = "england"
NEW_ZEALAND = "nz"
DEFAULT_THRESHOLD = 6
# Stats NZ / Ministry of Education practice: means and sums only over 20 or more pupils.
NZ_MEAN_MINIMUM = 20


@dataclass(frozen=True)
class Rules:
    """How figures are protected. `threshold`: the fewest pupils a figure may rest on."""

    threshold: int = DEFAULT_THRESHOLD
    mode: str = ENGLAND

    def __post_init__(self):
        if self.threshold < 1:
            raise ValueError("The suppression threshold is at least 1 pupil.")
        if self.mode not in (ENGLAND, NEW_ZEALAND):
            raise ValueError(f"Unknown disclosure mode {self.mode!r}.")

    @property
    def mean_minimum(self) -> int:
        """The fewest pupils a mean, percentage or effect may rest on."""
        return max(self.threshold, NZ_MEAN_MINIMUM) if self.mode == NEW_ZEALAND else self.threshold


@dataclass(frozen=True)
class Figure:
    """A figure as it may be published: `shown` is the text; `value` is None when hidden."""

    value: float | None
    n: int | None
    shown: str

    @property
    def suppressed(self) -> bool:
        return self.shown == SUPPRESSED

    def as_json(self) -> float | str | None:
        """The API's form: the number, or the marker ``c``/``low`` as a string."""
        if self.value is None or self.shown == LOW:
            return self.shown if self.shown in (SUPPRESSED, LOW) else None
        return self.value


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def is_hidden(n, rules: Rules = Rules(), *, mean: bool = True) -> bool:
    """Whether a figure resting on `n` pupils is suppressed (`mean=False` for plain counts)."""
    if n is None:
        return True
    minimum = rules.mean_minimum if mean else rules.threshold
    return n < minimum


def figure(value, n, rules: Rules = Rules(), *, decimals: int = 1, hidden: bool = False) -> Figure:
    """A mean, percentage or effect resting on `n` pupils, ready to publish.

    `hidden` forces suppression (secondary suppression decided by `protect`).
    """
    if hidden or is_hidden(n, rules):
        return Figure(None, None, SUPPRESSED)
    if _is_missing(value):
        return Figure(None, int(n), "")
    value = float(value)
    rounded = round(value, decimals)
    if value != 0 and rounded == 0:
        return Figure(value, int(n), LOW)
    return Figure(rounded, int(n), f"{rounded:.{decimals}f}")


def count(value: int | None, rules: Rules = Rules(), *, key: str = "", hidden: bool = False):
    """A count of pupils, ready to publish; in NZ mode randomly rounded to base 3.

    `key` names the cell (e.g. "dataset 4/school 17/2024/n"): NZ rounding is seeded by it, so
    asking again gives the same figure and averaging repeats cannot undo the rounding.
    """
    if hidden or value is None or value < rules.threshold:
        return Figure(None, None, SUPPRESSED)
    value = int(value)
    if rules.mode == NEW_ZEALAND:
        value = random_round(value, key=key)
    return Figure(float(value), value, str(value))


def random_round(value: int, *, key: str, base: int = 3) -> int:
    """Random rounding to `base` (Stats NZ): a multiple of base next to value, seeded by `key`.

    The lower multiple is chosen with probability (base - remainder) / base, so the rounding is
    unbiased on average; a count already a multiple of base is left as it is.
    """
    remainder = value % base
    if remainder == 0:
        return value
    digest = hashlib.sha256(f"{key}|{value}".encode()).digest()
    draw = int.from_bytes(digest[:8], "big") / 2**64
    lower = value - remainder
    return lower if draw < (base - remainder) / base else lower + base


def protect(
    counts: Sequence[int | None] | np.ndarray,
    groups: Iterable[Sequence[int]] = (),
    rules: Rules = Rules(),
    *,
    mean: bool = True,
    together: bool = False,
) -> np.ndarray:
    """Which cells to hide: primary suppression, then secondary suppression over the groups.

    `counts[i]` is the number of pupils cell i rests on. Each group lists the cells that a
    published total adds up (e.g. the schools of the network in one year), or that two totals
    differ by. Hiding exactly one cell of such a group would let the total give it back, so the
    smallest other cell that is still shown is hidden too. With `together`, cells are also
    hidden while a group's hidden cells rest together on fewer pupils than a figure may (for a
    total that is always published, such as a fit's n); without it, `total_hidden` withholds
    such a total instead. Repeats until nothing changes, because one cell may sit in several
    groups (a school in a year and in a trend).
    Returns a boolean array, True where the cell must be hidden.
    """
    counts = np.asarray([(-1 if c is None else c) for c in counts], dtype=np.int64)
    hidden = np.array([is_hidden(None if c < 0 else int(c), rules, mean=mean) for c in counts])
    groups = [np.asarray(list(group), dtype=np.int64) for group in groups]
    changed = True
    while changed:
        changed = False
        for group in groups:
            if group.size < 2:
                continue
            hidden_here = hidden[group]
            if hidden_here.all() or not hidden_here.any():
                continue
            if hidden_here.sum() >= 2 and not (
                together and exposes(counts, hidden, group, rules, mean=mean)
            ):
                continue
            shown = group[~hidden_here]
            # The smallest other cell: hiding it costs the least information.
            order = shown[np.argsort(counts[shown], kind="stable")]
            hidden[order[0]] = True
            changed = True
    return hidden


def exposes(
    counts: Sequence[int | None] | np.ndarray,
    hidden: np.ndarray,
    group: Sequence[int],
    rules: Rules = Rules(),
    *,
    mean: bool = True,
) -> bool:
    """Whether a published total over `group`, minus its cells that are shown, would give back
    a hidden cell, or hidden cells resting together on fewer pupils than a figure may."""
    group = np.asarray(list(group), dtype=np.int64)
    if group.size == 0:
        return False
    hidden_here = group[np.asarray(hidden)[group]]
    if hidden_here.size == 0:
        return False
    if hidden_here.size == 1:
        return True
    together = sum(max(int(c), 0) for c in np.asarray(counts)[hidden_here] if c is not None)
    return is_hidden(together, rules, mean=mean)


def total_hidden(
    cells_hidden: np.ndarray,
    group: Sequence[int],
    total_n: int | None,
    rules: Rules = Rules(),
    *,
    counts: Sequence[int | None] | np.ndarray | None = None,
) -> bool:
    """Whether a group's total must be hidden: it rests on too few pupils, or it is the total of
    one cell that is hidden (the total would be that cell), or, given the cells' `counts`, the
    total minus the cells shown would give back hidden cells resting together on too few
    pupils (`exposes`)."""
    group = list(group)
    if is_hidden(total_n, rules):
        return True
    if counts is not None and exposes(counts, cells_hidden, group, rules):
        return True
    return len(group) == 1 and bool(np.asarray(cells_hidden)[group[0]])


def combined_hidden(parts: Sequence[Figure]) -> bool:
    """Whether a figure combined from published parts (a programme's figure from its networks')
    must be hidden: when any part is not published as a number (`c`, `low` or missing), because
    the combined figure, set against the parts that are shown, would give that part back."""
    return not parts or any(part.value is None or part.shown == LOW for part in parts)


def table(
    values: Sequence[float | None],
    counts: Sequence[int | None],
    groups: Iterable[Sequence[int]] = (),
    rules: Rules = Rules(),
    *,
    decimals: int = 1,
) -> list[Figure]:
    """Every cell of a table of means/percentages as published, secondary suppression applied."""
    hidden = protect(counts, groups, rules)
    return [
        figure(value, n, rules, decimals=decimals, hidden=bool(hide))
        for value, n, hide in zip(values, counts, hidden, strict=True)
    ]


# Model coefficients -------------------------------------------------------------------------
#
# A model's coefficient for a level of a factor (a school, a sex) is a difference between that
# level's pupils and the reference level's; the intercept describes the reference levels; and its
# standard error gives the level's size away. So each rests on the pupils of every level it
# involves, as a mean does: `levels` maps a fixed-effect term to {"levels", "counts",
# "coefficients"} (`netlearn.analytics.design.TermLevels.to_json()`), levels[0] the reference.
INTERCEPT = "(Intercept)"


@dataclass(frozen=True)
class ThinLevel:
    """A level of a model's factor with fewer pupils than a published coefficient may rest on."""

    term: str
    level: str
    n: int


def thin_levels(levels: dict[str, dict], rules: Rules = Rules()) -> list[ThinLevel]:
    """Every level, of every factor among the fixed effects, too small to publish a coefficient
    resting on it."""
    return [
        ThinLevel(term, str(level), int(n))
        for term, term_levels in levels.items()
        for level, n in zip(term_levels["levels"], term_levels["counts"], strict=True)
        if is_hidden(int(n), rules)
    ]


def hidden_coefficients(
    names: Iterable[str],
    levels: dict[str, dict] | None,
    numeric: Iterable[str] = (),
    rules: Rules = Rules(),
) -> set[str]:
    """The coefficients (with their standard errors) that may not be published.

    With `levels` known, a coefficient is hidden when its level or the reference level is too
    small, and the intercept when any reference level is. Without them (a fit stored before
    they were kept) nothing says how many pupils a factor's coefficient rests on, so every
    coefficient that is not one of the `numeric` terms is hidden, and the intercept with them.
    """
    names = list(names)
    if levels is None:
        numeric = set(numeric)
        hidden = {name for name in names if name != INTERCEPT and name not in numeric}
        return hidden | ({INTERCEPT} if hidden else set())
    hidden: set[str] = set()
    for term_levels in levels.values():
        thin = [is_hidden(int(n), rules) for n in term_levels["counts"]]
        coefficients = list(term_levels["coefficients"])
        if thin and thin[0]:
            hidden.update(coefficients)
            hidden.add(INTERCEPT)
        if len(coefficients) == 1 and len(thin) == 2:
            # A numeric column of two values: one coefficient for both groups.
            if any(thin):
                hidden.update(coefficients)
            continue
        hidden.update(name for name, small in zip(coefficients, thin[1:], strict=False) if small)
    return hidden & set(names)
