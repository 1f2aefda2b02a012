"""Issue 16, done when: a triad asks for release for two dates of a series; the co-leader approves
against the release budget; the registers are taken; the ledger shows spending for the teacher who
came and the freed commitment for the one who did not; the balance and per-school totals agree."""

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from netlearn.activities import services as activity_services
from netlearn.activities.tests.factories import in_days, make_activity, move_into_past
from netlearn.exchange import release, selectors
from netlearn.exchange.models import Budget, ReleaseFunding

from .sign_in import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_release_for_a_triad_from_approval_to_the_ledger(browser, live_server, world, artifacts):
    start = in_days(3)
    year = release.budget_year(world.network, start.date())
    lead = signed_in(browser, live_server, "coleader")

    # The co-leader sets up the release budget, its income and the cover rate.
    lead.goto(f"{live_server.url}/n/riverside/")
    lead.get_by_role("link", name="Budgets").first.click()
    lead.get_by_role("link", name="New budget").click()
    lead.get_by_label("Purpose").select_option(label="Release and cover")
    lead.get_by_label("Year").fill(str(year))
    lead.get_by_role("button", name="Create the budget").click()
    expect(lead.get_by_role("heading", level=1)).to_contain_text("Release and cover")
    budget = Budget.objects.get()
    lead.get_by_role("link", name="Record an entry").click()
    lead.get_by_label("Entry").select_option(label="Income")
    lead.get_by_label("Amount").fill("-100")
    lead.get_by_label("Why").fill("Programme grant")
    lead.get_by_role("button", name="Record").click()
    expect(lead.locator(".error, [role=alert]").first).to_be_visible()
    assert not budget.entries.exists()
    lead.get_by_label("Amount").fill("1000")
    lead.get_by_label("Source").select_option(label="National programme")
    lead.locator("#id_funder").fill("National College")
    lead.get_by_role("button", name="Record").click()
    expect(lead.get_by_test_id("available")).to_have_text("£1,000.00")
    lead.get_by_role("link", name="Cover rates").click()
    lead.get_by_label("Cost of a half-day session").fill("90")
    lead.get_by_role("button", name="Set the rate").click()
    expect(lead.get_by_role("status")).to_contain_text("cover rate is set")

    # Two teachers of a triad ask for a whole day of release for both dates of its series.
    triad = make_activity(
        world, title="Triad research lesson", starts_at=start, recurrence="FREQ=DAILY;COUNT=2"
    )
    for person in (world.teacher, world.school_lead):
        activity_services.request_release(activity=triad, by=person, sessions=Decimal("2"))

    # The co-leader approves both against the release budget.
    lead.goto(f"{live_server.url}{reverse('activities:release_requests', args=['riverside'])}")
    for request in triad.release_requests.all():
        lead.locator(f"#decision-{request.pk}").select_option("approve")
        lead.locator(f"#amount-{request.pk}").fill("0")
        lead.locator(f"#decision-{request.pk}").locator("xpath=ancestor::form").get_by_role(
            "button", name="Decide"
        ).click()
        expect(lead.get_by_role("status")).to_contain_text("is decided")
    lead.goto(f"{live_server.url}{budget.get_absolute_url()}")
    expect(lead.get_by_test_id("committed")).to_have_text("£720.00")
    expect(lead.get_by_test_id("available")).to_have_text("£280.00")

    # Both registers are taken: Tia came to both dates, Sam to neither.
    move_into_past(triad, hours=60)
    for occurrence in triad.occurrences.order_by("starts_at"):
        lead.goto(
            f"{live_server.url}"
            + reverse("activities:register", args=["riverside", triad.pk, occurrence.pk])
        )
        lead.get_by_label("Tia Teacher").check()
        lead.get_by_role("button", name="Save register").click()
        expect(lead.get_by_role("status")).to_contain_text("present")

    # The ledger: spending for Tia, freed commitments for Sam; the figures agree.
    lead.goto(f"{live_server.url}{budget.get_absolute_url()}")
    ledger = lead.locator("#ledger-lines")
    expect(ledger).to_contain_text("Tia Teacher attended")
    expect(ledger).to_contain_text("Sam Head did not attend")
    expect(lead.get_by_test_id("cash")).to_have_text("£640.00")
    expect(lead.get_by_test_id("committed")).to_have_text("£0.00")
    expect(lead.get_by_test_id("available")).to_have_text("£640.00")
    figures = selectors.figures_of(budget)
    assert figures.cash.amount == sum(e.cash_effect for e in budget.entries.all())
    assert {f.status for f in ReleaseFunding.objects.filter(person=world.teacher)} == {"spent"}
    assert {f.status for f in ReleaseFunding.objects.filter(person=world.school_lead)} == {"freed"}

    # Per school: Cedar (Tia's) spent 360, Birch (Sam's) nothing; the ledger's total is the same.
    lead.get_by_role("link", name="Release funding").click()
    totals = lead.get_by_role("table", name="Totals per school")
    expect(totals.get_by_role("row", name="Cedar Academy")).to_contain_text("£360.00")
    expect(totals.get_by_role("row", name="Birch Primary")).to_contain_text("£360.00")
    cedar = totals.get_by_role("row", name="Cedar Academy").locator("td").nth(2)
    expect(cedar).to_have_text("£360.00")  # spent
    birch = totals.get_by_role("row", name="Birch Primary").locator("td").nth(3)
    expect(birch).to_have_text("£360.00")  # freed
    lead.screenshot(path=str(artifacts / "exchange-release-funding.png"), full_page=True)
    lead.context.close()

    # The teacher sees their own release funding, not the ledger.
    teacher = signed_in(browser, live_server, "teacher")
    teacher.goto(f"{live_server.url}{budget.get_absolute_url()}")
    expect(teacher.locator("#ledger-lines")).not_to_contain_text("Sam Head")
    teacher.goto(f"{live_server.url}{reverse('exchange:budgets', args=['riverside'])}")
    expect(teacher.get_by_role("heading", name="Your release funding")).to_be_visible()
    teacher.context.close()
