"""Outcome data of a network's schools, and what is made of it.

docs/seed-practices.md#impact: value added compared with peer schools of the same authority;
schools with high FSM that reach the top quartiles against the odds.

- `Measure`: what is measured (KS2 reading, writing and maths at the expected standard, KS4
  Attainment 8, NCEA level 2 …), defined as data: shared by every network (`network` empty) or a
  network's own.
- `Dataset`: one upload's worth of a network's data, either school-year figures (`SchoolResult`)
  or pupil-level records (`PupilRecord`).
- `PupilRecord`: one pupil in one year, keyed by a pseudonymous id the school keeps. Nothing here
  links to a `Person`; the typed columns hold what every model needs (school, year, outcome,
  prior attainment) and `context` holds the rest as JSON ({"fsm": 1, "sex": "F", ...}), so a
  dataset can bring the context columns its analysis needs without a migration.
- `ModelRun`: a multilevel model fitted in the background to a pupil dataset, with its progress
  and its results (`netlearn.analytics.mixed.MixedFit.to_json()`).
- `PendingImport`: an uploaded file between its upload and its confirmation (column mapping,
  preview); deleted once imported.
- `GoalLink`: a charter goal whose figures come from a measure (issue 7, item 6). It lives here so
  that the charter app never imports the impact app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netlearn.networks.models import Network, School


class Level(models.TextChoices):
    SCHOOL = "school", _("School figure (e.g. % reaching a standard)")
    PUPIL = "pupil", _("Pupil score")


class Measure(models.Model):
    network = models.ForeignKey(
        Network,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="impact_measures",
        help_text=_("Empty: a measure every network may use."),
    )
    name = models.CharField(max_length=200)
    code = models.SlugField(max_length=60)
    unit = models.CharField(max_length=40, help_text=_("e.g. “%”, “points”, “standardised score”."))
    higher_is_better = models.BooleanField(default=True)
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.SCHOOL)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "code"], name="impact_measure_code_unique_per_network"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(network__isnull=True),
                name="impact_measure_shared_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DatasetKind(models.TextChoices):
    SCHOOL = "school", _("School-year figures")
    PUPIL = "pupil", _("Pupil-level records")


class Dataset(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="impact_datasets")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="datasets")
    kind = models.CharField(max_length=10, choices=DatasetKind.choices)
    name = models.CharField(max_length=200)
    source = models.CharField(
        max_length=300, blank=True, help_text=_("Where the figures come from, e.g. “DfE KS2 2024”.")
    )
    is_public_research = models.BooleanField(
        default=False,
        help_text=_(
            "A published research dataset (e.g. the Exam data of mlmRev), not real pupils "
            "of these schools."
        ),
    )
    columns = models.JSONField(
        default=dict,
        blank=True,
        help_text=_(
            "How the file's columns were mapped: field → column name as the file spells it."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "name"], name="impact_dataset_name_unique_in_network"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("impact:dataset", args=[self.pk])


class SchoolResult(models.Model):
    """One school's figure for one year; `cohort` is the number of pupils it rests on."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="school_results")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="impact_results")
    year = models.PositiveSmallIntegerField(
        help_text=_("The year the results are for (e.g. 2024).")
    )
    value = models.FloatField()
    cohort = models.PositiveIntegerField()
    disadvantage = models.FloatField(
        null=True,
        blank=True,
        help_text=_(
            "England: % of pupils eligible for free school meals. New Zealand: the "
            "school's Equity Index, an index (about 344 to 569), not a percentage."
        ),
    )
    authority_value = models.FloatField(null=True, blank=True)
    nation_value = models.FloatField(null=True, blank=True)
    is_comparison = models.BooleanField(
        default=False, help_text=_("A school outside the network, there for comparison only.")
    )

    class Meta:
        ordering = ["year", "school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "school", "year"], name="impact_result_once_per_school_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.year}: {self.value}"


class PupilRecord(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="pupil_records")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="impact_records")
    pupil = models.CharField("pseudonymous pupil id", max_length=64)
    year = models.PositiveSmallIntegerField()
    outcome = models.FloatField()
    prior = models.FloatField("prior attainment", null=True, blank=True)
    context = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["school_id", "pupil"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "pupil", "year"], name="impact_record_once_per_pupil_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pupil} ({self.year})"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ModelRun(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="runs")
    formula = models.CharField(max_length=500)
    reml = models.BooleanField("REML", default=True)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    results = models.JSONField(null=True, blank=True)
    school_names = models.JSONField(
        default=dict, blank=True, help_text=_("Group id → school name, as at the run.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="impact_run_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.formula} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("impact:run", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)


class PendingImport(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=DatasetKind.choices)
    dataset_name = models.CharField(max_length=200)
    source = models.CharField(max_length=300, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    text = models.TextField(help_text=_("The file as decoded text, until it is imported."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.dataset_name} (not yet imported)"

    def get_absolute_url(self) -> str:
        return reverse("impact:mapping", args=[self.pk])


class GoalLink(models.Model):
    """A charter goal takes its figures from a measure: the network's value each year."""

    goal = models.OneToOneField(
        "charter.Goal", on_delete=models.CASCADE, related_name="impact_link"
    )
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="goal_links")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.goal} ← {self.measure}"
