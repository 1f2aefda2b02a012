"""Reading school lists from CSV: England's GIAS extract and New Zealand's Directory of Schools.

Plain parsing and validation, no database. `parse_school_file(data)` returns the rows, or raises
`SchoolFileRefused` listing every problem; each problem names the row as a spreadsheet counts it
(the header is row 1) and the column as the file spells it. The service `import_schools` in
`services/school_import.py` writes the rows, all or nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from netlearn.core import intake
from netlearn.core.intake import (
    MAX_FILE_BYTES,
    NOT_PUBLISHED,
    CsvRows,
    FileRefused,
    Problem,
    normalise_header,
)

from .errors import NetworkError
from .models import Country, Phase, School, Setting

__all__ = ["MAX_FILE_BYTES", "NOT_PUBLISHED", "Problem", "normalise_header"]

# Past this many problems the list stops growing: a wrong file would otherwise list every row.
MAX_PROBLEMS = 500
MAX_ROLL = 1_000_000
# NZ Equity Index runs from about 344 to 569 (Ministry of Education, 2023); leave room to move.
MAX_EQUITY_INDEX = 999

GIAS = "GIAS establishment extract"
NZ_DIRECTORY = "New Zealand Directory of Schools"


class SchoolFileRefused(FileRefused, NetworkError):
    """The file was refused as a whole; nothing was written (see `core.intake.FileRefused`)."""


@dataclass(frozen=True)
class SchoolRow:
    row: int
    reference: str
    values: dict[str, object]


@dataclass(frozen=True)
class SchoolFile:
    format: str
    country: str
    fields: tuple[str, ...]
    """The school fields this file sets; fields without a column are left as they are."""
    rows: list[SchoolRow] = field(default_factory=list)
    """The open schools."""
    closed: tuple[str, ...] = ()
    """References of the schools the file lists as closed: marked closed, never created."""

    @property
    def skipped_closed(self) -> int:
        return len(self.closed)


# --- reading bytes --------------------------------------------------------------------------


def _refuse(message: str, row: int | None = None, column: str | None = None) -> SchoolFileRefused:
    return SchoolFileRefused([Problem(row, column, message)])


def read_limited(file) -> bytes:
    """Reads an upload or an open binary file, refusing one over MAX_FILE_BYTES."""
    try:
        return intake.read_limited(file)
    except FileRefused as refused:
        raise SchoolFileRefused(refused.problems) from None


def decode(data: bytes) -> str:
    """The file's text in the one encoding it shows (`core.intake.decode`)."""
    try:
        return intake.decode(data)
    except FileRefused as refused:
        raise SchoolFileRefused(refused.problems) from None


# --- columns --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    aliases: tuple[str, ...]
    required: bool = False


GIAS_COLUMNS = (
    Column("reference", "URN", ("urn",), required=True),
    Column("name", "EstablishmentName", ("establishmentname",), required=True),
    Column(
        "establishment_type",
        "TypeOfEstablishment (name)",
        ("typeofestablishmentname", "typeofestablishment"),
    ),
    Column("phase", "PhaseOfEducation (name)", ("phaseofeducationname", "phaseofeducation")),
    Column("authority", "LA (name)", ("laname", "localauthorityname", "localauthority")),
    Column("setting", "UrbanRural (name)", ("urbanruralname", "urbanrural")),
    Column("roll", "NumberOfPupils", ("numberofpupils",)),
    Column("fsm_percent", "PercentageFSM", ("percentagefsm",)),
    Column(
        "sen_percent",
        "PercentageSEN",
        ("percentagesen", "senpercent", "percentsen", "senpercentage"),
    ),
    Column("website", "SchoolWebsite", ("schoolwebsite", "website")),
    Column(
        "status", "EstablishmentStatus (name)", ("establishmentstatusname", "establishmentstatus")
    ),
)
NZ_COLUMNS = (
    Column(
        "reference",
        "School Number",
        ("schoolnumber", "schoolid", "institutionnumber"),
        required=True,
    ),
    Column("name", "Name", ("name", "orgname", "schoolname", "institutionname"), required=True),
    Column("establishment_type", "Org Type", ("orgtype", "schooltype", "institutiontype")),
    Column("authority", "Regional Council", ("regionalcouncil",)),
    Column("roll", "Total School Roll", ("totalschoolroll", "schoolroll", "totalroll", "total")),
    Column("equity_index", "Equity Index", ("equityindex", "equityindexeqi", "eqiindex", "eqi")),
    Column("setting", "Urban Rural Indicator", ("urbanruralindicator", "urbanrural")),
    Column("website", "Website", ("website", "url")),
    Column("status", "Status", ("status", "orgstatus", "schoolstatus", "institutionstatus")),
)


def _detect(header: list[str]) -> tuple[str, str, tuple[Column, ...]]:
    names = {normalise_header(cell) for cell in header}
    if "urn" in names:
        return GIAS, Country.ENGLAND, GIAS_COLUMNS
    if names.intersection(NZ_COLUMNS[0].aliases):
        return NZ_DIRECTORY, Country.NEW_ZEALAND, NZ_COLUMNS
    raise _refuse(
        "This is neither a GIAS establishment extract (it has no URN column) nor a New Zealand "
        "Directory of Schools file (it has no School Number column).",
        row=1,
    )


def _locate(header: list[str], columns: tuple[Column, ...]) -> tuple[dict, list[Problem]]:
    """Maps each known column to (index, name as written); unknown columns are ignored."""
    positions: dict[str, list[int]] = {}
    for index, cell in enumerate(header):
        positions.setdefault(normalise_header(cell), []).append(index)
    found: dict[str, tuple[int, str]] = {}
    problems: list[Problem] = []
    for column in columns:
        alias = next((alias for alias in column.aliases if alias in positions), None)
        if alias is None:
            if column.required:
                problems.append(
                    Problem(1, column.label, "this column is missing from the header row.")
                )
            continue
        indexes = positions[alias]
        name = header[indexes[0]].strip()
        if len(indexes) > 1:
            problems.append(Problem(1, name, "the column appears more than once."))
            continue
        found[column.key] = (indexes[0], name)
    return found, problems


# --- values ---------------------------------------------------------------------------------


class _Bad(ValueError):
    """A cell's value is wrong; the message completes 'Row n, column C: …'."""


_DIGITS = re.compile(r"\d+")
_DECIMAL = re.compile(r"(\d{1,3})(\.\d+)?%?")
_MAX_LENGTH = {
    name: School._meta.get_field(name).max_length
    for name in ("name", "reference", "establishment_type", "authority", "website")
}
_url_validator = URLValidator(schemes=["http", "https"])


def _reference(value: str) -> str:
    if not value:
        raise _Bad("is empty: every school needs its identifier.")
    if not _DIGITS.fullmatch(value):
        raise _Bad(f"“{value}” is not a school identifier (digits only).")
    reference = str(int(value))
    if len(reference) > _MAX_LENGTH["reference"]:
        raise _Bad(f"“{value}” is too long for a school identifier.")
    return reference


def _text(value: str, key: str, *, required: bool = False) -> str:
    if required and not value:
        raise _Bad("is empty.")
    if len(value) > _MAX_LENGTH[key]:
        raise _Bad(f"is longer than {_MAX_LENGTH[key]} characters.")
    return value


def _whole_number(value: str, maximum: int) -> int | None:
    if not value or value.lower() in NOT_PUBLISHED:
        return None
    number = value.replace(",", "")
    if not _DIGITS.fullmatch(number) or int(number) > maximum:
        raise _Bad(f"“{value}” is not a whole number between 0 and {maximum}.")
    return int(number)


def _percentage(value: str) -> Decimal | None:
    if not value or value.lower() in NOT_PUBLISHED:
        return None
    match = _DECIMAL.fullmatch(value)
    number = Decimal(value.rstrip("%")) if match else None
    if number is None or number > 100:
        raise _Bad(f"“{value}” is not a number between 0 and 100.")
    return number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _setting(value: str) -> str:
    # GIAS: "(England/Wales) Rural town and fringe"; NZ: "Main urban area", "Rural other".
    lowered = value.lower()
    if "rural" in lowered:
        return Setting.RURAL
    if "urban" in lowered:
        return Setting.URBAN
    return ""


def _website(value: str) -> str:
    """A usable link, or nothing: directories hold 'N/A', 'www.x.sch.uk' and worse."""
    if not value:
        return ""
    url = value if "://" in value else f"http://{value}"
    if len(url) > _MAX_LENGTH["website"]:
        return ""
    try:
        _url_validator(url)
    except ValidationError:
        return ""
    return url


GIAS_PHASES = {
    "nursery": Phase.EARLY_LEARNING,
    "primary": Phase.PRIMARY,
    "middle deemed primary": Phase.MIDDLE,
    "secondary": Phase.SECONDARY,
    "middle deemed secondary": Phase.MIDDLE,
    "16 plus": Phase.COLLEGE,
    "all-through": Phase.ALL_THROUGH,
    "all through": Phase.ALL_THROUGH,
}


def gias_phase(phase: str, establishment_type: str, name: str) -> str:
    """GIAS phase of education; for 'Not applicable', what the type or the name tells."""
    known = GIAS_PHASES.get(phase.lower())
    if known:
        return known
    kind, lowered_name = establishment_type.lower(), name.lower()
    if "special" in kind:
        return Phase.SPECIAL
    infant, junior = "infant" in lowered_name, "junior" in lowered_name
    if infant and junior:
        return Phase.PRIMARY
    if infant:
        return Phase.INFANT
    if junior:
        return Phase.JUNIOR
    if "further education" in kind or "sixth form" in kind:
        return Phase.COLLEGE
    return ""


# Order matters: "Restricted Composite" before "Composite", "Special" before the rest.
NZ_PHASES = (
    ("special", Phase.SPECIAL),
    ("kindergarten", Phase.EARLY_LEARNING),
    ("early learning", Phase.EARLY_LEARNING),
    ("early childhood", Phase.EARLY_LEARNING),
    ("kohanga", Phase.EARLY_LEARNING),
    ("kōhanga", Phase.EARLY_LEARNING),
    ("intermediate", Phase.MIDDLE),
    ("restricted composite", Phase.MIDDLE),
    ("composite", Phase.ALL_THROUGH),
    ("secondary", Phase.SECONDARY),
    ("full primary", Phase.PRIMARY),
    ("contributing", Phase.PRIMARY),
    ("primary", Phase.PRIMARY),
)


def nz_phase(org_type: str) -> str:
    lowered = org_type.lower()
    return next((phase for word, phase in NZ_PHASES if word in lowered), "")


# --- rows -----------------------------------------------------------------------------------


def _parse_row(
    cells: list[str], found: dict[str, tuple[int, str]], country: str
) -> tuple[str, dict[str, object], bool, list[tuple[str, str]]]:
    """Returns (reference, values, is_closed, [(column name, problem)])."""

    def cell(key: str) -> str:
        index = found[key][0]
        return cells[index].strip() if index < len(cells) else ""

    values: dict[str, object] = {}
    problems: list[tuple[str, str]] = []
    reference = ""

    def take(key: str, parse) -> None:
        if key not in found:
            return
        try:
            values[key] = parse(cell(key))
        except _Bad as exc:
            problems.append((found[key][1], str(exc)))

    take("reference", _reference)
    reference = values.pop("reference", "")
    take("name", lambda value: _text(value, "name", required=True))
    take("establishment_type", lambda value: _text(value, "establishment_type"))
    take("authority", lambda value: _text(value, "authority"))
    take("setting", _setting)
    take("roll", lambda value: _whole_number(value, MAX_ROLL))
    take("fsm_percent", _percentage)
    take("sen_percent", _percentage)
    take("equity_index", lambda value: _whole_number(value, MAX_EQUITY_INDEX))
    take("website", _website)
    if country == Country.ENGLAND and "phase" in found:
        values["phase"] = gias_phase(
            cell("phase"),
            cell("establishment_type") if "establishment_type" in found else "",
            cell("name"),
        )
    if country == Country.NEW_ZEALAND and "establishment_type" in found:
        values["phase"] = nz_phase(cell("establishment_type"))
    # GIAS: "Closed" (not "Open, but proposed to close"); the Ministry: "Closed", "Closed (merged)".
    is_closed = "status" in found and cell("status").lower().startswith("closed")
    return reference, values, is_closed, problems


def parse_school_file(data: bytes) -> SchoolFile:
    """Every row of a GIAS or NZ directory file, or SchoolFileRefused with every problem."""
    text = decode(data)
    # strict: a quoted field left open (a download cut short) is an error, not the rest of the file.
    table = CsvRows(text, strict=True)
    problems: list[Problem] = []
    more_problems = 0

    def note(problem: Problem) -> None:
        nonlocal more_problems
        if len(problems) < MAX_PROBLEMS:
            problems.append(problem)
        else:
            more_problems += 1

    rows: list[SchoolRow] = []
    first_row_of: dict[str, int] = {}
    closed: list[str] = []
    try:
        header = table.header()
    except FileRefused as refused:
        raise SchoolFileRefused(refused.problems) from None
    format_name, country, columns = _detect(header)
    found, header_problems = _locate(header, columns)
    if header_problems:
        raise SchoolFileRefused(header_problems)
    for row_number, cells in table:
        if len(cells) != len(header):
            # A row cut short would otherwise blank the columns it lost; one with extra
            # cells has its values under the wrong columns.
            note(
                Problem(
                    row_number,
                    None,
                    f"this row has {len(cells)} fields, but the header row has "
                    f"{len(header)}: it is cut short or has stray commas.",
                )
            )
            continue
        reference, values, is_closed, row_problems = _parse_row(cells, found, country)
        for column_name, message in row_problems:
            note(Problem(row_number, column_name, message))
        if reference:
            if reference in first_row_of:
                note(
                    Problem(
                        row_number,
                        found["reference"][1],
                        f"{reference} is also on row {first_row_of[reference]}: "
                        "each school may appear only once.",
                    )
                )
                continue
            first_row_of[reference] = row_number
        if row_problems:
            continue
        if is_closed:
            closed.append(reference)
            continue
        if "status" in found:
            values["is_closed"] = False  # listed as open: reopened if we had it closed
        rows.append(SchoolRow(row_number, reference, values))
    if table.broken is not None:
        note(table.broken)
    if problems:
        total = len(problems) + more_problems
        if more_problems:
            problems.append(Problem(None, None, f"…and {more_problems} more problems."))
        raise SchoolFileRefused(problems, total=total)
    if not rows and not closed:
        raise _refuse("The file has a header row but no schools.")
    fields = [key for key in found if key not in ("reference", "status")]
    if "phase" not in fields and (country == Country.NEW_ZEALAND and "establishment_type" in found):
        fields.append("phase")
    if "status" in found:
        fields.append("is_closed")
    return SchoolFile(format_name, country, tuple(fields), rows, tuple(closed))
