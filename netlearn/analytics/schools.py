"""School-level analysis, for when only school aggregates exist (issue 7, item 3).

Attainment falls as disadvantage rises, school by school, yet a few schools with disadvantaged
intakes (35 to 50% eligible for free school meals) reach the top two quartiles: schools against
the odds. A network's value added is compared with peer schools of the same authority
(docs/seed-practices.md#impact).

Plain functions over numpy arrays, one entry per school (or per school and year); no Django.
Means over schools are weighted by cohort size, so a network's figure is its pupils' figure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Schools against the odds: FSM 35% up to 50% (docs/seed-practices.md#impact).
AGAINST_THE_ODDS_BAND = (35.0, 50.0)
# New Zealand's Equity Index (EQI, Ministry of Education, from 2023) is an index from about 344
# to 569, higher meaning more socio-economic barriers: not a share of pupils. Netlearn's default
# band for schools against the odds is the index's top part, from 470 to the range's end; a
# site sets its own (IMPACT_ODDS_EQI_BAND_LOW/HIGH). Peers are similar within 25 index points,
# about the share of the index's range that 10 points are of FSM's.
EQUITY_INDEX_BAND = (470.0, 569.0)
EQUITY_INDEX_PEER_TOLERANCE = 25.0
FSM_PEER_TOLERANCE = 10.0


@dataclass(frozen=True)
class DisadvantageScale:
    """What a school's disadvantage figure is: a percentage of pupils (FSM) or an index (NZ's
    Equity Index). Labels, the against-the-odds band and the peers' tolerance follow it."""

    name: str
    is_index: bool
    band: tuple[float, float]
    peer_tolerance: float

    @classmethod
    def fsm(cls, band: tuple[float, float] = AGAINST_THE_ODDS_BAND) -> DisadvantageScale:
        return cls("Disadvantage (FSM %)", False, band, FSM_PEER_TOLERANCE)

    @classmethod
    def equity_index(cls, band: tuple[float, float] = EQUITY_INDEX_BAND) -> DisadvantageScale:
        return cls("Equity Index", True, band, EQUITY_INDEX_PEER_TOLERANCE)

    @property
    def unit(self) -> str:
        """ "%" after a percentage; nothing after an index."""
        return "" if self.is_index else "%"

    def shown(self, value: float) -> str:
        """A value of the scale as text: "42%" or "487"."""
        text = f"{value:.0f}" if self.is_index else f"{value:.1f}".removesuffix(".0")
        return f"{text}{self.unit}"


class SchoolAnalysisError(ValueError):
    """The arrays do not describe one set of schools (lengths differ, nothing to analyse)."""


def _array(values, name: str) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim != 1:
        raise SchoolAnalysisError(f"{name} must be one value per school.")
    return array


def _same_length(**arrays) -> int:
    lengths = {name: len(array) for name, array in arrays.items()}
    if len(set(lengths.values())) > 1:
        raise SchoolAnalysisError(f"Arrays of different lengths: {lengths}.")
    return next(iter(lengths.values()), 0)


@dataclass(frozen=True)
class Association:
    """Attainment = intercept + slope × disadvantage, over the schools with both figures."""

    slope: float
    intercept: float
    correlation: float
    n_schools: int


def association(attainment, disadvantage) -> Association:
    """The least-squares line of attainment on disadvantage, and Pearson's r."""
    y, x = _array(attainment, "attainment"), _array(disadvantage, "disadvantage")
    _same_length(attainment=y, disadvantage=x)
    both = ~(np.isnan(x) | np.isnan(y))
    x, y = x[both], y[both]
    if x.size < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return Association(float("nan"), float("nan"), float("nan"), int(x.size))
    slope, intercept = np.polyfit(x, y, 1)
    correlation = float(np.corrcoef(x, y)[0, 1])
    return Association(float(slope), float(intercept), correlation, int(x.size))


def quartiles(attainment, *, higher_is_better: bool = True) -> np.ndarray:
    """Each school's attainment quartile: 1 is the best quarter, 4 the worst; 0 where missing.

    Quartiles by rank (ties share the better quartile), as performance tables band schools:
    the best ceil(n/4) schools are quartile 1, and so on.
    """
    y = _array(attainment, "attainment")
    result = np.zeros(y.size, dtype=np.int64)
    present = ~np.isnan(y)
    values = y[present] if higher_is_better else -y[present]
    n = values.size
    if n == 0:
        return result
    # Rank 0 is the best; a school tied with a better one takes that school's rank.
    order = np.sort(values)[::-1]
    best_rank = np.searchsorted(-order, -values, side="left")
    result[present] = np.minimum(4, 1 + (4 * best_rank) // n)
    return result


def against_the_odds(
    attainment,
    disadvantage,
    *,
    band: tuple[float, float] = AGAINST_THE_ODDS_BAND,
    top_quartiles: int = 2,
    higher_is_better: bool = True,
) -> np.ndarray:
    """Schools in the disadvantage band (inclusive) whose attainment is in the top quartiles.

    Quartiles are taken over all the schools given (the comparison population, e.g. every school
    of the dataset), ranking a network's schools among all schools (docs/seed-practices.md#impact).
    """
    y, x = _array(attainment, "attainment"), _array(disadvantage, "disadvantage")
    _same_length(attainment=y, disadvantage=x)
    low, high = band
    if low > high:
        raise SchoolAnalysisError("The disadvantage band runs from low to high.")
    quartile = quartiles(y, higher_is_better=higher_is_better)
    in_band = ~np.isnan(x) & (x >= low) & (x <= high)
    return in_band & (quartile >= 1) & (quartile <= top_quartiles)


def weighted_mean(values, weights) -> tuple[float, int]:
    """Cohort-weighted mean and the pupils it rests on, skipping missing values."""
    y, w = _array(values, "values"), _array(weights, "weights")
    _same_length(values=y, weights=w)
    keep = ~(np.isnan(y) | np.isnan(w)) & (w > 0)
    total = float(w[keep].sum())
    if total == 0:
        return float("nan"), 0
    return float((y[keep] * w[keep]).sum() / total), int(round(total))


@dataclass(frozen=True)
class Trend:
    years: np.ndarray
    mean: np.ndarray
    n: np.ndarray
    """Pupils each year's mean rests on."""
    schools: np.ndarray


def trend(years, values, weights, mask=None) -> Trend:
    """Cohort-weighted mean per year over the schools in `mask` (all when None)."""
    t, y, w = _array(years, "years"), _array(values, "values"), _array(weights, "weights")
    _same_length(years=t, values=y, weights=w)
    keep = np.ones(t.size, dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    every_year = np.unique(t[~np.isnan(t)])
    means, ns, schools = [], [], []
    for year in every_year:
        rows = keep & (t == year)
        mean, n = weighted_mean(y[rows], w[rows])
        means.append(mean)
        ns.append(n)
        schools.append(int((rows & ~np.isnan(y)).sum()))
    return Trend(
        every_year.astype(int), np.array(means), np.array(ns, dtype=int), np.array(schools)
    )


def peers(
    in_network,
    authorities,
    disadvantage,
    *,
    tolerance: float = 10.0,
) -> np.ndarray:
    """Peer schools: outside the network, in an authority of a network school, with a
    disadvantage level within `tolerance` points of the network schools' range: peers of the
    same authority in a similar context (docs/seed-practices.md#impact)."""
    member = np.asarray(in_network, dtype=bool)
    authority = np.asarray(authorities, dtype=object)
    x = _array(disadvantage, "disadvantage")
    _same_length(in_network=member, authorities=authority, disadvantage=x)
    if not member.any():
        return np.zeros(member.size, dtype=bool)
    same_authority = np.isin(authority, list(set(authority[member]) - {"", None}))
    known = x[member & ~np.isnan(x)]
    if known.size:
        similar = ~np.isnan(x) & (x >= known.min() - tolerance) & (x <= known.max() + tolerance)
    else:
        similar = np.ones(member.size, dtype=bool)
    return ~member & same_authority & similar


@dataclass(frozen=True)
class Comparison:
    """The network against its peers, its authority and the nation, year by year."""

    years: np.ndarray
    network: Trend
    peers: Trend
    authority: np.ndarray
    nation: np.ndarray


def compare(
    years,
    values,
    weights,
    in_network,
    peer_mask,
    authority_values=None,
    nation_values=None,
) -> Comparison:
    """Yearly network and peer means; the authority's and the nation's published figures (the
    mean of what the rows of the network's schools give for that year, NaN when none do)."""
    t = _array(years, "years")
    member = np.asarray(in_network, dtype=bool)
    every_year = np.unique(t[~np.isnan(t)]).astype(int)

    def _align(result: Trend) -> Trend:
        index = {int(year): i for i, year in enumerate(result.years)}
        pick = [index.get(int(year)) for year in every_year]
        return Trend(
            every_year,
            np.array([result.mean[i] if i is not None else np.nan for i in pick]),
            np.array([result.n[i] if i is not None else 0 for i in pick], dtype=int),
            np.array([result.schools[i] if i is not None else 0 for i in pick], dtype=int),
        )

    def _published(values) -> np.ndarray:
        if values is None:
            return np.full(every_year.size, np.nan)
        v = _array(values, "comparator")
        out = []
        for year in every_year:
            rows = member & (t == year) & ~np.isnan(v)
            out.append(float(np.mean(v[rows])) if rows.any() else np.nan)
        return np.array(out)

    return Comparison(
        every_year,
        _align(trend(t, values, weights, member)),
        _align(trend(t, values, weights, peer_mask)),
        _published(authority_values),
        _published(nation_values),
    )
