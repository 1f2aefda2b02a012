from django import template

from netlearn.core.money import SYMBOLS, Currency, Money, format_amount, summed

register = template.Library()


@register.filter
def money(amount, currency=Currency.GBP):
    """`{{ entry.amount|money:network.currency }}`: the amount in the network's currency.
    An empty amount prints nothing, so a template need not test for it."""
    if amount is None or amount == "":
        return ""
    if isinstance(amount, Money):
        return str(amount)
    # A figure straight from a database sum is rounded to the cent (core/money.py: summed).
    return format_amount(summed(amount), currency or Currency.GBP)


@register.filter
def currency_symbol(currency):
    """`{{ network.currency|currency_symbol }}`: "£" or "NZ$", for a form's label."""
    return SYMBOLS.get(currency, "")
