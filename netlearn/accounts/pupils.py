"""Pupil accounts: made by their school's staff from a CSV of first names, with no email, and
handed out on printed sign-in slips.

For services that have already checked the caller's right to manage the school's pupils; what the
school records about a pupil beyond the account (year group, class, public name) is theirs.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from netlearn.core.intake import CsvRows, FileRefused, Problem

from . import services
from .errors import AccountError, InvalidPupilFile
from .models import Kind, Person
from .pupil_passwords import new_pupil_password

if TYPE_CHECKING:
    from netlearn.networks.models import School

MAX_PUPIL_ROWS = 1000

COLUMN_NAMES = {
    "first_name": "first name",
    "year_group": "year group",
    "class": "class",
}


@dataclass(frozen=True)
class PupilRow:
    first_name: str
    year_group: int
    class_name: str


@dataclass(frozen=True)
class SignInSlip:
    person: Person
    year_group: int
    class_name: str
    password: str


def _header_key(name: str) -> str:
    return re.sub(r"[\s_-]+", "_", (name or "").strip().lower().lstrip("\ufeff"))


def _column(key: str) -> str:
    return f"“{COLUMN_NAMES[key]}”"


def parse_pupil_file(text: str) -> list[PupilRow]:
    """Reads a CSV of pupils (first name, year group, class). Every problem is reported, with
    its row and column, before anything is written."""
    if "\x00" in text:
        raise InvalidPupilFile(["The file is not a CSV text file."])
    if not text.strip():
        raise InvalidPupilFile(["The file is empty: it needs a header row."])
    # strict: a quoted field left open (a download cut short) is a problem, not the rest.
    table = CsvRows(text, strict=True)
    try:
        header = table.header()
    except FileRefused as refused:
        raise InvalidPupilFile([str(problem) for problem in refused.problems]) from None
    keys = [_header_key(name) for name in header]
    missing = [label for key, label in COLUMN_NAMES.items() if key not in keys]
    if missing:
        raise InvalidPupilFile(
            [f"The file has no column “{label}”." for label in missing]
            + ["The header row must name the columns: first name, year group, class."]
        )
    index = {key: keys.index(key) for key in COLUMN_NAMES}
    rows: list[PupilRow] = []
    problems: list[Problem] = []
    for number, line in table:

        def cell(key, line=line):
            position = index[key]
            return line[position].strip() if position < len(line) else ""

        def note(key, message, number=number):
            problems.append(Problem(number, _column(key), message))

        first_name, year, class_name = cell("first_name"), cell("year_group"), cell("class")
        if not first_name:
            note("first_name", "give the pupil's first name.")
        elif len(first_name) > 50:
            note("first_name", "at most 50 characters.")
        if not year:
            note("year_group", "the year group is missing.")
        elif not year.isdigit() or not 0 <= int(year) <= 13:
            note("year_group", f"“{year[:20]}” is not a year group from 0 (Reception) to 13.")
        if len(class_name) > 30:
            note("class", "at most 30 characters.")
        if not problems:
            rows.append(PupilRow(first_name, int(year), class_name))
    if table.broken is not None:
        problems.append(table.broken)
    errors = [str(problem) for problem in problems]
    if not errors and not rows:
        errors.append("The file has a header row but no pupils.")
    if len(rows) > MAX_PUPIL_ROWS:
        errors.append(f"Import at most {MAX_PUPIL_ROWS} pupils at a time.")
    if errors:
        raise InvalidPupilFile(errors)
    return rows


def _username_for(first_name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", first_name).encode("ascii", "ignore").decode()
    base = "".join(ch for ch in ascii_name.lower() if ch.isalnum())[:20] or "pupil"
    while True:
        username = f"{base}{secrets.randbelow(9000) + 1000}"
        if not Person.objects.filter(username=username).exists():
            return username


@transaction.atomic
def create_pupils(*, school: School, rows: list[PupilRow]) -> list[SignInSlip]:
    """Creates one pupil account of `school` a row and returns their sign-in slips.

    The passwords are on the slips only: they are stored hashed and never shown again.
    """
    slips = []
    for row in rows:
        password = new_pupil_password()
        person = services.create_person(
            username=_username_for(row.first_name),
            name=row.first_name,
            kind=Kind.PUPIL,
            password=password,
            pupil_school=school,
        )
        slips.append(SignInSlip(person, row.year_group, row.class_name, password))
    return slips


@transaction.atomic
def reset_password(*, pupil: Person) -> str:
    """Gives the pupil a new password and returns it, for their slip: it is never shown again."""
    password = new_pupil_password()
    pupil.set_password(password)
    pupil.save(update_fields=["password"])
    return password


def clean_public_name(*, pupil: Person, public_name: str) -> str:
    """The name everyone outside the pupil's school is to see, checked; refused with an
    AccountError that says why."""
    cleaned = (public_name or "").strip()
    if any(unicodedata.category(char).startswith("C") for char in cleaned):
        raise AccountError(_("A public name cannot hold control characters."))
    if len(cleaned) > 60:
        raise AccountError(_("Keep the public name to 60 characters."))
    full = [part.casefold() for part in pupil.name.split() if part]
    if len(full) > 1 and full[-1] in cleaned.casefold().split():
        # The point of the public name is that other schools do not learn the family name.
        raise AccountError(_("Leave the pupil's family name out of their public name."))
    return cleaned


@transaction.atomic
def update_pupil_accounts(
    *, school: School, names: dict[int, str], active: dict[int, bool]
) -> None:
    """Renames pupils of `school` and turns their accounts on or off (a leaver's is off: they
    can no longer sign in, and their words stay with the school's spaces)."""
    pupils = Person.objects.filter(kind=Kind.PUPIL, pupil_school=school)
    for person_id, name in names.items():
        pupils.filter(pk=person_id).update(name=name)
    for is_active in (True, False):
        ids = [person_id for person_id, value in active.items() if value is is_active]
        for start in range(0, len(ids), 900):
            pupils.filter(pk__in=ids[start : start + 900]).update(is_active=is_active)
