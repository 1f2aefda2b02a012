"""A judgement's next step goes into the network's own charter (a focus or a goal) or one of its
activities: shown on the judgement and on the target; another network's is refused and nothing
changes."""

import pytest
from django.test import Client
from django.urls import reverse

from netlearn.activities.tests.factories import make_activity
from netlearn.charter.tests.factories import build_charter
from netlearn.health import selectors, services
from netlearn.health.errors import HealthError
from netlearn.health.models import Judgement

pytestmark = pytest.mark.django_db

DIMENSION = "nlc-characteristics/enquiry"


def _judge(world, **kwargs):
    values = {
        "network": world.network,
        "by": world.co_leader,
        "dimension": selectors.dimension_with_key(DIMENSION),
        "wave": "Summer 2027",
        "level": "developing",
        "summary": "Enquiry grows.",
        "next_step": "A shared measure of enquiry.",
    }
    values.update(kwargs)
    return services.record_judgement(**values)


def _client(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_a_next_step_goes_into_the_charter_and_shows_on_both(world):
    _charter, focus, goal, *_ = build_charter(world.network, by=world.co_leader)
    made = _judge(world, next_target=f"goal:{goal.pk}")
    assert made.next_goal_id == goal.pk and made.next_focus_id is None
    client = _client(world.co_leader)
    overview = client.get(reverse("health:overview", args=[world.network.slug])).content.decode()
    assert reverse("charter:focus", args=[world.network.slug, focus.pk]) in overview
    assert goal.measure in overview
    charter = client.get(reverse("charter:detail", args=[world.network.slug])).content.decode()
    assert "what follows from a judgement" in charter and "A shared measure of enquiry." in charter
    # Judging again with the focus instead moves it there.
    again = _judge(world, next_target=f"focus:{focus.pk}")
    assert again.pk == made.pk and again.next_focus_id == focus.pk and again.next_goal_id is None


def test_a_next_step_planned_as_an_activity_shows_on_the_activity(world):
    activity = make_activity(world, title="Enquiry planning day")
    _judge(world, next_target=f"activity:{activity.pk}")
    page = _client(world.co_leader).get(
        reverse("activities:activity", args=[world.network.slug, activity.pk])
    )
    assert page.status_code == 200 and b"A shared measure of enquiry." in page.content
    api = _client(world.co_leader).get(f"/api/v1/networks/{world.network.slug}/health")
    assert api.json()["judgements"][0]["next_target"] == f"activity:{activity.pk}"


def test_another_networks_focus_goal_or_activity_is_refused_and_changes_nothing(world):
    _charter, focus, goal, *_ = build_charter(world.foreign_network, by=world.foreign_co_leader)
    activity = make_activity(world, network=world.foreign_network, by=world.foreign_co_leader)
    for key in (f"focus:{focus.pk}", f"goal:{goal.pk}", f"activity:{activity.pk}", "charter:1"):
        with pytest.raises(HealthError, match="of this network"):
            _judge(world, next_target=key)
    assert not Judgement.objects.exists()
    # Through the form: not among the choices, refused.
    form = _client(world.co_leader).post(
        reverse("health:judge", args=[world.network.slug]),
        {
            "dimension": selectors.dimension_with_key(DIMENSION).pk,
            "wave": "Summer 2027",
            "level": "developing",
            "summary": "Enquiry grows.",
            "next_step": "Plan it.",
            "next_target": f"focus:{focus.pk}",
        },
    )
    assert form.status_code == 400
    # Through the API: a clear message.
    refused = _client(world.co_leader).post(
        f"/api/v1/networks/{world.network.slug}/health/judgements",
        {
            "dimension": DIMENSION,
            "wave": "Summer 2027",
            "level": "developing",
            "summary": "Enquiry grows.",
            "next_step": "Plan it.",
            "next_target": f"activity:{activity.pk}",
        },
        content_type="application/json",
    )
    assert refused.status_code == 400 and "of this network" in refused.json()["detail"]
    assert not Judgement.objects.exists()
