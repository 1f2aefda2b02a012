"""A network's money: budgets by year and purpose, their devolved shares, and an append-only
ledger of income, commitments and spending (docs/exchange.md).

Every amount is a `Decimal` in the network's currency (`Network.currency`, core/money.py). A
budget's figures are sums of its ledger: `cash` (income less spending and transfers out) and
`committed` (commitments not yet spent or freed); `available` is cash less committed. Entries
are never changed or deleted: a correction is a reversing entry, so the ledger is its own audit
trail (who, when, why).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
        help_text=gettext_lazy(
            "The year the budget starts: 2026 for 2026–27 in England, 2026 in New Zealand."
        ),
    )
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    name = models.CharField(max_length=200, blank=True)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="held_budgets",
        help_text=gettext_lazy("The budget holder approves overrides and attendance exceptions."),
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
        raise AppendOnly(_("Ledger entries are never changed: record a reversing entry."))

    def delete(self):
        raise AppendOnly(_("Ledger entries are never deleted: record a reversing entry."))

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
            raise AppendOnly(_("Ledger entries are never changed: record a reversing entry."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly(_("Ledger entries are never deleted: record a reversing entry."))

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


# Exchange between schools (docs/exchange.md#exchange-between-schools) -----------------------------


class ExchangeKind(models.TextChoices):
    STAFF_TIME = "staff_time", "Staff time (a subject specialist, a SENCo, cover)"
    EXPERTISE = "expertise", "Expertise"
    FACILITY = "facility", "A facility (a lab, a sports hall, a minibus)"
    COURSE_PLACES = "course_places", "Places on a joint course"


class RequestStatus(models.TextChoices):
    OPEN = "open", "Open for offers"
    AGREED = "agreed", "Agreed by both schools"
    DONE = "done", "Done"
    WITHDRAWN = "withdrawn", "Withdrawn"


class FacilityKind(models.TextChoices):
    LAB = "lab", "Laboratory"
    SPORTS_HALL = "sports_hall", "Sports hall"
    MINIBUS = "minibus", "Minibus"
    OTHER = "other", "Other"


class Facility(models.Model):
    """A school's facility it lends to the network's schools: a lab, a sports hall, a minibus."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="facilities")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=FacilityKind.choices)
    description = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["school__name", "name"]
        verbose_name_plural = "facilities"

    def __str__(self) -> str:
        return f"{self.name} ({self.school.name})"

    def get_absolute_url(self) -> str:
        return reverse("exchange:facility", args=[self.network.slug, self.pk])


class Booking(models.Model):
    """A facility booked by a school for a time. Bookings of one facility never overlap: the
    service checks under the facility's row lock."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="bookings")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    purpose = models.CharField(max_length=500)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.facility} for {self.school}: {self.starts_at:%d %b %Y %H:%M}"


class ExchangeRequest(models.Model):
    """A school asks the network's schools for staff time, expertise, a facility or course places;
    other schools answer with offers; both schools' leads agree on one; the asking school's lead
    closes it with short feedback (docs/seed-practices.md#money-and-exchange)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=14, choices=ExchangeKind.choices)
    title = models.CharField(max_length=200)
    description = models.CharField(max_length=2000, blank=True)
    expertise = models.ForeignKey(
        "accounts.Expertise", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    needed_from = models.DateField(null=True, blank=True)
    needed_until = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default="open")
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    posted_at = models.DateTimeField(default=timezone.now)
    feedback = models.CharField(max_length=1000, blank=True)
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-posted_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exchange:request", args=[self.network.slug, self.pk])


class Offer(models.Model):
    """A school's answer to a request: a person, a facility or places, with any recharge. Both
    schools' leads agree to it; one offer is agreed per request."""

    request = models.ForeignKey(ExchangeRequest, on_delete=models.CASCADE, related_name="offers")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=1000)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    facility = models.ForeignKey(
        Facility, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    places = models.PositiveSmallIntegerField(null=True, blank=True)
    recharge = _money_field("recharge", null=True, blank=True)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    offered_at = models.DateTimeField(default=timezone.now)
    asker_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    offerer_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["offered_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recharge__isnull=True) | Q(recharge__gte=0),
                name="offer_recharge_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} offers: {self.note[:40]}"

    @property
    def agreed(self) -> bool:
        return self.agreed_at is not None


class LoanKind(models.TextChoices):
    LOAN = "loan", "Staff loan"
    SECONDMENT = "secondment", "Secondment"


class StaffLoan(models.Model):
    """A person from one school working for another between two dates, with what the receiving
    school pays back (the recharge), in the network's currency."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=LoanKind.choices, default=LoanKind.LOAN)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_loans"
    )
    from_school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    to_school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()
    days_a_week = models.DecimalField(max_digits=2, decimal_places=1, default=Decimal("5"))
    recharge = _money_field("recharge")
    purpose = models.CharField(max_length=500)
    offer = models.OneToOneField(
        Offer, null=True, blank=True, on_delete=models.SET_NULL, related_name="loan"
    )
    arranged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    arranged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="loan_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(recharge__gte=0), name="loan_recharge_not_negative"),
            models.CheckConstraint(
                condition=~Q(from_school=models.F("to_school")), name="loan_between_two_schools"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} from {self.from_school} to {self.to_school}"

    def get_absolute_url(self) -> str:
        return reverse("exchange:loan", args=[self.network.slug, self.pk])


# Joint courses, purchasing and bids (docs/exchange.md#joint-courses-purchasing-and-bids) ----------


class JointCourse(models.Model):
    """A course one school runs for pupils of several: options no school could afford alone
    (docs/seed-practices.md#money-and-exchange). Places are held per school as
    numbers of pupils, never names: the course holds no pupil data."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    description = models.CharField(max_length=2000, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    places = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="joint_course_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(places__gt=0), name="joint_course_has_places"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exchange:joint_course", args=[self.network.slug, self.pk])


class CoursePlaces(models.Model):
    """The places a school holds on a joint course: a count of its pupils, set by its lead."""

    course = models.ForeignKey(JointCourse, on_delete=models.CASCADE, related_name="allocations")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    places = models.PositiveSmallIntegerField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["school__name", "pk"]
        verbose_name_plural = "course places"
        constraints = [
            models.UniqueConstraint(fields=["course", "school"], name="course_places_once"),
            models.CheckConstraint(condition=Q(places__gt=0), name="course_places_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.places} places for {self.school} on {self.course}"


class PurchaseStatus(models.TextChoices):
    OPEN = "open", "Open for schools to join"
    PLACED = "placed", "Placed"


class PurchaseProposal(models.Model):
    """Schools pool money to buy with more weight (docs/seed-practices.md#money-and-exchange): each
    opts in with its share; when enough have, the budget holder places it and every share becomes
    a school's contribution in the purchasing budget's ledger."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="purchases")
    title = models.CharField(max_length=200)
    description = models.CharField(max_length=2000, blank=True)
    supplier = models.CharField(max_length=200, blank=True)
    schools_needed = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2), MaxValueValidator(200)],
        help_text=gettext_lazy("It is placed once this many schools have joined."),
    )
    status = models.CharField(
        max_length=8, choices=PurchaseStatus.choices, default=PurchaseStatus.OPEN
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(null=True, blank=True)
    commitment = models.OneToOneField(
        LedgerEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(schools_needed__gte=2), name="purchase_needs_two_schools"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exchange:purchase", args=[self.network.slug, self.pk])


class PurchaseShare(models.Model):
    """A school's share of a joint purchase, opted into by its lead; placing the purchase records
    it as the school's contribution (`contribution`)."""

    proposal = models.ForeignKey(PurchaseProposal, on_delete=models.CASCADE, related_name="shares")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    amount = _money_field("share")
    opted_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opted_in_at = models.DateTimeField(default=timezone.now)
    contribution = models.OneToOneField(
        LedgerEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["school__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "school"], name="purchase_share_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="purchase_share_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.school}'s share of {self.proposal}"


class BidStatus(models.TextChoices):
    OPEN = "open", "Open for schools to sign up"
    WON = "won", "Won"
    LOST = "lost", "Lost"


class JointBid(models.Model):
    """Schools bid together for outside money (docs/seed-practices.md#money-and-exchange). A won
    bid's grant is income in a budget's ledger, with
    the funder's reference for their statement."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    funder = models.CharField(max_length=200)
    description = models.CharField(max_length=2000, blank=True)
    amount_sought = _money_field("amount sought")
    deadline = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=4, choices=BidStatus.choices, default=BidStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    outcome_note = models.CharField(max_length=500, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome_at = models.DateTimeField(null=True, blank=True)
    grant = models.OneToOneField(
        LedgerEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_sought__gt=0), name="bid_seeks_money"),
            models.CheckConstraint(
                condition=~Q(status="won") | Q(grant__isnull=False), name="won_bid_has_its_grant"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exchange:joint_bid", args=[self.network.slug, self.pk])


class BidSchool(models.Model):
    """A school signed up to a joint bid by its lead."""

    bid = models.ForeignKey(JointBid, on_delete=models.CASCADE, related_name="schools")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    signed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_up_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["school__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["bid", "school"], name="bid_school_once")]

    def __str__(self) -> str:
        return f"{self.school} in {self.bid}"
