"""A group of schools' value added from a fitted model: the mean of its schools' effects, with an
interval from the model (issue 17, item 2: "comparing the value added to that of peer group
schools"; docs/seed-practices.md#impact).

The method, for a model with one random intercept per school, `y ~ … + (1|school)`:

- A school's effect is its conditional mode (BLUP) b̂_j, and its conditional variance s_j² is
  lme4's `ranef(condVar=TRUE)`: the variance of b_j given the data, with the fixed effects β and
  the variance parameters held at their estimates (`netlearn.analytics.mixed`).
- A group's value added is the plain mean of its k schools' effects, m = (1/k) Σ b̂_j: every
  school counts once, as the group's schools are compared school by school (not pupil-weighted).
- With one school level, the schools' effects are independent given the data (the conditional
  covariance of b is diagonal: each school's block of the model's precision is its own), so
  Var(m) = (1/k²) Σ s_j², and the interval is m ± z·√Var(m) (z the normal quantile of `level`).
- A school against a group it is not in (its peers): d = b̂_s − m, Var(d) = s_s² + Var(m).

What the interval covers, and what it does not: it is the uncertainty in the schools' own
effects given the fitted model. It leaves out the uncertainty of the estimated β and variance
components (as lme4's conditional variances do), so it is somewhat narrow for small datasets;
and it describes these schools in this model, not schools like them. With schools nested in a
second level (authority), effects of one authority are correlated and this formula does not
hold: callers use it only for a model with a single school level.

Plain functions over numpy arrays; no Django.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np


class ValueAddedError(ValueError):
    """The arrays do not describe one set of schools' effects."""


@dataclass(frozen=True)
class MeanEffect:
    """A group's value added: the mean of its schools' effects with its interval."""

    estimate: float
    se: float
    lower: float
    upper: float
    schools: int
    pupils: int

    @property
    def empty(self) -> bool:
        return self.schools == 0


@dataclass(frozen=True)
class Contrast:
    """One school's effect minus a group's mean effect, with its interval."""

    estimate: float
    se: float
    lower: float
    upper: float


def _z(level: float) -> float:
    if not 0 < level < 1:
        raise ValueAddedError(f"The interval level must be between 0 and 1, not {level}.")
    return NormalDist().inv_cdf(0.5 + level / 2.0)


def _columns(estimate, se, n) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    b = np.asarray(estimate, dtype=float)
    s = np.asarray(se, dtype=float)
    pupils = np.asarray(n, dtype=float)
    if b.ndim != 1 or b.shape != s.shape or b.shape != pupils.shape:
        raise ValueAddedError("Give one estimate, standard error and n per school.")
    if np.isnan(b).any() or np.isnan(s).any() or (s < 0).any():
        raise ValueAddedError("Every school's effect needs an estimate and a standard error.")
    return b, s, pupils


def mean_effect(estimate, se, n, members, *, level: float = 0.95) -> MeanEffect:
    """The mean of the effects of the schools in `members` (a boolean mask), with its interval:
    Var = Σ se_j² / k² (see the module's docstring). No schools: an empty MeanEffect of NaNs."""
    b, s, pupils = _columns(estimate, se, n)
    mask = np.asarray(members, dtype=bool)
    if mask.shape != b.shape:
        raise ValueAddedError("The group's mask must have one entry per school.")
    k = int(mask.sum())
    z = _z(level)
    if k == 0:
        nan = float("nan")
        return MeanEffect(nan, nan, nan, nan, 0, 0)
    mean = float(b[mask].mean())
    se_mean = math.sqrt(float((s[mask] ** 2).sum())) / k
    return MeanEffect(
        estimate=mean,
        se=se_mean,
        lower=mean - z * se_mean,
        upper=mean + z * se_mean,
        schools=k,
        pupils=int(round(float(pupils[mask].sum()))),
    )


def against(
    estimate: float, se: float, group: MeanEffect, *, level: float = 0.95
) -> Contrast | None:
    """A school's effect against a group it does not belong to: b_s − m, with Var = se² + Var(m)
    (the two are independent given the data). None when the group has no schools."""
    if group.empty:
        return None
    z = _z(level)
    difference = float(estimate) - group.estimate
    se_difference = math.sqrt(float(se) ** 2 + group.se**2)
    return Contrast(
        estimate=difference,
        se=se_difference,
        lower=difference - z * se_difference,
        upper=difference + z * se_difference,
    )


def se_of_interval(lower: float, upper: float, *, level: float = 0.95) -> float:
    """The standard error behind a symmetric normal interval m ± z·se at `level`."""
    return (float(upper) - float(lower)) / (2.0 * _z(level))


def combined_mean(estimates, ses, schools, pupils, *, level: float = 0.95) -> MeanEffect:
    """Several groups' value added taken together (a programme's networks): the mean of all
    their schools' effects, m = Σ k_g·m_g / Σ k_g, with Var(m) = Σ k_g²·Var(m_g) / (Σ k_g)²,
    which is Σ s_j² / K² over every school as in `mean_effect` (each group's Var(m_g) is
    Σ s_j² / k_g²). The groups' schools are taken to be distinct and independent given the data:
    a school in two groups counts in each. No groups: an empty MeanEffect of NaNs."""
    m = np.asarray(estimates, dtype=float)
    se = np.asarray(ses, dtype=float)
    k = np.asarray(schools, dtype=float)
    n = np.asarray(pupils, dtype=float)
    if not (m.shape == se.shape == k.shape == n.shape) or m.ndim != 1:
        raise ValueAddedError("Each group needs an estimate, a standard error, schools, pupils.")
    if np.any(k < 1) or np.any(np.isnan(m)) or np.any(np.isnan(se)) or np.any(se < 0):
        raise ValueAddedError("Each group needs at least one school and finite figures.")
    z = _z(level)
    total = float(k.sum())
    if total == 0:
        nan = float("nan")
        return MeanEffect(nan, nan, nan, nan, 0, 0)
    mean = float((k * m).sum() / total)
    se_mean = math.sqrt(float(((k * se) ** 2).sum())) / total
    return MeanEffect(
        estimate=mean,
        se=se_mean,
        lower=mean - z * se_mean,
        upper=mean + z * se_mean,
        schools=int(total),
        pupils=int(round(float(n.sum()))),
    )
