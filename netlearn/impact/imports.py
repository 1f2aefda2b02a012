"""Reading outcome data from CSV: school-year figures and pupil-level records.

The same rules as the GIAS importer, both read through `netlearn.core.intake`: the file is
judged by its content (archives, workbooks and binary refused unread),
UTF-8 or Windows-1252, at most 50 MB. Unlike a GIAS extract, an outcome file has no standard
header, so the person maps its columns to our fields: `guess_mapping` proposes a mapping from the
headers, `parse` reads every row under a confirmed mapping and returns the rows, or raises
`ImportRefused` with every problem, each naming the row as a spreadsheet counts it (the header
is row 1) and the column as the file spells it. No database writes here; `services.import_dataset`
writes the rows, all or nothing.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext, gettext_lazy

from netlearn.core import intake
from netlearn.core.intake import NOT_PUBLISHED, CsvRows, FileRefused, Problem, normalise_header

from .errors import ImportRefused
from .models import DatasetKind

MAX_PROBLEMS = 200
MAX_ROWS = 2_000_000
MAX_COLUMNS = 500
PREVIEW_ROWS = 10
# Years a result can be for; an academic year "2023/24" is the year it ends (2024).
FIRST_YEAR, LAST_YEAR = 1990, 2100
MAX_ABS_VALUE = 1e9
MAX_COHORT = 1_000_000
MAX_TEXT = 100


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    aliases: tuple[str, ...]
    required: bool = False
    help: str = ""


SCHOOL = Field(
    "school",
    gettext_lazy("School (URN or school number)"),
    ("urn", "schoolurn", "schoolnumber", "school", "schoolid", "reference", "ref", "institution"),
    required=True,
)
YEAR = Field(
    "year",
    gettext_lazy("Year"),
    ("year", "academicyear", "yearofresults", "resultsyear", "time", "timeperiod", "cohortyear"),
    required=True,
    help=gettext_lazy("2024, or an academic year such as 2023/24 (read as its end, 2024)."),
)
SCHOOL_FIELDS = (
    SCHOOL,
    YEAR,
    Field(
        "value",
        gettext_lazy("Value of the measure"),
        (
            "value",
            "result",
            "score",
            "percentage",
            "percent",
            "attainment",
            "attainment8",
            "progress8",
            "figure",
            "mean",
        ),
        required=True,
        help=gettext_lazy("Rows marked as not published (c, x, SUPP, blank) are skipped."),
    ),
    Field(
        "cohort",
        gettext_lazy("Pupils it rests on (cohort)"),
        ("cohort", "n", "pupils", "cohortsize", "numberofpupils", "tpup", "eligiblepupils"),
        required=True,
    ),
    Field(
        "disadvantage",
        gettext_lazy("Disadvantage % (FSM) or Equity Index"),
        (
            "fsm",
            "fsmpercent",
            "percentfsm",
            "percentagefsm",
            "fsm6",
            "disadvantage",
            "disadvantaged",
            "ptfsm6cla1a",
            "equityindex",
            "eqi",
        ),
    ),
    Field(
        "authority_value",
        gettext_lazy("Local authority figure"),
        ("authority", "la", "laaverage", "lavalue", "authorityvalue", "localauthority", "region"),
    ),
    Field(
        "nation_value",
        gettext_lazy("National figure"),
        ("national", "nation", "england", "nationalaverage", "nationvalue", "newzealand"),
    ),
)
PUPIL_FIELDS = (
    Field(
        "pupil",
        gettext_lazy("Pseudonymous pupil id"),
        ("pupil", "pupilid", "pseudonym", "student", "studentid", "candidate", "id", "pupilref"),
        required=True,
        help=gettext_lazy("Never a name or a UPN: an id only the school can link to a pupil."),
    ),
    SCHOOL,
    YEAR,
    Field(
        "outcome",
        gettext_lazy("Outcome"),
        ("outcome", "score", "result", "attainment", "attainment8", "ks4", "ks2", "normexam"),
        required=True,
    ),
    Field(
        "prior",
        gettext_lazy("Prior attainment"),
        ("prior", "priorattainment", "baseline", "ks2prior", "ks1", "standlrt", "intake"),
    ),
    Field(
        "fsm", gettext_lazy("Free school meals (1/0)"), ("fsm", "fsmever6", "disadvantaged", "pp")
    ),
    Field("sen", gettext_lazy("Special educational needs (1/0)"), ("sen", "send", "senstatus")),
    Field("eal", gettext_lazy("English as an additional language (1/0)"), ("eal", "firstlanguage")),
    Field("sex", gettext_lazy("Sex"), ("sex", "gender")),
)
FIELDS = {DatasetKind.SCHOOL: SCHOOL_FIELDS, DatasetKind.PUPIL: PUPIL_FIELDS}
FLAGS = ("fsm", "sen", "eal")
_TRUE = {"1", "y", "yes", "true", "t"}
_FALSE = {"0", "n", "no", "false", "f"}
_YEAR = re.compile(r"(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?")
_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?%?")
_DIGITS = re.compile(r"\d+")


def _refused(message: str, row: int | None = None, column: str | None = None) -> ImportRefused:
    return ImportRefused([Problem(row, column, message)])


def read_text(file) -> str:
    """The upload as text, or ImportRefused: too large, binary, an archive, not text."""
    try:
        return intake.decode(intake.read_limited(file))
    except FileRefused as refused:
        raise ImportRefused(refused.problems) from None


def read_header(text: str) -> list[str]:
    return _header(CsvRows(text, strict=False))


def _header(table: CsvRows) -> list[str]:
    try:
        header = table.header()
    except FileRefused as refused:
        raise ImportRefused(refused.problems) from None
    if len(header) > MAX_COLUMNS:
        raise _refused(
            gettext("The file has more than %(number)s columns.") % {"number": MAX_COLUMNS}, row=1
        )
    return [cell.strip() for cell in header]


def guess_mapping(header: list[str], kind: str, *, measure_code: str = "") -> dict[str, int]:
    """field → column index, for the headers that name a field (or the measure's code)."""
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        positions.setdefault(normalise_header(cell), index)
    mapping: dict[str, int] = {}
    taken: set[int] = set()
    for spec in FIELDS[kind]:
        aliases = list(spec.aliases)
        if measure_code and spec.key in ("value", "outcome"):
            aliases.insert(0, normalise_header(measure_code))
        for alias in aliases:
            index = positions.get(alias)
            if index is not None and index not in taken:
                mapping[spec.key] = index
                taken.add(index)
                break
    return mapping


@dataclass
class ParsedFile:
    kind: str
    header: list[str]
    mapping: dict[str, int]
    extra: list[int]
    rows: list[dict] = field(default_factory=list)
    skipped: int = 0
    """Rows skipped because the source marks their figure as not published."""

    @property
    def columns(self) -> dict[str, str]:
        """field → column name as the file spells it (kept on the dataset)."""
        named = {key: self.header[index] for key, index in self.mapping.items()}
        for index in self.extra:
            named[f"context:{self.header[index]}"] = self.header[index]
        return named


class _Bad(ValueError):
    """A cell's value is wrong; the message completes 'Row n, column C: …'."""


def _number(value: str, *, maximum: float = MAX_ABS_VALUE) -> float:
    cleaned = value.replace(",", "")
    if not _NUMBER.fullmatch(cleaned):
        raise _Bad(gettext("“%(value)s” is not a number.") % {"value": value[:40]})
    number = float(cleaned.rstrip("%"))
    if not math.isfinite(number) or abs(number) > maximum:
        raise _Bad(gettext("“%(value)s” is out of range.") % {"value": value[:40]})
    return number


def _optional_number(value: str) -> float | None:
    if not value or value.lower() in NOT_PUBLISHED:
        return None
    return _number(value)


def _year(value: str) -> int:
    match = _YEAR.fullmatch(value)
    if not match:
        raise _Bad(gettext("“%(value)s” is not a year (2024, or 2023/24).") % {"value": value[:40]})
    start, end = int(match.group(1)), match.group(2)
    year = start
    if end is not None:
        year = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
        if year < start:
            year += 100
        if year - start != 1:
            raise _Bad(
                gettext("“%(value)s” is not an academic year (such as 2023/24).")
                % {"value": value[:40]}
            )
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise _Bad(
            gettext("%(year)s is not a year between %(first)s and %(last)s.")
            % {"year": year, "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return year


def _cohort(value: str) -> int:
    cleaned = value.replace(",", "")
    if not _DIGITS.fullmatch(cleaned) or int(cleaned) > MAX_COHORT:
        raise _Bad(gettext("“%(value)s” is not a whole number of pupils.") % {"value": value[:40]})
    return int(cleaned)


def _flag(value: str) -> int | None:
    lowered = value.lower()
    if not lowered:
        return None
    if lowered in _TRUE:
        return 1
    if lowered in _FALSE:
        return 0
    raise _Bad(gettext("“%(value)s” is not 1/0 or yes/no.") % {"value": value[:40]})


def _text(value: str) -> str | None:
    if len(value) > MAX_TEXT:
        raise _Bad(gettext("is longer than %(number)s characters.") % {"number": MAX_TEXT})
    return value or None


def _context_value(value: str):
    if not value:
        return None
    cleaned = value.replace(",", "")
    if _NUMBER.fullmatch(cleaned) and not cleaned.endswith("%"):
        number = float(cleaned)
        if math.isfinite(number) and abs(number) <= MAX_ABS_VALUE:
            return number
    return _text(value)


def reference_key(value: str) -> str:
    """URNs and NZ school numbers compare as numbers ('0123' is school 123, as GIAS stores it)."""
    value = value.strip()
    return str(int(value)) if _DIGITS.fullmatch(value) and len(value) < 19 else value


def _check_mapping(header: list[str], kind: str, mapping: dict[str, int], extra: list[int]):
    problems = []
    used: dict[int, str] = {}
    for spec in FIELDS[kind]:
        index = mapping.get(spec.key)
        if index is None:
            if spec.required:
                problems.append(
                    Problem(
                        None,
                        None,
                        gettext("Choose the column that holds %(field)s.") % {"field": spec.label},
                    )
                )
            continue
        if not 0 <= index < len(header):
            problems.append(
                Problem(
                    None,
                    None,
                    gettext("%(field)s: choose a column of the file.") % {"field": spec.label},
                )
            )
            continue
        if index in used:
            problems.append(
                Problem(
                    1,
                    header[index],
                    gettext("the column is chosen for both %(first)s and %(second)s.")
                    % {"first": used[index], "second": spec.label},
                )
            )
        used[index] = spec.label
    for index in extra:
        if not 0 <= index < len(header):
            problems.append(
                Problem(None, None, gettext("Keep only columns of the file as context."))
            )
        elif index in used:
            problems.append(
                Problem(1, header[index], gettext("the column is already mapped to a field."))
            )
    if problems:
        raise ImportRefused(problems)


def parse(
    text: str,
    kind: str,
    mapping: dict[str, int],
    *,
    schools: dict[str, int],
    comparison_schools: dict[str, int] | None = None,
    extra: list[int] | None = None,
) -> ParsedFile:
    """Every row of the file under `mapping`, or ImportRefused listing every problem.

    `schools` maps each network school's reference (see `reference_key`) to its id; a row naming
    any other school is a problem, unless `comparison_schools` (school-year files only) knows it,
    in which case it is kept as a comparison school. `extra`: further columns to keep as pupil
    context (pupil files only).
    """
    if kind not in FIELDS:
        raise _refused(gettext("Choose whether the file holds school figures or pupil records."))
    extra = sorted(set(extra or [])) if kind == DatasetKind.PUPIL else []
    table = CsvRows(text, strict=False)
    header = _header(table)
    _check_mapping(header, kind, mapping, extra)
    names = {key: header[index] for key, index in mapping.items()}
    parsed = ParsedFile(kind, header, dict(mapping), extra)
    problems: list[Problem] = []
    more = 0
    first_row_of: dict[tuple, int] = {}

    def note(row: int | None, column: str | None, message: str) -> None:
        nonlocal more
        if len(problems) < MAX_PROBLEMS:
            problems.append(Problem(row, column, message))
        else:
            more += 1

    for row_number, cells in table:
        if len(parsed.rows) >= MAX_ROWS:
            note(
                row_number,
                None,
                gettext("the file has more than %(number)s rows.") % {"number": MAX_ROWS},
            )
            break
        row, reference = _parse_row(cells, kind, mapping, names, header, extra, note, row_number)
        if row == "skip":
            parsed.skipped += 1
            continue
        school_id = schools.get(reference) if reference else None
        is_comparison = False
        if school_id is None and reference and comparison_schools is not None:
            school_id = comparison_schools.get(reference)
            is_comparison = school_id is not None
        if school_id is None and reference:
            note(
                row_number,
                names["school"],
                gettext("no school with the reference “%(reference)s” is in the network.")
                % {"reference": reference[:40]},
            )
            continue
        if row is None:
            continue
        row["is_comparison"] = is_comparison
        row["school_id"] = school_id
        key = (
            (row["pupil"], row["year"])
            if kind == DatasetKind.PUPIL
            else (
                school_id,
                row["year"],
            )
        )
        if key in first_row_of:
            note(
                row_number,
                names["pupil" if kind == DatasetKind.PUPIL else "school"],
                (
                    gettext(
                        "this pupil and year are also on row %(row)s: each may appear only once."
                    )
                    if kind == DatasetKind.PUPIL
                    else gettext(
                        "this school and year are also on row %(row)s: each may appear only once."
                    )
                )
                % {"row": first_row_of[key]},
            )
            continue
        first_row_of[key] = row_number
        row["row"] = row_number
        parsed.rows.append(row)
    if table.broken is not None:
        note(table.broken.row, None, table.broken.message)
    if more:
        problems.append(
            Problem(None, None, gettext("…and %(number)s more problems.") % {"number": more})
        )
    if problems:
        raise ImportRefused(problems)
    if not parsed.rows:
        raise _refused(gettext("The file has a header row but no rows to import."))
    return parsed


def _parse_row(cells, kind, mapping, names, header, extra, note, row_number):
    def cell(key: str) -> str:
        index = mapping[key]
        return cells[index].strip() if index < len(cells) else ""

    values: dict = {}
    failed = False

    def take(key: str, parse, *, required: bool = False) -> None:
        nonlocal failed
        if key not in mapping:
            return
        raw = cell(key)
        if required and not raw:
            note(row_number, names[key], gettext("is empty."))
            failed = True
            return
        try:
            values[key] = parse(raw)
        except _Bad as exc:
            note(row_number, names[key], str(exc))
            failed = True

    reference = cell("school")
    if not reference:
        note(row_number, names["school"], gettext("is empty: every row needs its school."))
        failed = True
    elif len(reference) > 40:
        note(row_number, names["school"], gettext("is too long for a school reference."))
        failed = True
    reference = reference_key(reference) if not failed else ""
    take("year", _year, required=True)
    if kind == DatasetKind.SCHOOL:
        raw_value = cell("value")
        if not raw_value or raw_value.lower() in NOT_PUBLISHED:
            return (None if failed else "skip"), reference
        take("value", _number, required=True)
        take("cohort", _cohort, required=True)
        take("disadvantage", _optional_number)
        take("authority_value", _optional_number)
        take("nation_value", _optional_number)
        if "disadvantage" in values and values["disadvantage"] is not None:
            if not 0 <= values["disadvantage"] <= 1000:
                note(row_number, names["disadvantage"], gettext("is not a percentage or an index."))
                failed = True
    else:
        take("pupil", lambda raw: _text(raw) or "", required=True)
        take("outcome", _number, required=True)
        take("prior", _optional_number)
        context = {}
        for key in FLAGS:
            take(key, _flag)
            if key in values:
                context[key] = values.pop(key)
        take("sex", _text)
        if "sex" in values:
            context["sex"] = values.pop("sex")
        for index in extra:
            raw = cells[index].strip() if index < len(cells) else ""
            try:
                context[header[index]] = _context_value(raw)
            except _Bad as exc:
                note(row_number, header[index], str(exc))
                failed = True
        values["context"] = context
    return (None if failed else values), reference
