"""Turns a parsed formula and a table of columns into the arrays a mixed model is fitted to.

Follows what lme4 does with a data frame, so names and estimates match `lmer`:
- rows missing a value (None, NaN, "") in any column the formula uses are dropped (na.omit);
- levels not present in the remaining rows are dropped (lme4's drop.unused.levels);
- a factor (a column of strings) enters by treatment coding, its first level in sorted order
  being the reference, and its columns are named column + level ("sexM", "schgendmixed");
- a grouping factor's levels are labelled by their values as text, joined by ":" for `b:a`.
Sorting is by code point, as R's factor() sorts in the C locale.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from netlearn.analytics.errors import DataError, FormulaError
from netlearn.analytics.formula import Formula

# A string column whose distinct values are nearly all numbers is a column of numbers with a typo
# in it, not a factor: over this many distinct values, with at most this share not numbers.
_NUMBER_COLUMN_MIN_LEVELS = 10
_NUMBER_COLUMN_MAX_TEXT_SHARE = 0.1
# Relative size of a pivot in the scaled cross-product below which a column adds nothing new.
_COLLINEAR_TOLERANCE = 1e-9
# Values beyond this size would overflow the sums of squares and products the fit works from.
_LARGEST = 1e100


@dataclass(frozen=True, eq=False)
class Factor:
    """A column of labels, coded: `codes[i]` indexes `levels`, -1 where the value is missing.

    Readers that already hold coded columns (the CSV reader) pass these to `fit` directly, which
    spares turning every row into a Python string.
    """

    codes: np.ndarray
    levels: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.codes)


@dataclass(frozen=True, eq=False)
class Grouping:
    """One random intercept's grouping factor over the rows fitted."""

    name: str  # lme4's name: "school", "school:authority"
    codes: np.ndarray  # 0..len(ids)-1 per row
    ids: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Design:
    y: np.ndarray
    X: np.ndarray  # first column the intercept
    fixed_names: tuple[str, ...]
    groupings: tuple[Grouping, ...]
    n_dropped: int


Column = Sequence | np.ndarray | Factor


def build_design(formula: Formula, columns: Mapping[str, Column]) -> Design:
    """The response, fixed-effect matrix and grouping factors for `formula` over `columns`."""
    n_rows = _count_rows(formula, columns)
    prepared, keep = _prepare(formula, columns, n_rows)
    n_used = int(keep.sum())
    everything = n_used == n_rows
    response = prepared[formula.response]
    if isinstance(response, Factor):
        response = _factor_as_numbers(formula.response, response, keep)
    y = np.asarray(_finite(formula.response, response, keep, everything), dtype=np.float64)
    if n_used > 1 and np.ptp(y) == 0:
        raise DataError(
            f"the outcome '{formula.response}' has the same value in every row used; "
            "there is nothing to model"
        )

    blocks, names = [np.ones(n_used)], ["(Intercept)"]
    for name in formula.fixed:
        value = prepared[name]
        if isinstance(value, Factor):
            _refuse_broken_number_column(name, value, keep)
            dummies, levels = _treatment_columns(name, value, keep)
            blocks.extend(dummies)
            names.extend(f"{name}{level}" for level in levels)
        else:
            blocks.append(_finite(name, value, keep, everything))
            names.append(name)
    # Column-major: each column is one contiguous run, as the per-group sums read them.
    X = np.empty((n_used, len(blocks)), order="F")
    for k, block in enumerate(blocks):
        X[:, k] = block
    if n_used <= len(names):
        raise DataError(
            f"{n_used} complete rows are too few for {len(names)} fixed effects "
            f"({', '.join(names)}); the model needs more rows than fixed effects"
        )
    _refuse_collinear(X, names)

    groupings = tuple(
        _grouping(term.name, [prepared[c] for c in term.columns], keep, n_used)
        for term in formula.random
    )
    return Design(
        y=y, X=X, fixed_names=tuple(names), groupings=groupings, n_dropped=n_rows - n_used
    )


@dataclass(frozen=True)
class TermLevels:
    """How many rows used by the fit fall in each level of a fixed-effect term.

    `levels[0]` is the reference level, which the intercept describes; `coefficients[k]` is
    lme4's name for the column of `levels[k + 1]` (for a numeric column of two values, its one
    coefficient, which is the difference between the two groups).
    """

    term: str
    levels: tuple[str, ...]
    counts: tuple[int, ...]
    coefficients: tuple[str, ...]

    def to_json(self) -> dict:
        return {
            "levels": list(self.levels),
            "counts": list(self.counts),
            "coefficients": list(self.coefficients),
        }


def fixed_levels(formula: Formula, columns: Mapping[str, Column]) -> tuple[TermLevels, ...]:
    """The rows each level of each factor among the fixed effects rests on, over the rows the fit
    would use. A numeric column enters once for all rows, except a column of exactly two values
    (0/1 coded as numbers), whose coefficient is the difference between two groups as a factor's
    is. Raises DataError as `build_design` does when the columns do not fit the formula."""
    n_rows = _count_rows(formula, columns)
    prepared, keep = _prepare(formula, columns, n_rows)
    terms = []
    for name in formula.fixed:
        value = prepared[name]
        if isinstance(value, Factor):
            used = _sorted(_compact(value, keep))
            counts = np.bincount(used.codes, minlength=len(used.levels))
            coefficients = tuple(f"{name}{level}" for level in used.levels[1:])
            terms.append(TermLevels(name, used.levels, tuple(map(int, counts)), coefficients))
            continue
        values, counts = np.unique(value[keep], return_counts=True)
        if len(values) == 2:
            levels = tuple(_label(v) for v in values.tolist())
            terms.append(TermLevels(name, levels, tuple(map(int, counts)), (name,)))
    return tuple(terms)


def _count_rows(formula: Formula, columns: Mapping[str, Column]) -> int:
    """The number of rows of the columns, once every column the formula names is there."""
    missing = [name for name in formula.columns if name not in columns]
    if missing:
        raise DataError(
            f"column '{missing[0]}' not found in the data; columns are: "
            + ", ".join(str(name) for name in columns),
            column=missing[0],
        )
    lengths = {name: len(columns[name]) for name in formula.columns}
    if len(set(lengths.values())) > 1:
        raise DataError(f"the columns have different lengths: {lengths}")
    return next(iter(lengths.values()))


def _prepare(
    formula: Formula, columns: Mapping[str, Column], n_rows: int
) -> tuple[dict[str, np.ndarray | Factor], np.ndarray]:
    """Each column the formula uses as numbers or a factor, and which rows are complete."""
    grouping_columns = set(formula.grouping_columns)
    prepared: dict[str, np.ndarray | Factor] = {}
    for name in formula.columns:
        if name in grouping_columns:
            prepared[name] = _as_factor(columns[name])
        else:
            prepared[name] = _as_number_or_factor(name, columns[name])

    keep = np.ones(n_rows, dtype=bool)
    for value in prepared.values():
        if isinstance(value, Factor):
            if value.codes.min(initial=0) < 0:
                keep &= value.codes >= 0
        elif value.dtype.kind == "f" and not math.isfinite(value.sum()):
            # The sum is finite only if every value is: one pass, no temporary, for the
            # common case of a complete column.
            keep &= ~np.isnan(value)
    if not keep.any():
        raise DataError(
            "no complete rows: every row misses a value in one of the columns "
            + ", ".join(f"'{name}'" for name in formula.columns)
        )

    return prepared, keep


def _is_missing(value) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def _as_factor(values: Column) -> Factor:
    """Codes any column as labels: strings as they are, numbers written the way R prints them."""
    if isinstance(values, Factor):
        return values
    array = np.asarray(values) if not isinstance(values, np.ndarray) else values
    if array.dtype.kind in "iu" and array.size:
        low, high = int(array.min()), int(array.max())
        if high - low <= 4 * array.size + 1_000_000:
            # Integer ids (URNs) in a modest range: a lookup table instead of a sort, O(n).
            present = np.zeros(high - low + 1, dtype=bool)
            present[array - low] = True
            code_of = np.cumsum(present) - 1
            levels = np.flatnonzero(present) + low
            return Factor(codes=code_of[array - low], levels=tuple(map(str, levels.tolist())))
    if array.dtype.kind in "iub":
        levels, codes = np.unique(array, return_inverse=True)
        return Factor(codes=codes.astype(np.int64), levels=tuple(_label(v) for v in levels))
    if array.dtype.kind == "f":
        missing = np.isnan(array)
        levels, codes = np.unique(np.where(missing, 0.0, array), return_inverse=True)
        codes = np.where(missing, -1, codes).astype(np.int64)
        return _compact(Factor(codes=codes, levels=tuple(_label(v) for v in levels)))
    labels = [None if _is_missing(v) else _label(v) for v in values]
    levels = tuple(sorted({label for label in labels if label is not None}))
    index = {level: code for code, level in enumerate(levels)}
    codes = np.fromiter(
        (-1 if label is None else index[label] for label in labels),
        dtype=np.int64,
        count=len(labels),
    )
    return Factor(codes=codes, levels=levels)


def _as_number_or_factor(name: str, values: Column) -> np.ndarray | Factor:
    """A float array (NaN missing) for a column of numbers, else the column as a factor."""
    if isinstance(values, Factor):
        return values
    if not isinstance(values, list | tuple | np.ndarray) and hasattr(values, "__array__"):
        # A pandas or polars Series, a pyarrow array: numbers come through as one array.
        array = np.asarray(values)
        if array.dtype.kind in "iuf":
            return array
    if isinstance(values, np.ndarray) and values.dtype.kind in "iuf":
        return values
    numbers = np.empty(len(values))
    for row, value in enumerate(values):
        if _is_missing(value):
            numbers[row] = np.nan
        elif isinstance(value, int | float | np.integer | np.floating) and not isinstance(
            value, bool
        ):
            numbers[row] = value
        else:
            return _as_factor(values)
    return numbers


def _label(value) -> str:
    """R's label for a value: 3 not 3.0, 2.5 as 2.5, strings unchanged."""
    if isinstance(value, bool | np.bool_):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float | np.floating):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, np.integer):
        return str(int(value))
    return str(value)


def _compact(factor: Factor, keep: np.ndarray | None = None) -> Factor:
    """Drops the levels no (kept) row uses, keeping the order of the rest."""
    codes = factor.codes if keep is None or keep.all() else factor.codes[keep]
    used = np.bincount(codes[codes >= 0], minlength=len(factor.levels)) > 0
    if used.all():
        return Factor(codes=codes, levels=factor.levels)
    recode = np.cumsum(used) - 1
    codes = np.where(codes >= 0, recode[np.maximum(codes, 0)], -1)
    return Factor(
        codes=codes, levels=tuple(level for level, u in zip(factor.levels, used, strict=True) if u)
    )


def _sorted(factor: Factor) -> Factor:
    """The same factor with its levels in sorted order (by code point, as numpy and R's C
    locale sort)."""
    if not factor.levels:
        return factor
    labels = np.array(factor.levels, dtype=object)
    order = np.argsort(labels.astype(str), kind="stable")
    if np.all(order[1:] > order[:-1]):
        return factor
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    if factor.codes.size and factor.codes.min() >= 0:
        codes = rank[factor.codes]
    else:
        codes = np.where(factor.codes >= 0, rank[np.maximum(factor.codes, 0)], -1)
    return Factor(codes=codes, levels=tuple(labels[order].tolist()))


def _parse_number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _first_row(factor: Factor, code: int, keep: np.ndarray) -> int:
    return int(np.flatnonzero((factor.codes == code) & keep)[0])


def _factor_as_numbers(name: str, factor: Factor, keep: np.ndarray) -> np.ndarray:
    """The outcome must be numbers; a column of numbers written as text is read as numbers."""
    numbers = np.array([_parse_number(level) for level in factor.levels], dtype=object)
    for code, number in enumerate(numbers):
        if number is None and (factor.codes[keep] == code).any():
            row = _first_row(factor, code, keep)
            raise DataError(
                f"row {row + 1}: {_shown(factor.levels[code])} in column '{name}' is not a number "
                "(the outcome must be a number)",
                column=name,
                row=row,
            )
    values = np.array([np.nan if n is None else n for n in numbers], dtype=np.float64)
    return np.where(factor.codes >= 0, values[np.maximum(factor.codes, 0)], np.nan)


def _refuse_broken_number_column(name: str, factor: Factor, keep: np.ndarray) -> None:
    used = _compact(factor, keep)
    text = [level for level in used.levels if _parse_number(level) is None]
    if (
        text
        and len(used.levels) > _NUMBER_COLUMN_MIN_LEVELS
        and len(text) <= _NUMBER_COLUMN_MAX_TEXT_SHARE * len(used.levels)
    ):
        code = factor.levels.index(text[0])
        row = _first_row(factor, code, keep)
        raise DataError(
            f"row {row + 1}: {_shown(text[0])} in column '{name}' is not a number",
            column=name,
            row=row,
        )


def _finite(name: str, values: np.ndarray, keep: np.ndarray, everything: bool) -> np.ndarray:
    """The kept rows' values (the array itself when every row is kept), all finite and of a
    size whose squares and sums stay finite."""
    used = values if everything else values[keep]
    if used.dtype.kind != "f" or (
        math.isfinite(used.sum()) and np.abs(used).max(initial=0.0) <= _LARGEST
    ):
        return used
    bad = ~np.isfinite(used)
    if bad.any():
        row = int(np.flatnonzero(keep)[np.flatnonzero(bad)[0]])
        raise DataError(
            f"row {row + 1}: {values[row]} in column '{name}' is not a finite number",
            column=name,
            row=row,
        )
    large = np.abs(used) > _LARGEST
    if large.any():
        row = int(np.flatnonzero(keep)[np.flatnonzero(large)[0]])
        raise DataError(
            f"row {row + 1}: {values[row]:g} in column '{name}' is too large to model; "
            f"rescale the column (values up to {_LARGEST:g} in size are accepted)",
            column=name,
            row=row,
        )
    return used


def _shown(text: str) -> str:
    """A value quoted for a message on one line: control characters escaped, long text cut."""
    if len(text) > 40:
        text = text[:37] + "..."
    if text.isprintable():
        return f"'{text}'"
    return repr(text)


def _treatment_columns(name: str, factor: Factor, keep: np.ndarray):
    used = _sorted(_compact(factor, keep))
    if len(used.levels) < 2:
        raise DataError(
            f"column '{name}' has only one value ('{used.levels[0]}') in the rows used; "
            "a factor needs at least two",
            column=name,
        )
    dummies = [(used.codes == code).astype(np.float64) for code in range(1, len(used.levels))]
    return dummies, used.levels[1:]


def _refuse_collinear(X: np.ndarray, names: list[str]) -> None:
    """lme4 drops collinear columns with a message; we stop and name the column instead.

    Works on the centred cross-products, scaled to correlations: the intercept is independent of
    centred columns, a constant column has no spread, and a column that the ones before it
    explain leaves a Cholesky pivot near 0.
    """
    n = X.shape[0]
    mean = X[:, 1:].mean(axis=0)
    gram = X[:, 1:].T @ X[:, 1:] - n * np.outer(mean, mean)
    spread = np.sqrt(np.maximum(np.diag(gram), 0.0))
    for k in range(len(spread)):
        if spread[k] <= _COLLINEAR_TOLERANCE * max(1.0, abs(mean[k])) * math.sqrt(n):
            raise DataError(
                f"the fixed effect '{names[k + 1]}' has the same value in every row used, so "
                "its effect cannot be told from the intercept; remove it from the formula",
                column=names[k + 1],
            )
    gram = gram / np.outer(spread, spread)
    p = len(spread)
    L = np.zeros((p, p))
    for k in range(p):
        pivot = gram[k, k] - L[k, :k] @ L[k, :k]
        if pivot <= _COLLINEAR_TOLERANCE:
            raise DataError(
                f"the fixed effect '{names[k + 1]}' is a linear combination of the fixed effects "
                "before it, so its effect cannot be estimated; remove it from the formula",
                column=names[k + 1],
            )
        L[k, k] = math.sqrt(pivot)
        L[k + 1 :, k] = (gram[k + 1 :, k] - L[k + 1 :, :k] @ L[k, :k]) / L[k, k]


def _grouping(name: str, parts: list[Factor], keep: np.ndarray, n_used: int) -> Grouping:
    if len(parts) == 1:
        factor = _sorted(_compact(parts[0], keep))
    else:
        # b:a, lme4's interaction: one level per combination present in the rows used.
        combined = np.zeros(n_used, dtype=np.int64)
        for part in parts:
            combined = combined * len(part.levels) + part.codes[keep]
        present, codes = np.unique(combined, return_inverse=True)
        labels, rest = [], present
        for part in reversed(parts):
            labels.append(np.asarray(part.levels, dtype=object)[rest % len(part.levels)])
            rest = rest // len(part.levels)
        labels = [":".join(items) for items in zip(*reversed(labels), strict=True)]
        factor = _sorted(Factor(codes=codes.astype(np.int64), levels=tuple(labels)))
    n_groups = len(factor.levels)
    if n_groups < 2:
        raise DataError(
            f"the grouping factor '{name}' has only one level in the rows used; "
            "a random intercept needs at least two groups",
            column=name,
        )
    if n_groups >= n_used:
        # lme4 refuses the same: with one row per group the school and pupil variances
        # cannot be told apart.
        raise DataError(
            f"the grouping factor '{name}' has {n_groups} levels for {n_used} rows; "
            "it needs fewer levels than rows (some groups must have more than one row)",
            column=name,
        )
    return Grouping(name=name, codes=factor.codes, ids=factor.levels)


__all__ = [
    "Design",
    "Factor",
    "FormulaError",
    "Grouping",
    "TermLevels",
    "build_design",
    "fixed_levels",
]
