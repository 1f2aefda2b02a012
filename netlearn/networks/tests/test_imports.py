import codecs
import csv
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from netlearn.networks import services
from netlearn.networks.imports import (
    MAX_FILE_BYTES,
    SchoolFileRefused,
    decode,
    gias_phase,
    nz_phase,
    parse_school_file,
)
from netlearn.networks.models import Country, Network, NetworkMembership, Phase, School

from .factories import NetworkFactory, PersonFactory

GIAS_HEADER = [
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (name)",
    "EstablishmentStatus (name)",
    "PhaseOfEducation (name)",
    "StatutoryLowAge",
    "NumberOfPupils",
    "PercentageFSM",
    "SchoolWebsite",
    "UrbanRural (name)",
    "Postcode",
]
GIAS_ROWS = [
    [
        "100001",
        "202",
        "Camden",
        "2001",
        "Alder Infant School",
        "Community school",
        "Open",
        "Not applicable",
        "3",
        "180",
        "24.5",
        "www.alder.camden.sch.uk",
        "(England/Wales) Urban major conurbation",
        "NW1 1AA",
    ],
    [
        "100002",
        "202",
        "Camden",
        "2002",
        "Beech Primary School",
        "Academy converter",
        "Open",
        "Primary",
        "4",
        "420",
        "",
        "https://beech.example.org/",
        "(England/Wales) Urban major conurbation",
        "NW1 1AB",
    ],
    [
        "100003",
        "830",
        "Derbyshire",
        "7001",
        "Chestnut Special School",
        "Community special school",
        "Open",
        "Not applicable",
        "2",
        "95",
        "41.0",
        "",
        "(England/Wales) Rural village",
        "DE4 1AA",
    ],
    [
        "100004",
        "830",
        "Derbyshire",
        "4001",
        "Dale Bank Academy – Sixth Form",
        "Academy sponsor led",
        "Open, but proposed to close",
        "Secondary",
        "11",
        "1,104",
        "SUPP",
        "N/A",
        "(England/Wales) Rural town and fringe",
        "DE4 1AB",
    ],
    [
        "100005",
        "830",
        "Derbyshire",
        "4002",
        "Old Mill School",
        "Community school",
        "Closed",
        "Primary",
        "4",
        "",
        "",
        "",
        "(England/Wales) Rural village",
        "DE4 1AC",
    ],
]
NZ_HEADER = [
    "School_Id",
    "Org_Name",
    "Telephone",
    "Org_Type",
    "Authority",
    "Regional_Council",
    "Total School Roll",
    "Equity Index (EQI)",
    "Urban_Rural_Indicator",
    "URL",
]
NZ_ROWS = [
    ["1", "Ōtaki Full Primary", "06 364 0000", "Full Primary", "State", "Wellington Region",
     "210", "452", "Small urban area", "https://otaki.school.nz"],
    ["2", "Kāpiti Intermediate", "", "Intermediate", "State", "Wellington Region", "600", "401",
     "Medium urban area", ""],
    ["3", "Rangitoto College", "", "Secondary (Year 9-15)", "State", "Auckland Region", "3200",
     "", "Major urban area", "rangitoto.school.nz"],
    ["4", "Tūranga Kura", "", "Composite", "State Integrated", "Gisborne Region", "150", "569",
     "Rural other", ""],
]  # fmt: skip


def to_csv(header, rows, encoding="utf-8") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def with_cell(header, rows, row_index, column, value):
    rows = [list(row) for row in rows]
    rows[row_index][header.index(column)] = value
    return rows


def snapshot():
    """Every school and membership, field by field, to prove that nothing changed."""
    schools = list(School.objects.order_by("pk").values())
    memberships = list(NetworkMembership.objects.order_by("pk").values())
    for school in schools:
        school.pop("updated_at")
    return schools, memberships


def upload(data: bytes, name="schools.csv"):
    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.fixture
def admin(db):
    return PersonFactory(username="importadmin", is_superuser=True, is_staff=True)


# --- parsing --------------------------------------------------------------------------------


def test_gias_extract_is_read_with_its_columns_mapped():
    parsed = parse_school_file(to_csv(GIAS_HEADER, GIAS_ROWS, encoding="cp1252"))
    assert parsed.country == Country.ENGLAND
    assert parsed.skipped_closed == 1
    rows = {row.reference: row.values for row in parsed.rows}
    assert set(rows) == {"100001", "100002", "100003", "100004"}
    assert rows["100001"] == {
        "name": "Alder Infant School",
        "establishment_type": "Community school",
        "phase": Phase.INFANT,
        "authority": "Camden",
        "setting": "urban",
        "roll": 180,
        "fsm_percent": Decimal("24.5"),
        "website": "http://www.alder.camden.sch.uk",
        "is_closed": False,
    }
    assert rows["100003"]["phase"] == Phase.SPECIAL
    assert rows["100003"]["setting"] == "rural"
    assert rows["100004"]["name"] == "Dale Bank Academy – Sixth Form"  # cp1252 en dash
    assert rows["100004"]["roll"] == 1104
    assert rows["100004"]["fsm_percent"] is None  # suppressed
    assert rows["100004"]["website"] == ""  # "N/A" is not a link
    assert "sen_percent" not in parsed.fields  # no column: left as it is


def test_gias_extract_in_utf8_with_bom_is_read():
    parsed = parse_school_file(to_csv(GIAS_HEADER, GIAS_ROWS, encoding="utf-8-sig"))
    assert parsed.rows[3].values["name"] == "Dale Bank Academy – Sixth Form"


@pytest.mark.parametrize(
    "phase, kind, name, expected",
    [
        ("Nursery", "Local authority nursery school", "Acorn Nursery", Phase.EARLY_LEARNING),
        ("Middle deemed primary", "Community school", "X Middle", Phase.MIDDLE),
        ("Middle deemed secondary", "Academy", "X Middle", Phase.MIDDLE),
        ("16 plus", "Academy 16-19 converter", "X Sixth Form", Phase.COLLEGE),
        ("All-through", "Free schools", "X Academy", Phase.ALL_THROUGH),
        ("Not applicable", "Further education", "X College", Phase.COLLEGE),
        ("Not applicable", "Community school", "Hill Junior School", Phase.JUNIOR),
        ("Not applicable", "Community school", "Hill Junior and Infant School", Phase.PRIMARY),
        ("Not applicable", "Pupil referral unit", "Hill Centre", ""),
    ],
)
def test_gias_phases(phase, kind, name, expected):
    assert gias_phase(phase, kind, name) == expected


@pytest.mark.parametrize(
    "org_type, expected",
    [
        ("Contributing", Phase.PRIMARY),
        ("Secondary (Year 7-15)", Phase.SECONDARY),
        ("Restricted Composite (Year 7-10)", Phase.MIDDLE),
        ("Special School", Phase.SPECIAL),
        ("Kindergarten", Phase.EARLY_LEARNING),
        ("Correspondence School", ""),
    ],
)
def test_nz_phases(org_type, expected):
    assert nz_phase(org_type) == expected


def test_nz_directory_is_read_with_lenient_headers():
    parsed = parse_school_file(to_csv(NZ_HEADER, NZ_ROWS))
    assert parsed.country == Country.NEW_ZEALAND
    rows = {row.reference: row.values for row in parsed.rows}
    assert rows["1"]["authority"] == "Wellington Region"
    assert rows["1"]["phase"] == Phase.PRIMARY
    assert rows["2"]["phase"] == Phase.MIDDLE
    assert rows["3"]["phase"] == Phase.SECONDARY
    assert rows["3"]["equity_index"] is None
    assert rows["3"]["website"] == "http://rangitoto.school.nz"
    assert rows["4"]["equity_index"] == 569
    assert rows["4"]["setting"] == "rural"
    header = ["School Number", "Name", "Org Type", "EQUITY_INDEX", "urban rural indicator"]
    parsed = parse_school_file(to_csv(header, [["7", "Te Kura", "Composite", "500", "Rural"]]))
    assert parsed.rows[0].values == {
        "name": "Te Kura",
        "establishment_type": "Composite",
        "phase": Phase.ALL_THROUGH,
        "equity_index": 500,
        "setting": "rural",
    }


def refusal(data: bytes) -> list[str]:
    with pytest.raises(SchoolFileRefused) as caught:
        parse_school_file(data)
    return [str(problem) for problem in caught.value.problems]


def test_every_bad_cell_is_named_by_row_and_column():
    rows = with_cell(GIAS_HEADER, GIAS_ROWS, 2, "PercentageFSM", "abc")
    rows = with_cell(GIAS_HEADER, rows, 3, "NumberOfPupils", "-5")
    rows = with_cell(GIAS_HEADER, rows, 0, "EstablishmentName", "")
    assert refusal(to_csv(GIAS_HEADER, rows)) == [
        "Row 2, column EstablishmentName: is empty.",
        "Row 4, column PercentageFSM: “abc” is not a number between 0 and 100.",
        "Row 5, column NumberOfPupils: “-5” is not a whole number between 0 and 1000000.",
    ]


def test_percentage_over_100_and_bad_equity_index_are_refused():
    assert refusal(
        to_csv(GIAS_HEADER, with_cell(GIAS_HEADER, GIAS_ROWS, 0, "PercentageFSM", "101"))
    )
    problems = refusal(
        to_csv(NZ_HEADER, with_cell(NZ_HEADER, NZ_ROWS, 1, "Equity Index (EQI)", "4k"))
    )
    assert problems == [
        "Row 3, column Equity Index (EQI): “4k” is not a whole number between 0 and 999."
    ]


def test_missing_required_column_is_named():
    header = [name for name in GIAS_HEADER if name != "EstablishmentName"]
    rows = [row[:4] + row[5:] for row in GIAS_ROWS]
    assert refusal(to_csv(header, rows)) == [
        "Row 1, column EstablishmentName: this column is missing from the header row."
    ]


def test_duplicate_identifier_names_both_rows():
    rows = [*GIAS_ROWS, list(GIAS_ROWS[1])]
    assert refusal(to_csv(GIAS_HEADER, rows)) == [
        "Row 7, column URN: 100002 is also on row 3: each school may appear only once."
    ]


def test_identifiers_must_be_digits():
    rows = with_cell(GIAS_HEADER, GIAS_ROWS, 0, "URN", "10O001")
    assert refusal(to_csv(GIAS_HEADER, rows)) == [
        "Row 2, column URN: “10O001” is not a school identifier (digits only)."
    ]


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"", "The file is empty."),
        (b"\r\n \r\n", "The file is empty."),
        (to_csv(GIAS_HEADER, GIAS_ROWS, encoding="utf-16"), "UTF-16"),
        (codecs.BOM_UTF8 + "URN,EstablishmentName\n1,Caf\xe9\n".encode("cp1252"), "line 2"),
        (b"\x00\x01\x02\xff" * 50, "binary"),
        (b"URN,EstablishmentName\n1,\x07bell\n", "control characters"),
        (b"PK\x03\x04" + b"\x00" * 100, "zip archive"),
        (b"Name,Address\nA school,Somewhere\n", "neither a GIAS"),
        (b"URN,EstablishmentName\n", "no schools"),
    ],
)
def test_files_that_are_not_school_csvs_are_refused(data, expected):
    (problem,) = refusal(data)
    assert expected in problem


def test_a_real_zip_of_a_csv_is_refused_unopened():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("schools.csv", to_csv(GIAS_HEADER, GIAS_ROWS))
    (problem,) = refusal(buffer.getvalue())
    assert "not a CSV file" in problem


# --- the service ----------------------------------------------------------------------------


def test_gias_import_creates_schools_and_adds_them_to_the_network(admin):
    network = NetworkFactory(slug="camden")
    result = services.import_schools(
        file=upload(to_csv(GIAS_HEADER, GIAS_ROWS, "cp1252")), by=admin, network=network
    )
    assert (result.rows, result.created, result.updated, result.unchanged) == (4, 4, 0, 0)
    assert (result.skipped_closed, result.added_to_network, result.already_in_network) == (1, 4, 0)
    assert not School.objects.filter(reference="100005").exists()  # closed
    alder = School.objects.get(country=Country.ENGLAND, reference="100001")
    assert (alder.name, alder.phase, alder.roll, alder.fsm_percent) == (
        "Alder Infant School",
        Phase.INFANT,
        180,
        Decimal("24.5"),
    )
    assert NetworkMembership.objects.current().filter(network=network).count() == 4


def test_importing_twice_gives_the_same_state(admin):
    network = NetworkFactory(slug="camden")
    data = to_csv(GIAS_HEADER, GIAS_ROWS)
    services.import_schools(file=upload(data), by=admin, network=network)
    first = snapshot()
    again = services.import_schools(file=upload(data), by=admin, network=network)
    assert snapshot() == first
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert (again.added_to_network, again.already_in_network) == (0, 4)


def test_reimport_updates_by_identifier_and_leaves_unread_fields(admin):
    services.import_schools(file=upload(to_csv(GIAS_HEADER, GIAS_ROWS)), by=admin)
    School.objects.filter(reference="100002").update(sen_percent=Decimal("12.0"))
    rows = with_cell(GIAS_HEADER, GIAS_ROWS, 1, "NumberOfPupils", "450")
    rows = with_cell(GIAS_HEADER, rows, 1, "EstablishmentName", "Beech Academy")
    rows = with_cell(GIAS_HEADER, rows, 1, "PercentageFSM", "30.06")
    stamp = School.objects.get(reference="100002").updated_at
    result = services.import_schools(file=upload(to_csv(GIAS_HEADER, rows)), by=admin)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    beech = School.objects.get(reference="100002")
    assert (beech.name, beech.roll, beech.sen_percent) == ("Beech Academy", 450, Decimal("12.0"))
    assert beech.fsm_percent == Decimal("30.1")
    assert beech.updated_at > stamp
    assert School.objects.filter(reference="100002").count() == 1


def test_nz_import_matches_by_country_and_school_number(admin):
    # England's school 1 and New Zealand's school 1 are different schools.
    School.objects.create(name="English one", country=Country.ENGLAND, reference="1")
    network = NetworkFactory(slug="kahui", country=Country.NEW_ZEALAND)
    result = services.import_schools(
        file=upload(to_csv(NZ_HEADER, NZ_ROWS)), by=admin, network=network
    )
    assert (result.created, result.added_to_network) == (4, 4)
    assert School.objects.get(country=Country.ENGLAND, reference="1").name == "English one"
    otaki = School.objects.get(country=Country.NEW_ZEALAND, reference="1")
    assert (otaki.equity_index, otaki.authority) == (452, "Wellington Region")


def test_file_of_another_country_than_the_network_is_refused(admin):
    network = NetworkFactory(slug="camden", country=Country.ENGLAND)
    before = snapshot()
    with pytest.raises(SchoolFileRefused, match="New Zealand"):
        services.import_schools(file=upload(to_csv(NZ_HEADER, NZ_ROWS)), by=admin, network=network)
    assert snapshot() == before


def test_members_already_in_the_network_are_skipped(world):
    rows = [with_cell(GIAS_HEADER, GIAS_ROWS, 0, "URN", "900001")[0], GIAS_ROWS[1]]
    result = services.import_schools(
        file=upload(to_csv(GIAS_HEADER, rows)), by=world.co_leader, network=world.network
    )
    assert (result.created, result.updated, result.added_to_network) == (1, 1, 1)
    assert result.already_in_network == 1  # Alder Primary (URN 900001)
    world.school_a.refresh_from_db()
    assert world.school_a.name == "Alder Infant School"


BAD_FILES = {
    "bad number": to_csv(GIAS_HEADER, with_cell(GIAS_HEADER, GIAS_ROWS, 3, "PercentageFSM", "abc")),
    "missing column": to_csv(GIAS_HEADER[:4] + GIAS_HEADER[5:], [r[:4] + r[5:] for r in GIAS_ROWS]),
    "duplicate URN": to_csv(GIAS_HEADER, [*GIAS_ROWS, GIAS_ROWS[0]]),
    "wrong encoding": to_csv(GIAS_HEADER, GIAS_ROWS, encoding="utf-16"),
    "empty": b"",
    "binary junk": bytes(range(256)) * 40,
}  # fmt: skip


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_bad_file_changes_nothing(world, name):
    # The good rows come first, so a partial write would show.
    rows = with_cell(GIAS_HEADER, GIAS_ROWS, 0, "URN", "900001")
    services.import_schools(
        file=upload(to_csv(GIAS_HEADER, rows[:1])), by=world.admin, network=world.network
    )
    before = snapshot()
    with pytest.raises(SchoolFileRefused) as caught:
        services.import_schools(
            file=upload(BAD_FILES[name]), by=world.co_leader, network=world.network
        )
    assert caught.value.problems
    assert snapshot() == before


def test_a_file_over_the_size_limit_is_refused_before_reading(admin):
    class Huge:
        size = MAX_FILE_BYTES + 1

        def read(self, *args):
            raise AssertionError("read an oversized file")

    with pytest.raises(SchoolFileRefused, match="larger than 50 MB"):
        services.import_schools(file=Huge(), by=admin)
    data = b"URN,EstablishmentName\n" + b"1" * MAX_FILE_BYTES
    with pytest.raises(SchoolFileRefused, match="larger than 50 MB"):
        services.import_schools(file=io.BytesIO(data), by=admin)


@pytest.mark.parametrize(
    "who, with_network, allowed",
    [
        ("admin", False, True),
        ("admin", True, True),
        ("co_leader", True, True),
        ("co_leader", False, False),  # co-leaders choose one of their networks
        ("foreign_co_leader", True, False),  # not their network
        ("teacher", True, False),
        ("school_lead", True, False),
        ("partner", True, False),
        ("pupil", True, False),
    ],
)
def test_who_may_import(world, who, with_network, allowed):
    person = getattr(world, who)
    network = world.network if with_network else None
    data = upload(to_csv(GIAS_HEADER, GIAS_ROWS))
    if allowed:
        assert services.import_schools(file=data, by=person, network=network).created == 4
    else:
        before = snapshot()
        with pytest.raises(PermissionDenied):
            services.import_schools(file=data, by=person, network=network)
        assert snapshot() == before


# --- the command ----------------------------------------------------------------------------


def test_command_imports_and_reports(admin, tmp_path, capsys):
    NetworkFactory(slug="camden")
    path = tmp_path / "edubase.csv"
    path.write_bytes(to_csv(GIAS_HEADER, GIAS_ROWS, "cp1252"))
    call_command("import_schools", str(path), "--network", "camden")
    out = capsys.readouterr().out
    assert "4 created" in out and "4 added to camden" in out
    assert Network.objects.get(slug="camden").memberships.count() == 4


def test_command_lists_problems_and_fails(db, tmp_path, capsys):
    path = tmp_path / "edubase.csv"
    path.write_bytes(BAD_FILES["bad number"])
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_schools", str(path))
    assert "Row 5, column PercentageFSM" in capsys.readouterr().err
    assert not School.objects.exists()
    with pytest.raises(CommandError, match="No network"):
        call_command("import_schools", str(path), "--network", "nowhere")


# --- arbitrary input ------------------------------------------------------------------------

cell_values = st.one_of(
    st.sampled_from(["", "0", "100", "12.5", "SUPP", "abc", "-1", "1e3", "NaN", "101", "999999"]),
    st.sampled_from(["Primary", "Not applicable", "Closed", "Open", "Special School", "Rural"]),
    st.from_regex(r"\d{1,7}", fullmatch=True),
    st.text(max_size=12),
)
headers = st.lists(
    st.one_of(
        st.sampled_from([*GIAS_HEADER, *NZ_HEADER, "PercentageSEN", "Equity Index"]),
        st.text(max_size=10),
    ),
    min_size=1,
    max_size=8,
)


GOOD_CELLS = {
    "URN": st.integers(1, 40).map(str),
    "School_Id": st.integers(1, 40).map(str),
    "EstablishmentName": st.sampled_from(["Alder Infant", "Étoile Junior", "Ōtaki", "A, B"]),
    "Org_Name": st.text(
        st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1, max_size=20
    ).filter(str.strip),
    "PhaseOfEducation (name)": st.sampled_from(["Primary", "Not applicable", "16 plus", ""]),
    "EstablishmentStatus (name)": st.sampled_from(["Open", "Closed", ""]),
    "NumberOfPupils": st.integers(0, 3000).map(str),
    "Total School Roll": st.integers(0, 3000).map(str),
    "PercentageFSM": st.decimals(0, 100, places=2).map(str),
    "Equity Index (EQI)": st.integers(344, 569).map(str),
}


@st.composite
def csv_files(draw):
    mode = draw(st.integers(0, 9))
    if mode == 0:
        return draw(st.binary(max_size=300))
    if mode <= 4:
        header = draw(headers)
        if draw(st.booleans()):
            header = ["URN", "EstablishmentName", *header]
        rows = draw(st.lists(st.lists(cell_values, max_size=len(header) + 1), max_size=6))
    else:
        # A plausible file: known columns in any order, good values with the odd bad one, and
        # identifiers from a small pool so that later examples update earlier schools.
        full = draw(st.sampled_from([GIAS_HEADER, NZ_HEADER]))
        header = draw(st.permutations(full))[: draw(st.integers(2, len(full)))]
        required = full[:1] + [full[4] if full is GIAS_HEADER else full[1]]
        header = [*required, *(name for name in header if name not in required)]
        good = [
            GOOD_CELLS.get(name, st.sampled_from(["", "x", "Rural", "Camden"])) for name in header
        ]
        if draw(st.integers(0, 2)) == 0:
            spoilt = draw(st.integers(0, len(good) - 1))
            good[spoilt] = st.one_of(good[spoilt], cell_values)
        row = st.tuples(*good)
        rows = draw(st.lists(row, min_size=1, max_size=6))
    text = to_csv(header, rows).decode()
    if draw(st.integers(0, 9)) == 0:
        # Break the CSV itself: stray quotes, cut lines, odd line ends.
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(st.sampled_from(['"', '"\n', "\r", "\n\n", ","])) + text[cut:]
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-8"] * 2 + ["utf-16"]))
    return text.encode(encoding, errors="replace")


@settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=csv_files(), into_network=st.booleans())
def test_arbitrary_files_never_crash_and_never_half_write(admin, data, into_network):
    network, _ = Network.objects.get_or_create(slug="fuzz", defaults={"name": "Fuzz"})
    before = snapshot()
    try:
        result = services.import_schools(
            file=upload(data), by=admin, network=network if into_network else None
        )
    except SchoolFileRefused as exc:
        event("refused")
        assert exc.problems and all(str(problem) for problem in exc.problems)
        assert snapshot() == before
        return
    event(f"imported {'some' if result.rows else 'none'}")
    parsed = parse_school_file(data)
    assert result.rows == len(parsed.rows)
    assert result.created + result.updated + result.unchanged == result.rows
    stored = School.objects.filter(
        country=parsed.country, reference__in=[row.reference for row in parsed.rows]
    )
    assert stored.count() == result.rows
    if into_network and parsed.country == network.country:
        members = NetworkMembership.objects.current().filter(network=network, school__in=stored)
        assert members.count() == result.rows


# --- short, mixed and closed (docs/safety.md#bad-input: short or mixed input is refused) ---------


def test_a_row_cut_short_or_with_stray_commas_is_refused_naming_the_row():
    rows = [list(row) for row in GIAS_ROWS]
    rows[1] = rows[1][:5]
    rows[2] = [*rows[2], "stray"]
    assert refusal(to_csv(GIAS_HEADER, rows)) == [
        "Row 3: this row has 5 fields, but the header row has 14: it is cut short or has "
        "stray commas.",
        "Row 4: this row has 15 fields, but the header row has 14: it is cut short or has "
        "stray commas.",
    ]


def test_an_interrupted_download_changes_nothing(admin):
    data = to_csv(GIAS_HEADER, GIAS_ROWS, "cp1252")
    services.import_schools(file=upload(data), by=admin)
    before = snapshot()
    # The download stopped in the middle of the second school: its roll, FSM %, website and
    # setting are gone from the last line.
    cut = data[: data.index(b"Academy converter") + len(b"Academy converter")]
    with pytest.raises(SchoolFileRefused) as caught:
        services.import_schools(file=upload(cut), by=admin)
    assert [str(problem) for problem in caught.value.problems] == [
        "Row 3: this row has 6 fields, but the header row has 14: it is cut short or has "
        "stray commas."
    ]
    assert snapshot() == before
    beech = School.objects.get(reference="100002")
    assert (beech.roll, beech.website) == (420, "https://beech.example.org/")


def test_a_download_cut_inside_a_quoted_field_is_refused():
    data = to_csv(GIAS_HEADER, with_cell(GIAS_HEADER, GIAS_ROWS, 3, "Postcode", "DE4, 1AB"))
    cut = data[: data.index(b'"DE4, 1') + len(b'"DE4, 1')]
    (problem,) = refusal(cut)
    assert problem.startswith("Row 5") and "cannot be read" in problem


def test_a_utf8_file_with_one_windows_1252_byte_is_refused_naming_its_line():
    rows = with_cell(GIAS_HEADER, GIAS_ROWS, 0, "EstablishmentName", "Étoile Infant School")
    data = to_csv(GIAS_HEADER, rows)
    # One name further down was pasted in from a Windows program: "é" as the single byte E9.
    data = data.replace("Dale Bank Academy – Sixth Form".encode(), b"Dale Bank Acad\xe9my")
    (problem,) = refusal(data)
    assert "up to line 5, which is not" in problem and "mixes two encodings" in problem


def test_a_windows_1252_file_holding_utf8_is_refused_naming_its_line():
    rows = with_cell(GIAS_HEADER, GIAS_ROWS, 0, "EstablishmentName", "Étoile Infant School")
    data = to_csv(GIAS_HEADER, rows, "cp1252")
    data = data.replace(b"Chestnut Special School", "Châtaigne School".encode())
    (problem,) = refusal(data)
    assert "Windows-1252 text from line 2, but line 4 holds UTF-8" in problem


def test_a_byte_windows_1252_leaves_undefined_is_refused_naming_its_line():
    data = to_csv(GIAS_HEADER, GIAS_ROWS, "cp1252").replace(b"Chestnut", b"Chest\x81nut")
    (problem,) = refusal(data)
    assert "Line 4 is neither UTF-8 nor Windows-1252" in problem


def test_gias_extract_as_published_in_windows_1252_is_read_whole():
    # GIAS extracts are Windows-1252: accents, curly apostrophes and dashes as single bytes.
    rows = with_cell(GIAS_HEADER, GIAS_ROWS, 0, "EstablishmentName", "St Mary’s Église School")
    parsed = parse_school_file(to_csv(GIAS_HEADER, rows, "cp1252"))
    names = {row.values["name"] for row in parsed.rows}
    assert {"St Mary’s Église School", "Dale Bank Academy – Sixth Form"} <= names
    parsed = parse_school_file(to_csv(GIAS_HEADER, rows, "utf-8"))
    assert {"St Mary’s Église School", "Dale Bank Academy – Sixth Form"} <= {
        row.values["name"] for row in parsed.rows
    }


# Words as school names hold them, Windows-1252 can write them all.
NAME_WORDS = ["St", "Mary’s", "Église", "Café", "Zoë", "Ärzte", "–", "Academy", "Œuvre", "Hill"]


@settings(max_examples=300, deadline=None)
@given(
    names=st.lists(
        st.lists(st.sampled_from(NAME_WORDS), min_size=1, max_size=4).map(" ".join),
        min_size=2,
        max_size=8,
    ),
    first=st.sampled_from(["utf-8", "cp1252"]),
    second=st.sampled_from(["utf-8", "cp1252"]),
    split=st.integers(0, 8),
)
def test_a_file_is_read_in_one_encoding_or_refused_never_reinterpreted(names, first, second, split):
    lines = ["URN,EstablishmentName"] + [f"{n},{name}" for n, name in enumerate(names, 1)]
    text = "".join(f"{line}\r\n" for line in lines)
    # The lines before `split` in one encoding, the rest in the other: a file put together
    # from two sources.
    data = b"".join(
        f"{line}\r\n".encode(first if number < split else second)
        for number, line in enumerate(lines)
    )
    both_accented = not "".join(lines[:split]).isascii() and not "".join(lines[split:]).isascii()
    try:
        decoded = decode(data)
    except SchoolFileRefused as exc:
        (problem,) = exc.problems
        assert first != second and "line" in str(problem).lower()
        return
    assert decoded == text
    assert first == second or not both_accented


NZ_STATUS_HEADER = [*NZ_HEADER, "Status"]
NZ_STATUS_ROWS = [
    [*NZ_ROWS[0], "Open"],
    [*NZ_ROWS[1], "Closed"],
    [*NZ_ROWS[2], "Open"],
]


def test_nz_import_skips_closed_schools(admin):
    result = services.import_schools(
        file=upload(to_csv(NZ_STATUS_HEADER, NZ_STATUS_ROWS)), by=admin
    )
    assert (result.rows, result.created, result.skipped_closed) == (2, 2, 1)
    assert not School.objects.filter(country=Country.NEW_ZEALAND, reference="2").exists()


def test_a_school_that_closed_is_marked_closed_and_keeps_its_details(admin):
    services.import_schools(file=upload(to_csv(GIAS_HEADER, GIAS_ROWS[:2])), by=admin)
    alder = School.objects.get(country=Country.ENGLAND, reference="100001")
    assert not alder.is_closed
    closed = with_cell(GIAS_HEADER, GIAS_ROWS, 0, "EstablishmentStatus (name)", "Closed")
    closed = with_cell(GIAS_HEADER, closed, 0, "NumberOfPupils", "")
    result = services.import_schools(file=upload(to_csv(GIAS_HEADER, closed)), by=admin)
    assert (result.marked_closed, result.skipped_closed) == (1, 1)  # Old Mill was never here
    alder.refresh_from_db()
    assert alder.is_closed and alder.roll == 180
    # Importing it again changes nothing; listed as open again, it is open again.
    again = services.import_schools(file=upload(to_csv(GIAS_HEADER, closed)), by=admin)
    assert again.marked_closed == 0
    services.import_schools(file=upload(to_csv(GIAS_HEADER, GIAS_ROWS)), by=admin)
    alder.refresh_from_db()
    assert not alder.is_closed


def test_a_closed_school_shows_as_closed_where_schools_are_listed(client, world):
    world.school_b.is_closed = True
    world.school_b.save()
    client.force_login(world.co_leader)
    listing = client.get(reverse("networks:schools", args=[world.network.slug])).content.decode()
    row = next(line for line in listing.splitlines() if world.school_b.name in line)
    assert "Closed" in row
    assert "Closed" not in next(
        line for line in listing.splitlines() if world.school_a.name in line
    )
    page = client.get(reverse("networks:school", args=[world.school_b.pk])).content.decode()
    assert '<span class="tag">Closed</span>' in page


def test_every_problem_is_counted_though_only_some_are_listed(db, tmp_path, capsys):
    rows = [["1000" + str(n), "", *GIAS_ROWS[0][2:]] for n in range(600)]
    for row in rows:
        row[GIAS_HEADER.index("EstablishmentName")] = ""
        row[GIAS_HEADER.index("PercentageFSM")] = "abc"
    data = to_csv(GIAS_HEADER, rows)
    with pytest.raises(SchoolFileRefused) as caught:
        parse_school_file(data)
    assert caught.value.total == 1200
    assert str(caught.value.problems[-1]) == "…and 700 more problems."
    assert "(and 1199 more problems)" in str(caught.value)
    path = tmp_path / "edubase.csv"
    path.write_bytes(data)
    with pytest.raises(CommandError, match=r"1200 problem\(s\)"):
        call_command("import_schools", str(path))


# --- the page -------------------------------------------------------------------------------

URL = "/schools/import/"


def test_the_url_is_named():
    assert reverse("networks:import_schools") == URL


def test_co_leader_imports_into_their_network(client, world):
    client.force_login(world.co_leader)
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert world.network.name in html
    assert "Hilltop" not in html  # the foreign network is not offered
    assert "Get Information about Schools" in html and "Directory of Schools" in html
    response = client.post(
        URL, {"file": upload(to_csv(GIAS_HEADER, GIAS_ROWS)), "network": world.network.pk}
    )
    assert response.status_code == 200
    assert "4 added to" in response.content.decode()
    assert NetworkMembership.objects.current().filter(network=world.network).count() == 7


def test_co_leader_cannot_choose_a_foreign_network_or_none(client, world):
    client.force_login(world.co_leader)
    before = snapshot()
    for network in (world.foreign_network.pk, ""):
        response = client.post(
            URL, {"file": upload(to_csv(GIAS_HEADER, GIAS_ROWS)), "network": network}
        )
        assert response.status_code == 400
    assert snapshot() == before


def test_a_bad_file_shows_every_problem_and_changes_nothing(client, world):
    client.force_login(world.co_leader)
    before = snapshot()
    rows = with_cell(GIAS_HEADER, GIAS_ROWS, 0, "NumberOfPupils", "lots")
    rows = with_cell(GIAS_HEADER, rows, 2, "PercentageFSM", "abc")
    response = client.post(
        URL, {"file": upload(to_csv(GIAS_HEADER, rows)), "network": world.network.pk}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was imported" in html
    assert "Row 2, column NumberOfPupils: “lots” is not a whole number" in html
    assert "Row 4, column PercentageFSM: “abc” is not a number between 0 and 100" in html
    assert snapshot() == before


def test_admin_may_import_without_a_network(client, world):
    client.force_login(world.admin)
    assert "No network: only import" in client.get(URL).content.decode()
    response = client.post(URL, {"file": upload(to_csv(NZ_HEADER, NZ_ROWS)), "network": ""})
    assert response.status_code == 200
    assert School.objects.filter(country=Country.NEW_ZEALAND).count() == 4


@pytest.mark.parametrize("who", ["teacher", "school_lead", "partner", "pupil", "foreign_teacher"])
def test_people_who_may_not_import_get_404(client, world, who):
    client.force_login(getattr(world, who))
    before = snapshot()
    assert client.get(URL).status_code == 404
    data = upload(to_csv(GIAS_HEADER, GIAS_ROWS))
    assert client.post(URL, {"file": data, "network": world.network.pk}).status_code == 404
    assert snapshot() == before


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_an_oversized_upload_is_refused_unread(client, world):
    client.force_login(world.co_leader)
    response = client.post(
        URL, data=b"x", content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(MAX_FILE_BYTES * 2),
    )  # fmt: skip
    assert response.status_code == 400
    assert "larger than 50 MB" in response.content.decode()
