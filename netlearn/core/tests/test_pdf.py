"""PDFs are typeset once per document: asked again, the same bytes come from the cache; anything the
document shows changes, and it is typeset anew (netlearn/core/pdf.py)."""

import io
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from netlearn.charter.tests.factories import build_charter
from netlearn.core import pdf as pdfs


def text_of(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def typeset():
    """Counts WeasyPrint's typesetting, which still runs."""
    import weasyprint  # loads Pango: imported by the tests that typeset (netlearn/core/pdf.py)

    with mock.patch.object(
        weasyprint.HTML, "write_pdf", autospec=True, side_effect=weasyprint.HTML.write_pdf
    ) as write_pdf:
        yield write_pdf


def charter_pdf(world, person) -> bytes:
    client = Client()
    client.force_login(person)
    response = client.get(reverse("charter:pdf", args=[world.network.slug]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def test_the_same_document_is_typeset_once_and_served_the_same_to_everyone(world, typeset):
    build_charter(world.network, by=world.co_leader, lead_group=world.group)
    first = charter_pdf(world, world.teacher)
    again = charter_pdf(world, world.co_leader)
    assert typeset.call_count == 1
    assert again == first and "Writing in the middle years of Key Stage 2" in text_of(again)


def test_a_change_to_the_document_is_typeset_anew(world, typeset):
    build_charter(world.network, by=world.co_leader, lead_group=world.group)
    before = charter_pdf(world, world.teacher)
    world.network.name = "Mātātahi Kāhui Ako"
    world.network.save(update_fields=["name"])
    after = charter_pdf(world, world.teacher)
    assert typeset.call_count == 2
    assert "Charter of Mātātahi Kāhui Ako" in text_of(after)
    assert "Mātātahi" not in text_of(before)


def test_a_document_over_the_cached_size_is_typeset_each_time(world, typeset, monkeypatch):
    monkeypatch.setattr(pdfs, "LARGEST_CACHED_BYTES", 1_000)
    build_charter(world.network, by=world.co_leader, lead_group=world.group)
    first = charter_pdf(world, world.teacher)
    again = charter_pdf(world, world.teacher)
    assert typeset.call_count == 2
    assert len(first) > 1_000 and "Writing in the middle years of Key Stage 2" in text_of(again)
