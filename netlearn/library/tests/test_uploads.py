"""Bad uploads are refused with a clear message, and nothing is stored (docs/safety.md#uploads)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from netlearn.library import services
from netlearn.library.errors import BadUpload
from netlearn.library.extraction import extract_text
from netlearn.library.models import Resource, ResourceFile
from netlearn.library.uploads import inspect_upload

from .conftest import stored_files
from .factories import add_resource, docx_bytes, odt_bytes, pdf_bytes, pdf_upload, pptx_bytes

BAD = [
    ("page.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "whatever its name"),
    ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>', "accepts"),
    ("notes.txt", b"", "empty"),
    ("lesson.pdf.html", b"<html><body>hi</body></html>", "accepts"),
    (
        "eicar.txt",
        rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*",
        "EICAR",
    ),
    ("app.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100, "accepts"),
]


@pytest.mark.parametrize("name, content, message", BAD)
def test_bad_upload_is_refused_and_nothing_is_stored(world, media, name, content, message):
    before = Resource.objects.count()
    with pytest.raises(BadUpload, match=message):
        services.create_resource(
            network=world.network,
            by=world.teacher,
            title="Sneaky",
            upload=SimpleUploadedFile(name, content),
        )
    assert Resource.objects.count() == before
    assert ResourceFile.objects.count() == 0
    assert stored_files(media) == []


def test_file_over_the_limit_is_refused(world, media, settings):
    settings.LIBRARY_MAX_UPLOAD_BYTES = 1000
    big = SimpleUploadedFile("big.pdf", pdf_bytes("x " * 2000) + b" " * 2000)
    with pytest.raises(BadUpload, match="up to"):
        services.create_resource(network=world.network, by=world.teacher, title="Big", upload=big)
    assert stored_files(media) == []


def test_files_are_stored_under_generated_names(world, media):
    resource = add_resource(
        world.network, by=world.teacher, upload=pdf_upload("Hello", name="../../evil.pdf")
    )
    stored = resource.files.get()
    assert stored.original_name == "evil.pdf"
    assert "evil" not in stored.file.name and stored.file.name.endswith(".pdf")
    assert stored.content_type == "application/pdf"
    assert len(stored_files(media)) == 1


@pytest.mark.parametrize(
    "content, code, expected",
    [
        (pdf_bytes("Photosynthesis in leaves"), "pdf", "Photosynthesis"),
        (docx_bytes("Volcanoes erupt"), "docx", "Volcanoes"),
        (pptx_bytes("Glaciers carve valleys"), "pptx", "Glaciers"),
        (odt_bytes("Tectonic plates move"), "odt", "Tectonic"),
    ],
    # Named by kind: the documents carry the time they were made, and every xdist worker must
    # collect the same ids.
    ids=["pdf", "docx", "pptx", "odt"],
)
def test_text_is_read_from_each_kind_of_document(content, code, expected):
    upload = SimpleUploadedFile(f"file.{code}", content)
    assert inspect_upload(upload).kind.code == code
    assert expected in extract_text(content, code)


def test_xml_with_entities_is_not_expanded():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "word/document.xml",
            "<!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'>]><w:document>&a;&a;&a;</w:document>",
        )
    assert extract_text(buffer.getvalue(), "docx") == ""
