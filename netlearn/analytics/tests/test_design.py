"""From columns to model matrices as lme4 builds them, and bad data refused with the row and
column named."""

import numpy as np
import pytest

from netlearn.analytics.design import Factor, build_design, fixed_levels
from netlearn.analytics.errors import DataError
from netlearn.analytics.formula import parse_formula
from netlearn.analytics.mixed import fit


def design(formula, columns):
    return build_design(parse_formula(formula), columns)


def test_factors_are_treatment_coded_against_their_first_sorted_level():
    built = design(
        "y ~ x + phase + (1|school)",
        {
            "y": [1.0, 2.0, 3.0, 4.0, 5.0],
            "x": [0.5, 1.5, 2.5, 0.0, 1.0],
            "phase": ["secondary", "primary", "all-through", "primary", "secondary"],
            "school": ["s1", "s1", "s2", "s2", "s2"],
        },
    )
    assert built.fixed_names == ("(Intercept)", "x", "phaseprimary", "phasesecondary")
    assert built.X[:, 2].tolist() == [0, 1, 0, 1, 0]
    assert built.X[:, 3].tolist() == [1, 0, 0, 0, 1]


def test_rows_missing_a_used_value_are_dropped_and_counted():
    built = design(
        "y ~ x + (1|school)",
        {
            "y": [1.0, None, 3.0, 4.0, float("nan"), 6.0, 7.0],
            "x": [1.0, 2.0, "", 4.0, 5.0, 6.0, 7.0],
            "unused": [None] * 7,
            "school": ["a", "a", "b", "", "b", "b", "a"],
        },
    )
    assert built.n_dropped == 4
    assert built.y.tolist() == [1.0, 6.0, 7.0]
    assert built.X[:, 1].tolist() == [1.0, 6.0, 7.0]
    with pytest.raises(DataError, match="has 2 levels for 2 rows"):
        fit("y ~ 1 + (1|school)", {"y": [1.0, 2.0], "school": ["a", "b"]})


def test_levels_only_missing_rows_used_are_dropped_as_lme4_drops_them():
    built = design(
        "y ~ sex + (1|school)",
        {"y": [1.0, 2.0, 3.0, None], "sex": ["F", "M", "F", "X"], "school": ["a", "a", "b", "c"]},
    )
    assert built.fixed_names == ("(Intercept)", "sexM")
    assert built.groupings[0].ids == ("a", "b")


def test_coded_columns_are_taken_as_they_are():
    school = Factor(codes=np.array([1, 1, 0, 0, -1]), levels=("zeta", "alpha"))
    built = design("y ~ 1 + (1|school)", {"y": [1.0, 2.0, 3.0, 4.0, 5.0], "school": school})
    assert built.groupings[0].ids == ("alpha", "zeta")
    assert built.groupings[0].codes.tolist() == [0, 0, 1, 1]
    assert built.n_dropped == 1


def test_a_text_value_in_a_column_of_numbers_is_named_by_row_and_column():
    score = [str(v) for v in range(1, 2001)]
    score[1206] = "abc"
    with pytest.raises(DataError) as raised:
        design(
            "y ~ score + (1|school)",
            {"y": [float(v) for v in range(2000)], "score": score, "school": ["a", "b"] * 1000},
        )
    assert str(raised.value) == "row 1207: 'abc' in column 'score' is not a number"
    assert (raised.value.row, raised.value.column) == (1206, "score")


def test_the_outcome_must_be_numbers():
    with pytest.raises(DataError, match="row 2: 'high' in column 'y' is not a number"):
        design("y ~ 1 + (1|school)", {"y": ["1.5", "high", "2"], "school": ["a", "a", "b"]})


def test_an_outcome_written_as_text_numbers_is_read_as_numbers():
    built = design("y ~ 1 + (1|school)", {"y": ["1.5", "2", "3"], "school": ["a", "a", "b"]})
    assert built.y.tolist() == [1.5, 2.0, 3.0]


def test_infinite_values_are_refused():
    with pytest.raises(DataError, match="row 2: inf in column 'x' is not a finite number"):
        design(
            "y ~ x + (1|school)",
            {"y": [1.0, 2.0, 3.0], "x": [1.0, float("inf"), 2.0], "school": ["a", "a", "b"]},
        )


def test_a_factor_with_one_level_is_refused():
    with pytest.raises(DataError, match="column 'sex' has only one value \\('F'\\)"):
        design(
            "y ~ sex + (1|school)",
            {"y": [1.0, 2.0, 3.0], "sex": ["F", "F", "F"], "school": ["a", "a", "b"]},
        )


def test_a_constant_column_is_refused():
    with pytest.raises(DataError, match="'x' has the same value in every row"):
        design(
            "y ~ x + (1|school)",
            {"y": [1.0, 2.0, 3.0], "x": [4.0, 4.0, 4.0], "school": ["a", "a", "b"]},
        )


def test_collinear_columns_are_refused_by_name():
    x = np.arange(10.0)
    with pytest.raises(DataError, match="'double' is a linear combination"):
        design(
            "y ~ x + double + (1|school)",
            {"y": x**2, "x": x, "double": 2 * x + 1, "school": ["a", "b"] * 5},
        )


def test_an_outcome_that_never_varies_is_refused():
    with pytest.raises(DataError, match="same value in every row used"):
        design("y ~ 1 + (1|school)", {"y": [2.0, 2.0, 2.0], "school": ["a", "a", "b"]})


def test_more_rows_than_fixed_effects_are_needed():
    with pytest.raises(DataError, match="3 complete rows are too few for 3 fixed effects"):
        design(
            "y ~ x + z + (1|school)",
            {
                "y": [1.0, 2.0, 4.0],
                "x": [1.0, 0.0, 2.0],
                "z": [0.0, 1.0, 5.0],
                "school": ["a", "a", "b"],
            },
        )


def test_one_group_is_not_enough():
    with pytest.raises(DataError, match="'school' has only one level"):
        design("y ~ 1 + (1|school)", {"y": [1.0, 2.0, 3.0], "school": ["a", "a", "a"]})


def test_booleans_are_factors_named_as_r_names_them():
    built = design(
        "y ~ fsm + (1|school)",
        {
            "y": [1.0, 2.0, 3.0, 5.0],
            "fsm": [True, False, True, False],
            "school": ["a", "a", "b", "b"],
        },
    )
    assert built.fixed_names == ("(Intercept)", "fsmTRUE")


def test_data_frame_columns_are_taken_as_arrays():
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(
        {"y": [1.0, 2.0, 4.0, 3.0], "x": [1, 2, 3, 5], "school": ["a", "a", "b", "b"]}
    )
    built = design("y ~ x + (1|school)", frame)
    assert built.X[:, 1].tolist() == [1.0, 2.0, 3.0, 5.0]
    assert built.groupings[0].ids == ("a", "b")


@pytest.mark.parametrize(
    "ids", [np.array([100234, 100007, 100234, 999999]), np.array([5, -3, 5, 2**40])]
)
def test_integer_ids_are_labelled_as_written_and_coded(ids):
    built = design("y ~ 1 + (1|school)", {"y": [1.0, 2.0, 3.0, 4.5], "school": ids})
    # Groups are listed in sorted order of their labels, as text.
    expected = sorted({str(i) for i in ids.tolist()})
    assert built.groupings[0].ids == tuple(expected)
    assert [expected[c] for c in built.groupings[0].codes] == [str(i) for i in ids.tolist()]


def test_fixed_levels_count_the_rows_the_fit_uses_in_each_level():
    columns = {
        "y": [1.0, 2.0, 3.0, 4.0, 5.0, None],
        "sex": ["F", "M", "M", "F", "M", "F"],
        "fsm": [0, 1, 1, 0, 0, 1],
        "prior": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
        "school": ["a", "a", "b", "b", "c", "c"],
    }
    levels = fixed_levels(parse_formula("y ~ prior + sex + fsm + (1|school)"), columns)
    by_term = {term.term: term for term in levels}
    # The last row misses its outcome, so it is not counted (as the fit leaves it out).
    assert by_term["sex"].levels == ("F", "M") and by_term["sex"].counts == (2, 3)
    assert by_term["sex"].coefficients == ("sexM",)
    # A numeric column of two values is two groups; one of many values rests on every row.
    assert by_term["fsm"].counts == (3, 2) and by_term["fsm"].coefficients == ("fsm",)
    assert "prior" not in by_term
