"""The ledger against a model of it, over any sequence of operations (a hypothesis state
machine): the balance equals the sum of the entries, it matches what the operations should
have left, refused operations change nothing, and nothing goes below zero without an override."""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from netlearn.core.errors import NetlearnError
from netlearn.exchange import selectors, services
from netlearn.exchange.models import EntryKind, LedgerEntry

from .factories import make_budget

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2)


@pytest.mark.django_db
def test_the_ledger_always_adds_up(world):
    budget = make_budget(world, income=None)
    holder = world.co_leader

    class Ledger(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            # Each example runs in a savepoint rolled back at its end, so every example starts
            # from the same empty budget and hypothesis can replay it.
            self.savepoint = transaction.atomic()
            self.savepoint.__enter__()
            self.cash = Decimal(budget.entries.cash())
            self.committed = Decimal(budget.entries.committed())

        def _try(self, call):
            count = budget.entries.count()
            try:
                return call()
            except NetlearnError:
                assert budget.entries.count() == count  # refused: nothing written
                return None

        @rule(amount=amounts)
        def income(self, amount):
            services.record_income(
                budget=budget, amount=amount, by=holder, description="in", source="grant"
            )
            self.cash += amount

        @rule(amount=amounts, override=st.booleans())
        def commit(self, amount, override):
            entry = self._try(
                lambda: services.commit(
                    budget=budget,
                    amount=amount,
                    by=holder,
                    description="c",
                    override_reason="Agreed" if override else "",
                )
            )
            if entry:
                assert override or self.cash - self.committed - amount >= 0
                self.committed += amount

        @rule(amount=amounts, override=st.booleans())
        def spend(self, amount, override):
            entry = self._try(
                lambda: services.spend(
                    budget=budget,
                    amount=amount,
                    by=holder,
                    description="s",
                    override_reason="Agreed" if override else "",
                )
            )
            if entry:
                assert override or self.cash - self.committed - amount >= 0
                self.cash -= amount

        @precondition(lambda self: budget.entries.filter(kind=EntryKind.COMMITMENT).exists())
        @rule(data=st.data())
        def settle_or_free(self, data):
            commitment = data.draw(
                st.sampled_from(list(budget.entries.filter(kind=EntryKind.COMMITMENT)))
            )
            left = selectors.open_commitment(commitment)
            if data.draw(st.booleans()):
                if self._try(
                    lambda: services.free_commitment(
                        commitment=commitment, by=holder, description="f"
                    )
                ):
                    self.committed -= left
            elif self._try(
                lambda: services.spend(
                    budget=budget,
                    amount=commitment.amount,
                    by=holder,
                    description="s",
                    commitment=commitment,
                )
            ):
                self.cash -= commitment.amount
                self.committed -= min(commitment.amount, left)

        @precondition(lambda self: budget.entries.exists())
        @rule(data=st.data(), override=st.booleans())
        def reverse(self, data, override):
            entry = data.draw(st.sampled_from(list(budget.entries.all())))
            if self._try(
                lambda: services.reverse_entry(
                    entry=entry,
                    by=holder,
                    description="r",
                    override_reason="Agreed" if override else "",
                )
            ):
                self.cash -= entry.cash_effect
                self.committed -= entry.commitment_effect

        def teardown(self):
            transaction.set_rollback(True)
            self.savepoint.__exit__(None, None, None)

        @invariant()
        def adds_up(self):
            figures = selectors.figures_of(budget)
            entries = list(LedgerEntry.objects.filter(budget=budget))
            assert figures.cash.amount == sum((e.cash_effect for e in entries), Decimal(0))
            assert figures.committed.amount == sum(
                (e.commitment_effect for e in entries), Decimal(0)
            )
            assert figures.cash.amount == self.cash
            assert figures.committed.amount == self.committed
            assert figures.committed.amount >= 0
            # Below zero only where an entry recorded the holder's override.
            if figures.available.amount < 0:
                assert any(e.override_reason for e in entries)

    Ledger.TestCase.settings = settings(
        max_examples=20,
        stateful_step_count=12,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    Ledger.TestCase().runTest()
