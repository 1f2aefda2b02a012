"""The network's value added (issue 17, item 2): the mean of its schools' effects with an
interval from the model, against peers, authority and all schools, checked against figures
worked independently, through disclosure control, on the page, its chart and the API."""

import math
import random

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from numpy.testing import assert_allclose

from netlearn.impact import selectors, services
from netlearn.impact.models import DatasetKind
from netlearn.networks.tests.factories import SchoolFactory

from .factories import finished_run, import_csv

Z = 1.959963984540054  # the normal quantile of 97.5%


def client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _pupils(world, *, seed=11, per_school=(9, 12, 15), year=2024, schools=None):
    """Pupil rows (school reference, outcome, prior) with a school effect, and their CSV."""
    rng = random.Random(seed)
    rows = []
    schools = schools or (world.school_a, world.school_b, world.school_c)
    for offset, (school, n) in enumerate(zip(schools, per_school, strict=True)):
        for _ in range(n):
            prior = round(rng.gauss(0, 1), 3)
            outcome = round(0.5 * prior + (offset - 1) * 0.5 + rng.gauss(0, 0.6), 3)
            rows.append((school.reference, outcome, prior))
    text = "pupil_id,URN,year,score,prior\n" + "".join(
        f"P{i:04d},{ref},{year},{outcome},{prior}\n" for i, (ref, outcome, prior) in enumerate(rows)
    )
    return rows, text


def test_the_networks_value_added_agrees_with_the_model_worked_by_hand(world):
    rows, text = _pupils(world)
    dataset = import_csv(
        world.network, by=world.data_lead, text=text, kind=DatasetKind.PUPIL, name="Pupils"
    )
    run = services.request_run(
        dataset=dataset, by=world.data_lead, formula="score ~ prior + (1|school)"
    )
    services.run_model(run_id=run.pk)
    run.refresh_from_db()
    fit = run.results
    # By hand from the model's estimates: each school's conditional mode is the shrunken mean
    # residual, b_j = σ_u² n_j / (σ² + n_j σ_u²) · mean(y − Xβ), its conditional variance
    # σ_u² σ² / (σ² + n_j σ_u²); the network's value added is their plain mean, its variance the
    # sum of the variances over k².
    sigma2 = fit["variances"]["Residual"]
    tau2 = fit["variances"]["school"]
    beta0 = fit["fixed_effects"]["(Intercept)"]["estimate"]
    beta1 = fit["fixed_effects"]["prior"]["estimate"]
    modes, variances = [], []
    for school in (world.school_a, world.school_b, world.school_c):
        residuals = [y - beta0 - beta1 * x for ref, y, x in rows if ref == school.reference]
        n = len(residuals)
        modes.append(tau2 * n / (sigma2 + n * tau2) * (sum(residuals) / n))
        variances.append(tau2 * sigma2 / (sigma2 + n * tau2))
    assert tau2 > 0  # the data carry a school effect: the check is not of zeros
    mean = sum(modes) / 3
    se = math.sqrt(sum(variances)) / 3

    (report,) = selectors.network_value_added(viewer=world.teacher, network=world.network)
    assert report.years == [2024] and report.problem == ""
    network = report.group("network")
    assert (network.schools, network.pupils.value) == (3, 36)
    assert_allclose(
        [network.estimate.value, network.lower.value, network.upper.value],
        [mean, mean - Z * se, mean + Z * se],
        atol=5e-4,  # published to 3 decimals
    )
    # Every school of the model is the network's: the same figure; no peers to compare with.
    assert report.group("all").estimate == network.estimate
    assert report.group("peers").schools == 0 and report.group("peers").estimate.shown == ""
    assert report.group("authority").label == "Northshire"
    by_school = {row.school: row for row in report.schools}
    assert_allclose(by_school["Alder Primary"].effect.value, modes[0], atol=5e-4)
    assert by_school["Alder Primary"].difference.shown == ""  # no peers


def _by_hand(fit, rows, schools):
    """Each school's conditional mode and variance worked from the model's estimates."""
    sigma2, tau2 = fit["variances"]["Residual"], fit["variances"]["school"]
    beta0 = fit["fixed_effects"]["(Intercept)"]["estimate"]
    beta1 = fit["fixed_effects"]["prior"]["estimate"]
    modes, variances = [], []
    for school in schools:
        residuals = [y - beta0 - beta1 * x for ref, y, x in rows if ref == school.reference]
        n = len(residuals)
        modes.append(tau2 * n / (sigma2 + n * tau2) * (sum(residuals) / n))
        variances.append(tau2 * sigma2 / (sigma2 + n * tau2))
    return modes, variances


def test_a_pupil_file_with_comparison_schools_gives_peers_worked_by_hand(world):
    peer = SchoolFactory(name="Rowan Primary", reference="900030", authority="Northshire")
    schools = (world.school_a, world.school_b, world.school_c, world.outside_school, peer)
    rows, text = _pupils(world, seed=5, per_school=(10, 12, 14, 11, 13), schools=schools)
    dataset = import_csv(
        world.network,
        by=world.data_lead,
        text=text,
        kind=DatasetKind.PUPIL,
        name="Pupils with comparison schools",
        comparison=True,
    )
    run = services.request_run(
        dataset=dataset, by=world.data_lead, formula="score ~ prior + (1|school)"
    )
    services.run_model(run_id=run.pk)
    run.refresh_from_db()
    modes, variances = _by_hand(run.results, rows, schools)
    assert run.results["variances"]["school"] > 0

    def expected(indices):
        mean = sum(modes[i] for i in indices) / len(indices)
        se = math.sqrt(sum(variances[i] for i in indices)) / len(indices)
        return [mean, mean - Z * se, mean + Z * se]

    (report,) = selectors.network_value_added(viewer=world.teacher, network=world.network)
    for key, indices in (("network", [0, 1, 2]), ("peers", [3, 4]), ("all", [0, 1, 2, 3, 4])):
        group = report.group(key)
        assert group.schools == len(indices)
        assert_allclose(
            [group.estimate.value, group.lower.value, group.upper.value],
            expected(indices),
            atol=5e-4,
        )
    cedar = next(row for row in report.schools if row.school == "Cedar Academy")
    peers_mean = sum(modes[3:]) / 2
    se = math.sqrt(variances[2] + sum(variances[3:]) / 4)
    assert_allclose(
        [cedar.difference.value, cedar.difference_lower.value, cedar.difference_upper.value],
        [modes[2] - peers_mean, modes[2] - peers_mean - Z * se, modes[2] - peers_mean + Z * se],
        atol=5e-4,
    )
    # The comparison schools are used, never named: not by the run, the summary or the page.
    effects = selectors.run_report(run=run).effects
    assert sorted(row.school for row in effects if not row.in_network) == ["Comparison school"] * 2
    summary = {row["school"] for row in selectors.school_summary(dataset=dataset)}
    assert summary == {"Alder Primary", "Birch Primary", "Cedar Academy", "Comparison school"}
    page = client_for(world.teacher).get(reverse("impact:run", args=[run.pk])).content.decode()
    assert "Rowan" not in page and "Lonely" not in page and "900030" not in page


def _effect(estimate, se, n):
    return {
        "estimate": estimate,
        "se": se,
        "lower": estimate - Z * se,
        "upper": estimate + Z * se,
        "n": n,
    }


@pytest.fixture
def model_with_peers(world):
    """A finished model over the network's three schools, a peer (outside the network, same
    authority), a school of another authority and one with a very different intake."""
    for school, fsm in ((world.school_a, 20), (world.school_b, 30), (world.school_c, 25)):
        school.fsm_percent = fsm
        school.save()
    world.outside_school.fsm_percent = 28
    world.outside_school.save()
    elsewhere = SchoolFactory(reference="900020", authority="Southshire", fsm_percent=25)
    unlike = SchoolFactory(reference="900021", authority="Northshire", fsm_percent=70)
    dataset = import_csv(
        world.network,
        by=world.data_lead,
        text="pupil_id,URN,year,score,prior\nP1,900001,2023,1,1\nP2,900001,2024,1,1\n",
        kind=DatasetKind.PUPIL,
        name="Pupils",
    )
    effects = {
        "900001": _effect(0.30, 0.10, 20),
        "900002": _effect(-0.10, 0.20, 30),
        "900003": _effect(0.10, 0.10, 40),
        "900009": _effect(-0.20, 0.15, 25),
        "900020": _effect(0.05, 0.12, 50),
        "900021": _effect(-0.40, 0.12, 50),
    }
    run = finished_run(
        dataset,
        by=world.data_lead,
        results={
            "n_obs": 215,
            "level": 0.95,
            "fixed_effects": {"(Intercept)": {"estimate": 0.0, "se": 0.1}},
            "variances": {"school": 0.1, "Residual": 0.5},
            "effects": {"school": effects},
        },
        names={"900001": "Alder Primary", "900002": "Birch Primary", "900003": "Cedar Academy"},
    )
    return run, elsewhere, unlike


def test_the_network_against_its_peers_its_authority_and_every_school(world, model_with_peers):
    (report,) = selectors.network_value_added(viewer=world.co_leader, network=world.network)
    assert report.years == [2023, 2024]
    figures = {
        g.key if g.key != "authority" else g.label: (
            g.schools,
            g.estimate.value,
            g.lower.value,
            g.upper.value,
        )
        for g in report.groups
    }
    # Worked by hand. Network: (0.3 − 0.1 + 0.1)/3 = 0.1, SE = √(0.01 + 0.04 + 0.01)/3.
    se = math.sqrt(0.06) / 3
    assert_allclose(figures["network"][1:], [0.1, 0.1 - Z * se, 0.1 + Z * se], atol=5e-4)
    # Peers: the Lonely School alone (Southshire is another authority; FSM 70% is unlike).
    assert_allclose(figures["peers"], [1, -0.2, -0.2 - Z * 0.15, -0.2 + Z * 0.15], atol=5e-4)
    # Northshire: the three, the Lonely School and the unlike school.
    se = math.sqrt(0.01 + 0.04 + 0.01 + 0.0225 + 0.0144) / 5
    assert_allclose(figures["Northshire"], [5, -0.06, -0.06 - Z * se, -0.06 + Z * se], atol=5e-4)
    # All six: (0.3 − 0.1 + 0.1 − 0.2 + 0.05 − 0.4)/6 = −0.25/6.
    se, mean = math.sqrt(0.01 + 0.04 + 0.01 + 0.0225 + 0.0144 + 0.0144) / 6, -0.25 / 6
    assert_allclose(figures["all"], [6, mean, mean - Z * se, mean + Z * se], atol=5e-4)
    alder = next(row for row in report.schools if row.school == "Alder Primary")
    # 0.3 − (−0.2) = 0.5, SE = √(0.1² + 0.15²).
    se = math.sqrt(0.01 + 0.0225)
    assert_allclose(
        [alder.difference.value, alder.difference_lower.value, alder.difference_upper.value],
        [0.5, 0.5 - Z * se, 0.5 + Z * se],
        atol=5e-4,
    )
    assert [row.school for row in report.schools] == [
        "Alder Primary",
        "Birch Primary",
        "Cedar Academy",
    ]


def test_a_group_that_would_give_back_a_hidden_school_is_withheld(world, model_with_peers):
    run, *_ = model_with_peers
    # Birch has 3 pupils: hidden, and (with the fit's n published) the smallest other school too.
    run.results["effects"]["school"]["900002"]["n"] = 3
    run.save()
    report = selectors.run_value_added(run=run, network=world.network)
    by_school = {row.school: row for row in report.schools}
    assert by_school["Birch Primary"].effect.shown == "c"
    assert by_school["Birch Primary"].difference.shown == "c"
    assert by_school["Alder Primary"].effect.shown == "c"  # secondary: smallest other school
    # Hidden together they rest on 23 pupils: the network's mean may be published, and no two
    # published groups differ by a lone hidden school.
    assert all(g.estimate.value is not None for g in report.groups)
    peers = report.group("peers")
    assert peers.schools == 1 and peers.estimate.value == -0.2


def test_a_lone_hidden_school_in_a_group_withholds_the_group(world, model_with_peers):
    run, *_ = model_with_peers
    effects = run.results["effects"]["school"]
    # Only the Lonely School (the only peer) is small: it is hidden with the next smallest
    # school, but the peer group is that one school, so its mean is withheld.
    effects["900009"]["n"] = 2
    run.save()
    report = selectors.run_value_added(run=run, network=world.network)
    assert report.group("peers").estimate.shown == "c"
    assert all(row.difference.shown == "c" for row in report.schools)


def test_new_zealand_rules_need_20_pupils_for_a_mean(world, model_with_peers):
    from netlearn.networks.models import School

    run, *_ = model_with_peers
    run.results["effects"]["school"]["900003"]["n"] = 12
    run.save()
    england = selectors.run_value_added(run=run, network=world.network)
    assert {row.school: row for row in england.schools}["Cedar Academy"].effect.value == 0.1
    world.network.country = "NZ"
    world.network.save()
    School.objects.update(country="NZ")
    report = selectors.run_value_added(run=run, network=world.network)
    by_school = {row.school: row for row in report.schools}
    assert by_school["Cedar Academy"].effect.shown == "c"  # 12 pupils: under NZ's 20
    assert by_school["Alder Primary"].effect.shown == "c"  # the smallest other school, 20
    assert by_school["Birch Primary"].effect.value == -0.1
    assert report.group("network").pupils.value % 3 == 0  # counts randomly rounded to base 3


def test_a_model_without_a_single_school_level_says_so(world, model_with_peers):
    run, *_ = model_with_peers
    run.results["effects"]["authority"] = run.results["effects"]["school"]
    run.save()
    report = selectors.run_value_added(run=run, network=world.network)
    assert report.groups == [] and "single school level" in report.problem


def test_the_page_shows_the_figures_and_the_chart(world, model_with_peers):
    client = client_for(world.teacher)
    page = client.get(reverse("impact:value_added", args=[world.network.slug]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Peer schools" in text and "Northshire" in text and "0.100" in text
    assert "conditional variances" in text  # the method is stated
    chart = client.get(reverse("impact:value_added_svg", args=[world.network.slug]))
    assert chart.status_code == 200 and chart["Content-Type"] == "image/svg+xml"
    svg = chart.content.decode()
    assert "<script" not in svg and "Peer schools" in svg and "2023–2024" in svg


def test_the_page_costs_the_same_queries_for_one_model_or_three(world, model_with_peers):
    client = client_for(world.teacher)
    url = reverse("impact:value_added", args=[world.network.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    run, *_ = model_with_peers
    for name in ("More pupils", "Even more pupils"):
        dataset = import_csv(
            world.network,
            by=world.data_lead,
            text="pupil_id,URN,year,score,prior\nP1,900001,2025,1,1\n",
            kind=DatasetKind.PUPIL,
            name=name,
        )
        finished_run(dataset, by=world.data_lead, results=run.results, names=run.school_names)
    with CaptureQueriesContext(connection) as three:
        page = client.get(url)
    assert page.content.decode().count("<caption>Mean school effect by group") == 3
    assert len(three) == len(one)


def test_the_api_gives_the_published_figures(world, model_with_peers):
    body = (
        client_for(world.teacher)
        .get(f"/api/v1/networks/{world.network.slug}/impact/value-added")
        .json()
    )
    (run,) = body["runs"]
    network = next(g for g in run["groups"] if g["group"] == "network")
    assert network["estimate"] == 0.1 and network["schools"] == 3 and network["pupils"] == 90
    assert run["years"] == [2023, 2024]
    assert {row["school"] for row in run["schools"]} == {
        "Alder Primary",
        "Birch Primary",
        "Cedar Academy",
    }


@pytest.mark.parametrize(
    "who, status",
    [
        ("co_leader", 200),
        ("teacher", 200),
        ("data_lead", 200),
        ("pupil", 404),
        ("foreign_co_leader", 404),
    ],
)
def test_who_may_see_the_networks_value_added(world, model_with_peers, who, status):
    client = client_for(getattr(world, who))
    assert (
        client.get(reverse("impact:value_added", args=[world.network.slug])).status_code == status
    )
    api = client.get(f"/api/v1/networks/{world.network.slug}/impact/value-added")
    assert api.status_code == status


def test_no_model_yet_says_how_to_get_one(world):
    page = client_for(world.teacher).get(reverse("impact:value_added", args=[world.network.slug]))
    assert "No finished model" in page.content.decode()


def test_a_charter_goal_takes_the_networks_pupils_not_the_comparison_schools(world):
    from netlearn.charter.tests.factories import build_charter

    from .factories import shared_measure

    _, _, goal, *_ = build_charter(world.network, by=world.co_leader)
    services.link_goal(goal=goal, measure=shared_measure("exam-score"), by=world.co_leader)
    rows = [(world.school_a, 10.0), (world.school_b, 20.0), (world.outside_school, 90.0)]
    text = "pupil_id,URN,year,score,prior\n" + "".join(
        f"P{school.pk}{i},{school.reference},2024,{score},0\n"
        for school, score in rows
        for i in range(8)
    )
    import_csv(
        world.network,
        by=world.data_lead,
        text=text,
        kind=DatasetKind.PUPIL,
        name="Pupils with a comparison school",
        comparison=True,
    )
    entry = goal.progress.get(recorded_by__isnull=True)
    # The network's 16 pupils: (8 × 10 + 8 × 20)/16 = 15; with the comparison school's, 40.
    assert float(entry.value) == 15.0 and "over 16 pupils" in entry.note
