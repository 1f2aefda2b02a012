"""A resource filed under a learning focus of its network's charter (the golden thread's link)."""

import pytest
from django.test import Client

from netlearn.charter import services as charter_services
from netlearn.charter.tests.factories import build_charter
from netlearn.library import services
from netlearn.library.errors import LibraryError
from netlearn.library.models import Resource

from .factories import add_resource


@pytest.fixture
def foci(world):
    _, home, *_ = build_charter(world.network, by=world.admin)
    _, foreign, *_ = build_charter(world.foreign_network, by=world.admin)
    return home, foreign


def test_a_resource_is_filed_under_a_focus_of_its_network(world, foci):
    home, _ = foci
    resource = add_resource(world.network, by=world.teacher, focus_id=home.pk)
    assert resource.focus_id == home.pk


def test_another_networks_focus_is_refused_and_nothing_is_saved(world, foci):
    _, foreign = foci
    before = Resource.objects.count()
    with pytest.raises(LibraryError, match="learning focus of this network"):
        add_resource(world.network, by=world.teacher, focus_id=foreign.pk)
    assert Resource.objects.count() == before


def test_a_dropped_focus_takes_no_new_resource_but_keeps_its_own(world, foci):
    home, _ = foci
    resource = add_resource(world.network, by=world.teacher, focus_id=home.pk)
    charter_services.drop_focus(focus=home, by=world.admin, reason="Met, and moved on")
    with pytest.raises(LibraryError):
        add_resource(world.network, by=world.teacher, title="Later", focus_id=home.pk)
    services.update_resource(resource=resource, by=world.teacher, focus_id=home.pk)
    resource.refresh_from_db()
    assert resource.focus_id == home.pk


def test_the_api_files_and_shows_the_focus_and_refuses_a_foreign_one(world, foci):
    home, foreign = foci
    client = Client()
    client.force_login(world.teacher)
    url = f"/api/v1/networks/{world.network.slug}/library/resources"
    made = client.post(
        url, {"title": "Cards", "focus_id": home.pk}, content_type="application/json"
    )
    assert made.status_code == 201 and made.json()["focus_id"] == home.pk
    refused = client.post(
        url, {"title": "Other", "focus_id": foreign.pk}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert not Resource.objects.filter(title="Other").exists()
