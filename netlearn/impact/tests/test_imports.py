"""The outcome-data importer: column mapping, problems by row and column, all or nothing, and a
hypothesis fuzz (malformed files never crash it and never import half a file)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netlearn.impact import imports, services
from netlearn.impact.errors import ImpactError, ImportRefused
from netlearn.impact.models import Dataset, DatasetKind, PendingImport, PupilRecord, SchoolResult

from .factories import home_school_rows, import_csv, pupil_csv, school_csv, shared_measure, upload


def test_headers_are_guessed_from_their_names():
    header = ["URN", "Academic year", "KS2 RWM", "Cohort", "% FSM", "LA", "England"]
    mapping = imports.guess_mapping(header, DatasetKind.SCHOOL, measure_code="ks2-rwm")
    assert mapping == {
        "school": 0,
        "year": 1,
        "value": 2,
        "cohort": 3,
        "disadvantage": 4,
        "authority_value": 5,
        "nation_value": 6,
    }


@pytest.mark.parametrize(
    "text, year", [("2024", 2024), ("2023/24", 2024), ("2023-2024", 2024), ("1999/00", 2000)]
)
def test_academic_years_are_read_as_the_year_they_end(text, year):
    assert imports._year(text) == year


def test_a_school_file_imports_every_row(world):
    dataset = import_csv(
        world.network, by=world.data_lead, text=school_csv(home_school_rows(world))
    )
    assert dataset.school_results.count() == 6
    assert not PendingImport.objects.exists()
    row = dataset.school_results.get(school=world.school_a, year=2024)
    assert (row.value, row.cohort, row.disadvantage, row.authority_value) == (68, 31, 42, 59)


def test_importing_the_same_file_twice_gives_the_same_state(world):
    text = school_csv(home_school_rows(world))
    import_csv(world.network, by=world.data_lead, text=text)
    first = list(SchoolResult.objects.values_list("school_id", "year", "value", "cohort"))
    import_csv(world.network, by=world.data_lead, text=text)
    assert sorted(first) == sorted(
        SchoolResult.objects.values_list("school_id", "year", "value", "cohort")
    )
    assert Dataset.objects.count() == 1


def test_an_unknown_school_is_refused_naming_its_row_and_nothing_is_written(world):
    rows = home_school_rows(world) + [(world.foreign_school.reference, 2024, 50, 30, 1, 1, 1)]
    with pytest.raises(ImportRefused) as refused:
        import_csv(world.network, by=world.data_lead, text=school_csv(rows))
    assert str(refused.value.problems[0]) == (
        "Row 8, column URN: no school with the reference “800001” is in the network."
    )
    assert not SchoolResult.objects.exists() and not Dataset.objects.exists()


def test_every_bad_cell_is_named(world):
    a = world.school_a.reference
    text = school_csv(
        [
            (a, "20x4", "high", "-3", 10, 1, 1),
            (a, 2024, 50, 30, 1, 1, 1),
            (a, 2024, 51, 30, 1, 1, 1),
        ]
    )
    with pytest.raises(ImportRefused) as refused:
        import_csv(world.network, by=world.data_lead, text=text)
    messages = [str(p) for p in refused.value.problems]
    assert "Row 2, column Year: “20x4” is not a year (2024, or 2023/24)." in messages
    assert "Row 2, column Value: “high” is not a number." in messages
    assert "Row 2, column Cohort: “-3” is not a whole number of pupils." in messages
    assert any(
        m.startswith("Row 4, column URN: this school and year are also on row 3") for m in messages
    )


def test_figures_the_source_did_not_publish_are_skipped(world):
    a, b = world.school_a.reference, world.school_b.reference
    text = school_csv([(a, 2024, "SUPP", 3, 1, 1, 1), (b, 2024, 50, 30, 1, 1, 1)])
    dataset = import_csv(world.network, by=world.data_lead, text=text)
    assert dataset.school_results.count() == 1


def test_comparison_schools_are_matched_against_the_register_when_asked(world):
    rows = home_school_rows(world) + [(world.outside_school.reference, 2024, 50, 30, 45, 1, 1)]
    with pytest.raises(ImportRefused):
        import_csv(world.network, by=world.data_lead, text=school_csv(rows))
    dataset = import_csv(world.network, by=world.data_lead, text=school_csv(rows), comparison=True)
    assert dataset.school_results.get(school=world.outside_school).is_comparison


def test_a_pupil_file_keeps_context_as_json(world):
    dataset = import_csv(
        world.network, by=world.data_lead, text=pupil_csv(world), kind=DatasetKind.PUPIL
    )
    record = dataset.pupil_records.get(pupil="P0000")
    assert set(record.context) == {"fsm", "sex"}
    assert dataset.columns["outcome"] == "score" and dataset.columns["prior"] == "prior"


def test_a_missing_required_column_is_named(world):
    with pytest.raises(ImportRefused) as refused:
        import_csv(
            world.network,
            by=world.data_lead,
            text=school_csv(home_school_rows(world)),
            mapping={"school": 0, "year": 1, "value": 2},
        )
    assert "Choose the column that holds Pupils it rests on (cohort)." in str(refused.value)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"PK\x03\x04rest", "zip archive"),
        (b"%PDF-1.4", "PDF document"),
        (b"\x00\x01\x02binary", "binary"),
        (b"", "empty"),
        (b"\xff\xfeU\x00R\x00N\x00", "UTF-16"),
    ],
)
def test_files_that_are_not_csv_are_refused_unread(world, data, message):
    with pytest.raises(ImpactError, match=message):
        services.start_import(
            network=world.network,
            by=world.data_lead,
            measure=shared_measure(),
            kind=DatasetKind.SCHOOL,
            dataset_name="X",
            upload=upload(data),
        )
    assert not PendingImport.objects.exists()


def test_an_oversize_file_is_refused(world, monkeypatch):
    from netlearn.core import intake as network_imports

    monkeypatch.setattr(network_imports, "MAX_FILE_BYTES", 100)
    with pytest.raises(ImpactError, match="larger than"):
        services.start_import(
            network=world.network,
            by=world.data_lead,
            measure=shared_measure(),
            kind=DatasetKind.SCHOOL,
            dataset_name="X",
            upload=upload("URN,Year\n" + "1,2024\n" * 50),
        )


# --- fuzzing ----------------------------------------------------------------------------------

CELLS = st.one_of(
    st.sampled_from(
        [
            "900001",
            "900002",
            "900003",
            "800001",
            "2024",
            "2023/24",
            "55.5",
            "c",
            "SUPP",
            "",
            "-1",
            "1e400",
            "nan",
            "yes",
            "F",
            "100%",
            '"',
            "x,y",
            "1,000",
        ]
    ),
    st.text(max_size=12),
)
HEADERS = st.lists(
    st.sampled_from(
        [
            "URN",
            "Year",
            "Value",
            "Cohort",
            "FSM",
            "LA",
            "National",
            "pupil",
            "score",
            "prior",
            "sex",
            "fsm",
            "extra",
            "",
        ]
    ),
    min_size=1,
    max_size=8,
)


@st.composite
def csv_files(draw):
    header = draw(HEADERS)
    rows = draw(st.lists(st.lists(CELLS, max_size=len(header) + 2), max_size=8))
    separator = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = separator.join(",".join(cells) for cells in [header, *rows])
    if draw(st.booleans()):
        text += separator
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 9)) == 0:  # corrupt a byte somewhere
        position = draw(st.integers(0, max(0, len(data) - 1)))
        data = data[:position] + bytes([draw(st.integers(0, 255))]) + data[position + 1 :]
    return data


def _state():
    return (
        Dataset.objects.count(),
        SchoolResult.objects.count(),
        PupilRecord.objects.count(),
        PendingImport.objects.count(),
    )


def _fuzz_once(world, data, kind):
    before = _state()
    try:
        pending = services.start_import(
            network=world.network,
            by=world.data_lead,
            measure=shared_measure("ks2-rwm" if kind == DatasetKind.SCHOOL else "exam-score"),
            kind=kind,
            dataset_name="Fuzz",
            upload=upload(data),
        )
    except ImpactError:
        assert _state() == before
        return
    header = imports.read_header(pending.text)
    mapping = imports.guess_mapping(header, kind)
    mid = _state()
    try:
        dataset = services.import_dataset(pending=pending, by=world.data_lead, mapping=mapping)
    except ImpactError:
        assert _state() == mid  # nothing written, the upload still waits
        pending.delete()
        return
    rows = dataset.school_results.count() + dataset.pupil_records.count()
    # All or nothing: every row the parser accepted is stored.
    parsed_rows = len([line for line in pending.text.splitlines()[1:] if line.strip(", \t")])
    assert rows >= 1 and rows <= parsed_rows
    Dataset.objects.all().delete()


@settings(
    max_examples=300,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    deadline=None,
)
@given(data=csv_files())
def test_fuzzed_school_files_never_crash_and_never_import_half(world, data):
    _fuzz_once(world, data, DatasetKind.SCHOOL)


@settings(
    max_examples=250,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    deadline=None,
)
@given(data=csv_files())
def test_fuzzed_pupil_files_never_crash_and_never_import_half(world, data):
    _fuzz_once(world, data, DatasetKind.PUPIL)


@settings(max_examples=100, deadline=None)
@given(
    text=st.text(max_size=300),
    kind=st.sampled_from(list(DatasetKind.values)),
    mapping=st.dictionaries(
        st.sampled_from(
            ["school", "year", "value", "cohort", "pupil", "outcome", "prior", "fsm", "sex"]
        ),
        st.integers(-2, 6),
    ),
)
def test_the_parser_answers_any_text_and_mapping_with_rows_or_problems(text, kind, mapping):
    try:
        parsed = imports.parse(text, kind, mapping, schools={"900001": 1})
    except ImportRefused as refused:
        assert refused.problems
    else:
        assert parsed.rows
