"""The ledger and a funder's statement as CSV and XLSX (openpyxl).

Amounts leave as numbers in separate in/out columns, so no figure is negative text; every text
cell that a spreadsheet would run as a formula is written as text (docs/safety.md: a cell that
starts with `=`, `+`, `-` or `@`). Files go out through core's safe download helper.
"""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from netlearn.core.downloads import as_download, spreadsheet_text
from netlearn.core.money import SYMBOLS

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

LEDGER_HEADER = [
    "Date",
    "Recorded at",
    "Entry",
    "Why",
    "School",
    "Source",
    "Funder",
    "Funder reference",
    "Currency",
    "In",
    "Out",
    "Committed",
    "Commitment released",
    "Recorded by",
    "Override",
    "Reverses entry",
    "Entry id",
]


def _split(effect: Decimal) -> tuple[Decimal | None, Decimal | None]:
    """A signed effect as (increase, decrease), each positive or empty."""
    if effect > 0:
        return effect, None
    if effect < 0:
        return None, -effect
    return None, None


def ledger_rows(entries, currency: str):
    for entry in entries:
        cash_in, cash_out = _split(entry.cash_effect)
        committed, released = _split(entry.commitment_effect)
        yield [
            entry.occurred_on.isoformat(),
            entry.recorded_at.strftime("%Y-%m-%d %H:%M"),
            entry.get_kind_display(),
            entry.description,
            entry.school.name if entry.school else "",
            entry.get_source_display() if entry.source else "",
            entry.funder,
            entry.funder_reference,
            currency,
            cash_in,
            cash_out,
            committed,
            released,
            entry.recorded_by.name,
            entry.override_reason,
            entry.reverses_id or "",
            entry.pk,
        ]


def _money_columns(header) -> set[int]:
    return {
        index
        for index, name in enumerate(header)
        if name in ("In", "Out", "Committed", "Commitment released", "Amount", "Total")
    }


def csv_download(filename: str, header: list[str], rows) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    money = _money_columns(header)
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [
                ("" if value is None else f"{value:.2f}")
                if index in money and not isinstance(value, str)
                else spreadsheet_text(value)
                for index, value in enumerate(row)
            ]
        )
    response = HttpResponse(buffer.getvalue().encode("utf-8"))
    return as_download(
        response, filename=filename, content_type="text/csv; charset=utf-8", sandbox=False
    )


def xlsx_download(filename: str, title: str, header: list[str], rows, currency: str):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    money = _money_columns(header)
    number_format = f'"{SYMBOLS[currency]}"#,##0.00'
    sheet.append(header)
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            if index in money and isinstance(value, Decimal):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = number_format
            elif isinstance(value, int) and not isinstance(value, bool):
                cell = WriteOnlyCell(sheet, value=value)
            else:
                cell = WriteOnlyCell(sheet, value=spreadsheet_text(value))
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return as_download(
        HttpResponse(buffer.getvalue()), filename=filename, content_type=XLSX_TYPE, sandbox=False
    )


STATEMENT_HEADER = ["Section", "Date", "Entry", "Why", "Funder reference", "School", "Amount"]


def statement_rows(*, budget, funder, start, end, income, spending):
    """A funder's statement: what they gave over the period, and the budget's spending."""
    currency = budget.network.currency
    yield ["Statement", "", "", f"{funder} · {budget.title} · {budget.network.name}", "", "", ""]
    yield ["Period", start.isoformat(), end.isoformat(), f"Amounts in {currency}", "", "", ""]
    received = Decimal("0.00")
    for entry in income:
        received += entry.cash_effect
        yield [
            "Income",
            entry.occurred_on.isoformat(),
            entry.get_kind_display(),
            entry.description,
            entry.funder_reference,
            entry.school.name if entry.school else "",
            entry.cash_effect,
        ]
    yield ["Total income", "", "", "", "", "", received]
    spent = Decimal("0.00")
    for entry in spending:
        spent += -entry.cash_effect
        yield [
            "Spending",
            entry.occurred_on.isoformat(),
            entry.get_kind_display(),
            entry.description,
            "",
            entry.school.name if entry.school else "",
            -entry.cash_effect,
        ]
    yield ["Total spending", "", "", "", "", "", spent]
