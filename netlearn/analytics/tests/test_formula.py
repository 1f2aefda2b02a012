"""Reading lme4 formulas: what we fit, and a clear FormulaError for what we do not."""

import pytest

from netlearn.analytics.errors import AnalyticsError, FormulaError
from netlearn.analytics.formula import RandomIntercept, parse_formula


def test_fixed_and_random_parts_are_read_in_order():
    formula = parse_formula("score ~ gcsescore + gender + (1|school)")
    assert formula.response == "score"
    assert formula.fixed == ("gcsescore", "gender")
    assert formula.random == (RandomIntercept(name="school", columns=("school",)),)
    assert formula.columns == ("score", "gcsescore", "gender", "school")


def test_spaces_an_explicit_intercept_and_repeats_change_nothing():
    formula = parse_formula("  y~1+x +x+ ( 1 | school )  ")
    assert formula.fixed == ("x",)
    assert formula.random == (RandomIntercept("school", ("school",)),)


def test_slash_expands_as_lme4_expands_it():
    """lme4's expandSlash: (1|authority/school) is (1|authority) + (1|school:authority)."""
    formula = parse_formula("y ~ x + (1|authority/school)")
    assert formula.random == (
        RandomIntercept("authority", ("authority",)),
        RandomIntercept("school:authority", ("school", "authority")),
    )
    assert formula.grouping_columns == ("authority", "school")


def test_an_interaction_groups_by_each_combination():
    formula = parse_formula("y ~ x + (1|authority) + (1|authority:school)")
    assert formula.random[1] == RandomIntercept("authority:school", ("authority", "school"))


def test_backticks_allow_any_column_name():
    formula = parse_formula("`KS4 score` ~ `KS2 (fine)` + (1|`school id`)")
    assert formula.response == "KS4 score"
    assert formula.fixed == ("KS2 (fine)",)
    assert formula.random[0].columns == ("school id",)


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "the formula is empty"),
        ("y + x + (1|school)", "exactly one '~'"),
        ("y ~ x ~ z + (1|school)", "exactly one '~'"),
        ("y ~ x", "has no random effect"),
        ("y ~ x + (x|school)", "asks for random slopes ('x')"),
        ("y ~ x + (1 + x|school)", "asks for random slopes"),
        ("y ~ x + (1||school)", "only random intercepts"),
        ("y ~ x + (1|school", "unbalanced parentheses"),
        ("y ~ x) + (1|school)", "unbalanced parentheses"),
        ("y ~ a:b + (1|school)", "is not a column name"),
        ("y ~ a*b + (1|school)", "is not a column name"),
        ("y ~ log(x) + (1|school)", "is not a column name"),
        ("y ~ 0 + x + (1|school)", "without an intercept are not supported"),
        ("y ~ x - 1 + (1|school)", "without an intercept"),
        ("y ~ x + + (1|school)", "empty term"),
        ("y ~ y + (1|school)", "both the outcome and a predictor"),
        ("y ~ school + (1|school)", "both a fixed effect and a grouping factor"),
        ("y ~ x + (1|y)", "both the outcome and a grouping factor"),
        ("y ~ x + (1|a/b/c)", "at most 2 nested"),
        ("~ x + (1|school)", "the outcome (left of '~') is missing"),
        ("y ~ x + (1|`school)", "backtick is not closed"),
        ("y ~ x + (school)", "is not a random effect"),
    ],
)
def test_formulas_we_do_not_fit_say_why(text, message):
    with pytest.raises(FormulaError) as raised:
        parse_formula(text)
    assert message in str(raised.value)
    assert isinstance(raised.value, AnalyticsError)
