"""Amounts of money: a `Decimal` and its currency, never a float.

Why a small value type of our own rather than py-moneyed / django-money: in Netlearn a currency
belongs to a network (`Network.currency`, GBP or NZD), and every amount of a network's budgets
and ledger is in that one currency. django-money stores a currency column beside every amount,
which could then disagree with the network's; its aggregates (`Sum` over a `MoneyField`) need
its own wrappers and it patches model managers, which our selectors and the PostgreSQL
`select_for_update` paths would have to work around. py-moneyed alone is a fine value type but
formats through Babel's locale data and has had no release since 2022. What we need is small:
exact arithmetic in one currency, refusal of mixed currencies and floats, two decimal places,
and printing with the currency's sign ("£1,250.00", "NZ$1,250.00"). Amounts are stored as
`DecimalField(max_digits=12, decimal_places=2)`, which SQLite and PostgreSQL both keep exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models

CENT = Decimal("0.01")
# Large enough for any network budget (ten thousand million), small enough for every database.
MAX_DIGITS = 12
DECIMAL_PLACES = 2


class Currency(models.TextChoices):
    GBP = "GBP", "Pound sterling (£)"
    NZD = "NZD", "New Zealand dollar (NZ$)"


SYMBOLS = {Currency.GBP: "£", Currency.NZD: "NZ$"}


class MoneyError(ValueError):
    """An amount that is not money: a float, text that is not a number, or mixed currencies."""


def to_decimal(value) -> Decimal:
    """An exact amount in pence/cents from a Decimal, an int or a numeric string. Floats are
    refused: 0.1 + 0.2 is not 0.3 in binary, and a ledger must add up exactly."""
    if isinstance(value, bool) or isinstance(value, float):
        raise MoneyError("Amounts are exact decimals, never floating-point numbers.")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", "")
        for symbol in SYMBOLS.values():
            text = text.removeprefix(symbol)
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise MoneyError(f"{value!r} is not an amount of money.") from None
    else:
        raise MoneyError(f"{value!r} is not an amount of money.")
    if not amount.is_finite():
        raise MoneyError("An amount must be a finite number.")
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise MoneyError("Amounts have at most two decimal places (pence or cents).")
    quantized = amount.quantize(CENT)
    if quantized.adjusted() >= MAX_DIGITS - DECIMAL_PLACES:
        raise MoneyError("That amount is too large.")
    return quantized


@dataclass(frozen=True, order=False)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self):
        if self.currency not in Currency.values:
            raise MoneyError(f"Unknown currency {self.currency!r}.")
        object.__setattr__(self, "amount", to_decimal(self.amount))

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal("0.00"), currency)

    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise MoneyError("Money adds only to money.")
        if other.currency != self.currency:
            raise MoneyError(f"Cannot mix {self.currency} and {other.currency}.")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.amount >= other.amount

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.currency]

    def __str__(self) -> str:
        return format_amount(self.amount, self.currency)


def format_amount(amount, currency: str) -> str:
    """'£1,250.00', '-NZ$40.50': the sign before the currency's symbol, thousands separated."""
    amount = to_decimal(amount)
    sign = "-" if amount < 0 else ""
    return f"{sign}{SYMBOLS[currency]}{abs(amount):,.2f}"


def summed(value) -> Decimal:
    """A sum the database returned, to the cent.

    SQLite adds DECIMAL columns as binary floating point, so SUM(0.10, 0.28) can come back as
    0.37999999999999; PostgreSQL's NUMERIC is exact. Amounts have two places and at most
    MAX_DIGITS digits, well inside a double's 15 significant digits, so rounding to the cent
    gives back the exact sum on both.
    """
    if value is None:
        return Decimal("0.00")
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
