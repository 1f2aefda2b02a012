"""A network's progress reports: drafted, reviewed and published in versions, like the charter.

A version's narrative is written by the network's leaders; its figures are compiled from the other
apps when it is published and stored with it (`snapshot`), so a published version reads the same
whatever happens to the data afterwards. Only the open version (a draft or one in review) changes.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netlearn.networks.models import Network


class PeriodKind(models.TextChoices):
    TERM = "term", "A term"
    YEAR = "year", "A year"
    YEARS = "years", "Several years"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"


class ProgressReport(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="progress_reports")
    title = models.CharField(max_length=200)
    period_kind = models.CharField(max_length=10, choices=PeriodKind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When its latest version was published; empty until then."),
    )

    class Meta:
        ordering = ["-ends_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__lte=models.F("ends_on")),
                name="progress_report_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.network.slug, self.pk])


class ReportVersion(models.Model):
    """One version of a report: its narrative sections, and once published its frozen figures."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    summary = models.TextField(blank=True)
    highlights = models.TextField(blank=True)
    challenges = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    snapshot = models.JSONField(
        null=True, blank=True, help_text=_("The figures as published; empty while open.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="report_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["report"],
                condition=~models.Q(status="published"),
                name="report_one_open_version",
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"

    @property
    def is_open(self) -> bool:
        return self.status != VersionStatus.PUBLISHED
