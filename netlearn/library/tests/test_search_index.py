"""The embedded index (Tantivy): what only it does (phrases, word beginnings), that it follows
each change once committed, and that a stale index never shows anyone more than their scope."""

from django.core.management import call_command
from django.db import connection

from netlearn.library import search, search_index, selectors, services
from netlearn.library.models import Resource, Sharing
from netlearn.networks.tests.world import SENTINEL

from .factories import add_resource, good_trial


def find(viewer, q, **filters):
    rows, count = selectors.find(
        selectors.visible_to(viewer=viewer), selectors.Filters(q=q, **filters), viewer=viewer
    )
    return [row.pk for row in rows], count


def public(q):
    rows, count = selectors.find(selectors.public_catalogue(), selectors.Filters(q=q), viewer=None)
    return [row.pk for row in rows], count


def in_index(q, **narrowing) -> list[int]:
    """What the index itself proposes, before the database decides."""
    narrowing.setdefault("include_retired", True)
    found = search_index.candidates(search.parts_of(q), search.Narrowing(**narrowing), limit=100)
    return found.ids


def test_a_word_beginning_followed_by_a_star_finds_the_whole_word(world, search_engine):
    leaves = add_resource(world.network, by=world.teacher, title="Photosynthesis in leaves")
    search_engine.commit()
    assert find(world.co_leader, "photosyn*") == ([leaves.pk], 1)
    assert find(world.co_leader, "photosyn")[1] == 0  # without the star, a whole word
    assert find(world.co_leader, "leaves photosynthes*") == ([leaves.pk], 1)


def test_a_quoted_phrase_needs_its_words_together_and_in_order(world, search_engine):
    together = add_resource(world.network, by=world.teacher, title="Equivalent fraction walls")
    apart = add_resource(
        world.network,
        by=world.teacher,
        title="Walls of the playground",
        summary="Measuring them in fractions of a metre.",
    )
    search_engine.commit()
    assert find(world.co_leader, '"fraction walls"') == ([together.pk], 1)
    assert sorted(find(world.co_leader, "fraction walls")[0]) == sorted([together.pk, apart.pk])


def test_the_filters_narrow_the_index_too(world, search_engine):
    maths = add_resource(world.network, by=world.teacher, title="Tessellation")
    art = add_resource(world.network, by=world.teacher, title="Tessellation", subjects=["art"])
    search_engine.commit()
    assert find(world.co_leader, "tessellation", subject="art") == ([art.pk], 1)
    assert find(world.co_leader, "tessellation", network=world.network.pk)[1] == 2
    assert find(world.co_leader, "tessellation", network=world.foreign_network.pk)[1] == 0
    assert find(world.co_leader, "tessellation", endorsed=True)[1] == 0
    good_trial(maths, by=world.school_lead)
    good_trial(maths, by=world.co_leader)
    search_engine.commit()
    assert find(world.co_leader, "tessellation", endorsed=True) == ([maths.pk], 1)
    assert in_index("tessellation", endorsed=True) == [maths.pk]


def test_a_deleted_resource_leaves_the_index(world, search_engine):
    resource = add_resource(world.network, by=world.teacher, title="Ammonites")
    search_engine.commit()
    assert in_index("ammonites") == [resource.pk]
    Resource.objects.filter(pk=resource.pk).delete()
    search_engine.commit()
    assert in_index("ammonites") == []


def test_changes_of_sharing_curation_and_text_reach_the_index(world, search_engine):
    resource = add_resource(world.network, by=world.teacher, title="Tides", sharing=Sharing.PUBLIC)
    search_engine.commit()
    assert public("tides") == ([resource.pk], 1)
    services.update_resource(resource=resource, by=world.teacher, sharing=Sharing.NETWORK)
    search_engine.commit()
    assert in_index("tides", network_ids=frozenset(), public=True) == []
    assert public("tides") == ([], 0)
    services.update_resource(resource=resource, by=world.teacher, title="Currents")
    services.curate(resource=resource, by=world.co_leader, action="retire")
    search_engine.commit()
    assert in_index("tides") == []
    assert in_index("currents", include_retired=False) == []
    assert find(world.co_leader, "currents", include_retired=True) == ([resource.pk], 1)


def test_a_featured_resource_ranks_above_an_equal_one(world, search_engine):
    plain = add_resource(world.network, by=world.teacher, title="Volcanoes")
    featured = add_resource(world.network, by=world.teacher, title="Volcanoes")
    services.curate(resource=featured, by=world.co_leader, action="feature")
    search_engine.commit()
    assert find(world.co_leader, "volcanoes")[0] == [featured.pk, plain.pk]


def test_a_stale_index_never_shows_a_resource_outside_the_viewers_scope(world, search_engine):
    secret = add_resource(
        world.foreign_network,
        by=world.foreign_teacher,
        title=f"Glaciers {SENTINEL}",
        sharing=Sharing.PUBLIC,
    )
    search_engine.commit()
    assert public("glaciers") == ([secret.pk], 1)
    # Changed behind the services' back: nothing tells the index, which still offers it.
    Resource.objects.filter(pk=secret.pk).update(sharing=Sharing.NETWORK)
    assert in_index("glaciers") == [secret.pk]
    for viewer in (world.teacher, world.co_leader, world.partner, world.pupil):
        assert find(viewer, "glaciers") == ([], 0)
        assert find(viewer, SENTINEL.lower()) == ([], 0)
    assert public("glaciers") == ([], 0)
    assert find(world.foreign_teacher, "glaciers") == ([secret.pk], 1)


def test_a_deleted_resource_the_index_still_holds_is_not_shown(world, search_engine):
    resource = add_resource(world.network, by=world.teacher, title="Trilobites")
    search_engine.commit()
    with connection.cursor() as cursor:  # gone without a signal: the index is not told
        cursor.execute("DELETE FROM library_resourcesearch WHERE resource_id = %s", [resource.pk])
        cursor.execute("DELETE FROM library_resource WHERE id = %s", [resource.pk])
    assert in_index("trilobites") == [resource.pk]
    assert find(world.co_leader, "trilobites") == ([], 0)


def test_search_fetches_more_candidates_when_stale_ones_are_refused(world, search_engine):
    hidden = [
        add_resource(
            world.foreign_network,
            by=world.foreign_teacher,
            title="Rivers rivers rivers",
            sharing=Sharing.PUBLIC,
        )
        for _ in range(search.SLACK + 3)
    ]
    visible = add_resource(
        world.network, by=world.teacher, title="Coasts", summary="Where rivers meet the sea."
    )
    search_engine.commit()
    Resource.objects.filter(pk__in=[r.pk for r in hidden]).update(sharing=Sharing.NETWORK)
    reach = search.Narrowing(network_ids=frozenset({world.network.pk}), public=True)
    visible_to_teacher = selectors.visible_to(viewer=world.teacher)
    page = search.search(visible_to_teacher, "rivers", limit=1, narrowing=reach)
    assert [row.pk for row in page.resources] == [visible.pk]
    # The count is exact once every candidate was looked at (here: a page of 20); before that
    # it is the index's, less what the database refused.
    assert search.search(visible_to_teacher, "rivers", limit=20, narrowing=reach).count == 1


def test_reindex_rebuilds_the_index_from_the_database(world, search_engine, settings, tmp_path):
    resource = add_resource(world.network, by=world.teacher, title="Belemnites")
    search_engine.commit()
    settings.LIBRARY_SEARCH_INDEX_DIR = str(tmp_path / "a-new-place")  # never built
    # Until it is built, the database answers: an upgrade does not leave search empty.
    assert not search.answers_from_index()
    assert find(world.co_leader, "belemnites") == ([resource.pk], 1)
    assert in_index("belemnites") == []
    call_command("reindex", "--index-only", stdout=open("/dev/null", "w"))
    assert search.answers_from_index()
    assert in_index("belemnites") == [resource.pk]
    assert find(world.co_leader, "belemnites") == ([resource.pk], 1)
    assert services.reindex_all() >= 1
    assert find(world.co_leader, "belemnites") == ([resource.pk], 1)


def test_a_site_admin_finds_every_networks_resources(world, search_engine):
    ours = add_resource(world.network, by=world.teacher, title="Fossils")
    theirs = add_resource(world.foreign_network, by=world.foreign_teacher, title="Fossils")
    search_engine.commit()
    assert sorted(find(world.admin, "fossils")[0]) == sorted([ours.pk, theirs.pk])
    assert find(world.teacher, "fossils") == ([ours.pk], 1)


def test_a_page_past_the_deepest_is_empty_but_keeps_the_count(world, search_engine):
    add_resource(world.network, by=world.teacher, title="Meanders")
    search_engine.commit()
    rows, count = selectors.find(
        selectors.visible_to(viewer=world.co_leader),
        selectors.Filters(q="meanders"),
        viewer=world.co_leader,
        offset=search.MAX_CANDIDATES,
    )
    assert rows == [] and count == 1


def test_the_first_change_builds_an_index_never_built(world, search_engine, settings, tmp_path):
    resource = add_resource(world.network, by=world.teacher, title="Ammonites")
    search_engine.commit()
    settings.LIBRARY_SEARCH_INDEX_DIR = str(tmp_path / "new-installation")
    assert not search.answers_from_index()
    services.update_resource(resource=resource, by=world.teacher, summary="Spiral shells")
    search_engine.commit()
    assert search.answers_from_index()
    assert in_index("ammonites") == [resource.pk]
