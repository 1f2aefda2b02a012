"""School-level analysis: attainment against disadvantage, quartiles, against the odds, trends."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from netlearn.analytics import schools
from netlearn.analytics.schools import SchoolAnalysisError


def test_quartiles_put_the_best_quarter_first():
    assert schools.quartiles([10, 20, 30, 40]).tolist() == [4, 3, 2, 1]
    assert schools.quartiles([10, 20, 30, 40], higher_is_better=False).tolist() == [1, 2, 3, 4]


def test_quartiles_of_ten_schools_band_them_three_three_two_two():
    q = schools.quartiles(np.arange(10, 0, -1))
    assert q.tolist() == [1, 1, 1, 2, 2, 3, 3, 3, 4, 4]


def test_tied_schools_share_the_better_quartile_and_missing_ones_have_none():
    assert schools.quartiles([50, 50, 10, np.nan, 5]).tolist() == [1, 1, 3, 0, 4]


def test_against_the_odds_needs_the_band_and_the_top_two_quartiles():
    attainment = [70, 65, 40, 30, 72, 20, 60, 55]
    fsm = [40, 49, 45, 10, 5, 36, 50.0, 60]
    odds = schools.against_the_odds(attainment, fsm)
    # 70 (FSM 40) and 65 (FSM 49) are in the top half and the band; 60 at FSM 50 is the
    # band's inclusive edge and quartile 2; 40 at FSM 45 is in the band but the bottom half;
    # 55 at FSM 60 is above the band.
    assert odds.tolist() == [True, True, False, False, False, False, True, False]


def test_the_band_is_configurable():
    odds = schools.against_the_odds([70, 60, 10, 5], [25, 20, 1, 2], band=(20, 30))
    assert odds.tolist() == [True, True, False, False]
    with pytest.raises(SchoolAnalysisError):
        schools.against_the_odds([1], [1], band=(50, 35))


def test_association_recovers_a_straight_line():
    fsm = np.array([5, 10, 20, 30, 40.0])
    result = schools.association(80 - 0.5 * fsm, fsm)
    assert_allclose([result.slope, result.intercept, result.correlation], [-0.5, 80, -1])
    assert result.n_schools == 5


def test_association_of_too_few_schools_is_not_a_number():
    assert np.isnan(schools.association([1, 2], [3, 4]).slope)


def test_trend_weights_schools_by_cohort():
    result = schools.trend([2023, 2023, 2024], [50, 80, 70], [10, 30, 20])
    assert result.years.tolist() == [2023, 2024]
    assert_allclose(result.mean, [72.5, 70])
    assert result.n.tolist() == [40, 20]


def test_peers_share_an_authority_and_a_similar_context():
    in_network = [True, True, False, False, False, False]
    authority = ["Kent", "Kent", "Kent", "Kent", "Surrey", "Kent"]
    fsm = [20, 30, 25, 60, 25, np.nan]
    assert schools.peers(in_network, authority, fsm).tolist() == [
        False,
        False,
        True,
        False,
        False,
        False,
    ]


def test_compare_sets_the_network_against_peers_authority_and_nation():
    years = [2023, 2023, 2024, 2024]
    values = [60, 50, 70, 40]
    cohort = [10, 10, 10, 10]
    network = [True, False, True, False]
    result = schools.compare(
        years,
        values,
        cohort,
        network,
        [False, True, False, True],
        authority_values=[55, 55, 58, 58],
        nation_values=[57, np.nan, 59, 59],
    )
    assert result.years.tolist() == [2023, 2024]
    assert_allclose(result.network.mean, [60, 70])
    assert_allclose(result.peers.mean, [50, 40])
    assert_allclose(result.authority, [55, 58])
    assert_allclose(result.nation, [57, 59])


def test_arrays_of_different_lengths_are_refused():
    with pytest.raises(SchoolAnalysisError):
        schools.association([1, 2, 3], [1, 2])
