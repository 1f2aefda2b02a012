"""The demo as a new user meets it: each sign-in the demo prints has something to act on."""

import re

import pytest
from playwright.sync_api import expect

from netlearn.demo.seed import PASSWORD
from netlearn.networks.models import School

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def demo_sign_in(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/sign-in/"))
    return page


def test_the_teacher_answers_a_coming_date_and_the_pupil_votes(
    browser, live_server, demo, artifacts
):
    page = demo_sign_in(browser, live_server, "teacher")
    page.get_by_role("link", name="North Hartlepool PNSLN").first.click()
    page.goto(f"{live_server.url}/n/north-hartlepool/calendar/list/")
    page.get_by_role("link", name=re.compile("Lesson study sharing afternoon")).first.click()
    dates = page.locator("section[aria-labelledby=dates-heading]")
    dates.get_by_role("button", name=re.compile("^Going")).first.click()
    expect(page.locator("section[aria-labelledby=dates-heading]")).to_contain_text("Going")
    expect(
        page.locator("section[aria-labelledby=dates-heading]")
        .get_by_role("button", name=re.compile("^Change to not going"))
        .first
    ).to_be_visible()
    page.screenshot(path=artifacts / "demo-teacher-answers.png", full_page=True)
    page.context.close()

    page = demo_sign_in(browser, live_server, "pupil")
    page.goto(f"{live_server.url}/discussions/")
    page.get_by_role("link", name=re.compile("pupil voice")).first.click()
    page.get_by_role("link", name="What should our school council ask for next?").click()
    page.get_by_label("A buddy bench").check()
    page.get_by_role("button", name="Vote").click()
    expect(page.get_by_text("You have voted")).to_be_visible()
    page.context.close()


def test_the_evaluator_sees_the_programmes_networks_side_by_side_and_nothing_personal(
    browser, live_server, demo, artifacts
):
    page = demo_sign_in(browser, live_server, "evaluator")
    page.goto(f"{live_server.url}/programmes/")
    page.get_by_role("link", name="National NLC programme (demo)").click()
    for network in ("Tweedmouth NLC", "North Hartlepool PNSLN", "Network B", "Pendle"):
        expect(page.get_by_text(re.compile(network)).first).to_be_visible()
    # North Hartlepool's published term report, beside the other networks, opens and prints.
    report = page.get_by_role("link", name=re.compile(r"\bterm( \d)? \d{4}$", re.IGNORECASE)).first
    expect(report).to_be_visible()
    report.click()
    expect(page.get_by_role("link", name="Download PDF")).to_be_visible()
    page.go_back()
    # A golden thread opens read-only.
    page.locator("h4 a").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.url.startswith(f"{live_server.url}/n/")
    page.screenshot(path=artifacts / "evaluator-programme.png", full_page=True)

    # Nothing personal of any network: its discussions, people, pupils or pupil records.
    school = School.objects.filter(memberships__network__slug="north-hartlepool").first()
    for path in (
        "/n/north-hartlepool/discussions/",
        "/n/tweedmouth/discussions/",
        "/n/north-hartlepool/people/",
        f"/discussions/schools/{school.pk}/pupils/",
        "/n/north-hartlepool/impact/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 404, path
    page.context.close()
