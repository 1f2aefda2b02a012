"""The library's API: resources, trials and search, scoped like the pages."""

import pytest

from netlearn.library.models import Resource
from netlearn.networks.tests.world import SENTINEL

from .factories import add_resource, good_trial, pdf_upload


@pytest.fixture
def resources(world):
    home = add_resource(
        world.network, by=world.teacher, title="Sound waves", upload=pdf_upload("oscilloscope")
    )
    add_resource(
        world.foreign_network,
        by=world.foreign_teacher,
        title=f"Sound {SENTINEL}",
        upload=pdf_upload(f"oscilloscope {SENTINEL}"),
    )
    return home


def test_search_finds_text_inside_files_with_highlights(client, world, resources):
    client.force_login(world.co_leader)
    answer = client.get("/api/v1/library/search", {"q": "oscilloscope"}).json()
    assert answer["count"] == 1
    assert answer["items"][0]["title"] == "Sound waves"
    assert "<mark>oscilloscope</mark>" in answer["items"][0]["highlight"].lower()


def test_lists_are_paged_and_scoped(client, world, resources):
    client.force_login(world.partner)
    answer = client.get("/api/v1/library/resources").json()
    assert answer["count"] == 1 and SENTINEL not in str(answer)


def test_list_queries_do_not_grow_with_rows(
    client, world, resources, django_assert_max_num_queries
):
    client.force_login(world.teacher)
    client.get("/api/v1/library/resources")
    with django_assert_max_num_queries(20) as few:
        client.get("/api/v1/library/resources")
    for number in range(6):
        add_resource(world.network, by=world.teacher, title=f"More {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/api/v1/library/resources")


def test_create_update_and_trial(client, world):
    client.force_login(world.teacher)
    created = client.post(
        f"/api/v1/networks/{world.network.slug}/library/resources",
        {"title": "Circuits", "stages": ["ks3"], "subjects": ["science"]},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    resource_id = created.json()["id"]
    patched = client.patch(
        f"/api/v1/library/resources/{resource_id}",
        {"summary": "Series and parallel"},
        content_type="application/json",
    )
    assert patched.json()["summary"] == "Series and parallel"
    client.force_login(world.school_lead)
    trial = client.post(
        f"/api/v1/library/resources/{resource_id}/trials",
        {
            "year_group": "Year 8",
            "class_size": 25,
            "trialled_on": "2025-01-10",
            "how_it_went": "Good",
            "impact_rating": 5,
            "ease_rating": 5,
            "adaptability_rating": 4,
        },
        content_type="application/json",
    )
    assert trial.status_code == 201, trial.content
    listed = client.get(f"/api/v1/library/resources/{resource_id}/trials").json()
    assert listed["count"] == 1


def test_bad_input_changes_nothing(client, world):
    client.force_login(world.teacher)
    response = client.post(
        f"/api/v1/networks/{world.network.slug}/library/resources",
        {"title": "Bad", "link": "javascript:alert(1)"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Resource.objects.filter(title="Bad").exists()


def test_the_foreign_resource_answers_404(client, world, resources):
    foreign = Resource.objects.get(network=world.foreign_network)
    client.force_login(world.co_leader)
    assert client.get(f"/api/v1/library/resources/{foreign.pk}").status_code == 404
    response = client.post(
        f"/api/v1/library/resources/{foreign.pk}/trials",
        {
            "year_group": "Y",
            "class_size": 2,
            "trialled_on": "2025-01-10",
            "how_it_went": "x",
            "impact_rating": 5,
            "ease_rating": 5,
            "adaptability_rating": 5,
        },
        content_type="application/json",
    )
    assert response.status_code == 404


def test_endorsed_filter(client, world, resources):
    good_trial(resources, by=world.school_lead)
    good_trial(resources, by=world.co_leader)
    client.force_login(world.teacher)
    answer = client.get("/api/v1/library/search", {"q": "sound", "endorsed": "true"}).json()
    assert answer["count"] == 1 and answer["items"][0]["endorsed"] is True
