"""`netlearn reindex` (docs/operations.md#reindex): search after a move that carried the tables
but not the index finds everything again, exactly as the incremental index had it."""

from io import StringIO

from django.core.management import call_command
from django.db import connection

from netlearn.library import indexing, search, selectors, services
from netlearn.library.models import Resource, ResourceSearch

from .factories import add_resource, pdf_upload


def find(viewer, q):
    """Through the database's own engine, the one the test settings choose."""
    return selectors.find(
        selectors.visible_to(viewer=viewer), selectors.Filters(q=q), viewer=viewer
    )


def index_as_stored() -> list[tuple]:
    rows = ResourceSearch.objects.order_by("pk").values_list(
        "resource_id", "title", "summary", "tags", "body"
    )
    if search.is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT resource_id, document::text FROM {ResourceSearch._meta.db_table} "
                "ORDER BY resource_id"
            )
            return [*rows, *cursor.fetchall()]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, title, summary, tags, body FROM {search.FTS_TABLE} ORDER BY rowid"
        )
        return [*rows, *cursor.fetchall()]


def lose_the_index() -> None:
    """What loaddata into a fresh database leaves: entries without tsvectors (from SQLite), or
    no FTS5 rows (from PostgreSQL); here, no entries at all, the worst case."""
    ResourceSearch.objects.all().delete()
    if not search.is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {search.FTS_TABLE}")


def test_reindex_finds_everything_again_as_it_was(world):
    first = add_resource(
        world.network,
        by=world.teacher,
        title="Weather diaries",
        tags="clouds, observation",
        upload=pdf_upload("Pupils record the cumulonimbus clouds they see each morning."),
    )
    indexing.run_extraction(first.files.get().pk)
    second = add_resource(world.network, by=world.teacher, title="Planting seeds", summary="Cress")
    before = index_as_stored()
    lose_the_index()
    assert find(world.co_leader, "cumulonimbus")[1] == 0
    assert services.reindex_all() == Resource.objects.count()
    assert index_as_stored() == before
    assert [row.pk for row in find(world.co_leader, "cumulonimbus")[0]] == [first.pk]
    assert [row.pk for row in find(world.co_leader, "cress")[0]] == [second.pk]
    assert [row.pk for row in find(world.co_leader, "observation")[0]] == [first.pk]


def test_reindex_replaces_stale_entries(world):
    resource = add_resource(world.network, by=world.teacher, title="Ammonites")
    ResourceSearch.objects.filter(pk=resource.pk).update(title="Trilobites")
    search.rebuild_engine_index()
    assert find(world.co_leader, "trilobites")[1] == 1
    services.reindex_all()
    assert find(world.co_leader, "trilobites")[1] == 0
    assert find(world.co_leader, "ammonites")[1] == 1


def test_the_reindex_command_says_how_many(world):
    add_resource(world.network, by=world.teacher, title="Volcano models")
    lose_the_index()
    out = StringIO()
    call_command("reindex", stdout=out)
    assert out.getvalue().startswith(f"Reindexed {Resource.objects.count()} resources")
    assert find(world.co_leader, "volcano")[1] == 1
