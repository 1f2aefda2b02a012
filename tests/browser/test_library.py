"""The library end to end (issue 6): a teacher uploads a PDF, teachers of two other schools
record good trials, the resource is endorsed by the network, and a word found only inside the
PDF finds it."""

import re

import pytest
from playwright.sync_api import expect

from netlearn.library.tests.factories import pdf_bytes

from .sign_in import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORD_IN_PDF = "quadrilateralogy"


def record_trial(browser, live_server, username, resource_url, *, phone=False):
    page = signed_in(browser, live_server, username, phone=phone)
    page.goto(resource_url)
    page.get_by_role("link", name="Record a trial").click()
    page.get_by_label("Class (year group)").fill("Year 5")
    page.get_by_label("Pupils in the class").fill("27")
    page.get_by_label("How it went").fill("Pupils sorted shapes and argued about their sorting.")
    for criterion in ("impact_rating", "ease_rating", "adaptability_rating"):
        page.locator(f"input[name={criterion}][value='5']").check()
    page.get_by_role("button", name="Record the trial").click()
    expect(page.get_by_text("your trial is recorded")).to_be_visible()
    return page


def test_a_resource_trialled_well_by_two_other_schools_is_endorsed_and_found_by_its_pdf(
    browser, live_server, world, artifacts, tmp_path
):
    pdf = tmp_path / "shapes.pdf"
    pdf.write_bytes(pdf_bytes(f"Sorting shapes: a lesson in {WORD_IN_PDF} for Year 5."))

    # The author, a teacher at Cedar Academy, uploads the resource with its PDF.
    page = signed_in(browser, live_server, "teacher")
    page.goto(f"{live_server.url}/n/riverside/library/")
    page.get_by_role("link", name="Add a resource").click()
    page.get_by_label("Title").fill("Sorting quadrilaterals")
    page.get_by_label("Summary").fill("A Year 5 lesson on properties of shapes.")
    page.get_by_label("Key stage 2 (Years 3–6)").check()
    page.get_by_label("File (optional)").set_input_files(str(pdf))
    page.get_by_role("button", name="Add to the library").click()
    expect(page.get_by_role("heading", name="Sorting quadrilaterals")).to_be_visible()
    expect(page.get_by_text("Text indexed for search")).to_be_visible()
    expect(page.get_by_text("Not yet endorsed")).to_be_visible()
    resource_url = page.url
    page.context.close()

    # A teacher of a second school (Birch Primary's head) records a good trial …
    page = record_trial(browser, live_server, "schoollead", resource_url)
    expect(page.get_by_text("Not yet endorsed")).to_be_visible()
    page.context.close()
    # … and, after a trial from a third school (Alder Primary), the network endorses it.
    page = record_trial(browser, live_server, "coleader", resource_url, phone=True)
    expect(page.get_by_role("heading", name="Endorsed by the network")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Trialled by 2 schools"))).to_be_visible()
    page.screenshot(path=str(artifacts / "library-endorsed-phone.png"), full_page=True)
    page.context.close()

    # A word that occurs only inside the PDF finds it, highlighted.
    page = signed_in(browser, live_server, "partner")
    page.goto(f"{live_server.url}/n/riverside/library/")
    page.get_by_label("Search").fill(WORD_IN_PDF)
    page.get_by_role("button", name="Search").click()
    results = page.locator("#results")
    expect(results.get_by_role("link", name="Sorting quadrilaterals")).to_be_visible()
    expect(results.locator("mark", has_text=WORD_IN_PDF)).to_be_visible()
    expect(results.get_by_text("Endorsed by the network")).to_be_visible()
    page.screenshot(path=str(artifacts / "library-search.png"), full_page=True)
    page.context.close()
