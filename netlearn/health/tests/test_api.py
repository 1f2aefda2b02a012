"""The API refuses bad input with a clear message and changes nothing."""

import pytest
from django.test import Client

from netlearn.health.models import Participation, Survey

from .factories import soon, survey

pytestmark = pytest.mark.django_db


def _client(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_bad_input_through_the_api_changes_nothing(world):
    leader = _client(world.co_leader)
    url = f"/api/v1/networks/{world.network.slug}/surveys"
    body = {"title": "Empty", "audience": "staff", "closes_at": soon().isoformat()}
    refused = leader.post(url, body, content_type="application/json")
    assert refused.status_code == 400 and "at least one question" in refused.json()["detail"]
    assert not Survey.objects.exists()

    made = survey(world)
    likert = made.questions.get(kind="likert").pk
    ranking = made.questions.get(kind="ranking").pk
    teacher = _client(world.teacher)
    answers = f"/api/v1/surveys/{made.pk}/responses"
    twice = {"answers": [{"question": ranking, "ranking": [1, 1, 2]}]}
    refused = teacher.post(answers, twice, content_type="application/json")
    assert refused.status_code == 400 and "different place" in refused.json()["detail"]
    assert not Participation.objects.exists()

    good = {"answers": [{"question": likert, "likert": 4}]}
    assert teacher.post(answers, good, content_type="application/json").status_code == 201
    again = teacher.post(answers, good, content_type="application/json")
    assert again.status_code == 409 and "already" in again.json()["detail"]

    assert leader.post(f"/api/v1/surveys/{made.pk}/close").status_code == 200
    late = _client(world.school_lead).post(answers, good, content_type="application/json")
    assert late.status_code == 400 and "closed" in late.json()["detail"]
    assert Participation.objects.count() == 1

    results = leader.get(f"/api/v1/surveys/{made.pk}/results").json()
    assert results["level"] == "network"
    assert results["questions"][0]["overall"]["mean"] == "c"
    assert _client(world.teacher).get(f"/api/v1/surveys/{made.pk}/results").json()["level"] is None
