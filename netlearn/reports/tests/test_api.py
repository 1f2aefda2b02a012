"""Progress reports and writing-day compilations through the API: the pages' rules and figures."""

import pytest
from django.test import Client

from netlearn.reports.models import ProgressReport

from .factories import MACRONS, data_behind, document, pdf_text, period, published_report

pytestmark = pytest.mark.django_db


def client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def base(world) -> str:
    return f"/api/v1/networks/{world.network.slug}/reports"


def test_a_co_leader_drafts_submits_and_publishes_through_the_api(world):
    data_behind(world)
    client = client_for(world.co_leader)
    start, end = period()
    created = client.post(
        base(world),
        {
            "title": "Autumn term",
            "period_kind": "term",
            "starts_on": start.isoformat(),
            "ends_on": end.isoformat(),
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    report_id = created.json()["id"]
    assert created.json()["version"] == {
        "number": 1,
        "status": "draft",
        "submitted_at": None,
        "published_at": None,
    }
    edited = client.patch(
        f"{base(world)}/{report_id}/narrative",
        {"summary": f"Kia ora {MACRONS}"},
        content_type="application/json",
    )
    assert edited.json()["narrative"]["summary"] == f"Kia ora {MACRONS}"
    assert client.post(f"{base(world)}/{report_id}/publish").status_code == 409
    assert client.post(f"{base(world)}/{report_id}/submit").json()["version"]["status"] == (
        "in_review"
    )
    published = client.post(f"{base(world)}/{report_id}/publish").json()
    assert published["version"]["status"] == "published"
    report = ProgressReport.objects.get(pk=report_id)
    # The API's tables are the page's: the same figures, cell for cell.
    figures = [
        cell
        for section in published["sections"]
        for table in section["tables"]
        for row in table["rows"]
        for cell in row
        if any(ch.isdigit() for ch in cell)
    ]
    assert figures == document(world, report).figures

    reader = client_for(world.school_lead)
    assert reader.get(f"{base(world)}/{report_id}").status_code == 200
    pdf = reader.get(f"{base(world)}/{report_id}/pdf")
    assert pdf["Content-Type"] == "application/pdf" and MACRONS in pdf_text(pdf.content)
    xlsx = reader.get(f"{base(world)}/{report_id}/xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert reader.patch(
        f"{base(world)}/{report_id}/narrative", {"summary": "x"}, content_type="application/json"
    ).status_code in (403, 409)


def test_readers_may_not_write_and_another_network_gets_404(world):
    report = published_report(world)
    start, end = period()
    body = {
        "title": "Mine",
        "period_kind": "term",
        "starts_on": start.isoformat(),
        "ends_on": end.isoformat(),
    }
    member = client_for(world.teacher)
    assert member.post(base(world), body, content_type="application/json").status_code == 403
    assert member.post(f"{base(world)}/{report.pk}/revise").status_code == 403
    foreign = client_for(world.foreign_co_leader)
    assert foreign.get(f"{base(world)}/{report.pk}").status_code == 404
    assert foreign.get(f"{base(world)}/{report.pk}/pdf").status_code == 404
    assert foreign.get(base(world)).status_code == 404


def test_bad_periods_are_refused(world):
    client = client_for(world.co_leader)
    start, end = period()
    backwards = {
        "title": "Backwards",
        "period_kind": "term",
        "starts_on": end.isoformat(),
        "ends_on": start.isoformat(),
    }
    assert client.post(base(world), backwards, content_type="application/json").status_code == 400
    decade = {**backwards, "period_kind": "decade", "starts_on": start.isoformat()}
    assert client.post(base(world), decade, content_type="application/json").status_code == 422
    assert not ProgressReport.objects.exists()


def test_an_account_is_filed_under_a_writing_day_and_compiled_through_the_api(world):
    from netlearn.golden_thread.tests.thread_factories import (
        add_pdsa,
        focus_with_goal,
        publish_account,
    )

    from .factories import writing_day

    focus, goal = focus_with_goal(world)
    account = publish_account(world, add_pdsa(world, focus, goal), title=f"Stamina {MACRONS}")
    day = writing_day(world)
    url = f"/api/v1/networks/{world.network.slug}/writing-days/{day.pk}"
    linked = client_for(world.teacher).post(
        f"{url}/accounts", {"account_id": account.pk}, content_type="application/json"
    )
    assert linked.status_code == 200, linked.content
    assert [a["title"] for a in linked.json()["accounts"]] == [f"Stamina {MACRONS}"]
    assert client_for(world.partner).get(url).json()["accounts"][0]["id"] == account.pk
    pdf = client_for(world.school_lead).get(f"{url}/pdf")
    assert f"Stamina {MACRONS}" in pdf_text(pdf.content)
    refused = client_for(world.school_lead).post(
        f"{url}/accounts", {"account_id": account.pk}, content_type="application/json"
    )
    assert refused.status_code in (403, 404)
    assert client_for(world.foreign_co_leader).get(url).status_code == 404
