"""Real files for the library's tests: PDFs drawn with fpdf2, office documents zipped by hand."""

import datetime
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from fpdf import FPDF

from netlearn.library import indexing, services


def pdf_bytes(text: str) -> bytes:
    """A real PDF that is plain ASCII (as charter/exports.py makes them), so the authorization
    walks can read a download like any page."""
    pdf = FPDF()
    pdf.set_compression(False)
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, text)
    first, second, rest = bytes(pdf.output()).split(b"\n", 2)
    return b"\n".join([first, b"%" + b"A" * (len(second) - 1), rest])


def pdf_upload(text: str, name: str = "lesson.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def docx_bytes(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def odt_bytes(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr(
            "content.xml",
            "<office:document-content"
            ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
            ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
            f"<office:text><text:p>{text}</text:p></office:text></office:body>"
            "</office:document-content>",
        )
    return buffer.getvalue()


def pptx_bytes(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
        archive.writestr(
            "ppt/slides/slide1.xml",
            '<p:sld xmlns:p="p" xmlns:a="a"><p:txBody><a:p><a:r><a:t>'
            f"{text}</a:t></a:r></a:p></p:txBody></p:sld>",
        )
    return buffer.getvalue()


def add_resource(network, *, by, title="Fractions with fraction walls", upload=None, **values):
    values.setdefault("summary", "Year 5 lessons on equivalent fractions.")
    values.setdefault("kind", "lesson_plan")
    values.setdefault("stages", ["ks2"])
    values.setdefault("subjects", ["mathematics"])
    resource = services.create_resource(
        network=network, by=by, title=title, upload=upload, **values
    )
    for stored in resource.files.all():
        indexing.run_extraction(stored.pk)  # on_commit never fires inside a test's transaction
    return resource


def good_trial(resource, *, by, rating=5, **values):
    values.setdefault("year_group", "Year 5")
    values.setdefault("class_size", 28)
    values.setdefault("trialled_on", datetime.date(2025, 3, 1))
    values.setdefault("how_it_went", "Pupils explained equivalence in their own words.")
    return services.record_trial(
        resource=resource,
        by=by,
        impact_rating=rating,
        ease_rating=rating,
        adaptability_rating=rating,
        **values,
    )
