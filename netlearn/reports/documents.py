"""Reports and compilations as files: the page's own templates printed to a tagged PDF
(`core.pdf`, WeasyPrint), and the report's tables as XLSX (openpyxl). Files go out through core's
safe download helper.
"""

import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from netlearn.core.downloads import as_download, spreadsheet_text
from netlearn.core.pdf import PDF_TYPE, pdf_from_template

__all__ = ["PDF_TYPE", "pdf_from_template", "pdf_response", "report_xlsx", "xlsx_response"]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE_LIMIT = 31  # Excel's limit on a sheet's name


def pdf_response(pdf: bytes, *, filename: str) -> HttpResponse:
    return as_download(HttpResponse(pdf), filename=filename, content_type=PDF_TYPE)


def _cell(sheet, value):
    """A figure as a number where it is one, so the spreadsheet can add it up; else text."""
    text = "" if value is None else str(value)
    plain = text.replace(",", "")
    try:
        number = float(plain)
    except ValueError:
        return WriteOnlyCell(sheet, value=spreadsheet_text(text))
    if plain.strip() != plain or not plain or plain.lower() in ("nan", "inf", "-inf", "infinity"):
        return WriteOnlyCell(sheet, value=spreadsheet_text(text))
    return WriteOnlyCell(
        sheet, value=int(number) if number.is_integer() and "." not in plain else number
    )


def report_xlsx(document) -> bytes:
    """Every table of the report, one sheet each, headed by its columns."""
    workbook = Workbook(write_only=True)
    about = workbook.create_sheet("Report")
    contents = document.contents
    for label, value in (
        ("Network", contents["network"]),
        ("Report", contents["title"]),
        ("Period", f"{contents['starts_on']} to {contents['ends_on']}"),
        ("Version", document.version.number),
        ("Status", document.version.get_status_display()),
    ):
        about.append([spreadsheet_text(label), spreadsheet_text(value)])
    used = {"Report"}
    for section in contents["sections"]:
        for table in section["tables"]:
            name = table["title"][:SHEET_TITLE_LIMIT]
            for forbidden in "[]:*?/\\":
                name = name.replace(forbidden, " ")
            while name in used:
                name = f"{name[: SHEET_TITLE_LIMIT - 2]} 2"
            used.add(name)
            sheet = workbook.create_sheet(name)
            header = []
            for column in table["columns"]:
                cell = WriteOnlyCell(sheet, value=spreadsheet_text(column))
                cell.font = Font(bold=True)
                header.append(cell)
            sheet.append(header)
            for row in table["rows"]:
                sheet.append([_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, *, filename: str) -> HttpResponse:
    return as_download(HttpResponse(content), filename=filename, content_type=XLSX_TYPE)
