"""Collaborative enquiry: Research Lesson Study, Spirals of Inquiry, PDSA cycles and shared
enquiry, written up as accounts (issue 5; docs/seed-practices.md#enquiry).

Case pupils are pseudonymous by construction: a short code and a short description, and no
field anywhere for a pupil's name.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from netlearn.activities.models import Activity
from netlearn.charter.models import Goal, LearningFocus
from netlearn.networks.models import Group, Network, School

VALUE_DIGITS = {"max_digits": 12, "decimal_places": 3}


class Method(models.TextChoices):
    LESSON_STUDY = "lesson_study", gettext_lazy("Research Lesson Study")
    SPIRAL = "spiral", gettext_lazy("Spiral of Inquiry")
    PDSA = "pdsa", gettext_lazy("Plan–Do–Study–Act")
    SHARED = "shared", gettext_lazy("Shared enquiry")


class Stage(models.TextChoices):
    PLANNING = "planning", gettext_lazy("Planning")
    UNDER_WAY = "under_way", gettext_lazy("Under way")
    WRITING_UP = "writing_up", gettext_lazy("Writing up")
    COMPLETE = "complete", gettext_lazy("Complete")


class RuleSet(models.TextChoices):
    """The named run-chart rule sets (netlearn.enquiry.run_chart)."""

    IHI = "ihi", gettext_lazy("IHI rules (Perla, Provost & Murray)")
    ANHOEJ = "anhoej", gettext_lazy("Anhøj rules")


class RunChartDefault(models.Model):
    """The rules a network reads its run charts by, unless an enquiry names its own."""

    network = models.OneToOneField(Network, on_delete=models.CASCADE, related_name="+")
    rules = models.CharField(max_length=10, choices=RuleSet.choices, default=RuleSet.IHI)

    def __str__(self) -> str:
        return f"{self.network}: {self.get_rules_display()}"


class Enquiry(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="enquiries")
    question = models.CharField(max_length=300)
    focus = models.ForeignKey(
        LearningFocus,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enquiries",
        help_text=gettext_lazy("The charter's learning focus the enquiry serves."),
    )
    group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        related_name="enquiries",
        help_text=gettext_lazy("The group or triad that runs the enquiry: its members edit it."),
    )
    schools = models.ManyToManyField(School, related_name="enquiries", blank=True)
    method = models.CharField(max_length=20, choices=Method.choices)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.PLANNING)
    summary = models.TextField(blank=True)
    started = models.DateField(default=timezone.localdate)
    ends = models.DateField(null=True, blank=True)
    # PDSA: what is measured, perhaps a charter goal's measure.
    measure = models.CharField(max_length=300, blank=True)
    measure_unit = models.CharField(max_length=40, blank=True)
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="enquiries"
    )
    baseline_points = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=gettext_lazy(
            "Run chart: the median is taken over this many first points (all if empty)."
        ),
    )
    run_chart_rules = models.CharField(
        max_length=10,
        choices=RuleSet.choices,
        blank=True,
        help_text=gettext_lazy("Blank: the network's default rules."),
    )
    # Shared enquiry: the combined review at the end of a phase.
    combined_review = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_activity_at", "pk"]
        verbose_name_plural = "enquiries"
        constraints = [
            models.CheckConstraint(condition=~Q(question=""), name="enquiry_has_question"),
            models.CheckConstraint(
                condition=Q(ends__isnull=True) | Q(ends__gte=models.F("started")),
                name="enquiry_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("enquiry:detail", args=[self.network.slug, self.pk])


class CasePupil(models.Model):
    """A pupil the lesson study watches closely: a code and a short description, never a name."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="case_pupils")
    code = models.CharField(max_length=8)
    description = models.CharField(max_length=200)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["enquiry", "code"], name="case_pupil_code_once"),
        ]

    def __str__(self) -> str:
        return f"Pupil {self.code}"


class ResearchLesson(models.Model):
    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="lessons")
    cycle = models.PositiveSmallIntegerField(default=1)
    number = models.PositiveSmallIntegerField()
    taught_on = models.DateField(null=True, blank=True)
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    learning_goal = models.TextField()
    discussion = models.TextField("post-lesson discussion", blank=True)
    next_changes = models.TextField("what changes for the next lesson", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cycle", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["enquiry", "cycle", "number"], name="research_lesson_number_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Research lesson {self.number} (cycle {self.cycle})"


class Prediction(models.Model):
    """What the planners predict a case pupil will do in a research lesson."""

    lesson = models.ForeignKey(ResearchLesson, on_delete=models.CASCADE, related_name="predictions")
    case_pupil = models.ForeignKey(CasePupil, on_delete=models.CASCADE, related_name="predictions")
    text = models.TextField()

    class Meta:
        ordering = ["case_pupil__code"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "case_pupil"], name="prediction_once"),
        ]

    def __str__(self) -> str:
        return f"Prediction for {self.case_pupil}"


class Observation(models.Model):
    """A time-stamped note by one observer about one case pupil, taken during the lesson."""

    lesson = models.ForeignKey(
        ResearchLesson, on_delete=models.CASCADE, related_name="observations"
    )
    case_pupil = models.ForeignKey(CasePupil, on_delete=models.CASCADE, related_name="observations")
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    observed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField()

    class Meta:
        ordering = ["observed_at", "pk"]

    def __str__(self) -> str:
        return f"Observation of {self.case_pupil} at {self.observed_at:%H:%M}"


class SpiralPhase(models.TextChoices):
    SCANNING = "scanning", gettext_lazy("Scanning")
    FOCUSING = "focusing", gettext_lazy("Focusing")
    HUNCH = "hunch", gettext_lazy("Developing a hunch")
    LEARNING = "learning", gettext_lazy("New professional learning")
    ACTION = "action", gettext_lazy("Taking action")
    CHECKING = "checking", gettext_lazy("Checking")


class SpiralEntry(models.Model):
    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="spiral_entries")
    phase = models.CharField(max_length=20, choices=SpiralPhase.choices)
    notes = models.TextField()
    evidence = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "spiral entries"

    def __str__(self) -> str:
        return self.get_phase_display()


class ActDecision(models.TextChoices):
    ADOPT = "adopt", gettext_lazy("Adopt")
    ADAPT = "adapt", gettext_lazy("Adapt")
    ABANDON = "abandon", gettext_lazy("Abandon")


class PdsaCycle(models.Model):
    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="cycles")
    number = models.PositiveSmallIntegerField()
    change = models.CharField("the change we are testing", max_length=300)
    prediction = models.TextField()
    plan = models.TextField(blank=True)
    do_notes = models.TextField("what happened (do)", blank=True)
    study_notes = models.TextField("what the data show (study)", blank=True)
    decision = models.CharField("act", max_length=10, choices=ActDecision.choices, blank=True)
    started = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["enquiry", "number"], name="pdsa_cycle_number_once"),
        ]

    def __str__(self) -> str:
        return f"Cycle {self.number}: {self.change}"


class DataPoint(models.Model):
    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="data_points")
    measured_on = models.DateField()
    # None: not measured that time (the note says why); the chart keeps the gap.
    value = models.DecimalField(**VALUE_DIGITS, null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    starts_phase = models.BooleanField(
        default=False,
        help_text=gettext_lazy(
            "A change was adopted: a new phase, with its own median, starts here."
        ),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["measured_on", "pk"]

    def __str__(self) -> str:
        return f"{'no value' if self.value is None else self.value} on {self.measured_on}"


class SubQuestion(models.Model):
    """Shared enquiry: one school's own aspect of the large question.

    docs/seed-practices.md#shared-enquiry."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="sub_questions")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    question = models.CharField(max_length=300)
    findings = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.question


def attachment_path(attachment, filename: str) -> str:
    # Stored under a generated name: the uploader's file name never reaches the file system.
    suffix = Path(filename).suffix.lower()[:10]
    return f"enquiry/evidence/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    file_name = models.CharField(max_length=200, blank=True)
    is_pupil_work = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class AccountStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Draft")
    REVIEWED = "reviewed", gettext_lazy("Reviewed by the group")
    PUBLISHED = "published", gettext_lazy("Published")


class Audience(models.TextChoices):
    NETWORK = "network", gettext_lazy("This network")
    ALL_NETWORKS = "all_networks", gettext_lazy("Every network on Netlearn")


class Account(models.Model):
    """An enquiry written up (docs/seed-practices.md#writing-days): the questions, what was tried
    together and what the learning had been."""

    enquiry = models.OneToOneField(Enquiry, on_delete=models.CASCADE, related_name="account")
    title = models.CharField(max_length=200)
    question = models.TextField()
    what_we_tried = models.TextField()
    what_we_learned = models.TextField()
    evidence = models.TextField(blank=True)
    what_others_could_try = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=AccountStatus.choices, default=AccountStatus.DRAFT
    )
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.NETWORK)
    # A writing day's accounts compile into one document for the network
    # (docs/seed-practices.md#writing-days); netlearn/reports compiles those written at one.
    writing_day = models.ForeignKey(
        Activity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accounts_written",
        help_text=gettext_lazy("The writing day at which the account was written, if any."),
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_at", "-updated_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("enquiry:account", args=[self.enquiry.network.slug, self.pk])
