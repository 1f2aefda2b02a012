"""The programme's value added across its networks: hand-computed figures, and disclosure control
at the programme's level (a network's withheld figure cannot be given back by the combined one)."""

import math
from statistics import NormalDist

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse
from numpy.testing import assert_allclose

from netlearn.analytics import disclosure, value_added
from netlearn.impact.models import DatasetKind
from netlearn.impact.tests.factories import finished_run, import_csv, pupil_csv
from netlearn.networks.tests.factories import PersonFactory

from .. import selectors
from ..selectors import NetworkColumn, OutcomeRow
from . import factories

Z = NormalDist().inv_cdf(0.975)
RULES = disclosure.Rules(threshold=6)


def test_two_groups_combine_as_the_mean_of_all_their_schools_by_hand():
    # Network A: three schools, mean 0.2, Var(m) = 0.1²; network B: one school, mean -0.1, se 0.2.
    combined = value_added.combined_mean([0.2, -0.1], [0.1, 0.2], [3, 1], [60, 20])
    # m = (3·0.2 + 1·(-0.1)) / 4 = 0.125; Var = (3²·0.01 + 1²·0.04) / 4² = 0.13 / 16.
    assert combined.estimate == pytest.approx(0.125)
    assert combined.se == pytest.approx(math.sqrt(0.13) / 4)
    assert combined.lower == pytest.approx(0.125 - Z * math.sqrt(0.13) / 4)
    assert combined.upper == pytest.approx(0.125 + Z * math.sqrt(0.13) / 4)
    assert (combined.schools, combined.pupils) == (4, 80)
    # The same as the mean of the four schools' effects taken school by school.
    effects = [0.1, 0.2, 0.3, -0.1]
    ses = [math.sqrt(0.03)] * 3 + [0.2]
    school_by_school = value_added.mean_effect(effects, ses, [20, 20, 20, 20], [True] * 4)
    assert_allclose(
        [combined.estimate, combined.lower, combined.upper],
        [school_by_school.estimate, school_by_school.lower, school_by_school.upper],
    )
    assert value_added.se_of_interval(0.2 - Z * 0.1, 0.2 + Z * 0.1) == pytest.approx(0.1)


def test_combining_refuses_a_group_without_schools_or_figures():
    with pytest.raises(value_added.ValueAddedError):
        value_added.combined_mean([0.1], [0.1], [0], [10])
    with pytest.raises(value_added.ValueAddedError):
        value_added.combined_mean([np.nan], [0.1], [2], [10])


def _row(estimate, half_width, schools, pupils, *, measure="Exam score", years="2024"):
    shown = dict(rules=RULES, decimals=3)
    return OutcomeRow(
        label=years,
        measure=measure,
        problem="",
        network=disclosure.figure(estimate, pupils, rules=RULES, decimals=2),
        peers=None,
        published=disclosure.figure(estimate, pupils, **shown),
        everyone=None,
        network_lower=disclosure.figure(estimate - half_width, pupils, **shown),
        network_upper=disclosure.figure(estimate + half_width, pupils, **shown),
        schools=schools,
        pupils=disclosure.count(pupils, RULES),
    )


def _columns(*rows_by_network):
    columns = []
    for i, rows in enumerate(rows_by_network):
        network = type("N", (), {"name": f"Network {i}", "pk": i})()
        columns.append(NetworkColumn(network=network, membership=None, outcomes=list(rows)))
    return columns


class _Programme:
    pk = 1


def test_the_programme_figure_from_two_networks_by_hand():
    # Network 0: 0.200 ± 0.196 (se 0.1) over 3 schools, 60 pupils; network 1: -0.100 ± 0.392
    # (se 0.2) over 1 school, 20 pupils.
    columns = _columns([_row(0.2, Z * 0.1, 3, 60)], [_row(-0.1, Z * 0.2, 1, 20)])
    (row,) = selectors.combined_outcomes(_Programme(), columns, RULES)
    assert row.networks == ["Network 0", "Network 1"]
    assert (row.measure, row.label, row.schools) == ("Exam score", "2024", 4)
    assert row.pupils.shown == "80"
    se = math.sqrt(9 * 0.1**2 + 0.2**2) / 4
    assert row.estimate.shown == "0.125"
    assert row.lower.value == pytest.approx(0.125 - Z * se, abs=1e-3)
    assert row.upper.value == pytest.approx(0.125 + Z * se, abs=1e-3)
    assert row.lower.shown == f"{0.125 - Z * se:.3f}"


def test_a_withheld_network_figure_withholds_the_programme_figure():
    # Network 1 rests on 4 pupils: its figure is "c". Published beside network 0's, a combined
    # figure would give it back (4·m − 3·0.2), so the combined figure is "c" too.
    hidden = _row(-0.1, Z * 0.2, 1, 4)
    assert hidden.network.shown == disclosure.SUPPRESSED
    columns = _columns([_row(0.2, Z * 0.1, 3, 60)], [hidden])
    (row,) = selectors.combined_outcomes(_Programme(), columns, RULES)
    for figure in (row.estimate, row.lower, row.upper, row.pupils):
        assert figure.shown == disclosure.SUPPRESSED and figure.value is None
    assert row.schools == 0
    # A "low" figure (non-zero, rounding to 0) is not a number to combine either.
    low = _row(0.0001, Z * 0.1, 2, 40)
    assert low.published.shown == disclosure.LOW
    (row,) = selectors.combined_outcomes(
        _Programme(), _columns([_row(0.2, 0.1, 3, 60)], [low]), RULES
    )
    assert row.estimate.suppressed


def test_measures_and_years_are_combined_apart_and_a_network_without_a_model_is_left_out():
    problem = _row(0.3, 0.1, 2, 40)
    problem.problem = "This model rests on too few pupils to publish."
    columns = _columns(
        [_row(0.2, 0.1, 3, 60), _row(0.1, 0.1, 3, 60, years="2025")],
        [_row(-0.1, 0.2, 1, 20, measure="Reading"), problem],
    )
    rows = selectors.combined_outcomes(_Programme(), columns, RULES)
    assert [(r.measure, r.label, r.networks) for r in rows] == [
        ("Exam score", "2024", ["Network 0"]),
        ("Exam score", "2025", ["Network 0"]),
        ("Reading", "2024", ["Network 1"]),
    ]
    assert rows[0].estimate.shown == "0.200"  # one network: its own published figure


@pytest.fixture
def evaluator(db):
    return PersonFactory(username="eve", name="Eve Evaluator")


@pytest.fixture
def programme(world, evaluator):
    """The home network's three schools with effects 0.3, 0.1 and -0.2 (se 0.1, 12 pupils each)
    and a school of no network (24 pupils) in a finished model, and a second network without a
    model, both consenting."""
    made = factories.programme(world, evaluator=evaluator)
    dataset = import_csv(
        world.network, by=world.data_lead, text=pupil_csv(world), kind=DatasetKind.PUPIL
    )
    schools = (world.school_a, world.school_b, world.school_c)
    effects = {
        school.reference: {
            "estimate": e,
            "se": 0.1,
            "lower": e - Z * 0.1,
            "upper": e + Z * 0.1,
            "n": 12,
        }
        for school, e in zip(schools, (0.3, 0.1, -0.2), strict=True)
    }
    effects["999999"] = {"estimate": 0.0, "se": 0.1, "lower": -Z * 0.1, "upper": Z * 0.1, "n": 24}
    finished_run(
        dataset,
        by=world.data_lead,
        results={"n_obs": 60, "effects": {"school": effects}, "fixed_effects": {}},
        names={school.reference: school.name for school in schools},
    )
    factories.joined(world, made, world.network, world.co_leader)
    factories.joined(world, made, *factories.led_network(world, name="Pendle Small Schools NLC"))
    return made


def _outcomes(person, made):
    client = Client()
    client.force_login(person)
    answer = client.get(f"/api/v1/programmes/{made.slug}/outcomes")
    assert answer.status_code == 200
    page = client.get(reverse("evaluation:detail", args=[made.slug])).content.decode()
    table = page.split('class="programme-combined"')[1].split("</table>")[0]
    return answer.json()["items"], table


def test_the_programme_figure_in_the_api_and_on_the_page_by_hand(world, evaluator, programme):
    (row,) = _outcomes(evaluator, programme)[0]
    # The network's schools: m = (0.3 + 0.1 - 0.2) / 3 = 0.0667, se = √(3·0.1²) / 3 = 0.0577;
    # the other network has no model, so the programme's figure is the home network's.
    se = math.sqrt(3 * 0.01) / 3
    assert row["networks"] == [world.network.name]
    assert (row["schools"], row["pupils"]) == (3, 36)
    assert row["value_added"] == pytest.approx(0.2 / 3, abs=5e-4)
    assert row["lower"] == pytest.approx(0.2 / 3 - Z * se, abs=1e-3)
    assert row["upper"] == pytest.approx(0.2 / 3 + Z * se, abs=1e-3)
    _, table = _outcomes(evaluator, programme)
    assert "0.067" in table and f"{0.2 / 3 - Z * se:.3f}" in table
    for person in (world.co_leader, world.data_lead, world.teacher):
        other = Client()
        other.force_login(person)
        assert other.get(f"/api/v1/programmes/{programme.slug}/outcomes").status_code == 404


def test_a_network_figure_withheld_at_the_programme_level_withholds_the_programmes(
    world, evaluator, programme, settings
):
    # The network's figure rests on 36 pupils, the model on 60.
    settings.IMPACT_SUPPRESSION_THRESHOLD = 40
    view = selectors.side_by_side(programme=programme)
    (network_row,) = next(c for c in view.columns if c.network == world.network).outcomes
    assert network_row.network.suppressed
    (row,), table = _outcomes(evaluator, programme)
    assert row["value_added"] == row["lower"] == row["upper"] == row["pupils"] == "c"
    assert "0.067" not in table and ">c<" in table
