"""A group's value added: the mean of its schools' effects, with its interval, checked against
figures worked by hand."""

import math

import pytest
from numpy.testing import assert_allclose

from netlearn.analytics import value_added
from netlearn.analytics.value_added import ValueAddedError

# Four schools: effects, their conditional SDs and pupils.
EFFECTS = [0.2, -0.1, 0.4, -0.3]
SE = [0.1, 0.2, 0.1, 0.2]
N = [10, 20, 30, 40]
Z = 1.959963984540054  # the normal quantile of 97.5%


def test_a_groups_value_added_is_the_mean_of_its_schools_effects_with_their_variances():
    mean = value_added.mean_effect(EFFECTS, SE, N, [True, True, False, False])
    # By hand: (0.2 − 0.1)/2 = 0.05; Var = (0.1² + 0.2²)/2² = 0.0125; SE = 0.1118034.
    assert_allclose([mean.estimate, mean.se], [0.05, math.sqrt(0.0125)])
    assert_allclose([mean.lower, mean.upper], [0.05 - Z * 0.1118034, 0.05 + Z * 0.1118034])
    assert (mean.schools, mean.pupils) == (2, 30)


def test_every_school_counts_once_whatever_its_size():
    mean = value_added.mean_effect(EFFECTS, SE, N, [True] * 4)
    # (0.2 − 0.1 + 0.4 − 0.3)/4 = 0.05 (pupil-weighted it would be −0.04); Var = 0.1/16.
    assert_allclose([mean.estimate, mean.se], [0.05, math.sqrt(0.1) / 4])
    assert mean.pupils == 100


def test_a_school_against_its_peers_adds_both_variances():
    peers = value_added.mean_effect(EFFECTS, SE, N, [False, False, True, True])
    contrast = value_added.against(0.2, 0.1, peers)
    # 0.2 − (0.4 − 0.3)/2 = 0.15; Var = 0.1² + (0.1² + 0.2²)/4 = 0.0225; SE = 0.15.
    assert_allclose([contrast.estimate, contrast.se], [0.15, 0.15])
    assert_allclose([contrast.lower, contrast.upper], [0.15 - Z * 0.15, 0.15 + Z * 0.15])


def test_a_90_percent_interval_uses_its_own_quantile():
    mean = value_added.mean_effect([1.0], [0.5], [8], [True], level=0.9)
    assert_allclose([mean.lower, mean.upper], [1 - 1.6448536 * 0.5, 1 + 1.6448536 * 0.5])


def test_an_empty_group_has_no_value_added_and_no_contrast():
    mean = value_added.mean_effect(EFFECTS, SE, N, [False] * 4)
    assert mean.empty and math.isnan(mean.estimate)
    assert value_added.against(0.2, 0.1, mean) is None


@pytest.mark.parametrize(
    "effects, se, n, members",
    [
        ([0.1, 0.2], [0.1], [5, 5], [True, True]),
        ([0.1, float("nan")], [0.1, 0.1], [5, 5], [True, True]),
        ([0.1, 0.2], [0.1, -0.1], [5, 5], [True, True]),
        ([0.1, 0.2], [0.1, 0.1], [5, 5], [True]),
    ],
)
def test_arrays_that_do_not_describe_one_set_of_schools_are_refused(effects, se, n, members):
    with pytest.raises(ValueAddedError):
        value_added.mean_effect(effects, se, n, members)


def test_the_interval_level_is_between_0_and_1():
    with pytest.raises(ValueAddedError):
        value_added.mean_effect([0.1], [0.1], [5], [True], level=1.0)
