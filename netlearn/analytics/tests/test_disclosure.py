"""Disclosure control (docs/safety.md#suppression)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netlearn.analytics import disclosure
from netlearn.analytics.disclosure import LOW, NEW_ZEALAND, SUPPRESSED, Rules


@pytest.mark.parametrize(
    "n, shown",
    [(0, SUPPRESSED), (5, SUPPRESSED), (6, "61.2"), (None, SUPPRESSED), (400, "61.2")],
)
def test_a_figure_over_fewer_than_six_pupils_is_c(n, shown):
    assert disclosure.figure(61.23, n).shown == shown


def test_a_suppressed_figure_keeps_neither_its_value_nor_its_n():
    hidden = disclosure.figure(61.23, 3)
    assert hidden.value is None and hidden.n is None and hidden.as_json() == "c"


def test_a_non_zero_figure_that_rounds_to_zero_is_low():
    assert disclosure.figure(0.04, 30).shown == LOW
    assert disclosure.figure(0.04, 30).as_json() == "low"
    assert disclosure.figure(0.0, 30).shown == "0.0"
    assert disclosure.figure(-0.004, 30, decimals=2).shown == LOW


def test_the_threshold_is_configurable():
    assert disclosure.figure(50, 9, Rules(threshold=10)).suppressed
    assert not disclosure.figure(50, 10, Rules(threshold=10)).suppressed
    with pytest.raises(ValueError):
        Rules(threshold=0)


def test_one_hidden_school_hides_the_next_smallest_so_the_total_cannot_give_it_back():
    # Network total over four schools is published: hiding only school 0 would let
    # total - (others) recover it.
    counts = [4, 30, 12, 50]
    hidden = disclosure.protect(counts, groups=[[0, 1, 2, 3]])
    assert hidden.tolist() == [True, False, True, False]


def test_secondary_suppression_follows_a_cell_into_every_table_it_sits_in():
    # Cells 0-3: two schools × two years; groups: each year's total and each school's total.
    counts = [3, 40, 20, 25]
    groups = [[0, 1], [2, 3], [0, 2], [1, 3]]
    hidden = disclosure.protect(counts, groups)
    for group in groups:
        assert hidden[group].sum() != 1
    assert hidden.all()


@settings(max_examples=200)
@given(
    st.lists(st.integers(min_value=0, max_value=60), min_size=2, max_size=12),
    st.data(),
)
def test_no_published_total_ever_covers_exactly_one_hidden_cell(counts, data):
    size = len(counts)
    groups = data.draw(
        st.lists(
            st.lists(st.integers(0, size - 1), min_size=2, max_size=size, unique=True),
            max_size=4,
        )
    )
    hidden = disclosure.protect(counts, groups)
    assert all(hidden[i] for i, n in enumerate(counts) if n < 6)
    for group in groups:
        assert hidden[group].sum() != 1


def test_a_total_of_one_hidden_cell_is_hidden():
    hidden = np.array([True])
    assert disclosure.total_hidden(hidden, [0], 40)
    assert not disclosure.total_hidden(np.array([True, True]), [0, 1], 40)
    assert disclosure.total_hidden(np.array([False, False]), [0, 1], 5)


def test_table_applies_primary_and_secondary_suppression():
    shown = [f.shown for f in disclosure.table([60.0, 70.0, 80.0], [5, 9, 40], [[0, 1, 2]])]
    assert shown == [SUPPRESSED, SUPPRESSED, "80.0"]


def test_new_zealand_counts_are_randomly_rounded_to_base_three_the_same_way_each_time():
    rules = Rules(mode=NEW_ZEALAND)
    first = [disclosure.count(n, rules, key=f"cell {n}").value for n in range(6, 60)]
    again = [disclosure.count(n, rules, key=f"cell {n}").value for n in range(6, 60)]
    assert first == again
    assert all(value % 3 == 0 for value in first)
    assert all(abs(value - n) < 3 for value, n in zip(first, range(6, 60), strict=True))
    assert disclosure.count(5, rules, key="x").shown == SUPPRESSED


def test_random_rounding_is_unbiased_on_average():
    rounded = [disclosure.random_round(7, key=f"cell {i}") for i in range(3000)]
    assert set(rounded) == {6, 9}
    assert abs(np.mean(rounded) - 7) < 0.15


def test_new_zealand_means_need_twenty_pupils():
    rules = Rules(mode=NEW_ZEALAND)
    assert disclosure.figure(50.0, 19, rules).suppressed
    assert not disclosure.figure(50.0, 20, rules).suppressed
    # A count over 6 to 19 pupils may still be shown.
    assert not disclosure.count(12, rules, key="k").suppressed


@settings(max_examples=200)
@given(
    st.lists(st.integers(min_value=0, max_value=60), min_size=2, max_size=12),
    st.data(),
)
def test_no_published_total_gives_back_hidden_cells_resting_together_on_too_few_pupils(
    counts, data
):
    size = len(counts)
    groups = data.draw(
        st.lists(
            st.lists(st.integers(0, size - 1), min_size=2, max_size=size, unique=True),
            max_size=4,
        )
    )
    # A total always published (a fit's n): more cells are hidden instead.
    hidden = disclosure.protect(counts, groups, together=True)
    for group in groups:
        if not hidden[group].all():
            assert not disclosure.exposes(counts, hidden, group)
    # A total that may be withheld: cells as before, and the total hidden where it would tell.
    hidden = disclosure.protect(counts, groups)
    for group in groups:
        total = sum(counts[i] for i in group)
        if not disclosure.total_hidden(hidden, group, total, counts=counts):
            gives_back = [counts[i] for i in group if hidden[i]]
            assert len(gives_back) != 1
            assert not gives_back or sum(gives_back) >= 6


def test_a_total_minus_the_schools_shown_may_not_leave_five_pupils():
    counts = [2, 3, 58]
    hidden = disclosure.protect(counts, [[0, 1, 2]])
    assert hidden.tolist() == [True, True, False]
    assert disclosure.total_hidden(hidden, [0, 1, 2], 63, counts=counts)
    assert disclosure.protect(counts, [[0, 1, 2]], together=True).tolist() == [True, True, True]


def school_levels(counts):
    return {
        "school": {
            "levels": ["a", "b", "c"],
            "counts": counts,
            "coefficients": ["schoolb", "schoolc"],
        }
    }


NAMES = ["(Intercept)", "prior", "schoolb", "schoolc"]


def test_a_coefficient_is_hidden_when_its_level_has_too_few_pupils():
    assert disclosure.hidden_coefficients(NAMES, school_levels([40, 40, 2])) == {"schoolc"}
    assert [t.level for t in disclosure.thin_levels(school_levels([40, 40, 2]))] == ["c"]


def test_a_small_reference_level_hides_the_intercept_and_every_coefficient_of_its_factor():
    assert disclosure.hidden_coefficients(NAMES, school_levels([3, 40, 40])) == {
        "(Intercept)",
        "schoolb",
        "schoolc",
    }


def test_new_zealand_coefficients_need_twenty_pupils_in_each_level():
    rules = Rules(mode=NEW_ZEALAND)
    assert disclosure.hidden_coefficients(NAMES, school_levels([40, 16, 40]), rules=rules) == {
        "schoolb"
    }


def test_a_fit_stored_without_its_levels_shows_only_numeric_coefficients():
    hidden = disclosure.hidden_coefficients(NAMES, None, numeric=["prior"])
    assert hidden == {"(Intercept)", "schoolb", "schoolc"}
    assert disclosure.hidden_coefficients(["(Intercept)", "prior"], None, ["prior"]) == set()
