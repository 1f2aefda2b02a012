import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from netlearn.activities import services as activity_services
from netlearn.activities.tests.factories import in_days, make_activity
from netlearn.exchange import release, services
from netlearn.exchange.models import LedgerEntry, Purpose

from .factories import make_budget
from .test_release import make_school_miss_meetings


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def budget_url(budget, name="exchange:budget"):
    return reverse(name, args=[budget.network.slug, budget.pk])


def test_the_budgets_page_lists_budgets_in_a_fixed_number_of_queries(
    world, django_assert_max_num_queries
):
    for year in (2024, 2025, 2026):
        make_budget(world, year=year)
    client = client_for(world.co_leader)
    url = reverse("exchange:budgets", args=[world.network.slug])
    client.get(url)
    with django_assert_max_num_queries(12) as captured:
        page = client.get(url)
    few = len(captured)
    for year in (2020, 2021, 2022):
        make_budget(world, year=year)
    with django_assert_max_num_queries(few):
        page = client.get(url)
    assert page.status_code == 200
    assert "£1,000.00" in page.content.decode()


def test_the_network_navigation_links_the_budgets(world):
    page = client_for(world.teacher).get(reverse("networks:home", args=[world.network.slug]))
    assert reverse("exchange:budgets", args=[world.network.slug]) in page.content.decode()
    page = client_for(world.pupil).get(reverse("networks:home", args=[world.network.slug]))
    assert reverse("exchange:budgets", args=[world.network.slug]) not in page.content.decode()


def test_members_see_summaries_not_the_ledger(world):
    budget = make_budget(world)
    services.commit(
        budget=budget,
        amount="120",
        by=world.co_leader,
        description="Cover for Sam's triad",
        school=world.school_b,
    )
    services.commit(
        budget=budget,
        amount="80",
        by=world.co_leader,
        description="Cover at Cedar",
        school=world.school_c,
    )
    lead = client_for(world.co_leader).get(budget_url(budget)).content.decode()
    assert "Grant for the year" in lead and "Cover at Cedar" in lead
    teacher = client_for(world.teacher).get(budget_url(budget)).content.decode()
    assert "£800.00" in teacher  # the summary
    assert "Grant for the year" not in teacher and "Cover at Cedar" not in teacher
    school_lead = client_for(world.school_lead).get(budget_url(budget)).content.decode()
    assert "Cover for Sam's triad" in school_lead.replace("&#x27;", "'")
    assert "Cover at Cedar" not in school_lead
    assert client_for(world.foreign_co_leader).get(budget_url(budget)).status_code == 404
    assert client_for(world.pupil).get(budget_url(budget)).status_code == 404


def test_a_spend_over_the_balance_is_refused_with_a_clear_message(world):
    budget = make_budget(world, income="100")
    url = budget_url(budget, "exchange:new_entry")
    response = client_for(world.co_leader).post(
        url, {"kind": "spending", "amount": "250", "description": "Minibus hire"}
    )
    assert response.status_code == 400
    assert "below zero" in response.content.decode()
    assert budget.entries.count() == 1
    response = client_for(world.co_leader).post(
        url, {"kind": "spending", "amount": "-5", "description": "Refund"}
    )
    assert response.status_code == 400
    assert budget.entries.count() == 1


def test_recording_and_reversing_through_the_pages(world):
    budget = make_budget(world, income="100")
    client = client_for(world.co_leader)
    response = client.post(
        budget_url(budget, "exchange:new_entry"),
        {"kind": "spending", "amount": "40.50", "description": "Supply cover"},
    )
    assert response.status_code == 302
    spending = budget.entries.get(kind="spending")
    url = reverse("exchange:reverse_entry", args=[budget.network.slug, budget.pk, spending.pk])
    assert client.post(url, {"description": ""}).status_code == 400
    assert client.post(url, {"description": "Wrong budget"}).status_code == 302
    page = client.get(budget_url(budget)).content.decode()
    assert "(reversed)" in page and "£100.00" in page
    # A line the teacher cannot see answers like a missing one.
    assert client_for(world.teacher).post(url, {"description": "x"}).status_code == 404


def test_the_ledger_exports_as_csv_and_xlsx_in_the_networks_currency(world):
    world.network.currency = "NZD"
    world.network.save(update_fields=["currency"])
    budget = make_budget(world, income="1000")
    services.spend(budget=budget, amount="250", by=world.co_leader, description="=HYPERLINK(evil)")
    client = client_for(world.co_leader)
    response = client.get(budget_url(budget, "exchange:ledger_csv"))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["In"] for row in rows] == ["1000.00", ""]
    assert rows[1]["Out"] == "250.00" and rows[1]["Currency"] == "NZD"
    assert rows[1]["Why"] == "'=HYPERLINK(evil)"
    response = client.get(budget_url(budget, "exchange:ledger_xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][9] == 1000 and values[2][10] == 250
    assert sheet.cell(row=2, column=10).number_format.startswith('"NZ$"')
    assert values[2][3] == "'=HYPERLINK(evil)"
    assert (
        client_for(world.teacher).get(budget_url(budget, "exchange:ledger_csv")).status_code == 403
    )


def test_a_funders_statement_covers_their_income_over_the_period(world):
    budget = make_budget(world, income="1000", purpose=Purpose.CPD)
    services.record_income(
        budget=budget,
        amount=Decimal("500"),
        by=world.co_leader,
        description="Schools' share",
        source="school_contribution",
        funder="Alder Primary",
    )
    services.spend(budget=budget, amount="300", by=world.co_leader, description="Course")
    entry = LedgerEntry.objects.filter(budget=budget).first()
    day = entry.occurred_on.isoformat()
    url = budget_url(budget, "exchange:statement")
    client = client_for(world.co_leader)
    response = client.get(
        url, {"funder": "National College", "start": day, "end": day, "format": "csv"}
    )
    text = response.content.decode()
    assert "NC-2026-17" in text and "Schools' share" not in text
    assert "Total income,,,,,,1000.00" in text and "Total spending,,,,,,300.00" in text
    bad = client.get(url, {"funder": "X", "start": day, "end": "2000-01-01", "format": "csv"})
    assert bad.status_code == 400 and "ends before it starts" in bad.content.decode()


@pytest.mark.parametrize("currency, shown", [("GBP", "£"), ("NZD", "NZ$")])
def test_amounts_show_in_the_networks_currency(world, currency, shown):
    world.network.currency = currency
    world.network.save(update_fields=["currency"])
    budget = make_budget(world, income="10")
    page = client_for(world.co_leader).get(budget_url(budget)).content.decode()
    assert f"{shown}10.00" in page
    if currency == "NZD":
        assert "£" not in page


def test_release_funding_page_totals_per_school_and_learning_focus(world):
    year = release.budget_year(world.network, in_days(3).date())
    make_budget(world, purpose=Purpose.RELEASE, year=year, income="1000")
    services.set_cover_rate(network=world.network, per_session=Decimal("50"), by=world.co_leader)
    activity = make_activity(world, starts_at=in_days(3))
    request = activity_services.request_release(
        activity=activity, by=world.teacher, sessions=Decimal("2")
    )
    activity_services.decide_release(
        release_request=request, by=world.co_leader, approve=True, amount=Decimal("0")
    )
    url = reverse("exchange:release_funding", args=[world.network.slug])
    page = client_for(world.co_leader).get(url).content.decode()
    assert "Totals per learning focus" in page and "No learning focus" in page
    assert "Cedar Academy" in page and "£100.00" in page
    # A teacher sees their own funding; another school's lead does not see it.
    assert "£100.00" in client_for(world.teacher).get(url).content.decode()
    assert "£100.00" not in client_for(world.school_lead).get(url).content.decode()


def test_the_budget_page_costs_the_same_queries_however_long_the_ledger(
    world, django_assert_max_num_queries
):
    budget = make_budget(world, income="1000")
    services.spend(
        budget=budget, amount="5", by=world.co_leader, description="Pens", school=world.school_a
    )
    client = client_for(world.co_leader)
    client.get(budget_url(budget))
    with django_assert_max_num_queries(60) as captured:
        client.get(budget_url(budget))
    few = len(captured)
    for n in range(8):
        services.spend(
            budget=budget,
            amount="5",
            by=world.co_leader,
            description=f"Pens {n}",
            school=world.school_a,
        )
    with django_assert_max_num_queries(few):
        page = client.get(budget_url(budget))
    assert "Pens 7" in page.content.decode()


def test_a_school_lead_asks_for_an_exception_through_the_budget_page(world):
    make_school_miss_meetings(world)  # every school invited, nobody came: all below
    budget = make_budget(world, purpose=Purpose.RELEASE)
    lead = client_for(world.school_lead)
    page = lead.get(budget_url(budget)).content.decode()
    assert "Ask for an exception" in page and "below the commitment" in page
    url = reverse("exchange:request_exception", args=[world.network.slug, budget.pk])
    assert lead.post(url, {"school": world.school_b.pk, "reason": ""}).status_code == 302
    assert not budget.exception_requests.exists()
    lead.post(url, {"school": world.school_b.pk, "reason": "Our head was on leave"})
    asked = budget.exception_requests.get()
    # A school the lead does not lead is refused.
    assert lead.post(url, {"school": world.school_c.pk, "reason": "x"}).status_code == 403
    answer = reverse(
        "exchange:answer_exception_request", args=[world.network.slug, budget.pk, asked.pk]
    )
    assert lead.post(answer, {"decision": "grant"}).status_code == 403
    holder = client_for(world.co_leader)
    assert "Our head was on leave" in holder.get(budget_url(budget)).content.decode()
    holder.post(answer, {"decision": "grant", "note": "Agreed"})
    asked.refresh_from_db()
    assert asked.granted is True
    assert budget.exceptions.get().school == world.school_b
