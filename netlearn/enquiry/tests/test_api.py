"""The API: enquiries, run-chart data and accounts, scoped like the pages."""

import datetime

from django.test import Client

from netlearn.enquiry import services

from .factories import lesson_study, loaded_account


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def test_start_an_enquiry_and_add_data(world):
    client = client_for(world.teacher)
    response = client.post(
        "/api/v1/networks/riverside/enquiries",
        {"question": "Do starters help?", "method": "pdsa", "group_id": world.group.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    enquiry_id = response.json()["id"]
    url = f"/api/v1/networks/riverside/enquiries/{enquiry_id}/data"
    bad = client.post(url, {"measured_on": "2025-01-01", "value": "twelve"}, "application/json")
    assert bad.status_code == 422
    for offset, value in enumerate([1, 2, 1, 2, 1, 9, 8, 9, 8, 9]):
        day = datetime.date(2025, 1, 1) + datetime.timedelta(days=offset)
        ok = client.post(url, {"measured_on": day.isoformat(), "value": value}, "application/json")
        assert ok.status_code == 201
    chart = client.get(f"/api/v1/networks/riverside/enquiries/{enquiry_id}/run-chart").json()
    assert chart["median"] == 5.0
    assert chart["rules"] == "ihi" and "Swed–Eisenhart" in chart["method"]
    assert [signal["rule"] for signal in chart["signals"]] == ["too_few_runs"]
    # A missed week, then a change adopted: a new phase from the next point.
    missing = {"measured_on": "2025-02-01", "value": None}
    assert client.post(url, missing, "application/json").status_code == 400
    missing["note"] = "Trip week"
    assert client.post(url, missing, "application/json").status_code == 201
    adopted = {"measured_on": "2025-02-08", "value": 9, "starts_phase": True}
    assert client.post(url, adopted, "application/json").status_code == 201
    chart = client.get(f"/api/v1/networks/riverside/enquiries/{enquiry_id}/run-chart").json()
    assert chart["points"] == 11
    assert [(phase["first"], phase["last"]) for phase in chart["phases"]] == [(0, 10), (11, 11)]


def test_a_foreign_enquiry_answers_404(world):
    response = client_for(world.foreign_teacher).get("/api/v1/networks/riverside/enquiries")
    assert response.status_code == 404


def test_draft_accounts_are_the_groups_until_published(world):
    enquiry = lesson_study(world, world.group, world.teacher)
    account = services.write_account(
        enquiry=enquiry, by=world.teacher, title="Fractions", question="Q",
        what_we_tried="T", what_we_learned="L",
    )  # fmt: skip
    url = "/api/v1/networks/riverside/accounts"
    assert client_for(world.school_lead).get(url).json()["count"] == 0
    assert client_for(world.teacher).get(url).json()["count"] == 1
    services.review_account(account=loaded_account(account, world.co_leader), by=world.co_leader)
    services.publish_account(account=loaded_account(account, world.teacher), by=world.teacher)
    found = client_for(world.school_lead).get(url + "?q=fractions").json()
    assert found["count"] == 1 and found["items"][0]["title"] == "Fractions"
    assert client_for(world.school_lead).get(url + "?q=nothing").json()["count"] == 0
