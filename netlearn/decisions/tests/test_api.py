import pytest
from django.test import Client

from netlearn.decisions.models import Proposal, Voter

from .factories import heads_group, proposal, soon

pytestmark = pytest.mark.django_db

URL = "/api/v1/networks/riverside/decisions"


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def test_a_proposal_is_made_voted_on_and_closed_through_the_api(world):
    group = heads_group(world)
    co_leader = client_for(world.co_leader)
    response = co_leader.post(
        URL,
        {
            "group_id": group.pk,
            "title": "Day",
            "text": "Which day?",
            "method": "ranked",
            "options": ["Mon", "Fri"],
            "closes_at": soon().isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    made = response.json()
    mon, fri = [option["id"] for option in made["options"]]
    teacher = client_for(world.teacher)
    answer = teacher.post(
        f"{URL}/{made['id']}/position", {"choice": [fri, mon]}, content_type="application/json"
    )
    assert answer.status_code == 200
    assert answer.json()["positions"][0]["person"] == "Tia Teacher"
    closed = co_leader.post(f"{URL}/{made['id']}/close").json()
    assert closed["outcome"] == "chosen" and closed["result"]["winner"] == fri
    listed = client_for(world.data_lead).get(URL).json()
    assert listed["count"] == 1 and listed["items"][0]["outcome_summary"] == "Decided: Fri."


def test_someone_outside_the_group_cannot_take_part(world):
    made = proposal(world, heads_group(world))
    response = client_for(world.data_lead).post(
        f"{URL}/{made.pk}/position", {"stance": "agree"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "Only members" in response.json()["detail"]


def test_a_secret_ballot_shows_no_names_and_no_count_until_it_closes(world):
    made = proposal(world, heads_group(world), method="vote", options=["A", "B"], is_secret=True)
    a = made.options.first().pk
    client = client_for(world.teacher)
    body = client.post(
        f"{URL}/{made.pk}/position", {"choice": [a]}, content_type="application/json"
    ).json()
    assert body["positions"] == [] and body["result"] is None and body["voters"] == 1
    again = client.post(
        f"{URL}/{made.pk}/position", {"choice": [a]}, content_type="application/json"
    )
    assert again.status_code == 409
    assert Voter.objects.count() == 1


def test_another_networks_teacher_gets_404(world):
    made = proposal(world, heads_group(world))
    client = client_for(world.foreign_teacher)
    assert client.get(f"{URL}/{made.pk}").status_code == 404
    assert client.get(URL).status_code == 404


def test_a_naive_closing_time_is_read_in_the_sites_zone(world):
    group = heads_group(world)
    response = client_for(world.co_leader).post(
        URL,
        {
            "group_id": group.pk,
            "title": "T",
            "text": "x",
            "method": "consent",
            "closes_at": soon().replace(tzinfo=None).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Proposal.objects.count() == 1
