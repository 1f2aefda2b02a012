"""Issue 13 item 8: an online link is an http(s) address, by one rule for the form and the API."""

import pytest
from django.test import Client

from netlearn.activities.errors import InvalidLink
from netlearn.activities.models import Activity

from .factories import in_days, make_activity
from .test_api import body
from .test_views import walk_form

BAD_LINKS = [
    "javascript:alert(1)",
    "JavaScript://example.org/%0Aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "ftp://files.example.org/agenda",
    "zoom.us/j/123",  # refused, not repaired into https://zoom.us/…
    "https://exa mple.org/",
    "https://example.org/\njavascript:alert(1)",
]


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


@pytest.mark.parametrize("link", BAD_LINKS)
def test_the_service_refuses_a_link_that_is_not_a_web_address(world, link):
    with pytest.raises(InvalidLink):
        make_activity(world, online_url=link)
    assert not Activity.objects.exists()


@pytest.mark.parametrize("link", BAD_LINKS)
def test_the_form_refuses_it_with_the_same_message(world, link):
    response = client_for(world.co_leader).post(
        f"/n/{world.network.slug}/activities/new/", walk_form(world, online_url=link)
    )
    assert response.status_code == 400
    assert "whole web address starting https://" in response.content.decode()
    assert not Activity.objects.exists()


@pytest.mark.parametrize("link", BAD_LINKS)
def test_the_api_refuses_it_on_create_and_on_change(world, link):
    client = client_for(world.co_leader)
    created = client.post(
        f"/api/v1/networks/{world.network.slug}/activities",
        body(online_url=link),
        content_type="application/json",
    )
    assert created.status_code in (400, 422), created.content
    assert not Activity.objects.exists()

    activity = make_activity(world, online_url="https://meet.example.org/abc")
    changed = client.patch(
        f"/api/v1/activities/{activity.pk}", {"online_url": link}, content_type="application/json"
    )
    assert changed.status_code in (400, 422), changed.content
    activity.refresh_from_db()
    assert activity.online_url == "https://meet.example.org/abc"


def test_a_web_address_is_kept_as_typed(world):
    activity = make_activity(world, online_url="  https://meet.example.org/abc?pwd=1  ")
    assert activity.online_url == "https://meet.example.org/abc?pwd=1"
    response = client_for(world.co_leader).post(
        f"/n/{world.network.slug}/activities/new/",
        walk_form(
            world,
            online_url="http://meet.example.org/x",
            starts_at=in_days(6).strftime("%Y-%m-%dT%H:%M"),
            ends_at=in_days(6, hour=17).strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    assert response.status_code == 302
    assert Activity.objects.filter(online_url="http://meet.example.org/x").exists()


def test_a_bad_link_stored_before_the_check_is_never_shown_as_a_link(world):
    activity = make_activity(world)
    Activity.objects.filter(pk=activity.pk).update(online_url="javascript:alert(1)")
    page = client_for(world.teacher).get(activity.get_absolute_url()).content.decode()
    assert "javascript:" not in page
