"""The PDF and the page are one document: same figures, macrons kept, tagged for screen readers."""

import html
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from .factories import (
    MACRONS,
    add_budget,
    data_behind,
    document,
    pdf_text,
    published_report,
    squashed,
)

pytestmark = pytest.mark.django_db


def _client(person):
    client = Client()
    client.force_login(person)
    return client


def _page_text(response) -> str:
    body = response.content.decode()
    return squashed(html.unescape(re.sub(r"<[^>]+>", " ", body)))


def test_the_pdf_keeps_macrons_is_tagged_and_shows_the_pages_figures(world):
    world.network.name = MACRONS
    world.network.save(update_fields=["name"])
    data_behind(world)
    report = published_report(world)
    client = _client(world.school_lead)

    page = client.get(reverse("reports:detail", args=[world.network.slug, report.pk]))
    response = client.get(reverse("reports:pdf", args=[world.network.slug, report.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog  # tagged: a structure tree
    assert catalog["/MarkInfo"]["/Marked"]
    text = squashed(pdf_text(response.content))
    assert MACRONS in text
    assert "Page 1 of" in text and "Contents" in text
    web = _page_text(page)
    figures = document(world, report, viewer=world.school_lead).figures
    # Money, attendance, value added (c for a school of 3 pupils) and the goals' values are in.
    assert {"2,000.00", "1,850.00", "0.020", "-0.180 to 0.220", "60", "75"} <= set(figures)
    for figure in figures:
        assert figure in text, figure
        assert figure in web, figure


def test_a_published_report_keeps_its_figures_when_the_data_changes(world):
    report = published_report(world)
    before = document(world, report).figures
    add_budget(world, amount="999", spend="", mark=" later")
    after = document(world, report).figures
    assert before == after
    assert "999.00" not in after


def test_the_tables_download_as_xlsx_with_the_same_figures(world):
    data_behind(world)
    report = published_report(world)
    response = _client(world.teacher).get(
        reverse("reports:xlsx", args=[world.network.slug, report.pk])
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    cells = {
        f"{cell:,.2f}" if isinstance(cell, float) else str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    }
    assert "Budgets and spending" in workbook.sheetnames
    assert "2,000.00" in cells or "2000" in cells
