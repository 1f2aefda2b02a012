from django.test import Client

from netlearn.exchange.models import LedgerEntry

from .factories import make_budget


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def base(world):
    return f"/api/v1/networks/{world.network.slug}/budgets"


def test_budgets_carry_their_currency_and_figures(world):
    world.network.currency = "NZD"
    world.network.save(update_fields=["currency"])
    budget = make_budget(world, income="1000.50")
    answer = client_for(world.teacher).get(base(world)).json()
    row = answer["items"][0]
    assert row["id"] == budget.pk and row["currency"] == "NZD"
    assert row["cash"] == "1000.50" and row["available"] == "1000.50"
    # Members see the summary; the ledger's lines are for those who run the money.
    entries = client_for(world.teacher).get(f"{base(world)}/{budget.pk}/entries").json()
    assert entries["count"] == 0
    entries = client_for(world.co_leader).get(f"{base(world)}/{budget.pk}/entries").json()
    assert entries["items"][0]["funder_reference"] == "NC-2026-17"
    assert entries["items"][0]["currency"] == "NZD"


def test_writing_through_the_api(world):
    budget = make_budget(world, income="100")
    client = client_for(world.co_leader)
    url = f"{base(world)}/{budget.pk}/entries"
    made = client.post(
        url,
        {
            "kind": "commitment",
            "amount": "60",
            "description": "Supply",
            "school_id": world.school_b.pk,
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    over = client.post(
        url,
        {"kind": "spending", "amount": "50", "description": "Hall"},
        content_type="application/json",
    )
    assert over.status_code == 400 and "below zero" in over.json()["detail"]
    for bad in ("-1", "0", "1.001", "NaN"):
        answer = client.post(
            url,
            {"kind": "spending", "amount": bad, "description": "x"},
            content_type="application/json",
        )
        assert answer.status_code in (400, 422), bad
    settle = client.post(
        url,
        {
            "kind": "spending",
            "amount": "60",
            "description": "Paid",
            "settles_entry_id": made.json()["id"],
        },
        content_type="application/json",
    )
    assert settle.status_code == 201
    reversal = client.post(
        f"{url}/{settle.json()['id']}/reversal",
        {"description": "Wrong invoice"},
        content_type="application/json",
    )
    assert reversal.status_code == 201
    assert LedgerEntry.objects.filter(budget=budget).count() == 4
    assert client.get(f"{base(world)}/{budget.pk}").json()["available"] == "40.00"


def test_another_networks_budget_answers_like_a_missing_one(world):
    budget = make_budget(world)
    client = client_for(world.foreign_co_leader)
    assert client.get(f"{base(world)}/{budget.pk}").status_code == 404
    assert client.get(base(world)).status_code == 404
    answer = client.post(
        f"{base(world)}/{budget.pk}/entries",
        {"kind": "income", "amount": "5", "description": "x", "source": "grant"},
        content_type="application/json",
    )
    assert answer.status_code == 404
