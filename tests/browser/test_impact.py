"""Impact end to end (issue 7): the network's data lead imports a pupil CSV through the column
mapping and preview, runs a value-added model and sees the caterpillar plot; imports school
figures and sees the against-the-odds scatter."""

import re

import pytest
from playwright.sync_api import expect

from netlearn.impact.tests.factories import pupil_csv, shared_measure

from .sign_in import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _image_loaded(page, selector: str) -> bool:
    """The chart is an SVG drawn by the server; wait until the browser has it as an image."""
    page.wait_for_function(
        f"() => {{ const img = document.querySelector('{selector}');"
        " return img && img.complete && img.naturalWidth > 0; }",
        timeout=20_000,
    )
    return True


def test_a_data_lead_imports_runs_a_model_and_sees_the_charts(
    browser, live_server, world, artifacts, tmp_path
):
    shared_measure()
    pupils = tmp_path / "pupils.csv"
    # "Student" is not a name we guess: the data lead maps it by hand.
    pupils.write_text(pupil_csv(world, per_school=15).replace("pupil_id", "Student"))
    page = signed_in(browser, live_server, "datalead")
    page.goto(f"{live_server.url}/n/riverside/")
    page.get_by_role("link", name="Impact").first.click()
    page.get_by_role("link", name="Import a CSV file").click()
    page.get_by_label("Pupil-level records").check()
    page.get_by_label("Measure").select_option(label="Examination score (pupil level)")
    page.get_by_label("Dataset name").fill("Year 6 writing 2024")
    page.get_by_label("CSV file").set_input_files(str(pupils))
    page.get_by_role("button", name="Upload and map columns").click()

    expect(page.get_by_role("heading", name=re.compile("Map the columns"))).to_be_visible()
    page.get_by_label("Pseudonymous pupil id (required)").select_option(label="Student")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("45 rows for 3 schools")).to_be_visible()
    page.screenshot(path=str(artifacts / "impact-mapping-preview.png"), full_page=True)
    page.get_by_role("button", name="Import all 45 rows").click()
    expect(page.get_by_role("heading", name="Year 6 writing 2024")).to_be_visible()

    page.get_by_label("Formula").fill("score ~ prior + fsm + (1|school)")
    page.get_by_role("button", name="Run the model").click()
    expect(page.locator("#run-done")).to_be_visible(timeout=20_000)
    expect(page.get_by_role("heading", name=re.compile("School effects"))).to_be_visible()
    expect(page.locator("#caterpillar-chart")).to_be_visible()
    assert _image_loaded(page, "#caterpillar-chart")
    page.screenshot(path=str(artifacts / "impact-caterpillar.png"), full_page=True)

    # School figures: Alder has a high-FSM intake yet results in the top quartiles.
    figures = tmp_path / "ks2.csv"
    figures.write_text(
        "URN,Year,KS2 RWM %,Cohort,FSM %\n"
        "900001,2024,78,40,44\n900002,2024,55,35,12\n900003,2024,61,60,8\n"
    )
    page.goto(f"{live_server.url}/n/riverside/impact/import/")
    page.get_by_label("School-year figures").check()
    page.get_by_label("Measure").select_option(
        label="KS2 reading, writing and maths at the expected standard"
    )
    page.get_by_label("Dataset name").fill("KS2 2024")
    page.get_by_label("CSV file").set_input_files(str(figures))
    page.get_by_role("button", name="Upload and map columns").click()
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name="Import all 3 rows").click()
    expect(page.get_by_text("This year: Alder Primary")).to_be_visible()
    expect(page.locator("#scatter-chart")).to_be_visible()
    assert _image_loaded(page, "#scatter-chart")
    page.screenshot(path=str(artifacts / "impact-against-the-odds.png"), full_page=True)
    page.context.close()


def test_a_teacher_sees_the_networks_value_added_with_its_chart(
    browser, live_server, world, artifacts
):
    from netlearn.impact import services
    from netlearn.impact.models import DatasetKind
    from netlearn.impact.tests.factories import import_csv

    shared_measure("exam-score")
    dataset = import_csv(
        world.network,
        by=world.data_lead,
        text=pupil_csv(world, per_school=15),
        kind=DatasetKind.PUPIL,
        name="Pupils 2024",
    )
    run = services.request_run(
        dataset=dataset, by=world.data_lead, formula="score ~ prior + (1|school)"
    )
    services.run_model(run_id=run.pk)
    page = signed_in(browser, live_server, "teacher")
    page.goto(f"{live_server.url}/n/riverside/impact/")
    page.get_by_role("link", name="The network's value added").click()
    expect(page.get_by_role("heading", name="The network's value added")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("2024: Pupils 2024"))).to_be_visible()
    groups = page.locator("table.value-added-groups")
    expect(groups.get_by_role("rowheader", name="Riverside NLC")).to_be_visible()
    expect(groups.get_by_role("rowheader", name="All schools in the model")).to_be_visible()
    assert _image_loaded(page, "#value-added-chart")
    page.screenshot(path=str(artifacts / "impact-value-added.png"), full_page=True)
