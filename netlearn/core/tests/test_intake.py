import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from netlearn.core import intake
from netlearn.core.intake import CsvRows, FileRefused, Problem


def test_a_file_over_the_limit_is_refused_before_it_is_read():
    class Huge:
        size = 101

        def read(self, *args):
            raise AssertionError("read an oversized file")

    with pytest.raises(FileRefused, match="larger than"):
        intake.read_limited(Huge(), limit=100)


def test_a_file_without_a_size_is_read_only_to_one_byte_past_the_limit():
    with pytest.raises(FileRefused, match="larger than 50 MB"):
        intake.read_limited(io.BytesIO(b"x" * (intake.MAX_FILE_BYTES + 1)))
    assert intake.read_limited(io.BytesIO(b"URN\n1\n"), limit=6) == b"URN\n1\n"


def test_a_file_opened_as_text_is_refused():
    with pytest.raises(FileRefused, match="binary mode"):
        intake.read_limited(io.StringIO("URN\n"))


@pytest.mark.parametrize(
    "data, text",
    [
        (b"\xef\xbb\xbfName\nZo\xc3\xab\n", "Name\nZoë\n"),
        ("Name\nZoë\n".encode(), "Name\nZoë\n"),
        ("Name\nZoë\n".encode("cp1252"), "Name\nZoë\n"),
    ],
)
def test_text_is_read_in_the_one_encoding_it_shows(data, text):
    assert intake.decode(data) == text


@pytest.mark.parametrize(
    "data, message",
    [
        (b"  \n", "The file is empty."),
        (b"PK\x03\x04rest", "zip archive or Excel workbook, not a CSV file"),
        (b"\xff\xfeN\x00", "UTF-16 or UTF-32"),
        (b"a,b\n\x00\x01", "binary data"),
        (b"Name\nZo\xc3\xab\nCaf\xe9\n", "UTF-8 up to line 3"),
        (b"Name\nCaf\xe9\nZo\xc3\xab\n", "line 3 holds UTF-8"),
        (b"Name\nbell\x07\n", "Line 2 holds control characters"),
    ],
)
def test_text_that_is_not_one_encoding_is_refused_naming_the_line(data, message):
    with pytest.raises(FileRefused, match=message):
        intake.decode(data)


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    "data, kind",
    [
        (b"%PDF-1.7\n", "pdf"),
        (b"\x89PNG\r\n\x1a\nrest", "png"),
        (b"GIF89a...", "gif"),
        (b"Notes for the meeting.", "txt"),
        (b"<html><script>alert(1)</script></html>", None),
        (b'<svg xmlns="http://www.w3.org/2000/svg"/>', None),
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 20, None),
    ],
)
def test_a_file_is_judged_by_its_content_never_its_name(data, kind):
    assert intake.detect_kind(_upload("lesson.pdf", data)) == kind


def test_the_eicar_signature_is_refused():
    with pytest.raises(FileRefused, match="EICAR"):
        intake.detect_kind(_upload("a.txt", b"X5O!P%@AP EICAR-STANDARD-ANTIVIRUS-TEST-FILE!"))


def test_an_upload_names_what_takes_it_when_refused():
    with pytest.raises(FileRefused, match="the library takes files up to"):
        intake.inspect_upload(_upload("a.txt", b"x" * 2048), max_bytes=1024, taken_by="the library")
    with pytest.raises(FileRefused, match="The library accepts"):
        intake.inspect_upload(
            _upload("a.pdf", b"<html></html>"), max_bytes=1024, taken_by="the library"
        )
    checked = intake.inspect_upload(
        _upload("dir/a.pdf", b"%PDF-1.7\n"), max_bytes=1024, taken_by="x"
    )
    assert checked.kind.code == "pdf" and checked.original_name == "a.pdf"


def test_csv_rows_are_numbered_as_a_spreadsheet_counts_them():
    table = CsvRows('Name,Roll\n"Zoë, Ann",3\n\n,\nBea,"2\n1"\nCy,4\n')
    assert table.header() == ["Name", "Roll"]
    assert list(table) == [(2, ["Zoë, Ann", "3"]), (5, ["Bea", "2\n1"]), (6, ["Cy", "4"])]
    assert table.broken is None


def test_a_csv_that_breaks_stops_with_a_problem_on_the_next_row():
    table = CsvRows('Name\nAnn\n"Bea\n', strict=True)
    table.header()
    assert list(table) == [(2, ["Ann"])]
    assert table.broken.row == 3 and table.broken.column is None
    assert str(table.broken).startswith("Row 3: the CSV cannot be read (")


@pytest.mark.parametrize("text", [",,\nAnn\n", " \n"])
def test_a_header_that_names_no_column_is_refused_on_row_1(text):
    with pytest.raises(FileRefused) as caught:
        CsvRows(text).header()
    assert str(caught.value) == "Row 1: The first row should name the columns, but it is empty."


def test_a_problem_names_its_row_and_column():
    assert str(Problem(4, "URN", "is empty.")) == "Row 4, column URN: is empty."
    assert str(Problem(None, None, "The file is empty.")) == "The file is empty."
    refused = FileRefused([Problem(2, None, "a"), Problem(3, None, "b")], total=7)
    assert str(refused) == "Row 2: a (and 6 more problems)" and refused.total == 7


def test_the_size_table_reads_the_deployment_settings(settings):
    settings.LIBRARY_MAX_UPLOAD_BYTES = 1000
    settings.DISCUSSION_MAX_ATTACHMENT_BYTES = 500
    assert intake.library_max_bytes() == 1000 and intake.attachment_max_bytes() == 500
