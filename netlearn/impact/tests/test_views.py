"""Impact pages: the import's mapping step and preview, results with charts, runs polling, and
suppression on every page, chart and CSV."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from netlearn.impact.models import Dataset, DatasetKind, PendingImport, SchoolResult

from .factories import (
    home_school_rows,
    import_csv,
    pupil_csv,
    school_csv,
    shared_measure,
    upload,
)


def client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def schools(world):
    return import_csv(world.network, by=world.data_lead, text=school_csv(home_school_rows(world)))


def test_a_data_lead_uploads_maps_previews_and_imports(world):
    client = client_for(world.data_lead)
    text = "School URN,Results year,Percent,Pupils,Disadvantaged\n" + "".join(
        f"{ref},2024,{value},{n},{fsm}\n"
        for ref, value, n, fsm in (("900001", 70, 30, 40), ("900002", 60, 20, 10))
    )
    response = client.post(
        reverse("impact:upload", args=[world.network.slug]),
        {
            "kind": "school",
            "measure": shared_measure().pk,
            "dataset_name": "KS2 2024",
            "file": upload(text),
        },
    )
    pending = PendingImport.objects.get()
    assert response.status_code == 302 and response.url == pending.get_absolute_url()
    page = client.get(response.url).content.decode()
    # "Results year" is not a known name: the person chooses it; "Pupils" is guessed as cohort.
    assert '<option value="3" selected>Pupils</option>' in page
    mapping = {
        "map_school": 0,
        "map_year": 1,
        "map_value": 2,
        "map_cohort": 3,
        "map_disadvantage": 4,
    }
    preview = client.post(response.url, {**mapping, "action": "preview"})
    assert preview.status_code == 200
    assert "2 rows for 2 schools" in preview.content.decode()
    assert not SchoolResult.objects.exists()  # a preview writes nothing
    done = client.post(response.url, {**mapping, "action": "import"})
    dataset = Dataset.objects.get()
    assert done.status_code == 302 and done.url == dataset.get_absolute_url()
    assert dataset.school_results.count() == 2 and not PendingImport.objects.exists()


def test_a_refused_file_lists_its_problems_and_imports_nothing(world):
    client = client_for(world.data_lead)
    text = "URN,Year,Value,Cohort\n900001,2024,70,30\n123456,2024,abc,20\n"
    client.post(
        reverse("impact:upload", args=[world.network.slug]),
        {
            "kind": "school",
            "measure": shared_measure().pk,
            "dataset_name": "Bad",
            "file": upload(text),
        },
    )
    pending = PendingImport.objects.get()
    response = client.post(
        pending.get_absolute_url(),
        {"map_school": 0, "map_year": 1, "map_value": 2, "map_cohort": 3, "action": "import"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported" in page
    assert "Row 3, column Value: “abc” is not a number." in page
    assert "Row 3, column URN: no school with the reference “123456” is in the network." in page
    assert not Dataset.objects.exists()


def test_a_zip_is_refused_at_upload(world):
    response = client_for(world.co_leader).post(
        reverse("impact:upload", args=[world.network.slug]),
        {
            "kind": "school",
            "measure": shared_measure().pk,
            "dataset_name": "Zip",
            "file": upload(b"PK\x03\x04junk", name="results.csv"),
        },
    )
    assert response.status_code == 200 and "zip archive" in response.content.decode()
    assert not PendingImport.objects.exists()


def test_only_importing_roles_reach_the_upload(world):
    url = reverse("impact:upload", args=[world.network.slug])
    assert client_for(world.teacher).get(url).status_code == 403
    assert client_for(world.co_leader).get(url).status_code == 200


def test_school_results_page_suppresses_small_schools_and_their_neighbour(world, schools):
    page = client_for(world.teacher).get(schools.get_absolute_url()).content.decode()
    # Birch has 4 pupils in 2024: c; Alder (31, the next smallest) is hidden too, so that the
    # network's figure over 93 pupils cannot give Birch back.
    assert '<th scope="row">Birch Primary</th><td>c</td><td>c</td>' in page
    assert '<th scope="row">Alder Primary</th><td>c</td><td>c</td>' in page
    assert '<th scope="row">Cedar Academy</th><td>72.0</td><td>58</td>' in page
    assert "52.0" not in page and "68.0" not in page
    assert 'src="/impact/datasets/' in page and "scatter.svg" in page


def test_the_csv_download_carries_the_same_suppression(world, schools):
    response = client_for(world.teacher).get(reverse("impact:schools_csv", args=[schools.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][:4] == ["Alder Primary", "2024", "c", "c"]
    assert rows[2][:4] == ["Birch Primary", "2024", "c", "c"]
    assert rows[3][:4] == ["Cedar Academy", "2024", "72.0", "58"]
    trend = client_for(world.teacher).get(reverse("impact:trend_csv", args=[schools.pk]))
    assert "2024,69.8,93" in trend.content.decode()


def test_csv_downloads_past_the_limit_answer_429_without_a_file(world, schools, settings):
    settings.IMPACT_CSV_EXPORT_LIMIT = 2
    client = client_for(world.teacher)
    url = reverse("impact:schools_csv", args=[schools.pk])
    assert client.get(url).status_code == 200
    assert client.get(reverse("impact:trend_csv", args=[schools.pk])).status_code == 200
    refused = client.get(url)
    assert refused.status_code == 429
    assert "text/csv" not in refused["Content-Type"]
    assert "You have downloaded 2 tables within an hour" in refused.content.decode()
    # Another person's downloads are counted apart.
    assert client_for(world.co_leader).get(url).status_code == 200


def test_charts_are_svg_images_that_cannot_run_script(world, schools):
    client = client_for(world.teacher)
    for name in ("scatter_svg", "trend_svg"):
        response = client.get(reverse(f"impact:{name}", args=[schools.pk]))
        assert response["Content-Type"] == "image/svg+xml"
        assert "sandbox" in response["Content-Security-Policy"]
        body = response.content.decode()
        assert body.startswith("<svg") and "<script" not in body
    # Suppressed schools are not on the chart.
    scatter = client.get(reverse("impact:scatter_svg", args=[schools.pk])).content.decode()
    assert "Alder" not in scatter and "Birch" not in scatter


def test_against_the_odds_schools_are_named_with_a_configurable_band(world):
    a, b, c = (s.reference for s in (world.school_a, world.school_b, world.school_c))
    dataset = import_csv(
        world.network,
        by=world.data_lead,
        text=school_csv(
            [(a, 2024, 80, 40, 42, 1, 1), (b, 2024, 50, 40, 10, 1, 1), (c, 2024, 60, 40, 5, 1, 1)]
        ),
    )
    client = client_for(world.teacher)
    page = client.get(dataset.get_absolute_url()).content.decode()
    assert 'This year: <span class="impact-odds">Alder Primary</span>' in page
    narrow = client.get(dataset.get_absolute_url(), {"low": 45, "high": 50}).content.decode()
    assert "None this year." in narrow


def test_a_run_page_polls_while_queued_and_shows_suppressed_effects_when_done(world):
    dataset = import_csv(
        world.network,
        by=world.data_lead,
        text=pupil_csv(world, per_school=12),
        kind=DatasetKind.PUPIL,
        name="Pupils",
    )
    from netlearn.impact import services

    run = services.request_run(
        dataset=dataset, by=world.data_lead, formula="score ~ prior + (1|school)"
    )
    client = client_for(world.teacher)
    queued = client.get(run.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' in queued
    services.run_model(run_id=run.pk)
    done = client.get(run.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "every 1s" not in done and "caterpillar-chart" in done
    assert "Alder Primary" in done
    svg = client.get(reverse("impact:effects_svg", args=[run.pk]))
    assert svg["Content-Type"] == "image/svg+xml"


def test_school_effects_of_small_schools_are_c_on_the_page_and_in_the_csv(world):
    # School B has 4 pupils: its effect is c, and (secondary) the smallest other one too.
    rows = pupil_csv(world, per_school=12).splitlines()
    kept = [rows[0]] + [
        line for line in rows[1:] if not line.startswith("P1") or int(line[2:5]) < 4
    ]
    dataset = import_csv(
        world.network,
        by=world.data_lead,
        text="\n".join(kept) + "\n",
        kind=DatasetKind.PUPIL,
        name="Pupils",
    )
    from netlearn.impact import services

    run = services.request_run(
        dataset=dataset, by=world.data_lead, formula="score ~ prior + (1|school)"
    )
    services.run_model(run_id=run.pk)
    client = client_for(world.teacher)
    page = client.get(run.get_absolute_url()).content.decode()
    assert '<th scope="row">Birch Primary</th><td>c</td><td>c</td><td>c</td>' in page
    effects = list(
        csv.reader(
            io.StringIO(client.get(reverse("impact:effects_csv", args=[run.pk])).content.decode())
        )
    )
    hidden = [row for row in effects[1:] if row[1] == "c"]
    assert len(hidden) == 2 and all(row[4] == "c" for row in hidden)


def test_pupil_records_only_for_the_data_role(world):
    dataset = import_csv(
        world.network,
        by=world.data_lead,
        text=pupil_csv(world),
        kind=DatasetKind.PUPIL,
        name="Pupils",
    )
    url = reverse("impact:records", args=[dataset.pk])
    assert "P0000" in client_for(world.data_lead).get(url).content.decode()
    for person in (world.co_leader, world.teacher, world.school_lead, world.partner):
        assert client_for(person).get(url).status_code == 403
    assert (
        "P0000" not in client_for(world.co_leader).get(dataset.get_absolute_url()).content.decode()
    )


def test_the_overview_costs_the_same_queries_however_many_datasets(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.teacher)
    url = reverse("impact:overview", args=[world.network.slug])
    queries = {}
    made = 0
    for count in (3, 30):
        for i in range(made, count):
            Dataset.objects.create(
                network=world.network, measure=shared_measure(), kind="school", name=f"Set {i}"
            )
        made = count
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.content.decode().count("/impact/datasets/") == count
        queries[count] = len(captured)
    assert queries[3] == queries[30]


def test_a_co_leader_links_a_goal_to_a_measure(world):
    from netlearn.charter.tests.factories import build_charter

    _, _, goal, *_ = build_charter(world.network, by=world.co_leader)
    url = reverse("impact:goals", args=[world.network.slug])
    response = client_for(world.co_leader).post(
        url, {"goal": goal.pk, "measure": shared_measure().pk}
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.impact_link.measure == shared_measure()
    assert client_for(world.teacher).post(url, {"goal": goal.pk, "measure": ""}).status_code == 403


def test_the_effects_chart_draws_each_published_effect_with_its_interval(world):
    dataset = import_csv(
        world.network,
        by=world.data_lead,
        text=pupil_csv(world, per_school=12),
        kind=DatasetKind.PUPIL,
        name="Pupils",
    )
    from netlearn.impact import selectors, services

    run = services.request_run(
        dataset=dataset, by=world.data_lead, formula="score ~ prior + (1|school)"
    )
    services.run_model(run_id=run.pk)
    run.refresh_from_db()
    shown = [row for row in selectors.run_report(run=run).effects if row.estimate.value is not None]
    svg = client_for(world.teacher).get(reverse("impact:effects_svg", args=[run.pk]))
    body = svg.content.decode()
    assert body.startswith("<svg") and "<script" not in body
    assert "<title" in body and f"{len(shown)} schools ranked by their effect" in body
    assert body.count("<circle") == len(shown) + 2  # one per school, two in the legend
    assert "Schools, ranked by their effect" in body and "School effect (95% interval)" in body
    assert not any(row.school in body for row in shown)  # no school is named on a chart
