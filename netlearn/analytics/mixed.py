"""Linear mixed models with random intercepts, fitted as lme4's `lmer` fits them, at national scale.

The model: y = Xβ + Σ_k Z_k b_k + ε, with b_k ~ N(0, σ²θ_k² I) per grouping factor and
ε ~ N(0, σ² I). As in lme4 (Bates et al. 2015, "Fitting linear mixed-effects models using lme4",
J. Stat. Softw. 67(1)), β and σ² are profiled out, so REML or ML is a minimisation over θ alone:
one dimension for `(1|school)`, two for `(1|authority/school)`.

Nothing here builds an n×n or n×groups matrix. A random intercept makes each group's covariance
σ²(I + θ²11'), whose inverse is I − w 11' with w = θ²/(1 + nθ²) (Sherman–Morrison), so every
quantity the criterion needs comes from per-group sums: the group's size n_j, its column sums
s_j = X_j'1 and t_j = y_j'1, and the overall X'X, X'y and y'y. A second, outer level (schools in
authorities) is one more rank-one update per authority (Woodbury). One evaluation of the
criterion costs O(distinct group sizes × p²), since w depends on a group only through its size
(a few hundred sizes for 20,000 schools: microseconds), plus O(groups × p) for an outer level.

Definitions follow lme4 so results agree with `lmer` to 1e-4 (netlearn/analytics/tests):
- standard errors of β hold the variance parameters fixed: vcov = σ̂² (X'V⁻¹X)⁻¹;
- σ̂² is the penalised residual sum of squares over n − p (REML) or n (ML);
- school effects are conditional modes (BLUPs) and their SDs lme4's `ranef(condVar=TRUE)`:
  conditional on the data with β at its estimate;
- `loglik` is −½ the REML criterion for a REML fit (what `logLik(fit)` prints), −½ the deviance
  for ML.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist

import numpy as np

from netlearn.analytics.design import Column, Design, Factor, Grouping, _as_factor, build_design
from netlearn.analytics.errors import DataError, FormulaError
from netlearn.analytics.formula import parse_formula

# θ = σ_u/σ is searched on this grid first (and at 0), then refined by Brent's method between
# the neighbours of the best grid point: the criterion is smooth in θ, and the grid keeps a
# second local minimum from trapping the search.
_GRID = np.geomspace(1e-4, 1e4, 17)
_THETA_MAX = 1e8
# Brent's tolerance on θ, relative: far below the 1e-4 at which we promise to agree with lme4.
_SQRT_EPS = math.sqrt(np.finfo(float).eps)
_XATOL = 1e-12
_BOUNDARY_TOLERANCE = 1e-12


@dataclass(frozen=True, eq=False)
class GroupEffects:
    factor: (
        str  # "school", or lme4's "school:authority" for the inner level of (1|authority/school)
    )
    ids: tuple[str, ...]  # group labels as text
    estimate: np.ndarray  # conditional modes (BLUPs)
    se: np.ndarray  # conditional SDs (lme4's ranef(condVar=TRUE))
    lower: np.ndarray  # estimate - z*se
    upper: np.ndarray
    n: np.ndarray  # observations per group


@dataclass(frozen=True, eq=False)
class MixedFit:
    formula: str
    reml: bool
    n_obs: int
    n_dropped: int
    fixed_names: tuple[str, ...]  # lme4's names: "(Intercept)", "standLRT", "sexM", ...
    fixed: np.ndarray
    fixed_se: np.ndarray
    variances: dict[str, float]  # {"school": σ²_u, ..., "Residual": σ²}
    icc: float  # share of the variance that lies between groups
    loglik: float  # logLik(fit): REML criterion × −½ for REML, log-likelihood for ML
    effects: dict[str, GroupEffects]
    iterations: int  # evaluations of the criterion
    level: float = 0.95  # of the effects' intervals
    theta: tuple[float, ...] = field(
        default=()
    )  # σ_k/σ per grouping factor, lme4's getME(, "theta")

    def to_json(self) -> dict:
        """JSON-ready: fixed effects, variance components, fit and effects keyed by group id."""
        return {
            **self._summary_json(),
            "effects": {
                name: {
                    group_id: {
                        "estimate": estimate,
                        "se": se,
                        "lower": lower,
                        "upper": upper,
                        "n": n,
                    }
                    for group_id, estimate, se, lower, upper, n in _effect_rows(effects)
                }
                for name, effects in self.effects.items()
            },
        }

    def to_json_text(self) -> str:
        """`json.dumps(self.to_json())`, written faster: json.dumps spends twice as long on
        20,000 schools' small dicts as formatting each school's line does."""
        factors = []
        for name, effects in self.effects.items():
            rows = ",".join(
                f'{_json_string(group_id)}:{{"estimate":{estimate!r},"se":{se!r},'
                f'"lower":{lower!r},"upper":{upper!r},"n":{n}}}'
                for group_id, estimate, se, lower, upper, n in _effect_rows(effects)
            )
            factors.append(f"{_json_string(name)}:{{{rows}}}")
        summary = json.dumps(self._summary_json(), allow_nan=False)
        return f'{summary[:-1]},"effects":{{{",".join(factors)}}}}}'

    def _summary_json(self) -> dict:
        return {
            "formula": self.formula,
            "method": "REML" if self.reml else "ML",
            "n_obs": self.n_obs,
            "n_dropped": self.n_dropped,
            "fixed_effects": {
                name: {"estimate": float(estimate), "se": float(se)}
                for name, estimate, se in zip(
                    self.fixed_names, self.fixed, self.fixed_se, strict=True
                )
            },
            "variances": {name: float(value) for name, value in self.variances.items()},
            "icc": float(self.icc),
            "loglik": float(self.loglik),
            "level": self.level,
            "iterations": self.iterations,
        }


def _effect_rows(effects: GroupEffects):
    """(id, estimate, se, lower, upper, n) per group, as Python floats and ints."""
    return zip(
        effects.ids,
        effects.estimate.tolist(),
        effects.se.tolist(),
        effects.lower.tolist(),
        effects.upper.tolist(),
        effects.n.tolist(),
        strict=True,
    )


_json_string = json.encoder.encode_basestring_ascii  # json.dumps's own quoting of a str


def fit(
    formula: str,
    columns: Mapping[str, Column],
    *,
    reml: bool = True,
    level: float = 0.95,
    progress: Callable[[float], None] | None = None,
) -> MixedFit:
    """Fits an lme4 formula with random intercepts to columns of equal length.

    Numbers are floats, factors strings (or a `design.Factor`); None, NaN and "" are missing, and
    rows missing a value the formula uses are dropped (`n_dropped`). Raises FormulaError or
    DataError, both AnalyticsError, with a message meant for the person who gave the input.
    """
    report = progress or (lambda share: None)
    report(0.0)
    parsed = parse_formula(formula)
    design = build_design(parsed, columns)
    report(0.3)
    result = fit_design(design, formula=parsed.text, reml=reml, level=level, progress=report)
    report(1.0)
    return result


def fit_arrays(
    y: Sequence[float] | np.ndarray,
    X: np.ndarray,
    groups: Mapping[str, Sequence | np.ndarray],
    *,
    fixed_names: Sequence[str] | None = None,
    reml: bool = True,
    level: float = 0.95,
) -> MixedFit:
    """The lower-level entry: a complete response, a model matrix whose first column is the
    intercept, and one or two (nested) grouping factors as labels per row."""
    y = np.asarray(y, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] != len(y) or not np.all(X[:, 0] == 1):
        raise DataError("X must have one row per value of y and the intercept as first column")
    groupings = []
    for name, labels in groups.items():
        factor = _as_factor(labels)
        if len(factor) != len(y) or (factor.codes < 0).any():
            raise DataError(f"the grouping factor '{name}' needs one label per row, none missing")
        groupings.append(Grouping(name=name, codes=factor.codes, ids=factor.levels))
    names = tuple(fixed_names or ["(Intercept)", *(f"x{k}" for k in range(1, X.shape[1]))])
    design = Design(y=y, X=X, fixed_names=names, groupings=tuple(groupings), n_dropped=0)
    formula = "y ~ " + " + ".join(names[1:] or ["1"]) + "".join(f" + (1|{g})" for g in groups)
    return fit_design(design, formula=formula, reml=reml, level=level)


def fit_design(
    design: Design,
    *,
    formula: str,
    reml: bool = True,
    level: float = 0.95,
    progress: Callable[[float], None] | None = None,
) -> MixedFit:
    """Fits a model already turned into arrays (`design.build_design`); `fit` is the usual door."""
    if not 0 < level < 1:
        raise DataError(f"the interval level must be between 0 and 1, not {level}")
    report = progress or (lambda share: None)
    inner, outer = _levels(design.groupings)
    stats = _Statistics.of(design, inner, outer)
    report(0.5)
    criterion = _Criterion(stats, reml=reml)
    if outer is None:
        theta_inner, _ = _minimise(lambda t: criterion(t, None).value)
        theta = (theta_inner,)
    else:
        # Two dimensions: Brent over the outer θ, each point profiling the inner θ by Brent,
        # starting near the inner θ of the point before (the profile moves smoothly).
        last_inner: list = [None]
        outer_points = [0]

        def outer_value(theta_outer: float) -> float:
            inner_theta, value = _minimise(
                lambda t: criterion(t, theta_outer).value, near=last_inner[0]
            )
            last_inner[0] = inner_theta
            # Two levels take seconds at national scale: report along the way (about 40 points).
            outer_points[0] += 1
            if outer_points[0] % 5 == 0:
                report(0.5 + 0.4 * min(outer_points[0] / 40, 1.0))
            return value

        theta_outer, _ = _minimise(outer_value)
        theta_inner, _ = _minimise(lambda t: criterion(t, theta_outer).value)
        theta = (theta_inner, theta_outer)
    report(0.9)
    return _result(
        design, stats, criterion, theta, (inner, outer), formula=formula, reml=reml, level=level
    )


def _levels(groupings: tuple[Grouping, ...]) -> tuple[Grouping, Grouping | None]:
    """The grouping factors as (inner, outer), checking that the inner nests in the outer."""
    if len(groupings) == 1:
        return groupings[0], None
    if len(groupings) != 2:
        raise FormulaError("at most two nested grouping factors are supported")
    first, second = groupings
    if len(first.ids) == len(second.ids) and len(
        np.unique(first.codes * len(second.ids) + second.codes)
    ) == len(first.ids):
        raise DataError(
            f"'{first.name}' and '{second.name}' group the rows the same way (one level of "
            "each per group); keep one of them"
        )
    for inner, outer in ((first, second), (second, first)):
        outer_of_inner = np.zeros(len(inner.ids), dtype=np.int64)
        outer_of_inner[inner.codes] = outer.codes
        if np.array_equal(outer_of_inner[inner.codes], outer.codes) and len(inner.ids) > len(
            outer.ids
        ):
            return inner, outer
    raise FormulaError(
        f"'{first.name}' and '{second.name}' are crossed, not nested (some level of each "
        f"appears with several levels of the other); only nested grouping factors are "
        f"supported: write (1|{second.name}/{first.name}) if the ids repeat across groups"
    )


@dataclass(frozen=True, eq=False)
class _Statistics:
    """Per-group sums, with X and y centred (intercept aside) to keep the sums well scaled."""

    n_obs: int
    p: int
    x_mean: np.ndarray  # column means of X (0 for the intercept)
    y_mean: float
    cross: np.ndarray  # [X y]'[X y], (p+1)×(p+1)
    n: np.ndarray  # per inner group
    St: np.ndarray  # per inner group: column sums of [X y] (centred), groups × (p+1)
    outer_of_inner: np.ndarray | None
    outer_starts: np.ndarray | None  # inner groups are ordered by outer group; reduceat starts
    order: np.ndarray | None  # position i holds inner group code order[i]
    # The inner level's part of the criterion depends on a group through its size alone, so
    # groups of the same size are summed once: sizes, how many groups have each, and
    # Σ [s t][s t]' over the groups of each size.
    sizes: np.ndarray
    size_counts: np.ndarray
    size_products: np.ndarray

    @classmethod
    def of(cls, design: Design, inner: Grouping, outer: Grouping | None) -> _Statistics:
        X, y = design.X, design.y
        n_obs, p = X.shape
        # Sums of the raw columns, centred afterwards (Σ(x − m)(z − m') = Σxz − n m m'): one
        # pass over the rows, no centred copy of X.
        mean = np.empty(p + 1)
        mean[:p] = X.mean(axis=0)
        mean[0] = 0.0
        mean[p] = y.mean()
        codes, n_groups = inner.codes, len(inner.ids)
        n = np.bincount(codes, minlength=n_groups).astype(np.float64)
        St = np.empty((n_groups, p + 1))
        St[:, 0] = n
        for k in range(1, p):
            St[:, k] = np.bincount(codes, weights=X[:, k], minlength=n_groups) - n * mean[k]
        St[:, p] = np.bincount(codes, weights=y, minlength=n_groups) - n * mean[p]
        cross = np.empty((p + 1, p + 1))
        cross[:p, :p] = X.T @ X
        cross[:p, p] = cross[p, :p] = X.T @ y
        cross[p, p] = y @ y
        sums = np.r_[n_obs, n_obs * mean[1:]]  # Σ of each column of [X y]; X's first is 1
        cross -= np.outer(sums, mean) + np.outer(mean, sums) - n_obs * np.outer(mean, mean)
        x_mean, y_mean = mean[:p], float(mean[p])
        by_size = np.argsort(n, kind="stable")
        sorted_n = n[by_size]
        first = np.flatnonzero(np.r_[True, np.diff(sorted_n) > 0])
        sizes, size_counts = sorted_n[first], np.diff(np.r_[first, n_groups])
        size_products = np.add.reduceat(St[by_size, :, None] * St[by_size, None, :], first, axis=0)
        outer_of_inner = starts = order = None
        if outer is not None:
            # Inner groups are put in order of their outer group, so that sums over each outer
            # group are one np.add.reduceat; `order` maps back to the inner group codes.
            outer_of_inner = np.zeros(n_groups, dtype=np.int64)
            outer_of_inner[codes] = outer.codes
            order = np.argsort(outer_of_inner, kind="stable")
            n, St, outer_of_inner = n[order], St[order], outer_of_inner[order]
            starts = np.flatnonzero(np.r_[True, np.diff(outer_of_inner) > 0])
        return cls(
            n_obs=n_obs,
            p=p,
            x_mean=x_mean,
            y_mean=y_mean,
            cross=cross,
            n=n,
            St=St,
            outer_of_inner=outer_of_inner,
            outer_starts=starts,
            order=order,
            sizes=sizes,
            size_counts=size_counts,
            size_products=size_products,
        )


@dataclass(frozen=True, eq=False)
class _Profile:
    value: float  # REML criterion or deviance (−2 log-likelihood)
    beta: np.ndarray  # centred parameterisation
    A: np.ndarray  # X'V⁻¹X × σ²
    pwrss: float  # penalised residual sum of squares
    v: np.ndarray | None  # θ_a²/(1+θ_a² m_k) per outer group


class _Criterion:
    """The profiled REML criterion or deviance as a function of θ, counting evaluations."""

    def __init__(self, stats: _Statistics, *, reml: bool):
        self.stats = stats
        self.reml = reml
        self.evaluations = 0

    def __call__(self, theta_inner: float, theta_outer: float | None) -> _Profile:
        self.evaluations += 1
        s = self.stats
        v = None
        # [X y]'V⁻¹[X y]: its blocks are A = X'V⁻¹X, b = X'V⁻¹y and y'V⁻¹y.
        nt2 = s.sizes * theta_inner**2
        w = theta_inner**2 / (1.0 + nt2)
        M = s.cross - np.tensordot(w, s.size_products, axes=1)
        logdet = float(s.size_counts @ np.log1p(nt2))
        if theta_outer is not None:
            # Woodbury within each outer group, on top of the inner groups' inverses.
            c = 1.0 / (1.0 + s.n * theta_inner**2)
            m = np.add.reduceat(s.n * c, s.outer_starts)
            Q = np.add.reduceat(s.St * c[:, None], s.outer_starts, axis=0)
            v = theta_outer**2 / (1.0 + theta_outer**2 * m)
            M = M - (Q * v[:, None]).T @ Q
            logdet += float(np.log1p(theta_outer**2 * m).sum())
        p = s.p
        A, b, yy = M[:p, :p], M[:p, p], M[p, p]
        try:
            L = np.linalg.cholesky(A)
        except np.linalg.LinAlgError as error:
            raise DataError("the fixed effects are collinear; remove one of them") from error
        beta = np.linalg.solve(A, b)
        pwrss = max(float(yy - b @ beta), 1e-300)
        n = s.n_obs
        if self.reml:
            dof = n - s.p
            value = logdet + 2.0 * np.log(np.diag(L)).sum()
            value += dof * (1.0 + math.log(2.0 * math.pi * pwrss / dof))
        else:
            value = logdet + n * (1.0 + math.log(2.0 * math.pi * pwrss / n))
        return _Profile(float(value), beta, A, pwrss, v)


def _minimise(
    function: Callable[[float], float], *, near: float | None = None
) -> tuple[float, float]:
    """The θ ≥ 0 minimising `function`: the best of 0 and a grid, then Brent between neighbours.

    With `near`, a guess, the grid is first just near/2, near, 2·near: when the guess beats both
    neighbours, Brent starts from that bracket, and the full grid is searched only otherwise.
    """
    if near:
        points = np.array([0.0, near / 2, near, near * 2])
        values = [function(float(point)) for point in points]
        if values[2] < min(values[1], values[3]):
            return _refined(function, points, values, best=2)
    points = np.r_[0.0, _GRID]
    values = [function(float(point)) for point in points]
    best = int(np.argmin(values))
    while best == len(points) - 1 and points[-1] < _THETA_MAX:
        points = np.r_[points, points[-1] * 10.0]
        values.append(function(float(points[-1])))
        best = int(np.argmin(values))
    return _refined(function, points, values, best=best)


def _refined(function, points: np.ndarray, values: list[float], *, best: int):
    """Brent between the neighbours of points[best]; points[0] is θ = 0, the boundary."""
    low = points[max(best - 1, 0)]
    high = points[min(best + 1, len(points) - 1)]
    theta, value = _brent(function, float(low), float(high))
    if values[best] < value:
        theta, value = float(points[best]), values[best]
    # The boundary: when no θ > 0 does measurably better than θ = 0, the group variance is 0,
    # as lme4 reports it, rather than a θ of 1e-9 that only rounding preferred.
    if values[0] <= value + _BOUNDARY_TOLERANCE * max(1.0, abs(value)):
        theta, value = 0.0, values[0]
    return theta, value


def _brent(function: Callable[[float], float], a: float, b: float, maxiter: int = 500):
    """Brent's bounded minimiser (golden section with parabolic steps), as in scipy's fminbound;
    written out here because importing scipy.optimize costs more than a national fit."""
    golden = 0.5 * (3.0 - math.sqrt(5.0))
    x = w = v = a + golden * (b - a)
    fx = fw = fv = function(x)
    d = e = 0.0
    for _ in range(maxiter):
        middle = 0.5 * (a + b)
        tol1 = _SQRT_EPS * abs(x) + _XATOL / 3.0
        tol2 = 2.0 * tol1
        if abs(x - middle) <= tol2 - 0.5 * (b - a):
            break
        use_golden = True
        if abs(e) > tol1:
            r = (x - w) * (fx - fv)
            q = (x - v) * (fx - fw)
            p = (x - v) * q - (x - w) * r
            q = 2.0 * (q - r)
            if q > 0.0:
                p = -p
            q = abs(q)
            r, e = e, d
            if abs(p) < abs(0.5 * q * r) and q * (a - x) < p < q * (b - x):
                d = p / q
                u = x + d
                if (u - a) < tol2 or (b - u) < tol2:
                    d = tol1 if middle >= x else -tol1
                use_golden = False
        if use_golden:
            e = (a - x) if x >= middle else (b - x)
            d = golden * e
        u = x + (d if abs(d) >= tol1 else math.copysign(tol1, d if d != 0 else 1.0))
        fu = function(u)
        if fu <= fx:
            if u >= x:
                a = x
            else:
                b = x
            v, fv, w, fw, x, fx = w, fw, x, fx, u, fu
        else:
            if u < x:
                a = u
            else:
                b = u
            if fu <= fw or w == x:
                v, fv, w, fw = w, fw, u, fu
            elif fu <= fv or v == x or v == w:
                v, fv = u, fu
    return x, fx


def _result(
    design: Design,
    stats: _Statistics,
    criterion: _Criterion,
    theta: tuple[float, ...],
    levels: tuple[Grouping, Grouping | None],
    *,
    formula: str,
    reml: bool,
    level: float,
) -> MixedFit:
    inner, outer = levels
    profile = criterion(theta[0], theta[1] if outer is not None else None)
    n, p = stats.n_obs, stats.p
    sigma2 = float(profile.pwrss) / (n - p if reml else n)
    # Back from centred columns: the intercept absorbs the means; T maps centred β to raw β.
    T = np.eye(p)
    T[0, 1:] = -stats.x_mean[1:]
    beta = T @ profile.beta
    beta[0] += stats.y_mean
    covariance = sigma2 * (T @ np.linalg.inv(profile.A) @ T.T)
    fixed_se = np.sqrt(np.diag(covariance))

    z = NormalDist().inv_cdf(0.5 + level / 2.0)
    p = stats.p
    residual_sums = stats.St[:, p] - stats.St[:, :p] @ profile.beta  # each group's Σ(y − Xβ)
    c = 1.0 / (1.0 + stats.n * theta[0] ** 2)  # per inner group: 1/(1+nθ²) and θ²/(1+nθ²)
    w = theta[0] ** 2 * c
    effects: dict[str, GroupEffects] = {}
    variances: dict[str, float] = {inner.name: sigma2 * theta[0] ** 2}
    if outer is None:
        inner_estimate = w * residual_sums
        inner_var = sigma2 * w
    else:
        rho = np.add.reduceat(c * residual_sums, stats.outer_starts)
        outer_estimate = profile.v * rho
        outer_var = sigma2 * profile.v
        k = stats.outer_of_inner
        inner_estimate = w * (residual_sums - stats.n * outer_estimate[k])
        inner_var = sigma2 * (w + (1.0 - c) ** 2 * profile.v[k])
        variances[outer.name] = sigma2 * theta[1] ** 2
    inner_n = stats.n
    if stats.order is not None:
        inner_estimate, inner_var, inner_n = (
            _unordered(values, stats.order) for values in (inner_estimate, inner_var, inner_n)
        )
    effects[inner.name] = _effects(inner, inner_estimate, inner_var, inner_n, z)
    if outer is not None:
        outer_n = np.bincount(outer.codes, minlength=len(outer.ids))
        effects[outer.name] = _effects(outer, outer_estimate, outer_var, outer_n, z)
    between = sum(variances.values())
    variances["Residual"] = sigma2
    if not (
        np.isfinite(beta).all()
        and np.isfinite(fixed_se).all()
        and math.isfinite(between)
        and math.isfinite(profile.value)
        and all(np.isfinite(e.estimate).all() and np.isfinite(e.se).all() for e in effects.values())
    ):
        # Only extreme scales get here (values near the limits of floating point).
        raise DataError(
            "the model could not be fitted in floating point: the columns' values are too "
            "large or too small; rescale them (for example to standard scores)"
        )
    return MixedFit(
        formula=formula,
        reml=reml,
        n_obs=n,
        n_dropped=design.n_dropped,
        fixed_names=design.fixed_names,
        fixed=_frozen(beta),
        fixed_se=_frozen(fixed_se),
        variances=variances,
        icc=between / (between + sigma2),
        loglik=-0.5 * profile.value,
        effects=effects,
        iterations=criterion.evaluations,
        level=level,
        theta=tuple(float(t) for t in theta),
    )


def _effects(grouping: Grouping, estimate, variance, n, z: float) -> GroupEffects:
    se = np.sqrt(np.maximum(variance, 0.0))
    return GroupEffects(
        factor=grouping.name,
        ids=grouping.ids,
        estimate=_frozen(estimate),
        se=_frozen(se),
        lower=_frozen(estimate - z * se),
        upper=_frozen(estimate + z * se),
        n=_frozen(np.asarray(n).astype(np.int64)),
    )


def _unordered(values: np.ndarray, order: np.ndarray) -> np.ndarray:
    result = np.empty_like(values)
    result[order] = values
    return result


def _frozen(array: np.ndarray) -> np.ndarray:
    array = np.array(array, dtype=array.dtype)
    array.setflags(write=False)
    return array


__all__ = ["Factor", "GroupEffects", "MixedFit", "fit", "fit_arrays", "fit_design"]
