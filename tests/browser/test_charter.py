"""The charter end to end: draft, check, measure, change, sign off, in force (issue 3)."""

import re

import pytest
from playwright.sync_api import expect

from netlearn.charter.models import Charter
from netlearn.networks import services
from netlearn.networks.models import NetworkMembership, PostLevel, Role
from netlearn.networks.tests.factories import PersonFactory

from .sign_in import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill(page, values: dict):
    for label, value in values.items():
        page.get_by_label(re.compile(rf"^{re.escape(label)}:?$")).fill(value)


def test_co_leaders_draft_measure_and_change_and_school_leads_bring_it_into_force(
    browser, live_server, world, artifacts
):
    admin = world.admin
    # Two member schools, each with a lead; a second co-leader from the other school.
    services.end_school_membership(
        membership=NetworkMembership.objects.get(network=world.network, school=world.school_c),
        by=admin,
    )
    lead_a = PersonFactory(username="leada", name="Ada Head")
    services.add_staff_post(
        person=lead_a,
        school=world.school_a,
        job_title="Head",
        level=PostLevel.HEAD,
        leads_school=True,
    )
    second = PersonFactory(username="coleader2", name="Cole Second")
    services.add_staff_post(
        person=second, school=world.school_b, job_title="Deputy", level=PostLevel.SENIOR
    )
    services.assign_role(network=world.network, person=second, role=Role.CO_LEADER, by=None)

    page = signed_in(browser, live_server, "coleader")
    page.goto(f"{live_server.url}/n/riverside/")
    page.get_by_role("link", name="Charter").click()
    page.get_by_role("link", name="Start the charter").click()
    fill(page, {"Purpose": "Better writing for every pupil in every school."})
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Charter of Riverside NLC")).to_be_visible()

    # A vague focus: the checklist warns against every criterion.
    page.get_by_role("link", name="New learning focus").click()
    fill(page, {"Title": "Raising standards", "Description": "Do better."})
    page.get_by_role("button", name="Save and check").click()
    expect(
        page.get_by_role("heading", name=re.compile("6 of 6 criteria not yet met"))
    ).to_be_visible()
    expect(page.get_by_text("were specific and explicit")).to_be_visible()

    # Improved: only the goal is missing.
    page.get_by_role("link", name="Edit this learning focus").click()
    fill(
        page,
        {
            "Title": "Writing in the middle years of Key Stage 2",
            "Description": "Pupils in Years 4 and 5 write less, and less well, than they read. "
            "Every school will teach extended writing weekly and moderate pupils' work together "
            "each term.",
            "Which pupils": "All pupils in Years 4 and 5 in every school",
            "What will be visible when it is achieved": "Pupils choose to write at length and "
            "moderated samples meet the expected standard in every school.",
            "How adult learning links to pupil learning": "Teachers in triads run lesson study "
            "on writing; the modelling they practise is what pupils use the following week.",
        },
    )
    page.get_by_role("button", name="Save and check").click()
    expect(
        page.get_by_role("heading", name=re.compile("1 of 6 criteria not yet met"))
    ).to_be_visible()

    page.get_by_role("link", name="New goal").click()
    fill(
        page,
        {
            "Measure": "Pupils at the expected standard in writing",
            "Unit": "% of pupils",
            "Baseline value": "60",
            "Baseline date": "2024-09-01",
            "Target value": "75",
            "Target date": "2027-07-01",
        },
    )
    page.get_by_role("button", name="Save goal").click()
    expect(
        page.get_by_role("heading", name=re.compile("0 of 6 criteria not yet met"))
    ).to_be_visible()
    expect(page.get_by_text("Not yet measured")).to_be_visible()

    for day, value in (("2025-03-01", "64"), ("2025-09-01", "70")):
        page.get_by_role("link", name=re.compile("^Record progress")).click()
        fill(page, {"Date measured": day, "Value": value, "Evidence note": "Moderation"})
        page.get_by_role("button", name="Record progress").click()
    goal = page.locator("section.goal")
    expect(
        goal.get_by_role("img", name=re.compile("baseline, target and progress"))
    ).to_be_visible()
    expect(goal.locator("circle.chart-point")).to_have_count(2)
    expect(goal.locator(".status")).to_have_text("On track")
    expect(goal.get_by_role("table")).to_contain_text("70")
    page.screenshot(path=artifacts / "charter-focus-goal.png", full_page=True)

    # Changing the goal: the form shows the dates already set, and saving keeps them.
    goal.get_by_role("link", name=re.compile("^Change goal")).click()
    expect(page.get_by_label("Baseline date")).to_have_value("2024-09-01")
    expect(page.get_by_label("Target date")).to_have_value("2027-07-01")
    fill(page, {"Target value": "78", "Reason": "Moderation showed faster progress"})
    page.get_by_role("button", name="Save goal").click()
    expect(page.locator(".errorlist")).to_have_count(0)
    expect(page.locator("section.goal")).to_contain_text("78")
    page.context.close()

    # The second co-leader changes the wording; the history shows the difference.
    page = signed_in(browser, live_server, "coleader2", phone=True)
    page.goto(f"{live_server.url}/n/riverside/charter/")
    page.get_by_role("link", name="Writing in the middle years of Key Stage 2").click()
    page.get_by_role("link", name="Edit this learning focus").click()
    fill(page, {"Title": "Extended writing in Years 4 and 5"})
    page.get_by_role("button", name="Save and check").click()
    page.goto(f"{live_server.url}/n/riverside/charter/history/")
    diff = page.locator("table.diff")
    expect(diff.locator("tr.diff-removed")).to_contain_text(
        ["Learning focus: Writing in the middle years of Key Stage 2"]
    )
    expect(diff.locator("tr.diff-added")).to_contain_text(
        ["Learning focus: Extended writing in Years 4 and 5"]
    )
    page.screenshot(path=artifacts / "charter-history-phone.png", full_page=True)
    latest = Charter.objects.get(network=world.network).versions.first()
    # The working draft is proposed from the charter page itself.
    page.goto(f"{live_server.url}/n/riverside/charter/")
    page.get_by_role("button", name=f"Propose version {latest.number} for adoption").click()
    expect(
        page.get_by_text(f"Version {latest.number} is proposed for adoption.", exact=True)
    ).to_be_visible()
    version_url = f"{live_server.url}/n/riverside/charter/versions/{latest.pk}/"
    page.context.close()

    # Each member school's lead signs off; after the second, the version is in force.
    for username, school in (("schoollead", "Birch Primary"), ("leada", "Alder Primary")):
        page = signed_in(browser, live_server, username)
        page.goto(version_url)
        page.get_by_label(
            f"I have read version {latest.number} and sign it off for {school}"
        ).check()
        page.get_by_role("button", name=f"Sign off for {school}").click()
        expect(page.locator("#sign-offs")).to_contain_text(f"{school} has signed off")
        if username == "leada":
            expect(page.locator("#sign-offs")).to_contain_text("In force since")
            page.goto(f"{live_server.url}/n/riverside/charter/")
            expect(page.get_by_text(f"Version {latest.number} is in force")).to_be_visible()
            page.screenshot(path=artifacts / "charter-in-force.png", full_page=True)
        page.context.close()
    charter = Charter.objects.get(network=world.network)
    assert charter.in_force_id == latest.pk
