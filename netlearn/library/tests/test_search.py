"""One search interface, the same tests on every engine: the embedded index (Tantivy) and the
database's own, SQLite (FTS5) or PostgreSQL (tsvector + GIN) as the suite runs on."""

import pytest
from django.db import connection

from netlearn.library import indexing, search, selectors, services
from netlearn.library.models import Sharing
from netlearn.networks.tests.world import SENTINEL

from .factories import add_resource, good_trial, pdf_upload

# Every test on each engine (conftest.search_engine).
pytestmark = pytest.mark.parametrize("search_engine", ["index", "database"], indirect=True)


@pytest.fixture(autouse=True)
def engine(search_engine):
    global _commit
    _commit = search_engine
    yield search_engine
    _commit = None


_commit = None


def find(viewer, q, **filters):
    _commit.commit()  # what the test changed reaches the index, as after a commit
    rows, count = selectors.find(
        selectors.visible_to(viewer=viewer), selectors.Filters(q=q, **filters), viewer=viewer
    )
    return rows, count


def test_words_inside_a_pdf_are_found_and_highlighted(world):
    resource = add_resource(
        world.network,
        by=world.teacher,
        title="Weather diaries",
        upload=pdf_upload("Pupils record the cumulonimbus clouds they see each morning."),
    )
    rows, count = find(world.co_leader, "cumulonimbus")
    assert [row.pk for row in rows] == [resource.pk] and count == 1
    assert "<mark>cumulonimbus</mark>" in str(rows[0].highlight).lower()


def test_stemming_finds_other_forms_of_a_word(world):
    add_resource(world.network, by=world.teacher, title="Planting seeds", summary="")
    rows, _ = find(world.co_leader, "plants")
    assert [row.title for row in rows] == ["Planting seeds"]


def test_every_word_must_match(world):
    add_resource(
        world.network, by=world.teacher, title="Volcano models", summary="Clay and vinegar"
    )
    assert find(world.co_leader, "volcano clay")[1] == 1
    assert find(world.co_leader, "volcano glacier")[1] == 0


def test_query_syntax_is_taken_as_plain_words(world):
    add_resource(world.network, by=world.teacher, title="Rivers", summary="Meanders and deltas")
    for text in ['rivers" OR "x', "title:rivers", "rivers*", "NEAR(rivers", "rivers -deltas", "'"]:
        find(world.co_leader, text)  # never an error
    assert find(world.co_leader, 'rivers" OR "x')[1] == 0  # "x" is required too


def test_highlights_escape_the_text(world):
    add_resource(
        world.network, by=world.teacher, title="Tags <b>bold</b> 3 < 5 magnets", summary=""
    )
    rows, _ = find(world.co_leader, "magnets")
    html = str(rows[0].highlight).replace("<mark>", "").replace("</mark>", "")
    assert "<" not in html and "&lt;" in html


def test_endorsed_resources_rank_higher(world):
    plain = add_resource(world.network, by=world.teacher, title="Magnets", summary="Magnets")
    endorsed = add_resource(world.network, by=world.teacher, title="Magnets", summary="Magnets")
    good_trial(endorsed, by=world.school_lead)
    good_trial(endorsed, by=world.co_leader)
    rows, _ = find(world.co_leader, "magnets")
    assert [row.pk for row in rows] == [endorsed.pk, plain.pk]


def test_a_word_in_the_title_outranks_the_same_word_in_a_file(world):
    in_file = add_resource(
        world.network,
        by=world.teacher,
        title="Science week pack",
        upload=pdf_upload("Pupils test which magnets lift the most paper clips."),
    )
    in_title = add_resource(world.network, by=world.teacher, title="Magnets")
    rows, count = find(world.co_leader, "magnets")
    assert [row.pk for row in rows] == [in_title.pk, in_file.pk] and count == 2


def test_filters_narrow_the_search(world):
    ks1 = add_resource(world.network, by=world.teacher, title="Counting", stages=["ks1"])
    add_resource(world.network, by=world.teacher, title="Counting", stages=["ks3"])
    rows, _ = find(world.co_leader, "counting", stage="ks1")
    assert [row.pk for row in rows] == [ks1.pk]
    assert find(world.co_leader, "counting", endorsed=True)[1] == 0
    assert find(world.co_leader, "counting", school=world.school_a.pk)[1] == 0
    assert find(world.co_leader, "counting", kind="assessment")[1] == 0


def test_another_networks_resource_is_never_found(world):
    add_resource(
        world.foreign_network,
        by=world.foreign_teacher,
        title=f"Secret {SENTINEL}",
        upload=pdf_upload(f"hidden {SENTINEL}"),
    )
    for viewer in (world.teacher, world.co_leader, world.partner, world.pupil):
        assert find(viewer, SENTINEL.lower())[1] == 0
        assert find(viewer, "secret")[1] == 0


def test_public_resources_are_in_the_public_catalogue_only_when_public(world):
    public = add_resource(world.network, by=world.teacher, title="Tides", sharing=Sharing.PUBLIC)
    add_resource(world.network, by=world.teacher, title="Tides", sharing=Sharing.NETWORK)
    _commit.commit()
    rows, count = selectors.find(
        selectors.public_catalogue(), selectors.Filters(q="tides"), viewer=None
    )
    assert [row.pk for row in rows] == [public.pk] and count == 1


def test_editing_and_new_versions_update_the_index(world):
    resource = add_resource(world.network, by=world.teacher, upload=pdf_upload("Ammonites"))
    services.update_resource(resource=resource, by=world.teacher, title="Trilobites")
    assert find(world.co_leader, "trilobites")[1] == 1
    new = services.add_file(
        resource=resource,
        by=world.teacher,
        upload=pdf_upload("Belemnites"),
        replaces=resource.files.get(),
    )
    indexing.run_extraction(new.pk)
    assert find(world.co_leader, "belemnites")[1] == 1
    assert find(world.co_leader, "ammonites")[1] == 0  # the superseded file's text left the index


def test_the_engine_matches_the_database():
    assert search.is_postgresql() == (connection.vendor == "postgresql")
