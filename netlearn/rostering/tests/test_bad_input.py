"""Bad input changes nothing (docs: threat model, importers): any cell of a bundle may be anything,
and reading it either succeeds or refuses with problems; importing it writes all or nothing."""

import io
import warnings
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netlearn.rostering import services
from netlearn.rostering.errors import ChooseOrg, RosterRefused
from netlearn.rostering.models import RosterLink
from netlearn.rostering.oneroster import read_bundle

from .bundles import HEADERS, school_bundle

FILES = [name for name in HEADERS if name != "demographics"]
cell_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "tobedeleted", "true", "false", "KG", "13", "14", "org-1", "p1", "s1"]),
)


@st.composite
def damaged_bundles(draw):
    bundle = school_bundle(identifier="900002", pupils=4, staff=2)
    for _ in range(draw(st.integers(1, 4))):
        file = draw(st.sampled_from(FILES))
        rows = bundle.rows[file]
        row = draw(st.sampled_from(rows))
        column = draw(st.sampled_from(HEADERS[file]))
        row[column] = draw(cell_text)
    if draw(st.booleans()):
        key = draw(st.sampled_from(sorted(bundle.manifest)))
        bundle.manifest[key] = draw(st.sampled_from(["bulk", "delta", "absent", "1.1", "", "x"]))
    return bundle.zip()


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=damaged_bundles())
def test_a_damaged_bundle_is_read_or_refused_never_crashes(data):
    try:
        roster = read_bundle(data)
        for org in roster.schools:
            roster.school(org.source_id)
    except RosterRefused as refused:
        assert refused.problems and all(str(problem) for problem in refused.problems)


@settings(max_examples=500, deadline=None)
@given(data=st.binary(max_size=2000))
def test_random_bytes_are_refused(data):
    with pytest.raises(RosterRefused):
        read_bundle(b"PK\x03\x04" + data)


@settings(max_examples=200, deadline=None)
@given(names=st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=5))
def test_any_file_names_in_the_zip_are_read_or_refused(names):
    data = school_bundle(identifier="1", pupils=1, staff=1).zip()
    buffer = io.BytesIO(data)
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "a") as archive:
        warnings.simplefilter("ignore")  # zipfile warns of the doubled names we mean to write
        for name in names:
            try:
                archive.writestr(name, "x")
            except (ValueError, UnicodeEncodeError, IndexError):
                pass  # a name zipfile itself cannot write
    try:
        read_bundle(buffer.getvalue())
    except RosterRefused:
        pass


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=damaged_bundles())
def test_an_import_of_a_damaged_bundle_writes_all_or_nothing(world, data):
    try:
        services.import_roster(school=world.school_b, by=world.school_lead, file=data)
    except (RosterRefused, ChooseOrg):
        assert not RosterLink.objects.filter(school=world.school_b).exists()
    else:
        RosterLink.objects.filter(school=world.school_b).delete()
