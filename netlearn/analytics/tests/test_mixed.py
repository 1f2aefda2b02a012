"""The mixed model against lme4: every model in references/models.json, fitted by R's lmer
(references/make_references.R wrote references/lme4.json), must agree to 1e-4 relative in fixed
effects, their SEs, variance components, logLik, and every group's effect and conditional SD."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

from netlearn.analytics import mixed
from netlearn.analytics.errors import DataError, FormulaError
from netlearn.analytics.formula import parse_formula
from netlearn.analytics.table import read_columns

REFERENCES = Path(__file__).parent / "references"
LME4 = json.loads((REFERENCES / "lme4.json").read_text())["models"]
RTOL = 1e-4  # docs/benchmarks.md#targets: agreement with lme4


def columns_of(reference: dict) -> dict:
    formula = parse_formula(reference["formula"])
    return read_columns(
        REFERENCES / reference["dataset"], formula.columns, factors=formula.grouping_columns
    )


def assert_agrees_with_lme4(result: mixed.MixedFit, reference: dict) -> None:
    assert result.n_obs == reference["n_obs"]
    assert result.n_dropped == reference["n_dropped"]
    assert result.fixed_names == tuple(reference["fixed_names"])
    assert_allclose(result.fixed, reference["fixed"], rtol=RTOL)
    assert_allclose(result.fixed_se, reference["fixed_se"], rtol=RTOL)
    assert list(result.variances) == list(reference["variances"])
    assert_allclose(
        list(result.variances.values()), list(reference["variances"].values()), rtol=RTOL
    )
    assert_allclose(result.loglik, reference["loglik"], rtol=RTOL)
    assert set(result.effects) == set(reference["effects"])
    for factor, expected in reference["effects"].items():
        effects = result.effects[factor]
        assert effects.factor == factor
        assert sorted(effects.ids) == sorted(expected["ids"])
        position = {group_id: k for k, group_id in enumerate(effects.ids)}
        rows = [position[group_id] for group_id in expected["ids"]]
        assert_allclose(effects.estimate[rows], expected["estimate"], rtol=RTOL)
        assert_allclose(effects.se[rows], expected["se"], rtol=RTOL)
        assert effects.n[rows].tolist() == expected["n"]


@pytest.mark.parametrize("name", sorted(LME4))
def test_fit_agrees_with_lme4(name):
    reference = LME4[name]
    result = mixed.fit(reference["formula"], columns_of(reference), reml=reference["reml"])
    assert_agrees_with_lme4(result, reference)


def test_references_cover_four_models_over_two_datasets_in_both_methods():
    assert len(LME4) >= 4
    assert len({reference["dataset"] for reference in LME4.values()}) >= 2
    assert {reference["reml"] for reference in LME4.values()} == {True, False}
    assert json.loads((REFERENCES / "lme4.json").read_text())["made_by"].startswith("lme4")


def test_plain_python_columns_give_the_same_fit_as_the_csv_reader():
    """The Django side passes lists of floats and strings, with None for missing values."""
    reference = LME4["gcsemv_course_ml"]
    coded = columns_of(reference)
    plain = {
        "course": [None if np.isnan(v) else float(v) for v in coded["course"]],
        "written": [None if np.isnan(v) else float(v) for v in coded["written"]],
        "gender": [coded["gender"].levels[c] if c >= 0 else "" for c in coded["gender"].codes],
        "school": [coded["school"].levels[c] for c in coded["school"].codes],
    }
    result = mixed.fit(reference["formula"], plain, reml=False)
    assert_agrees_with_lme4(result, reference)


def test_numeric_school_ids_are_labelled_as_lme4_labels_them():
    reference = LME4["exam_lrt_reml"]
    columns = columns_of(reference)
    numeric = dict(
        columns,
        school=np.array([float(columns["school"].levels[c]) for c in columns["school"].codes]),
    )
    result = mixed.fit(reference["formula"], numeric)
    assert_agrees_with_lme4(result, reference)


def test_nested_slash_is_the_sum_of_its_two_intercepts():
    columns = columns_of(LME4["exam_nested_reml"])
    slash = mixed.fit("normexam ~ standLRT + sex + (1|authority/school)", columns)
    spelled = mixed.fit("normexam ~ standLRT + sex + (1|authority) + (1|school:authority)", columns)
    # The same model: only rounding differs (the optimiser stops within about 1e-8 of θ).
    assert_allclose(spelled.fixed, slash.fixed, rtol=1e-7)
    assert spelled.variances == pytest.approx(slash.variances, rel=1e-6)
    assert spelled.effects["school:authority"].ids == slash.effects["school:authority"].ids


def test_unique_school_ids_nest_in_authorities_without_the_slash():
    columns = columns_of(LME4["exam_nested_reml"])
    slash = mixed.fit("normexam ~ standLRT + sex + (1|authority/school)", columns)
    plain = mixed.fit("normexam ~ standLRT + sex + (1|authority) + (1|school)", columns)
    assert list(plain.variances) == ["school", "authority", "Residual"]
    assert_allclose(plain.fixed, slash.fixed, rtol=1e-7)
    nested = slash.effects["school:authority"]
    by_school = dict(zip((i.split(":")[0] for i in nested.ids), nested.estimate, strict=True))
    school = plain.effects["school"]
    assert_allclose(school.estimate, [by_school[i] for i in school.ids], rtol=1e-5)


def test_intervals_and_icc_follow_from_the_estimates():
    result = mixed.fit(
        LME4["exam_lrt_reml"]["formula"], columns_of(LME4["exam_lrt_reml"]), level=0.9
    )
    effects = result.effects["school"]
    z = 1.6448536269514722
    assert_allclose(effects.lower, effects.estimate - z * effects.se, rtol=1e-12)
    assert_allclose(effects.upper, effects.estimate + z * effects.se, rtol=1e-12)
    school, residual = result.variances["school"], result.variances["Residual"]
    assert result.icc == pytest.approx(school / (school + residual))
    assert result.level == 0.9


def test_results_cannot_be_changed_after_the_fit():
    result = mixed.fit(LME4["exam_lrt_reml"]["formula"], columns_of(LME4["exam_lrt_reml"]))
    with pytest.raises(ValueError):
        result.effects["school"].estimate[0] = 1.0
    with pytest.raises(AttributeError):
        result.loglik = 0.0  # type: ignore[misc]


def test_to_json_keys_school_effects_by_school_id():
    reference = LME4["exam_lrt_ml"]
    result = mixed.fit(reference["formula"], columns_of(reference), reml=False)
    document = json.loads(json.dumps(result.to_json()))
    assert document["method"] == "ML"
    assert document["fixed_effects"]["standLRT"]["estimate"] == pytest.approx(
        reference["fixed"][1], rel=RTOL
    )
    school_7 = document["effects"]["school"]["7"]
    k = reference["effects"]["school"]["ids"].index("7")
    assert school_7["estimate"] == pytest.approx(
        reference["effects"]["school"]["estimate"][k], rel=RTOL
    )
    assert school_7["n"] == reference["effects"]["school"]["n"][k]
    assert set(school_7) == {"estimate", "se", "lower", "upper", "n"}
    assert document["variances"].keys() == {"school", "Residual"}


def test_progress_runs_from_zero_to_one():
    seen = []
    mixed.fit(
        LME4["exam_lrt_reml"]["formula"], columns_of(LME4["exam_lrt_reml"]), progress=seen.append
    )
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen) and len(seen) >= 3


def test_fit_arrays_matches_the_formula_interface():
    reference = LME4["exam_lrt_reml"]
    columns = columns_of(reference)
    X = np.column_stack([np.ones(len(columns["normexam"])), columns["standLRT"]])
    schools = [columns["school"].levels[c] for c in columns["school"].codes]
    result = mixed.fit_arrays(
        columns["normexam"], X, {"school": schools}, fixed_names=["(Intercept)", "standLRT"]
    )
    assert_agrees_with_lme4(result, reference)


def test_a_group_variance_of_zero_is_found_on_the_boundary():
    """Groups unrelated to the outcome: lme4 reports θ = 0 exactly, and so must we."""
    reference = LME4["exam_boundary_reml"]
    assert reference["theta"] == [0]
    result = mixed.fit(reference["formula"], columns_of(reference))
    assert result.theta == (0.0,)
    assert result.variances["tutor"] == 0.0
    assert not result.effects["tutor"].estimate.any()


def test_a_large_cohort_agrees_with_the_model_that_generated_it():
    """600 schools of 5 to 60 pupils, rows shuffled: estimates near the truth, every school."""
    rng = np.random.default_rng(7)
    sizes = rng.integers(5, 60, 600)
    school = rng.permutation(np.repeat(np.arange(600), sizes))
    effect = rng.normal(0, 0.4, 600)
    x = rng.normal(0, 1, len(school))
    y = 1.0 + 0.5 * x + effect[school] + rng.normal(0, 0.8, len(school))
    result = mixed.fit("y ~ x + (1|school)", {"y": y, "x": x, "school": school})
    assert_allclose(result.fixed, [1.0, 0.5], atol=0.05)
    assert result.variances["school"] == pytest.approx(0.16, rel=0.2)
    assert result.variances["Residual"] == pytest.approx(0.64, rel=0.05)
    ids = np.array(result.effects["school"].ids, dtype=int)
    assert np.corrcoef(result.effects["school"].estimate, effect[ids])[0, 1] > 0.8
    assert (result.effects["school"].n == sizes[ids]).all()


@pytest.mark.parametrize(
    "formula, columns, error, message",
    [
        (
            "y ~ x + (1|g)",
            {"y": [1.0, 2.0], "g": ["a", "b"]},
            DataError,
            "column 'x' not found in the data; columns are: y, g",
        ),
        (
            "y ~ x + (1|g)",
            {"y": [1.0, 2.0, 3.0], "x": [1.0, 2.0], "g": ["a", "a", "b"]},
            DataError,
            "different lengths",
        ),
        ("y ~ x + (x|g)", {}, FormulaError, "only random intercepts"),
        (
            "y ~ x + (1|g)",
            {"y": [None, 1.0], "x": [1.0, None], "g": ["a", "b"]},
            DataError,
            "no complete rows",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(formula, columns, error, message):
    with pytest.raises(error, match=re.escape(message)):
        mixed.fit(formula, columns)


def test_the_interval_level_must_be_a_probability():
    with pytest.raises(DataError, match="between 0 and 1"):
        mixed.fit(LME4["exam_lrt_reml"]["formula"], columns_of(LME4["exam_lrt_reml"]), level=95)


def test_crossed_grouping_factors_are_refused():
    g1 = ["a", "a", "b", "b"] * 5
    g2 = ["x", "y", "x", "y"] * 5
    y = np.arange(20.0) % 7
    with pytest.raises(FormulaError, match="crossed, not nested"):
        mixed.fit("y ~ 1 + (1|g1) + (1|g2)", {"y": y, "g1": g1, "g2": g2})


def test_two_names_for_the_same_groups_are_refused():
    school = ["a", "a", "b", "b", "c", "c"]
    same = ["x", "x", "y", "y", "z", "z"]
    with pytest.raises(DataError, match="group the rows the same way"):
        mixed.fit(
            "y ~ 1 + (1|school) + (1|same)",
            {"y": [1.0, 2.0, 3.0, 5.0, 4.0, 7.0], "school": school, "same": same},
        )


def test_json_text_is_the_json_of_to_json():
    reference = LME4["exam_nested_ml"]
    result = mixed.fit(reference["formula"], columns_of(reference), reml=False)
    assert json.loads(result.to_json_text()) == result.to_json()
    odd = mixed.fit(
        "y ~ 1 + (1|g)", {"y": [1.0, 2.0, 4.0, 3.0], "g": ['say "hi"\n', 'say "hi"\n', "é", "é"]}
    )
    assert json.loads(odd.to_json_text()) == odd.to_json()


def test_a_nested_fit_reports_progress_along_the_way():
    seen = []
    mixed.fit(
        LME4["exam_nested_reml"]["formula"],
        columns_of(LME4["exam_nested_reml"]),
        progress=seen.append,
    )
    assert seen == sorted(seen)
    assert len([share for share in seen if 0.5 < share < 0.9]) >= 3


@pytest.mark.parametrize(
    "function, low, high, minimum",
    [
        (lambda x: (x - 2.0) ** 2, 0.0, 5.0, 2.0),
        (np.cos, 3.0, 4.0, np.pi),
        (lambda x: (np.log(x) - 3.0) ** 2, 1.0, 100.0, np.exp(3.0)),
    ],
)
def test_brent_finds_a_minimum_to_the_precision_the_fit_needs(function, low, high, minimum):
    found, _ = mixed._brent(function, low, high)
    assert found == pytest.approx(minimum, rel=1e-7)
