"""A decision filed where it belongs: beside the minutes of the meeting where it was taken, and on
the charter when it concerns the charter (issue 19, part 3)."""

import pytest
from django.test import Client
from django.urls import reverse

from netlearn.activities.tests.factories import make_activity
from netlearn.charter.tests.factories import build_charter
from netlearn.decisions import services
from netlearn.decisions.errors import DecisionError

from .factories import heads_group, proposal


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def meeting(world):
    return make_activity(world, title="Heads' meeting, March")


def test_a_decision_filed_under_its_meeting_and_the_charter_shows_on_both(world, meeting):
    build_charter(world.network, by=world.co_leader)
    made = proposal(world, heads_group(world), activity=meeting, concerns_charter=True)
    charter_page = reverse("charter:detail", args=[world.network.slug])
    meeting_page = meeting.get_absolute_url()
    for page in (charter_page, meeting_page):
        text = signed_in(world.data_lead).get(page).content.decode()
        assert "Shared INSET day (Heads&#x27; group)" in text and "open until" in text
    for person in (world.co_leader, world.school_lead, world.teacher):
        services.take_position(proposal=made, by=person, stance="agree")
    services.close_proposal(proposal=made, by=world.co_leader)
    text = signed_in(world.data_lead).get(meeting_page).content.decode()
    assert "consented" in text
    detail = signed_in(world.data_lead).get(made.get_absolute_url()).content.decode()
    assert "Heads&#x27; meeting, March" in detail and "decided at this meeting" in detail


def test_an_unfiled_decision_shows_on_neither(world, meeting):
    build_charter(world.network, by=world.co_leader)
    proposal(world, heads_group(world))
    for page in (reverse("charter:detail", args=[world.network.slug]), meeting.get_absolute_url()):
        assert "Shared INSET day" not in signed_in(world.co_leader).get(page).content.decode()


def test_a_decision_is_filed_afterwards_by_whoever_manages_it(world, meeting):
    made = proposal(world, heads_group(world))
    url = reverse("decisions:file", args=[world.network.slug, made.pk])
    form = {"activity": meeting.pk, "concerns_charter": "on"}
    assert signed_in(world.school_lead).post(url, form).status_code == 403
    assert signed_in(world.co_leader).post(url, form).status_code == 302
    made.refresh_from_db()
    assert (made.activity_id, made.concerns_charter) == (meeting.pk, True)


def test_another_networks_meeting_is_refused(world):
    foreign = make_activity(world, network=world.foreign_network, by=world.foreign_co_leader)
    group = heads_group(world)
    with pytest.raises(DecisionError, match="network's meetings"):
        proposal(world, group, activity=foreign)
    made = proposal(world, group)
    answer = signed_in(world.co_leader).post(
        f"/api/v1/networks/{world.network.slug}/decisions/{made.pk}/file",
        {"activity_id": foreign.pk},
        content_type="application/json",
    )
    assert answer.status_code == 404
    made.refresh_from_db()
    assert made.activity_id is None


def test_the_api_files_a_decision(world, meeting):
    made = proposal(world, heads_group(world))
    answer = signed_in(world.co_leader).post(
        f"/api/v1/networks/{world.network.slug}/decisions/{made.pk}/file",
        {"activity_id": meeting.pk, "concerns_charter": True},
        content_type="application/json",
    )
    assert answer.status_code == 200
    assert (answer.json()["activity_id"], answer.json()["concerns_charter"]) == (meeting.pk, True)
