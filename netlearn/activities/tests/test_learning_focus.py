"""An activity serves a learning focus of its network's charter: the thread from aim to impact."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from netlearn.activities import services
from netlearn.activities.errors import FocusNotInCharter
from netlearn.activities.models import Activity, Invitation, Occurrence
from netlearn.charter import services as charter_services
from netlearn.charter.tests.factories import GOOD_FOCUS
from netlearn.networks.models import Country

from .factories import in_days, make_activity, move_into_past
from .test_views import walk_form


def add_focus(world, *, network=None, by=None, title=None):
    network = network or world.network
    by = by or world.admin
    charter = getattr(network, "charter", None) or charter_services.start_charter(
        network=network, by=by
    )
    values = {**GOOD_FOCUS, "title": title or GOOD_FOCUS["title"]}
    return charter_services.add_focus(charter=charter, by=by, **values)


def dropped_focus(world):
    focus = add_focus(world, title="Reading for pleasure")
    charter_services.drop_focus(focus=focus, by=world.admin, reason="Folded into writing")
    focus.refresh_from_db()
    return focus


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def counts():
    return Activity.objects.count(), Occurrence.objects.count(), Invitation.objects.count()


# Services -----------------------------------------------------------------------------------


def test_activity_serves_a_focus_of_its_networks_charter(world):
    focus = add_focus(world)
    activity = make_activity(world, learning_focus=focus)
    activity.refresh_from_db()
    assert activity.learning_focus == focus
    assert list(focus.activities.all()) == [activity]


@pytest.mark.parametrize("which", ["foreign", "dropped"])
def test_a_focus_of_another_network_or_dropped_is_refused_and_nothing_changes(world, which):
    if which == "foreign":
        focus = add_focus(world, network=world.foreign_network, title="Foreign focus")
        message = "not in the charter of Riverside NLC"
    else:
        focus = dropped_focus(world)
        message = "has been dropped from the charter"
    before = counts()
    with pytest.raises(FocusNotInCharter, match=message) as refused:
        make_activity(world, learning_focus=focus)
    assert counts() == before
    if which == "foreign":
        assert "Foreign focus" not in str(refused.value)  # another network's title never shows


@pytest.mark.parametrize("which", ["foreign", "dropped"])
def test_changing_to_a_foreign_or_dropped_focus_is_refused_and_nothing_changes(world, which):
    kept = add_focus(world, title="Writing")
    activity = make_activity(world, learning_focus=kept)
    if which == "foreign":
        focus = add_focus(world, network=world.foreign_network, title="Foreign focus")
    else:
        focus = dropped_focus(world)
    with pytest.raises(FocusNotInCharter):
        services.update_activity(
            activity=activity, by=world.co_leader, title="Renamed", learning_focus=focus
        )
    stored = Activity.objects.get(pk=activity.pk)
    assert (stored.learning_focus_id, stored.title, stored.sequence) == (
        kept.pk,
        "Thinking lunch",
        0,
    )


def test_an_activity_keeps_its_focus_once_dropped_and_can_still_be_edited(world):
    focus = add_focus(world)
    activity = make_activity(world, learning_focus=focus)
    charter_services.drop_focus(focus=focus, by=world.admin, reason="Achieved")
    services.update_activity(activity=activity, by=world.co_leader, title="Thinking lunch 2")
    activity.refresh_from_db()
    assert activity.learning_focus == focus and activity.title == "Thinking lunch 2"
    services.update_activity(activity=activity, by=world.co_leader, learning_focus=None)
    activity.refresh_from_db()
    assert activity.learning_focus is None


# Pages --------------------------------------------------------------------------------------


def test_the_form_offers_only_the_networks_current_foci(world):
    current = add_focus(world, title="Writing in Key Stage 2")
    dropped_focus(world)
    add_focus(world, network=world.foreign_network, title="Foreign focus")
    response = client_for(world.co_leader).get(
        reverse("activities:create", args=[world.network.slug])
    )
    choices = list(response.context["form"].fields["learning_focus"].queryset)
    assert choices == [current]
    page = response.content.decode()
    assert "Learning focus" in page and "Reading for pleasure" not in page


def test_new_activity_from_a_focus_starts_with_the_focus_chosen(world):
    focus = add_focus(world)
    url = reverse("activities:create", args=[world.network.slug])
    page = client_for(world.co_leader).get(url, {"focus": focus.pk}).content.decode()
    assert f'<option value="{focus.pk}" selected>' in page


def test_a_kahui_ako_chooses_an_achievement_challenge(world):
    world.network.country = Country.NEW_ZEALAND
    world.network.save()
    add_focus(world)
    response = client_for(world.co_leader).get(
        reverse("activities:create", args=[world.network.slug])
    )
    assert response.context["form"].fields["learning_focus"].label == "Achievement challenge"


def test_a_foreign_focus_posted_to_the_form_is_refused_and_nothing_changes(world):
    foreign = add_focus(world, network=world.foreign_network, title="Foreign focus")
    response = client_for(world.co_leader).post(
        reverse("activities:create", args=[world.network.slug]),
        walk_form(world, learning_focus=foreign.pk),
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Activity.objects.exists()


def test_the_form_links_the_activity_and_its_page_links_to_the_focus(world):
    focus = add_focus(world)
    client = client_for(world.co_leader)
    response = client.post(
        reverse("activities:create", args=[world.network.slug]),
        walk_form(world, learning_focus=focus.pk),
    )
    activity = Activity.objects.get()
    assert response.status_code == 302 and activity.learning_focus == focus
    page = client.get(activity.get_absolute_url()).content.decode()
    assert f'href="{reverse("charter:focus", args=[world.network.slug, focus.pk])}"' in page
    edit = client.get(reverse("activities:edit", args=[world.network.slug, activity.pk]))
    assert edit.context["form"].initial["learning_focus"] == focus


def test_the_list_filtered_by_focus_shows_the_activities_serving_it(world):
    focus = add_focus(world, title="Writing in Key Stage 2")
    other = add_focus(world, title="Transition to secondary")
    make_activity(world, title="Writing moderation", learning_focus=focus)
    make_activity(world, title="Transition visit", learning_focus=other)
    make_activity(world, title="Budget meeting")
    past = make_activity(world, title="Writing launch", learning_focus=focus)
    move_into_past(past, hours=48)
    url = reverse("activities:list", args=[world.network.slug])
    client = client_for(world.teacher)

    page = client.get(url, {"focus": focus.pk}).content.decode()
    assert "Coming activities serving “Writing in Key Stage 2”" in page
    assert "Writing moderation" in page
    assert "Transition visit" not in page and "Budget meeting" not in page
    assert "Writing launch" not in page
    assert reverse("charter:focus", args=[world.network.slug, focus.pk]) in page

    past_page = client.get(url, {"focus": focus.pk, "when": "past"}).content.decode()
    assert "Past activities serving" in past_page and "Writing launch" in past_page
    assert "Writing moderation" not in past_page


@pytest.mark.parametrize("value", ["foreign", "999999", "abc", "99999999999999999999"])
def test_the_list_filtered_by_a_focus_not_of_the_network_answers_404(world, value):
    if value == "foreign":
        value = add_focus(world, network=world.foreign_network).pk
    url = reverse("activities:list", args=[world.network.slug])
    assert client_for(world.co_leader).get(url, {"focus": value}).status_code == 404


def test_the_filtered_list_costs_the_same_with_few_and_many_rows(world):
    focus = add_focus(world)
    client = client_for(world.co_leader)
    url = reverse("activities:list", args=[world.network.slug]) + f"?focus={focus.pk}"

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    make_activity(world, title="Meeting 1", starts_at=in_days(1), learning_focus=focus)
    few = queries()
    for day in range(2, 6):
        make_activity(world, title=f"Meeting {day}", starts_at=in_days(day), learning_focus=focus)
    assert queries() == few


def test_the_focus_page_links_to_the_activities_serving_it(world):
    focus = add_focus(world)
    page = (
        client_for(world.teacher)
        .get(reverse("charter:focus", args=[world.network.slug, focus.pk]))
        .content.decode()
    )
    url = reverse("activities:list", args=[world.network.slug]) + f"?focus={focus.pk}"
    assert f'href="{url}"' in page and "Activities serving this focus" in page


# API ----------------------------------------------------------------------------------------


def api_body(world, **overrides):
    start = in_days(4, hour=10)
    values = {
        "title": "Writing moderation",
        "starts_at": start.isoformat(),
        "ends_at": start.replace(hour=11).isoformat(),
    }
    values.update(overrides)
    return values


def test_api_links_an_activity_to_a_focus_and_unlinks_it(world):
    focus = add_focus(world)
    client = client_for(world.co_leader)
    created = client.post(
        "/api/v1/networks/riverside/activities",
        api_body(world, learning_focus_id=focus.pk),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["learning_focus_id"] == focus.pk
    url = f"/api/v1/activities/{created.json()['id']}"
    patched = client.patch(url, {"learning_focus_id": None}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["learning_focus_id"] is None


def test_api_refuses_a_foreign_or_dropped_focus_and_changes_nothing(world):
    client = client_for(world.co_leader)
    url = "/api/v1/networks/riverside/activities"
    foreign = add_focus(world, network=world.foreign_network, title="Foreign focus")
    response = client.post(
        url, api_body(world, learning_focus_id=foreign.pk), content_type="application/json"
    )
    assert response.status_code == 404 and "Foreign focus" not in response.content.decode()
    dropped = dropped_focus(world)
    response = client.post(
        url, api_body(world, learning_focus_id=dropped.pk), content_type="application/json"
    )
    assert response.status_code == 400
    assert "has been dropped from the charter" in response.json()["detail"]
    assert not Activity.objects.exists()
