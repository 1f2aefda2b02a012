from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from netlearn.exchange import selectors, services
from netlearn.exchange.errors import (
    AlreadyReversed,
    AppendOnly,
    BudgetExists,
    ExchangeError,
    Overdrawn,
)
from netlearn.exchange.models import EntryKind, LedgerEntry, Purpose

from .factories import make_budget


def figures(budget):
    return selectors.figures_of(budget)


def test_income_commitment_and_spending_make_the_balance(world):
    budget = make_budget(world, income="1000")
    commitment = services.commit(
        budget=budget, amount="300", by=world.co_leader, description="Supply for triads"
    )
    services.spend(
        budget=budget,
        amount="200",
        by=world.co_leader,
        description="Supply, 3 March",
        commitment=commitment,
    )
    shown = figures(budget)
    assert shown.cash.amount == Decimal("800.00")
    assert shown.committed.amount == Decimal("100.00")
    assert shown.available.amount == Decimal("700.00")
    assert str(shown.available) == "£700.00"


def test_entries_are_never_changed_or_deleted(world):
    budget = make_budget(world)
    entry = budget.entries.get()
    entry.description = "Changed"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=1)
    with pytest.raises(AppendOnly):
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    assert LedgerEntry.objects.get(pk=entry.pk).description == "Grant for the year"


def test_a_correction_is_a_reversing_entry(world):
    budget = make_budget(world, income="1000")
    income = budget.entries.get()
    reversal = services.reverse_entry(entry=income, by=world.co_leader, description="Entered twice")
    assert reversal.kind == EntryKind.REVERSAL and reversal.reverses == income
    assert figures(budget).cash.amount == 0
    assert budget.entries.count() == 2
    with pytest.raises(AlreadyReversed):
        services.reverse_entry(entry=income, by=world.co_leader, description="Again")
    with pytest.raises(AlreadyReversed):
        services.reverse_entry(entry=reversal, by=world.co_leader, description="Undo")


def test_spending_beyond_the_balance_is_refused_and_changes_nothing(world):
    budget = make_budget(world, income="100")
    with pytest.raises(Overdrawn, match="£100.00 available"):
        services.spend(budget=budget, amount="150", by=world.co_leader, description="Hall")
    assert budget.entries.count() == 1


def test_only_the_budget_holder_overrides_with_a_reason(world):
    budget = make_budget(world, income="100")
    with pytest.raises(Overdrawn, match="Only the budget holder"):
        services.spend(
            budget=budget,
            amount="150",
            by=world.admin,
            description="Hall",
            override_reason="Grant arrives next week",
        )
    entry = services.spend(
        budget=budget,
        amount="150",
        by=world.co_leader,
        description="Hall",
        override_reason="Grant arrives next week",
    )
    assert entry.override_reason == "Grant arrives next week"
    assert figures(budget).available.amount == Decimal("-50.00")


@pytest.mark.parametrize("amount", ["-5", "0", "1.005", "ten", 1.5])
def test_bad_amounts_are_refused(world, amount):
    budget = make_budget(world, income=None)
    with pytest.raises(ExchangeError):
        services.commit(budget=budget, amount=amount, by=world.co_leader, description="x")
    assert not budget.entries.exists()


def test_a_reason_is_required(world):
    budget = make_budget(world, income=None)
    with pytest.raises(ExchangeError, match="why"):
        services.record_income(
            budget=budget, amount="10", by=world.co_leader, description=" ", source="grant"
        )


def test_one_budget_per_year_and_purpose(world):
    make_budget(world, income=None)
    with pytest.raises(BudgetExists):
        make_budget(world, income=None)


def test_teachers_and_other_networks_cannot_write(world):
    budget = make_budget(world)
    for person in (world.teacher, world.school_lead, world.foreign_co_leader):
        with pytest.raises(PermissionDenied):
            services.spend(budget=budget, amount="1", by=person, description="x")


def test_a_devolved_share_has_its_own_balance(world):
    budget = make_budget(world, income="1000")
    share = services.devolve(
        budget=budget,
        amount="400",
        by=world.co_leader,
        description="Birch runs its own cover",
        school=world.school_b,
        holder=world.school_lead,
    )
    assert figures(budget).cash.amount == Decimal("600.00")
    assert selectors.figures_of(share).cash.amount == Decimal("400.00")
    # The share's holder writes to it and may override it; not to the network's budget.
    services.spend(budget=share, amount="50", by=world.school_lead, description="Supply")
    with pytest.raises(PermissionDenied):
        services.spend(budget=budget, amount="50", by=world.school_lead, description="Supply")
    with pytest.raises(Overdrawn):
        services.spend(budget=share, amount="500", by=world.school_lead, description="Trip")
    # Reversing the transfer reverses both sides.
    out = budget.entries.get(kind=EntryKind.DEVOLVED)
    with pytest.raises(Overdrawn):
        services.reverse_entry(entry=out, by=world.co_leader, description="Taken back")
    services.spend(budget=share, amount="1", by=world.school_lead, description="Pens")
    assert selectors.figures_of(share).cash.amount == Decimal("349.00")


def test_freeing_returns_what_is_left_of_a_commitment(world):
    budget = make_budget(world, income="500", purpose=Purpose.CPD)
    commitment = services.commit(
        budget=budget, amount="300", by=world.co_leader, description="Course places"
    )
    with pytest.raises(ExchangeError, match="at most"):
        services.free_commitment(
            commitment=commitment, by=world.co_leader, description="x", amount="400"
        )
    services.free_commitment(commitment=commitment, by=world.co_leader, description="Cancelled")
    assert figures(budget).available.amount == Decimal("500.00")
    with pytest.raises(ExchangeError):
        services.free_commitment(commitment=commitment, by=world.co_leader, description="x")
