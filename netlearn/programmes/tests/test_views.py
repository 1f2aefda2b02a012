import datetime

import pytest
from django.urls import reverse

from .. import services
from ..models import Enrolment, Wave, WavePlace
from . import factories, walk

pytestmark = pytest.mark.django_db


def _client(client, person):
    client.force_login(person)
    return client


def test_a_refused_coach_gets_a_clear_message_and_nothing_changes(world, client):
    programme, (first, second) = factories.programme_with_waves(world)
    learner = factories.staff(world.school_b)
    _client(client, world.co_leader)
    before = WavePlace.objects.count()
    response = client.post(
        reverse("programmes:add_coach", args=["riverside", programme.pk, 2]),
        {"person": learner.pk},
    )
    assert response.status_code == 400
    assert "has not completed an earlier wave" in response.content.decode()
    assert WavePlace.objects.count() == before


def test_an_overlapping_wave_is_refused_on_the_page(world, client):
    programme, _ = factories.programme_with_waves(world, waves=1)
    _client(client, world.co_leader)
    response = client.post(
        reverse("programmes:start_wave", args=["riverside", programme.pk]),
        {"starts_on": "2023-01-01", "ends_on": "2023-06-01", "schools": [world.school_a.pk]},
    )
    assert response.status_code == 400
    assert "already in wave 1" in response.content.decode()
    assert Wave.objects.filter(programme=programme).count() == 1


def test_only_runners_start_waves(world, client):
    programme, _ = factories.programme_with_waves(world, waves=1)
    _client(client, world.teacher)
    response = client.post(
        reverse("programmes:start_wave", args=["riverside", programme.pk]),
        {"starts_on": "2030-01-01", "ends_on": "2030-06-01"},
    )
    assert response.status_code == 403


def test_the_certificate_is_a_pdf_of_a_completed_course_for_the_networks_staff(world, client):
    ids = walk.object_ids(world, foreign=False)
    url = reverse(
        "programmes:certificate",
        args=["riverside", ids["learning_course_id"], ids["course_enrolment_id"]],
    )
    response = _client(client, world.teacher).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"Attended" not in response.content  # the evidence stays off the certificate
    for stranger in (world.foreign_co_leader, world.pupil):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
    course = factories.course(world)
    waiting = services.enrol(
        course=course, person=world.teacher, school=world.school_c, by=world.co_leader
    )
    client.force_login(world.teacher)
    unfinished = reverse("programmes:certificate", args=["riverside", course.pk, waiting.pk])
    assert client.get(unfinished).status_code == 404


def test_the_schools_page_shows_its_waves(world, client):
    programme, _ = factories.programme_with_waves(world, waves=2)
    response = _client(client, world.teacher).get(
        reverse("networks:school", args=[world.school_b.pk])
    )
    assert f"{programme.title}: wave 2 of 2" in response.content.decode()


def test_the_course_page_counts_reach_by_school(world, client):
    ids = walk.object_ids(world, foreign=False)
    response = _client(client, world.teacher).get(
        reverse("programmes:course", args=["riverside", ids["learning_course_id"]])
    )
    page = response.content.decode()
    assert "Reach of the cascade" in page and "Alder Primary" in page


def test_an_over_full_cohort_through_the_api_changes_nothing(world, client):
    course = factories.course(world, capacity=1, per_school=1)
    person = factories.staff(world.school_a)
    other = factories.staff(world.school_b)
    _client(client, world.co_leader)
    url = f"/api/v1/networks/riverside/learning-courses/{course.pk}/enrolments"
    first = client.post(
        url,
        {"person_id": person.pk, "school_id": world.school_a.pk},
        content_type="application/json",
    )
    assert first.status_code == 201
    full = client.post(
        url,
        {"person_id": other.pk, "school_id": world.school_b.pk, "waiting_list": False},
        content_type="application/json",
    )
    assert full.status_code == 409
    assert "The cohort is full" in full.json()["detail"]
    assert course.enrolments.count() == 1
    detail = client.get(f"/api/v1/networks/riverside/learning-courses/{course.pk}").json()
    assert [e["person"]["id"] for e in detail["cohort"]] == [person.pk]


def test_the_api_refuses_a_coach_from_the_same_wave(world, client):
    programme, (first, _) = factories.programme_with_waves(world)
    person = factories.staff(world.school_a)
    _client(client, world.co_leader)
    base = f"/api/v1/networks/riverside/learning-programmes/{programme.pk}/waves/1"
    ok = client.post(
        base + "/trainees",
        {"person_id": person.pk, "school_id": world.school_a.pk},
        content_type="application/json",
    )
    assert ok.status_code == 201
    refused = client.post(
        base + "/coaches", {"person_id": person.pk}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert "cannot coach it" in refused.json()["detail"]
    timeline = client.get(f"/api/v1/networks/riverside/learning-programmes/{programme.pk}").json()
    assert [w["number"] for w in timeline["timeline"]] == [1, 2]
    assert datetime.date.fromisoformat(timeline["timeline"][0]["starts_on"]).year == 2022


def test_an_over_full_cohort_on_the_page_gets_a_clear_message_and_changes_nothing(world, client):
    course = factories.course(world, capacity=1, per_school=1)
    first = factories.staff(world.school_a)
    other = factories.staff(world.school_b)
    services.enrol(course=course, person=first, school=world.school_a, by=world.co_leader)
    before = list(Enrolment.objects.values_list("pk", "person_id", "status"))
    _client(client, world.co_leader)
    url = reverse("programmes:enrol", args=["riverside", course.pk])
    # Asked not to wait ("waiting_list" left unticked): refused, with the reason.
    refused = client.post(url, {"person": other.pk, "school": world.school_b.pk})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "The cohort is full (1 places); nobody was added. Join the waiting list instead." in page
    assert list(Enrolment.objects.values_list("pk", "person_id", "status")) == before
    # Ticked, the same person waits for a place.
    waits = client.post(
        url, {"person": other.pk, "school": world.school_b.pk, "waiting_list": "on"}, follow=True
    )
    assert "waiting for a place" in waits.content.decode()
    assert Enrolment.objects.get(person=other).status == "waiting"
