"""Network health end to end (issue 18): a co-leader opens a staff survey and a pupil survey, a
teacher and a pupil answer them, and the results of a group under the threshold show c on the
page, in the CSV and through the API."""

import datetime
import importlib
import re

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from netlearn.health.models import Survey

from .sign_in import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def question_banks(transactional_db):
    """The banks a migration wrote are gone once an earlier transactional test has flushed the
    database: written again, as the migration does."""
    importlib.import_module("netlearn.health.migrations.0002_question_banks").load(apps, None)


def closes_in_a_week() -> str:
    return (timezone.localtime() + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")


def open_survey(page, live_server, *, title, audience, framework=None, own=""):
    page.goto(f"{live_server.url}/n/riverside/health/")
    page.get_by_role("link", name="New survey").first.click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Who it is for").select_option(audience)
    page.get_by_label("Closes").fill(closes_in_a_week())
    if framework:
        page.get_by_label("Framework").select_option(label=framework)
    if own:
        page.get_by_label("Own questions").fill(own)
    page.get_by_role("button", name="Open the survey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    return Survey.objects.get(title=title)


def test_a_staff_and_a_pupil_survey_end_to_end(browser, live_server, world):
    leader = signed_in(browser, live_server, "coleader")
    # A survey with no question is refused with a message, and nothing is made.
    leader.goto(f"{live_server.url}/n/riverside/health/surveys/new/")
    leader.get_by_label("Title").fill("Empty")
    leader.get_by_label("Closes").fill(closes_in_a_week())
    leader.get_by_role("button", name="Open the survey").click()
    expect(leader.get_by_role("alert")).to_contain_text("at least one question")
    staff = open_survey(
        leader,
        live_server,
        title="Trust across schools",
        audience="staff",
        own="agree: I trust colleagues in the other schools.\n"
        "order: What helps most? | Visits; Planning; Lesson study",
    )
    pupils = open_survey(
        leader,
        live_server,
        title="Pupil voice",
        audience="pupils",
        framework="Seven characteristics of a successful learning network",
    )

    teacher = signed_in(browser, live_server, "teacher")
    teacher.goto(f"{live_server.url}/n/riverside/health/surveys/{staff.pk}/")
    teacher.get_by_label("Agree", exact=True).check()
    # A ranking with two options in the same place is refused, and nothing is recorded.
    selects = teacher.locator("select")
    selects.nth(0).select_option("1")
    selects.nth(1).select_option("1")
    selects.nth(2).select_option("2")
    teacher.get_by_role("button", name="Send my answers").click()
    expect(teacher.get_by_role("alert")).to_contain_text("different place")
    teacher.get_by_label("Agree", exact=True).check()
    selects.nth(0).select_option("1")
    selects.nth(1).select_option("3")
    selects.nth(2).select_option("2")
    teacher.get_by_role("button", name="Send my answers").click()
    expect(teacher.get_by_text("You have responded. Thank you.")).to_be_visible()

    pupil = signed_in(browser, live_server, "pupil")
    pupil.goto(f"{live_server.url}/n/riverside/health/surveys/")
    expect(pupil.get_by_role("link", name="Trust across schools")).to_have_count(0)
    pupil.get_by_role("link", name="Pupil voice").click()
    expect(pupil.locator("textarea")).to_have_count(0)
    pupil.get_by_label("Yes, a lot").first.check()
    pupil.get_by_role("button", name="Send my answers").click()
    expect(pupil.get_by_text("You have responded. Thank you.")).to_be_visible()

    # One response: under the threshold of 6, every group shows c.
    leader.goto(f"{live_server.url}/n/riverside/health/surveys/{staff.pk}/results/")
    first = leader.locator("section.card").first
    expect(first.locator("tbody tr").first.locator("td").nth(1)).to_have_text("c")
    expect(first.locator("tr.school td").nth(1)).to_have_text("c")
    csv = leader.request.get(
        f"{live_server.url}/n/riverside/health/surveys/{staff.pk}/results.csv"
    ).text()
    assert re.search(r"overall,Whole network,c,c", csv), csv
    api = leader.request.get(f"{live_server.url}/api/v1/surveys/{staff.pk}/results").json()
    assert api["questions"][0]["overall"]["mean"] == "c"
    assert pupils.participations.count() == 1
    for page in (leader, teacher, pupil):
        page.context.close()
