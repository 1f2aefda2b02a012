"""Issue 17's walk through the demo: a co-leader of Network B follows its numeracy focus's golden
thread (goal, commitments with attendance, an enquiry with its run chart, an account, value
added), writes and publishes a term report; a school lead of the network downloads its PDF; the
programme's evaluator sees it beside North Hartlepool's and opens no discussion or pupil record
of either network."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from netlearn.demo.seed import PASSWORD
from netlearn.discussions.models import Thread
from netlearn.impact.models import Dataset, DatasetKind
from netlearn.networks.models import NetworkRole, Role, StaffPost
from netlearn.reports.tests.factories import pdf_text, squashed

from .test_demo import demo_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Network B: numeracy term"


def test_the_golden_thread_a_term_report_and_the_programme_view_in_the_demo(
    browser, live_server, demo, artifacts
):
    co_leader = (
        NetworkRole.objects.current()
        .filter(network__slug="network-b", role=Role.CO_LEADER)
        .select_related("person")
        .first()
        .person
    )
    school_lead = (
        StaffPost.objects.current()
        .filter(leads_school=True, school__memberships__network__slug="network-b")
        .exclude(person=co_leader)
        .select_related("person")
        .first()
        .person
    )

    # Neither is among the demo's printed sign-ins: give them the demo's password.
    for person in (co_leader, school_lead):
        person.set_password(PASSWORD)
        person.save(update_fields=["password"])

    # The co-leader follows the numeracy focus from the charter to the difference it made.
    page = demo_sign_in(browser, live_server, co_leader.username)
    page.goto(f"{live_server.url}/n/network-b/charter/")
    page.get_by_role("link", name="Numeracy", exact=True).click()
    page.get_by_role("link", name=re.compile("^Golden thread")).click()
    goals = page.locator("section[aria-labelledby=thread-goals]")
    expect(goals).to_contain_text("Students' average point score at the end of Key Stage 3")
    expect(goals).to_contain_text("Baseline")
    commitments = page.locator("section[aria-labelledby=thread-commitments]")
    expect(commitments).to_contain_text("attend at least 67% of network meetings")
    expect(commitments.get_by_role("columnheader", name="Keeps the commitment")).to_be_visible()
    expect(
        commitments.get_by_role("row", name=re.compile("^Kilnbrook High School"))
    ).to_contain_text("%")
    enquiries = page.locator("section[aria-labelledby=thread-enquiries]")
    expect(enquiries).to_contain_text("Do daily five-minute starters raise Year 8 recall")
    chart = enquiries.get_by_role("img", name=re.compile("^Run chart:")).first
    expect(chart).to_be_visible()
    expect(enquiries).to_contain_text("Shift:")  # its signals, read by the named rules
    accounts = page.locator("section[aria-labelledby=thread-accounts]")
    expect(
        accounts.get_by_role("link", name="Five-minute number starters in Year 8")
    ).to_be_visible()
    outcomes = page.locator("section[aria-labelledby=thread-outcomes]")
    expect(outcomes).to_contain_text("each school's value added with its 95% interval")
    first_school = outcomes.locator("tbody tr").first
    expect(first_school.locator("td").first).to_have_text(re.compile(r"^-?\d+\.\d{3}$"))
    page.screenshot(path=artifacts / "walk-golden-thread.png", full_page=True)

    # A term report, generated from the network's data, reviewed and published.
    today = timezone.localdate()
    page.goto(f"{live_server.url}/n/network-b/reports/")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Covers").select_option("term")
    page.get_by_label("From").fill((today - datetime.timedelta(days=90)).isoformat())
    page.get_by_label("To").fill((today + datetime.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Start the report").click()
    expect(page.get_by_role("heading", name=TITLE, exact=True)).to_be_visible()
    page.get_by_label("Summary").fill("Number starters took hold in three high schools.")
    page.get_by_role("button", name="Save narrative").click()
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Version 1, published")).to_be_visible()
    page.context.close()

    # A school lead of the network reads it and downloads the PDF.
    lead = demo_sign_in(browser, live_server, school_lead.username)
    lead.goto(f"{live_server.url}/n/network-b/reports/")
    lead.get_by_role("link", name=TITLE).click()
    expect(lead.get_by_text("Number starters took hold in three high schools.")).to_be_visible()
    expect(lead.get_by_role("button", name="Publish")).to_have_count(0)
    with lead.expect_download() as download:
        lead.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as pdf:
        text = squashed(pdf_text(pdf.read()))
    assert TITLE in text and "Number starters took hold in three high schools." in text
    lead.context.close()

    # The programme's evaluator sees it beside North Hartlepool's published report.
    page = demo_sign_in(browser, live_server, "evaluator")
    page.goto(f"{live_server.url}/programmes/")
    page.get_by_role("link", name="National NLC programme (demo)").click()
    network_b = page.locator("article.programme-network", has_text="Network B")
    north = page.locator("article.programme-network", has_text="North Hartlepool PNSLN")
    expect(network_b.get_by_role("link", name=TITLE)).to_be_visible()
    expect(north.locator("a[href*='/reports/']").first).to_be_visible()
    expect(page.locator("table.programme-combined")).to_be_visible()
    page.screenshot(path=artifacts / "walk-programme.png", full_page=True)
    network_b.get_by_role("link", name=TITLE).click()
    expect(page.get_by_text("Number starters took hold in three high schools.")).to_be_visible()

    # Nothing personal of either network: no discussion, no pupil record.
    paths = []
    for slug in ("network-b", "north-hartlepool"):
        paths.append(f"/n/{slug}/discussions/")
        thread = Thread.objects.filter(space__network__slug=slug).first()
        if thread is not None:
            paths.append(reverse("discussions:thread", args=[thread.pk]))
    datasets = Dataset.objects.filter(
        network__slug__in=["network-b", "north-hartlepool"], kind=DatasetKind.PUPIL
    )
    assert datasets.exists()
    paths += [reverse("impact:records", args=[dataset.pk]) for dataset in datasets]
    assert any("/discussions/threads/" in p or "thread" in p for p in paths), paths
    for path in paths:
        assert page.goto(f"{live_server.url}{path}").status == 404, path
    page.context.close()
