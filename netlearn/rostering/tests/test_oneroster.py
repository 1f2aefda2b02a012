"""Reading OneRoster 1.2 bundles: what is read, and each refusal, naming file, row and column."""

import io
import zipfile

import pytest

from netlearn.rostering.errors import RosterRefused
from netlearn.rostering.oneroster import read_bundle

from .bundles import school_bundle


def refusal(data: bytes) -> list[str]:
    with pytest.raises(RosterRefused) as refused:
        read_bundle(data)
    return [str(problem) for problem in refused.value.problems]


def test_a_school_bundle_gives_its_staff_and_pupils_with_year_group_and_class():
    bundle = school_bundle(identifier="900002", pupils=12, staff=3)
    roster = read_bundle(bundle.zip())
    school = roster.school("org-1")
    assert len(school.staff) == 3 and len(school.pupils) == 12
    pupil = next(p for p in school.pupils if p.source_id == "p1")
    user = bundle.user("p1")
    # Only the given name: the project keeps a pupil's first name, no more.
    assert pupil.name == user["givenName"]
    assert (pupil.year_group, pupil.class_name) == (7, "7B")
    teacher = next(s for s in school.staff if s.source_id == "s1")
    assert teacher.email == "staff1@school.example.org"
    assert teacher.job_title == "Teacher"
    assert [org.source_id for org in roster.schools] == ["org-1"]


def test_reception_is_kg_and_preferred_names_win():
    bundle = school_bundle(identifier="1", pupils=1, staff=0)
    bundle.user("p1").update(grades="KG", preferredGivenName="Bex")
    (pupil,) = read_bundle(bundle.zip()).school("org-1").pupils
    assert (pupil.name, pupil.year_group) == ("Bex", 0)


def test_a_bundle_in_another_version_is_refused_plainly():
    bundle = school_bundle(identifier="1")
    bundle.manifest["oneroster.version"] = "1.1"
    (message,) = refusal(bundle.zip())
    assert message.startswith("manifest.csv: ")
    assert "OneRoster 1.1" in message and "1.2" in message


def test_a_file_declared_bulk_must_be_in_the_zip():
    bundle = school_bundle(identifier="1")
    bundle.leave_out.add("enrollments")
    (message,) = refusal(bundle.zip())
    assert "enrollments.csv" in message and "bulk" in message


def test_a_delta_is_refused():
    bundle = school_bundle(identifier="1")
    bundle.manifest["file.users"] = "delta"
    assert "delta" in refusal(bundle.zip())[0]


def test_a_bad_grade_names_file_row_and_column():
    bundle = school_bundle(identifier="1", pupils=5, staff=2)
    bundle.user("p3").update(grades="Year Seven")
    # Two staff rows then p1, p2: p3 is on row 6.
    assert refusal(bundle.zip()) == [
        "users.csv, row 6, column grades: “Year Seven” is not a year group from KG "
        "(Reception) to 13."
    ]


def test_a_leaver_needs_no_grade():
    bundle = school_bundle(identifier="1", pupils=2, staff=0)
    bundle.user("p2").update(grades="", status="tobedeleted")
    assert [p.leaving for p in read_bundle(bundle.zip()).school("org-1").pupils] == [False, True]


def test_every_problem_is_listed_not_only_the_first():
    bundle = school_bundle(identifier="1", pupils=5, staff=2)
    bundle.user("s1")["email"] = "not an address"
    bundle.user("p2")["enabledUser"] = "maybe"
    bundle.rows["enrollments"][0]["classSourcedId"] = "no-such-class"
    messages = refusal(bundle.zip())
    assert any(m.startswith("users.csv, row 2, column email:") for m in messages)
    assert any(m.startswith("users.csv, row 5, column enabledUser:") for m in messages)
    assert any(m.startswith("enrollments.csv, row 2, column classSourcedId:") for m in messages)


def test_a_doubled_id_is_refused():
    bundle = school_bundle(identifier="1", pupils=3, staff=1)
    bundle.rows["users"][2]["sourcedId"] = "p1"
    assert "users.csv, row 4, column sourcedId: “p1” is also on row 3." in refusal(bundle.zip())


def test_a_row_cut_short_is_refused():
    bundle = school_bundle(identifier="1", pupils=3, staff=1)
    lines = bundle.csv_text("classes").split("\r\n")
    lines[2] = lines[2].rsplit(",", 3)[0]
    data = _replace_member(bundle.zip(), "classes.csv", "\r\n".join(lines).encode())
    (message,) = refusal(data)
    assert message.startswith("classes.csv, row 3: this row has 11 fields")


def test_staff_need_an_email_to_be_invited():
    bundle = school_bundle(identifier="1", pupils=0, staff=2)
    bundle.user("s2")["email"] = ""
    assert refusal(bundle.zip())[0].startswith("users.csv, row 3, column email:")


def test_legacy_role_columns_in_users_are_read_without_roles_csv():
    bundle = school_bundle(identifier="1", pupils=2, staff=1)
    bundle.manifest["file.roles"] = "absent"
    bundle.leave_out.add("roles")
    for row in bundle.rows["users"]:
        row["role"] = "student" if row["sourcedId"].startswith("p") else "teacher"
        row["orgSourcedIds"] = "org-1"
    school = read_bundle(bundle.zip()).school("org-1")
    assert (len(school.staff), len(school.pupils)) == (1, 2)


def test_demographics_and_other_files_are_never_read():
    bundle = school_bundle(identifier="1", pupils=2, staff=1)
    bundle.extra_files["courses.csv"] = b"\xff\xfe garbage"
    bundle.leave_out.add("demographics")
    bundle.extra_files["demographics.csv"] = b"\x00\x01 not even text"
    assert len(read_bundle(bundle.zip()).school("org-1").pupils) == 2


def test_tobedeleted_and_disabled_people_are_leaving():
    bundle = school_bundle(identifier="1", pupils=3, staff=2)
    bundle.user("p1")["status"] = "tobedeleted"
    bundle.user("s1")["enabledUser"] = "false"
    school = read_bundle(bundle.zip()).school("org-1")
    leaving = {p.source_id for p in [*school.staff, *school.pupils] if p.leaving}
    assert leaving == {"p1", "s1"}


def test_not_a_zip_is_refused():
    assert "not a zip" in refusal(b"sourcedId,name\r\n1,2\r\n")[0]


def test_a_zip_without_manifest_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("users.csv", "sourcedId\r\n")
    assert "manifest.csv" in refusal(buffer.getvalue())[0]


@pytest.mark.parametrize("name", ["../manifest.csv", "/etc/manifest.csv", "a\\..\\b.csv"])
def test_a_path_outside_the_zip_is_refused(name):
    data = school_bundle(identifier="1").zip()
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(name, "x")
    assert "outside itself" in refusal(buffer.getvalue())[0]


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    data = school_bundle(identifier="1").zip()
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("courses.csv", b"0" * (20 * 1024 * 1024))
    assert "zip bomb" in refusal(buffer.getvalue())[0]


def test_a_folder_zipped_whole_is_read():
    data = school_bundle(identifier="1", pupils=2, staff=1).zip()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for entry in source.infolist():
            target.writestr(f"export-2026/{entry.filename}", source.read(entry))
    assert len(read_bundle(buffer.getvalue()).school("org-1").pupils) == 2


def test_an_encoding_problem_names_the_file():
    bundle = school_bundle(identifier="1", pupils=1, staff=0)
    data = _replace_member(bundle.zip(), "classes.csv", b"sourcedId,title\r\n\x00\x01\r\n")
    assert refusal(data)[0].startswith("classes.csv: ")


def _replace_member(data: bytes, name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for entry in source.infolist():
            target.writestr(
                entry.filename, content if entry.filename == name else source.read(entry)
            )
    return buffer.getvalue()
