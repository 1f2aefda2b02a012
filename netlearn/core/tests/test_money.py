from decimal import Decimal

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from netlearn.core.money import Currency, Money, MoneyError, format_amount, to_decimal


def test_amounts_print_in_their_currency():
    assert str(Money(Decimal("1250"), Currency.GBP)) == "£1,250.00"
    assert str(Money(Decimal("-40.5"), Currency.NZD)) == "-NZ$40.50"


@pytest.mark.parametrize("bad", [0.1, "ten pounds", "1.005", "NaN", "Infinity", True, None])
def test_what_is_not_money_is_refused(bad):
    with pytest.raises(MoneyError):
        to_decimal(bad)


def test_currencies_never_mix():
    with pytest.raises(MoneyError):
        Money(Decimal(1), Currency.GBP) + Money(Decimal(1), Currency.NZD)


def test_text_with_a_symbol_and_separators_reads_exactly():
    assert to_decimal("£1,200.50") == Decimal("1200.50")
    assert to_decimal("NZ$3") == Decimal("3.00")


@given(st.lists(st.decimals(min_value=-10_000, max_value=10_000, places=2), max_size=30))
def test_sums_are_exact(amounts):
    total = Money.zero(Currency.GBP)
    for amount in amounts:
        total = total + Money(amount, Currency.GBP)
    assert total.amount == sum(amounts, Decimal(0))


def test_the_template_filter_uses_the_networks_currency():
    template = Template(
        "{% load money %}{{ amount|money:currency }}|{{ currency|currency_symbol }}"
    )
    rendered = template.render(Context({"amount": Decimal("12.3"), "currency": "NZD"}))
    assert rendered == "NZ$12.30|NZ$"
    assert Template("{% load money %}{{ nothing|money }}").render(Context({})) == ""
    assert format_amount(Decimal("0"), "GBP") == "£0.00"
