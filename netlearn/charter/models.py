"""A network's charter: purpose, learning foci, measurable goals, commitments, and its versions.

docs/seed-practices.md#versions-and-digressions: the founding document records what was promised, a
baseline to measure progress from, and where the network moved from it. The charter keeps all three:
every saved change is a `CharterVersion`, goals keep their baseline, and a changed or dropped goal
leaves a `Digression` with its reason.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from netlearn.networks.models import Group, Network, School

VALUE_DIGITS = {"max_digits": 12, "decimal_places": 3}


class Charter(models.Model):
    network = models.OneToOneField(Network, on_delete=models.CASCADE, related_name="charter")
    purpose = models.TextField(blank=True)
    shared_values = models.TextField(blank=True)
    in_force = models.ForeignKey(
        "CharterVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=gettext_lazy("The version every member school has signed off."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(
        default=0,
        help_text=gettext_lazy(
            "Counts saves of the purpose and shared values. An edit sends back the one it "
            "read, so a save made in between is never overwritten unseen."
        ),
    )

    def __str__(self) -> str:
        return f"Charter of {self.network}"

    def get_absolute_url(self) -> str:
        return reverse("charter:detail", args=[self.network.slug])


class LearningFocus(models.Model):
    """A learning focus; in a Kāhui Ako, an achievement challenge."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="foci")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    pupils = models.CharField(
        "which pupils",
        max_length=300,
        blank=True,
        help_text=gettext_lazy(
            "Phases, key stages or year levels, e.g. “Years 3 to 6 in all schools”."
        ),
    )
    pupil_groups = models.CharField(
        "groups of pupils",
        max_length=300,
        blank=True,
        help_text=gettext_lazy(
            "Groups the focus attends to, e.g. vulnerable learners, boys, Māori learners."
        ),
    )
    visible_when_achieved = models.TextField("what will be visible when it is achieved", blank=True)
    adult_learning_link = models.TextField("how adult learning links to pupil learning", blank=True)
    lead_group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="led_foci"
    )
    position = models.PositiveSmallIntegerField(default=0)
    dropped_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(
        default=0,
        help_text=gettext_lazy(
            "Counts saves of this focus. An edit sends back the one it read, so a save "
            "made in between is never overwritten unseen."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = "learning foci"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("charter:focus", args=[self.charter.network.slug, self.pk])


class GoalSource(models.TextChoices):
    MANUAL = "manual", gettext_lazy("Entered by hand")
    IMPACT = "impact", gettext_lazy("Impact measure")


class Goal(models.Model):
    """A measurable goal of a focus: from a baseline value and date to a target value and date."""

    focus = models.ForeignKey(LearningFocus, on_delete=models.CASCADE, related_name="goals")
    measure = models.CharField(max_length=300)
    unit = models.CharField(max_length=40)
    baseline_value = models.DecimalField(**VALUE_DIGITS)
    baseline_date = models.DateField()
    target_value = models.DecimalField(**VALUE_DIGITS)
    target_date = models.DateField()
    source = models.CharField(max_length=10, choices=GoalSource.choices, default=GoalSource.MANUAL)
    source_note = models.CharField(
        max_length=300,
        blank=True,
        help_text=gettext_lazy(
            "Where the figures come from, e.g. “KS2 teacher assessment, all network schools”."
        ),
    )
    dropped_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(
        default=0,
        help_text=gettext_lazy(
            "Counts saves of this goal. An edit sends back the one it read, so a save "
            "made in between is never overwritten unseen."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_date__gt=F("baseline_date")),
                name="goal_target_after_baseline",
            ),
            models.CheckConstraint(condition=~Q(unit=""), name="goal_has_unit"),
        ]

    def __str__(self) -> str:
        return self.measure


def evidence_path(entry, filename: str) -> str:
    # A generated name: the uploader's file name never reaches the disk (docs/safety.md#uploads).
    suffix = Path(filename).suffix.lower()[:10]
    return f"charter/evidence/{uuid.uuid4().hex}{suffix}"


class ProgressEntry(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress")
    measured_on = models.DateField()
    value = models.DecimalField(**VALUE_DIGITS)
    note = models.TextField("evidence note", blank=True)
    evidence = models.FileField(upload_to=evidence_path, blank=True, max_length=200)
    evidence_name = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["measured_on", "pk"]
        verbose_name_plural = "progress entries"

    def __str__(self) -> str:
        return f"{self.goal}: {self.value} on {self.measured_on}"


class CommitmentKind(models.TextChoices):
    GENERAL = "general", gettext_lazy("Protocol or commitment")
    ATTENDANCE = "attendance", gettext_lazy("Attendance at network meetings")


class Commitment(models.Model):
    """A protocol that makes members accountable to one another.

    docs/seed-practices.md#commitments-and-protocols."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="commitments")
    text = models.TextField()
    binds = models.CharField("whom it binds", max_length=200)
    how_checked = models.TextField("how it is checked", blank=True)
    kind = models.CharField(
        max_length=12, choices=CommitmentKind.choices, default=CommitmentKind.GENERAL
    )
    attendance_threshold = models.PositiveSmallIntegerField(
        "attendance threshold (%)",
        null=True,
        blank=True,
        help_text=gettext_lazy(
            "Attendance commitments: the share of network meetings each school attends."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now)
    revision = models.PositiveIntegerField(
        default=0,
        help_text=gettext_lazy(
            "Counts saves of this commitment. An edit sends back the one it read, so a save "
            "made in between is never overwritten unseen."
        ),
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="attendance")
                | Q(attendance_threshold__gte=1, attendance_threshold__lte=100),
                name="commitment_attendance_has_threshold",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class CharterVersion(models.Model):
    """A snapshot of the charter's content. Its author's saves in one sitting amend the same
    draft (services.DRAFT_SITTING); once proposed or in force it never changes."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    summary = models.CharField(max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    proposed_at = models.DateTimeField(null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=gettext_lazy("A later version was proposed before this one came in."),
    )
    in_force_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["charter", "number"], name="charter_version_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"

    @property
    def is_open_proposal(self) -> bool:
        return bool(self.proposed_at and not self.withdrawn_at and not self.in_force_at)


class SignOff(models.Model):
    """A school's lead signs a proposed version off for their school."""

    version = models.ForeignKey(CharterVersion, on_delete=models.CASCADE, related_name="sign_offs")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="charter_sign_offs")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "school"], name="sign_off_once_per_school"),
        ]

    def __str__(self) -> str:
        return f"{self.school} signed {self.version}"


class DigressionKind(models.TextChoices):
    GOAL_CHANGED = "goal_changed", gettext_lazy("Goal changed")
    GOAL_DROPPED = "goal_dropped", gettext_lazy("Goal dropped")
    FOCUS_DROPPED = "focus_dropped", gettext_lazy("Focus dropped")


class Digression(models.Model):
    """A departure from the original intentions, with its reason.

    docs/seed-practices.md#versions-and-digressions."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="digressions")
    kind = models.CharField(max_length=20, choices=DigressionKind.choices)
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="digressions"
    )
    focus = models.ForeignKey(
        LearningFocus, null=True, blank=True, on_delete=models.SET_NULL, related_name="digressions"
    )
    what = models.CharField(max_length=300)
    reason = models.TextField()
    version = models.ForeignKey(
        CharterVersion, null=True, on_delete=models.SET_NULL, related_name="digressions"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.what}"
