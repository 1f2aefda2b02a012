"""A co-leader generates a term report and publishes it; a school lead downloads its PDF
(issue 17)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from netlearn.reports.tests.factories import MACRONS, data_behind, pdf_text, squashed

from .sign_in import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_co_leader_publishes_a_term_report_and_a_school_lead_downloads_it(
    browser, live_server, world
):
    world.network.name = MACRONS
    world.network.save(update_fields=["name"])
    data_behind(world)
    today = timezone.localdate()

    page = signed_in(browser, live_server, "coleader")
    page.goto(f"{live_server.url}/n/{world.network.slug}/reports/")
    page.get_by_label("Title").fill("Autumn term")
    page.get_by_label("Covers").select_option("term")
    page.get_by_label("From").fill((today - datetime.timedelta(days=90)).isoformat())
    page.get_by_label("To").fill((today + datetime.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Start the report").click()
    expect(page.get_by_role("heading", name="Autumn term", exact=True)).to_be_visible()
    page.get_by_label("Summary").fill("The schools wrote together all term.")
    page.get_by_role("button", name="Save narrative").click()
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Version 1, published")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("^Cover fund 20"))).to_be_visible()
    page.context.close()

    lead = signed_in(browser, live_server, "schoollead")
    lead.goto(f"{live_server.url}/n/{world.network.slug}/reports/")
    lead.get_by_role("link", name="Autumn term").click()
    expect(lead.get_by_text("The schools wrote together all term.")).to_be_visible()
    expect(lead.get_by_role("button", name="Publish")).to_have_count(0)
    with lead.expect_download() as download:
        lead.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as pdf:
        text = squashed(pdf_text(pdf.read()))
    assert MACRONS in text and "The schools wrote together all term." in text
    lead.context.close()
