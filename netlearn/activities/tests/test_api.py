import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from netlearn.activities.models import Activity

from .factories import in_days, make_activity, make_walk, move_into_past


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def body(**overrides):
    start = in_days(4, hour=10)
    values = {
        "title": "Learning walk",
        "kind": "learning_walk",
        "purpose": "What makes feedback land?",
        "starts_at": start.isoformat(),
        "ends_at": (start + datetime.timedelta(hours=1)).isoformat(),
        "time_zone": "Europe/London",
    }
    values.update(overrides)
    return values


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_co_leader_creates_an_activity_in_local_time(world):
    data = body(
        starts_at="2030-03-28T18:00:00",
        ends_at="2030-03-28T19:00:00",
        time_zone="Pacific/Auckland",
        recurrence="FREQ=WEEKLY;COUNT=3",
        host_school_id=world.school_b.pk,
    )
    response = post(client_for(world.co_leader), "/api/v1/networks/riverside/activities", data)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["local_start"].startswith("2030-03-28T18:00:00+13:00")
    assert created["can_manage"] is True
    occurrences = client_for(world.teacher).get(f"/api/v1/activities/{created['id']}/occurrences")
    assert occurrences.json()["count"] == 3


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"purpose": ""}, "needs a purpose"),
        ({"ends_at": in_days(3).isoformat()}, "must end after it starts"),
        ({"recurrence": "FREQ=HOURLY;COUNT=3"}, "daily, weekly"),
    ],
)
def test_bad_input_answers_400_and_changes_nothing(world, overrides, message):
    response = post(
        client_for(world.co_leader), "/api/v1/networks/riverside/activities", body(**overrides)
    )
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not Activity.objects.exists()


def test_member_cannot_create(world):
    response = post(client_for(world.teacher), "/api/v1/networks/riverside/activities", body())
    assert response.status_code == 403


def test_rsvp_over_capacity_joins_the_waiting_list(world):
    activity = make_activity(world, capacity=1)
    occurrence = activity.occurrences.get()
    url = f"/api/v1/activities/{activity.pk}/occurrences/{occurrence.pk}/rsvp"
    assert post(client_for(world.school_lead), url, {"response": "going"}).json()["response"] == (
        "going"
    )
    answer = post(client_for(world.teacher), url, {"response": "going"}).json()
    assert answer["response"] == "waiting" and answer["waiting_list_position"] == 1
    assert "waiting list" in answer["message"]


def test_attendance_is_recorded_and_reported(world):
    walk = make_walk(world)
    move_into_past(walk)
    occurrence = walk.occurrences.get()
    url = f"/api/v1/activities/{walk.pk}/occurrences/{occurrence.pk}/attendance"
    answer = post(
        client_for(world.co_leader), url, {"person_id": world.teacher.pk, "present": True}
    )
    assert answer.status_code == 200 and answer.json()["school"]["name"] == "Cedar Academy"
    foreign = post(
        client_for(world.co_leader), url, {"person_id": world.foreign_teacher.pk, "present": True}
    )
    assert foreign.status_code == 404
    assert client_for(world.teacher).get(url).json()["count"] == 1  # their own line only
    report = client_for(world.teacher).get("/api/v1/networks/riverside/attendance").json()
    cedar = next(row for row in report["schools"] if row["school"]["name"] == "Cedar Academy")
    assert cedar["rate"]["percent"] == "100.0"


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/api/v1/networks/riverside/activities", "/api/v1/me/actions"])
def test_lists_cost_the_same_with_few_and_many_rows(world, url):
    from netlearn.activities import services

    client = client_for(world.teacher)

    def add(n):
        activity = make_activity(world, title=f"Meeting {n}", starts_at=in_days(n + 1))
        services.add_action(
            activity=activity, by=world.co_leader, title=f"Do {n}", owner=world.teacher
        )

    add(1)
    few = count(client, url)
    for n in range(2, 7):
        add(n)
    assert count(client, url) == few
