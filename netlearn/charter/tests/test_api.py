import pytest
from django.test import Client

from .factories import build_charter


@pytest.fixture
def built(world):
    return build_charter(world.network, by=world.co_leader)


def api(person):
    client = Client()
    client.force_login(person)
    return client


def test_members_read_foci_with_their_checks(world, built):
    charter, focus, goal, *_ = built
    client = api(world.teacher)
    response = client.get("/api/v1/networks/riverside/charter/foci")
    assert response.status_code == 200 and response.json()["count"] == 1
    detail = client.get(f"/api/v1/networks/riverside/charter/foci/{focus.pk}").json()
    assert len(detail["checks"]) == 6
    goal_json = client.get(f"/api/v1/networks/riverside/charter/goals/{goal.pk}").json()
    assert goal_json["status"] == "on_track"


def test_co_leaders_write_and_members_may_not(world, built):
    charter, focus, *_ = built
    body = {
        "measure": "Pupils at greater depth",
        "unit": "%",
        "baseline_value": 10,
        "baseline_date": "2024-07-01",
        "target_value": 20,
        "target_date": "2026-07-01",
    }
    path = f"/api/v1/networks/riverside/charter/foci/{focus.pk}/goals"
    assert api(world.teacher).post(path, body, content_type="application/json").status_code == 403
    response = api(world.co_leader).post(path, body, content_type="application/json")
    assert response.status_code == 201


def test_bad_goal_answers_400_with_the_reason(world, built):
    charter, focus, *_ = built
    body = {
        "measure": "Pupils",
        "unit": "%",
        "baseline_value": 10,
        "baseline_date": "2024-07-01",
        "target_value": 20,
        "target_date": "2023-07-01",
    }
    path = f"/api/v1/networks/riverside/charter/foci/{focus.pk}/goals"
    response = api(world.co_leader).post(path, body, content_type="application/json")
    assert response.status_code == 400 and "target date" in response.json()["detail"]
    response = api(world.co_leader).post(
        path, {**body, "baseline_value": "abc"}, content_type="application/json"
    )
    assert response.status_code == 422


def test_school_lead_signs_off_through_the_api(world, built):
    charter, *_, version = built
    client = api(world.co_leader)
    base = f"/api/v1/networks/riverside/charter/versions/{version.pk}"
    assert client.post(f"{base}/propose", {}, content_type="application/json").status_code == 200
    response = api(world.school_lead).post(
        f"{base}/sign-offs", {"school_id": world.school_b.pk}, content_type="application/json"
    )
    assert response.status_code == 201
    signed = [row for row in response.json()["sign_offs"] if row["signed_by"]]
    assert [row["school"] for row in signed] == ["Birch Primary"]


def test_another_networks_charter_answers_404(world, built):
    build_charter(world.foreign_network, by=world.admin)
    response = api(world.co_leader).get("/api/v1/networks/hilltop/charter")
    assert response.status_code == 404
