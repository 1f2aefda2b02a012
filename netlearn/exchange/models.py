"""A network's money: budgets by year and purpose, their devolved shares, and an append-only
ledger of income, commitments and spending (docs/exchange.md).

Every amount is a `Decimal` in the network's currency (`Network.currency`, core/money.py). A
budget's figures are sums of its ledger: `cash` (income less spending and transfers out) and
`committed` (commitments not yet spent or freed); `available` is cash less committed. Entries
are never changed or deleted: a correction is a reversing entry, so the ledger is its own audit
trail (who, when, why).
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from netlearn.core.money import DECIMAL_PLACES, MAX_DIGITS, summed
from netlearn.networks.models import Group, Network, School

from .errors import AppendOnly


def _money_field(label: str, **extra) -> models.DecimalField:
    return models.DecimalField(label, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, **extra)


class Purpose(models.TextChoices):
    POOLED = "pooled", "Pooled fund"
    RELEASE = "release", "Release and cover"
    CPD = "cpd", "CPD"
    EVENTS = "events", "Events"
    PURCHASING = "purchasing", "Joint purchasing"


# No attendance, no money: draws on these funds for a school follow its attendance
# (docs/seed-practices.md#money-and-exchange, docs/exchange.md#attendance-gate).
GATED_PURPOSES = (Purpose.POOLED, Purpose.RELEASE)


class Budget(models.Model):
    """A network's budget for one year and purpose, or a share of one devolved to a school or
    group (docs/seed-practices.md#money-and-exchange)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="The year the budget starts: 2026 for 2026–27 in England, 2026 in New Zealand.",
    )
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    name = models.CharField(max_length=200, blank=True)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="held_budgets",
        help_text="The budget holder approves overrides and attendance exceptions.",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="shares"
    )
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="budget_shares"
    )
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.PROTECT, related_name="budget_shares"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "purpose", "parent_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "year", "purpose"],
                condition=Q(parent__isnull=True),
                name="budget_once_per_year_and_purpose",
            ),
            models.UniqueConstraint(
                fields=["parent", "school"],
                condition=Q(school__isnull=False),
                name="budget_share_once_per_school",
            ),
            models.UniqueConstraint(
                fields=["parent", "group"],
                condition=Q(group__isnull=False),
                name="budget_share_once_per_group",
            ),
            # A network budget has no holder school or group; a share has exactly one.
            models.CheckConstraint(
                condition=(
                    Q(parent__isnull=True, school__isnull=True, group__isnull=True)
                    | Q(parent__isnull=False, school__isnull=False, group__isnull=True)
                    | Q(parent__isnull=False, school__isnull=True, group__isnull=False)
                ),
                name="budget_share_has_one_holder",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exchange:budget", args=[self.network.slug, self.pk])

    @property
    def title(self) -> str:
        if self.name:
            return self.name
        base = f"{self.get_purpose_display()} {self.year_label}"
        if self.school_id:
            return f"{base}: {self.school.name}'s share"
        if self.group_id:
            return f"{base}: {self.group.name}'s share"
        return base

    @property
    def year_label(self) -> str:
        return f"{self.year}–{(self.year + 1) % 100:02d}"

    @property
    def currency(self) -> str:
        return self.network.currency

    @property
    def is_share(self) -> bool:
        return self.parent_id is not None


class EntryKind(models.TextChoices):
    INCOME = "income", "Income"
    COMMITMENT = "commitment", "Commitment"
    SPENDING = "spending", "Spending"
    FREED = "freed", "Commitment freed"
    DEVOLVED = "devolved", "Devolved to a share"
    ALLOCATION = "allocation", "Allocated from the network budget"
    REVERSAL = "reversal", "Reversal"


class IncomeSource(models.TextChoices):
    GRANT = "grant", "Grant"
    SCHOOL_CONTRIBUTION = "school_contribution", "School contribution"
    NATIONAL_PROGRAMME = "national_programme", "National programme"
    OTHER = "other", "Other"


class LedgerEntryQuerySet(models.QuerySet):
    """The ledger is append-only: a queryset never updates or deletes its rows."""

    def update(self, **kwargs):
        raise AppendOnly("Ledger entries are never changed: record a reversing entry.")

    def delete(self):
        raise AppendOnly("Ledger entries are never deleted: record a reversing entry.")

    def cash(self):
        return summed(self.aggregate(total=models.Sum("cash_effect"))["total"])

    def committed(self):
        return summed(self.aggregate(total=models.Sum("commitment_effect"))["total"])


class LedgerEntry(models.Model):
    """One line of a budget's ledger, with who recorded it, when and why.

    `cash_effect` and `commitment_effect` are what the entry does to the budget's cash and its
    open commitments, signed; the budget's figures are their sums. `amount` is the positive
    figure people read. Services write entries; nothing changes one afterwards.
    """

    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=12, choices=EntryKind.choices)
    amount = _money_field("amount")
    cash_effect = _money_field("effect on cash")
    commitment_effect = _money_field("effect on open commitments")
    description = models.CharField("why", max_length=500)
    occurred_on = models.DateField(default=datetime.date.today)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # Income: where the money came from, and the funder's own reference for their statement.
    source = models.CharField(max_length=20, choices=IncomeSource.choices, blank=True)
    funder = models.CharField(max_length=200, blank=True)
    funder_reference = models.CharField(max_length=100, blank=True)
    # The school the money is for: per-school totals, and the attendance gate.
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Spending or freeing that settles a commitment.
    commitment = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="settlements"
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversal"
    )
    # A devolved share's two sides: the parent's transfer out and the share's allocation.
    counterpart = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Recorded by the budget holder when the entry takes the available balance below zero.
    override_reason = models.CharField(max_length=500, blank=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name_plural = "ledger entries"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_entry_amount_positive"),
            models.CheckConstraint(
                condition=~Q(kind="reversal") | Q(reverses__isnull=False),
                name="ledger_reversal_names_its_entry",
            ),
        ]
        indexes = [models.Index(fields=["budget", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} on {self.budget}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("Ledger entries are never changed: record a reversing entry.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Ledger entries are never deleted: record a reversing entry.")

    @property
    def signed_amount(self):
        """What the entry did to the money the budget has left to spend."""
        return self.cash_effect - self.commitment_effect


class AttendanceException(models.Model):
    """The budget holder lets a school below the attendance commitment draw on a gated fund."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="exceptions")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "school"], name="attendance_exception_once")
        ]

    def __str__(self) -> str:
        return f"{self.school} may draw on {self.budget}"


class CoverRate(models.Model):
    """What a half-day session of cover costs: the network's rate, or a school's own."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="cover_rates")
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    per_session = _money_field("cost of a half-day session")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "school"],
                condition=Q(school__isnull=False),
                name="cover_rate_once_per_school",
            ),
            models.UniqueConstraint(
                fields=["network"],
                condition=Q(school__isnull=True),
                name="cover_rate_once_per_network",
            ),
            models.CheckConstraint(condition=Q(per_session__gt=0), name="cover_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.school or self.network}: {self.per_session} a session"


class FundingStatus(models.TextChoices):
    COMMITTED = "committed", "Committed"
    SPENT = "spent", "Spent (attended)"
    FREED = "freed", "Freed (did not attend)"
    WITHHELD = "withheld", "Withheld (attendance below the commitment)"


class ReleaseFunding(models.Model):
    """Release for one teacher on one date of an activity, at their school's cover rate.

    Approval commits it on the release budget; the register of that date spends it (the teacher
    came) or frees it (they did not): the network pays for release so that teachers meet
    (docs/seed-practices.md#money-and-exchange).
    """

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    release_request = models.ForeignKey(
        "activities.ReleaseRequest", on_delete=models.PROTECT, related_name="funding"
    )
    # A date dropped from a series keeps its funding row (and its commitment, which the budget
    # holder frees): the ledger outlives the calendar.
    occurrence = models.ForeignKey(
        "activities.Occurrence",
        null=True,
        on_delete=models.SET_NULL,
        related_name="release_funding",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="release_funding"
    )
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="release_funding")
    sessions = models.DecimalField(max_digits=4, decimal_places=1)
    amount = _money_field("funding")
    status = models.CharField(max_length=10, choices=FundingStatus.choices)
    withheld_reason = models.CharField(max_length=500, blank=True)
    commitment = models.OneToOneField(
        LedgerEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    settlement = models.OneToOneField(
        LedgerEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["occurrence__starts_at", "pk"]
        verbose_name_plural = "release funding"
        constraints = [
            models.UniqueConstraint(
                fields=["release_request", "occurrence"], name="release_funding_once_per_date"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="release_funding_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.occurrence}: {self.get_status_display()}"


class ExceptionRequest(models.Model):
    """A school's lead asks the budget holder to let the school draw despite its attendance; the
    holder grants it (an `AttendanceException`) or declines it, with a note."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="exception_requests")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=500)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    granted = models.BooleanField(null=True, blank=True)
    answer_note = models.CharField(max_length=500, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "school"],
                condition=Q(granted__isnull=True),
                name="exception_request_one_open_per_school",
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} asks to draw on {self.budget}"
