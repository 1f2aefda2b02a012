"""Reading a OneRoster 1.2 CSV bundle (a .zip): plain parsing and validation, no database.

`read_bundle(data)` opens the zip safely and returns a `Roster`, or raises `RosterRefused` listing
every problem, each naming the file, the row as a spreadsheet counts it (the header is row 1) and
the column as the file spells it. `Roster.school(org_id)` then picks out one school's staff and
pupils. The service in `services.py` writes them, all or nothing.

OneRoster 1.2 (1EdTech, 2022), CSV binding: manifest.csv names the version and, for each file,
`absent`, `bulk` or `delta`. Users' roles are in roles.csv in 1.2; exports that still write
1.1's `role` and `orgSourcedIds` columns in users.csv are read too. demographics.csv and the
gradebook and resource files are never read: Netlearn keeps only the minimal fields it holds.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from netlearn.core import intake
from netlearn.core.intake import CsvRows, FileRefused, Problem, normalise_header

from .errors import RosterRefused

MEGABYTE = 1024 * 1024
# A school of 2,000 pupils exports a few megabytes; a district's bundle may be far larger.
MAX_BUNDLE_BYTES = 20 * MEGABYTE
MAX_UNPACKED_BYTES = 200 * MEGABYTE
MAX_MEMBER_BYTES = 100 * MEGABYTE
# CSV compresses about 5 to 10 times; a zip bomb thousands of times.
MAX_RATIO = 100
MAX_ENTRIES = 40
MAX_PROBLEMS = 500

SUPPORTED_VERSION = "1.2"
# The files Netlearn reads; the rest of the bundle is ignored, unread.
REQUIRED_FILES = ("orgs", "users", "classes", "enrollments", "academicSessions")
READ_FILES = (*REQUIRED_FILES, "roles")

PUPIL_ROLES = frozenset({"student"})
# Staff roles of OneRoster 1.2 (roleType vocabulary) with the post Netlearn records.
STAFF_ROLES = {
    "administrator": ("Administrator", "senior"),
    "principal": ("Principal", "head"),
    "siteadministrator": ("Site administrator", "senior"),
    "districtadministrator": ("District administrator", "other"),
    "systemadministrator": ("System administrator", "other"),
    "teacher": ("Teacher", "teacher"),
    "aide": ("Teaching assistant", "support"),
    "proctor": ("Invigilator", "support"),
    "counselor": ("Counsellor", "support"),
}
# Parents and guardians are invited by the school's staff, never rostered in.
IGNORED_ROLES = frozenset({"guardian", "parent", "relative", "student-teacher", "extaccount"})
# CEDS grade levels (OneRoster's `grades`): KG is Reception, 01 to 13 the year groups.
GRADE_YEARS = {"kg": 0, **{f"{n:02d}": n for n in range(1, 14)}, **{str(n): n for n in range(14)}}

MAX_NAME = 50
MAX_STAFF_NAME = 150
MAX_CLASS = 30


@dataclass(frozen=True)
class FileProblem(Problem):
    """A problem in one file of the bundle: 'users.csv, row 5, column grades: …'."""

    file: str | None = None

    def __str__(self) -> str:
        plain = super().__str__()
        if self.file is None:
            return plain
        if self.row is None and self.column is None:
            return f"{self.file}: {plain}"
        return f"{self.file}, {plain[0].lower()}{plain[1:]}"


def _refuse(message: str, file: str | None = None, row=None, column=None) -> RosterRefused:
    return RosterRefused([FileProblem(row, column, message, file)])


# --- the zip ---------------------------------------------------------------------------------


_SAFE_NAME = re.compile(r"[A-Za-z0-9_.\- ]+")


def _members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The bundle's files by lower-cased name, refusing anything unsafe to open."""
    entries = [entry for entry in archive.infolist() if not entry.is_dir()]
    if len(entries) > MAX_ENTRIES:
        raise _refuse(f"The zip holds {len(entries)} files; a OneRoster bundle holds at most 20.")
    names = [entry.filename for entry in entries]
    for name in names:
        parts = name.split("/")
        if name.startswith("/") or "\\" in name or ".." in parts or ":" in name:
            raise _refuse(f"The zip names a file outside itself ({name[:80]!r}); refused.")
    # Zipping a folder puts every file under it; that one folder is fine.
    folders = {name.split("/")[0] for name in names if "/" in name}
    strip = len(folders) == 1 and all("/" in name for name in names)
    found: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for entry in entries:
        name = entry.filename.split("/", 1)[1] if strip else entry.filename
        if "/" in name or not _SAFE_NAME.fullmatch(name):
            continue  # not a file of the bundle's top level: never read
        key = name.lower()
        if key in found:
            raise _refuse(f"The zip holds {name} twice.")
        if entry.flag_bits & 0x1:
            raise _refuse(f"{name} is encrypted; export the bundle without a password.")
        total += entry.file_size
        if entry.file_size > MAX_MEMBER_BYTES or total > MAX_UNPACKED_BYTES:
            raise _refuse("The zip would unpack to too much data to be read safely.")
        if entry.compress_size and entry.file_size > 1_000_000:
            if entry.file_size / entry.compress_size > MAX_RATIO:
                raise _refuse(f"{name} is compressed suspiciously well (a zip bomb?); refused.")
        found[key] = entry
    return found


def _read_member(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, name: str) -> str:
    # The sizes in the zip's directory can lie: never read more than it declared.
    with archive.open(entry) as member:
        data = member.read(entry.file_size + 1)
    if len(data) > entry.file_size:
        raise _refuse("is larger than the zip says; refused.", file=name)
    try:
        return intake.decode(data)
    except FileRefused as refused:
        raise RosterRefused(
            [FileProblem(p.row, p.column, p.message, name) for p in refused.problems]
        ) from None


# --- tables -----------------------------------------------------------------------------------


@dataclass
class _Table:
    file: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]


class _Problems:
    def __init__(self):
        self.items: list[FileProblem] = []
        self.more = 0

    def add(self, file: str, row: int | None, column: str | None, message: str) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(FileProblem(row, column, message, file))
        else:
            self.more += 1

    def raise_any(self) -> None:
        if not self.items:
            return
        total = len(self.items) + self.more
        items: list[Problem] = list(self.items)
        if self.more:
            items.append(Problem(None, None, f"…and {self.more} more problems."))
        raise RosterRefused(items, total=total)


def _table(text: str, file: str, columns: tuple[str, ...], problems: _Problems) -> _Table | None:
    """Rows as {column key: cell}; `columns` are the keys the file must have."""
    table = CsvRows(text, strict=True)
    try:
        header = table.header()
    except FileRefused as refused:
        for p in refused.problems:
            problems.add(file, p.row, p.column, p.message)
        return None
    keys = [normalise_header(cell) for cell in header]
    missing = [c for c in columns if normalise_header(c) not in keys]
    for column in missing:
        problems.add(file, 1, column, "this column is missing from the header row.")
    doubled = {key for key in keys if keys.count(key) > 1 and key}
    for key in sorted(doubled):
        problems.add(file, 1, header[keys.index(key)], "the column appears more than once.")
    if missing or doubled:
        return None
    rows = []
    for number, cells in table:
        if len(cells) != len(header):
            problems.add(
                file,
                number,
                None,
                f"this row has {len(cells)} fields, but the header row has {len(header)}: "
                "it is cut short or has stray commas.",
            )
            continue
        rows.append((number, {key: cell.strip() for key, cell in zip(keys, cells, strict=True)}))
    if table.broken is not None:
        problems.add(file, table.broken.row, None, table.broken.message)
    return _Table(file, header, rows)


def _column_name(table: _Table, key: str) -> str:
    keys = [normalise_header(cell) for cell in table.header]
    return table.header[keys.index(normalise_header(key))].strip()


# --- what the bundle holds ---------------------------------------------------------------------


@dataclass(frozen=True)
class Org:
    source_id: str
    name: str
    type: str
    identifier: str


@dataclass(frozen=True)
class RosterPerson:
    source_id: str
    row: int
    is_pupil: bool
    name: str
    email: str = ""
    year_group: int | None = None
    class_name: str = ""
    job_title: str = ""
    level: str = ""
    leaving: bool = False
    """Marked `tobedeleted`, or no longer enabled: their place at the school ends."""


@dataclass(frozen=True)
class SchoolRoster:
    org: Org
    staff: list[RosterPerson]
    pupils: list[RosterPerson]

    @property
    def source_ids(self) -> set[str]:
        return {person.source_id for person in [*self.staff, *self.pupils]}


@dataclass
class _User:
    source_id: str
    row: int
    status: str
    enabled: bool
    role: str
    org_ids: set[str]
    name: str
    full_name: str
    email: str
    grade: str
    grade_problem: str | None


@dataclass
class Roster:
    source_system: str
    orgs: dict[str, Org]
    users: dict[str, _User] = field(default_factory=dict)
    roles: dict[str, dict[str, str]] = field(default_factory=dict)
    """userSourcedId → {orgSourcedId: role}, from roles.csv."""
    classes: dict[str, tuple[str, str, str, int]] = field(default_factory=dict)
    """sourcedId → (title, classType, schoolSourcedId, row)."""
    enrollments: list[tuple[str, str, str]] = field(default_factory=list)
    """(userSourcedId, classSourcedId, status)."""

    @property
    def schools(self) -> list[Org]:
        return [org for org in self.orgs.values() if org.type == "school"]

    def school(self, org_id: str) -> SchoolRoster:
        """The staff and pupils of one school, or RosterRefused naming what is wrong for it."""
        org = self.orgs[org_id]
        problems = _Problems()
        homeroom: dict[str, list[str]] = {}
        any_class: dict[str, list[str]] = {}
        for user_id, class_id, status in self.enrollments:
            if status == "tobedeleted" or class_id not in self.classes:
                continue
            title, class_type, school_id, _ = self.classes[class_id]
            if school_id != org_id:
                continue
            any_class.setdefault(user_id, []).append(class_id)
            if class_type == "homeroom":
                homeroom.setdefault(user_id, []).append(class_id)
        staff, pupils = [], []
        for user in self.users.values():
            role = self.roles.get(user.source_id, {}).get(org_id)
            if role is None and org_id in user.org_ids:
                role = user.role
            if role is None or role in IGNORED_ROLES:
                continue
            leaving = user.status == "tobedeleted" or not user.enabled
            if role in PUPIL_ROLES:
                if user.grade_problem and not leaving:
                    problems.add("users.csv", user.row, "grades", user.grade_problem)
                    continue
                classes = homeroom.get(user.source_id) or any_class.get(user.source_id) or []
                titles = sorted({self.classes[c][0] for c in classes})
                class_name = titles[0] if len(titles) == 1 else ""
                if len(class_name) > MAX_CLASS:
                    row = self.classes[classes[0]][3]
                    problems.add(
                        "classes.csv",
                        row,
                        "title",
                        f"“{class_name[:40]}…” is a pupil's class, and a class name holds at "
                        f"most {MAX_CLASS} characters.",
                    )
                    continue
                pupils.append(
                    RosterPerson(
                        user.source_id,
                        user.row,
                        True,
                        user.name,
                        year_group=GRADE_YEARS.get(user.grade.lower()),
                        class_name=class_name,
                        leaving=leaving,
                    )
                )
            else:
                if not user.email and not leaving:
                    problems.add(
                        "users.csv",
                        user.row,
                        "email",
                        "a member of staff needs an email address to be invited.",
                    )
                    continue
                job_title, level = STAFF_ROLES[role]
                staff.append(
                    RosterPerson(
                        user.source_id,
                        user.row,
                        False,
                        user.full_name,
                        email=user.email,
                        job_title=job_title,
                        level=level,
                        leaving=leaving,
                    )
                )
        problems.raise_any()
        return SchoolRoster(org, staff, pupils)


def _manifest(text: str) -> tuple[dict[str, str], str]:
    problems = _Problems()
    table = _table(text, "manifest.csv", ("propertyName", "value"), problems)
    problems.raise_any()
    properties: dict[str, str] = {}
    for number, row in table.rows:
        name = row["propertyname"]
        if name in properties:
            problems.add("manifest.csv", number, "propertyName", f"{name} appears twice.")
        properties[name] = row["value"]
    problems.raise_any()
    version = properties.get("oneroster.version")
    if version is None:
        raise _refuse(
            "it does not say which OneRoster version the bundle is (oneroster.version).",
            file="manifest.csv",
        )
    if version != SUPPORTED_VERSION:
        raise _refuse(
            f"the bundle is OneRoster {version[:20]}; Netlearn reads OneRoster "
            f"{SUPPORTED_VERSION} CSV bundles only. Export it again as OneRoster 1.2.",
            file="manifest.csv",
        )
    modes = {}
    for name in READ_FILES:
        mode = properties.get(f"file.{name}", "absent").lower()
        if mode not in ("absent", "bulk", "delta"):
            raise _refuse(
                f"file.{name} is “{mode[:20]}”; it must be absent, bulk or delta.",
                file="manifest.csv",
            )
        modes[name] = mode
    for name in REQUIRED_FILES:
        if modes[name] == "delta":
            raise _refuse(
                f"{name}.csv is a delta; import a full (bulk) export, so that leavers can be "
                "told from the people it lists.",
                file="manifest.csv",
            )
        if modes[name] != "bulk":
            raise _refuse(
                f"file.{name} must be bulk: Netlearn needs the whole of {name}.csv.",
                file="manifest.csv",
            )
    if modes["roles"] == "delta":
        raise _refuse("roles.csv is a delta; import a full (bulk) export.", file="manifest.csv")
    return modes, properties.get("source.systemName", "")[:100]


_STATUSES = ("", "active", "tobedeleted")


def _status(row: dict[str, str], file: str, number: int, problems: _Problems) -> str:
    status = row.get("status", "").lower()
    if status not in _STATUSES:
        problems.add(file, number, "status", f"“{status[:20]}” is not active or tobedeleted.")
    return status


def _grade(grades: str) -> tuple[str, str | None]:
    values = [value.strip() for value in grades.split(",") if value.strip()]
    if not values:
        return "", "a pupil needs their grade (KG for Reception, 01 to 13 for year groups)."
    if len({value.lower() for value in values}) > 1:
        return "", f"“{grades[:30]}” gives several grades; a pupil is in one year group."
    if values[0].lower() not in GRADE_YEARS:
        return "", f"“{values[0][:20]}” is not a year group from KG (Reception) to 13."
    return values[0], None


def read_bundle(data: bytes) -> Roster:
    """A OneRoster 1.2 CSV bundle's orgs, users, classes and enrollments, or RosterRefused."""
    if not data.startswith(b"PK\x03\x04"):
        raise _refuse("This is not a zip file: upload the OneRoster CSV bundle as a .zip.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = _members(archive)
            if "manifest.csv" not in members:
                raise _refuse("The zip has no manifest.csv: is it a OneRoster CSV bundle?")
            modes, source = _manifest(
                _read_member(archive, members["manifest.csv"], "manifest.csv")
            )
            texts = {}
            for name, mode in modes.items():
                file = f"{name}.csv"
                if mode == "absent":
                    continue
                if file.lower() not in members:
                    raise _refuse(f"The manifest declares {file} as {mode}, but the zip lacks it.")
                texts[name] = _read_member(archive, members[file.lower()], file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError):
        raise _refuse(
            "The zip file is damaged or uses a compression Netlearn cannot read."
        ) from None
    return _parse(texts, source)


def _parse(texts: dict[str, str], source: str) -> Roster:
    problems = _Problems()
    orgs_table = _table(
        texts["orgs"], "orgs.csv", ("sourcedId", "name", "type", "identifier"), problems
    )
    users_table = _table(
        texts["users"],
        "users.csv",
        ("sourcedId", "enabledUser", "givenName", "familyName", "email", "grades"),
        problems,
    )
    classes_table = _table(
        texts["classes"], "classes.csv", ("sourcedId", "title", "schoolSourcedId"), problems
    )
    enrollments_table = _table(
        texts["enrollments"],
        "enrollments.csv",
        ("sourcedId", "classSourcedId", "userSourcedId", "role"),
        problems,
    )
    sessions_table = _table(
        texts["academicSessions"], "academicSessions.csv", ("sourcedId", "title", "type"), problems
    )
    roles_table = None
    if "roles" in texts:
        roles_table = _table(
            texts["roles"], "roles.csv", ("userSourcedId", "role", "orgSourcedId"), problems
        )
    problems.raise_any()
    roster = Roster(source, {})

    def unique(table: _Table) -> dict[str, dict[str, str]]:
        seen: dict[str, int] = {}
        for number, row in table.rows:
            source_id = row["sourcedid"]
            if not source_id:
                problems.add(table.file, number, "sourcedId", "is empty.")
            elif len(source_id) > 255:
                problems.add(table.file, number, "sourcedId", "is longer than 255 characters.")
            elif source_id in seen:
                problems.add(
                    table.file,
                    number,
                    "sourcedId",
                    f"“{source_id[:40]}” is also on row {seen[source_id]}.",
                )
            else:
                seen[source_id] = number
            _status(row, table.file, number, problems)
        return seen

    unique(sessions_table)
    unique(orgs_table)
    for _number, row in orgs_table.rows:
        roster.orgs[row["sourcedid"]] = Org(
            row["sourcedid"], row["name"][:200], row["type"].lower(), row["identifier"]
        )
    unique(classes_table)
    for number, row in classes_table.rows:
        if row["schoolsourcedid"] not in roster.orgs:
            problems.add("classes.csv", number, "schoolSourcedId", "names no org of orgs.csv.")
        roster.classes[row["sourcedid"]] = (
            row["title"],
            row.get("classtype", "").lower(),
            row["schoolsourcedid"],
            number,
        )
    legacy_roles = "role" in [normalise_header(h) for h in users_table.header]
    unique(users_table)
    for number, row in users_table.rows:
        _user(roster, row, number, legacy_roles, roles_table is not None, problems)
    if roles_table is not None:
        for number, row in roles_table.rows:
            user_id, org_id = row["usersourcedid"], row["orgsourcedid"]
            role = row["role"].lower()
            if user_id not in roster.users:
                problems.add("roles.csv", number, "userSourcedId", "names no user of users.csv.")
            elif org_id not in roster.orgs:
                problems.add("roles.csv", number, "orgSourcedId", "names no org of orgs.csv.")
            elif role not in STAFF_ROLES and role not in PUPIL_ROLES | IGNORED_ROLES:
                problems.add("roles.csv", number, "role", f"“{role[:30]}” is not a OneRoster role.")
            elif _status(row, "roles.csv", number, problems) != "tobedeleted":
                roster.roles.setdefault(user_id, {})[org_id] = role
    unique(enrollments_table)
    for number, row in enrollments_table.rows:
        user_id, class_id = row["usersourcedid"], row["classsourcedid"]
        if user_id not in roster.users:
            problems.add("enrollments.csv", number, "userSourcedId", "names no user of users.csv.")
        elif class_id not in roster.classes:
            problems.add(
                "enrollments.csv", number, "classSourcedId", "names no class of classes.csv."
            )
        else:
            roster.enrollments.append((user_id, class_id, row.get("status", "").lower()))
    # What each role needs, checked here too so that one refusal lists every problem.
    for user in roster.users.values():
        if user.status == "tobedeleted" or not user.enabled:
            continue
        roles = {user.role, *roster.roles.get(user.source_id, {}).values()} - {""}
        if roles & PUPIL_ROLES and user.grade_problem:
            problems.add("users.csv", user.row, "grades", user.grade_problem)
        if roles & set(STAFF_ROLES) and not user.email:
            problems.add(
                "users.csv",
                user.row,
                "email",
                "a member of staff needs an email address to be invited.",
            )
    problems.raise_any()
    return roster


def _user(roster, row, number, legacy_roles, has_roles_file, problems) -> None:
    file = "users.csv"
    enabled = row["enableduser"].lower()
    if enabled not in ("true", "false"):
        problems.add(file, number, "enabledUser", f"“{enabled[:20]}” is not true or false.")
    given = row.get("preferredgivenname") or row["givenname"]
    family = row.get("preferredfamilyname") or row["familyname"]
    role = row.get("role", "").lower() if legacy_roles else ""
    if legacy_roles and role not in STAFF_ROLES and role not in PUPIL_ROLES | IGNORED_ROLES:
        problems.add(file, number, "role", f"“{role[:30]}” is not a OneRoster role.")
    if not legacy_roles and not has_roles_file:
        problems.add(
            file,
            number,
            None,
            "no role: OneRoster 1.2 bundles give roles in roles.csv, and the manifest has none.",
        )
    org_ids = {
        value.strip()
        for value in (
            row.get("orgsourcedids", "") + "," + row.get("primaryorgsourcedid", "")
        ).split(",")
        if value.strip()
    }
    if not given:
        problems.add(file, number, "givenName", "is empty.")
    elif len(given) > MAX_NAME:
        problems.add(file, number, "givenName", f"is longer than {MAX_NAME} characters.")
    full_name = f"{given} {family}".strip()
    if len(full_name) > MAX_STAFF_NAME:
        problems.add(file, number, "familyName", "the name is too long.")
    email = row["email"]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.add(file, number, "email", f"“{email[:60]}” is not an email address.")
    grade, grade_problem = _grade(row["grades"])
    status = _status(row, file, number, problems)
    roster.users[row["sourcedid"]] = _User(
        row["sourcedid"],
        number,
        status,
        enabled == "true",
        role,
        org_ids,
        given,
        full_name,
        email,
        grade,
        grade_problem,
    )
