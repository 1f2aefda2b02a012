"""Network health: frameworks of questions, surveys built from them, responses, judgements.

Frameworks and their bank items are reference data (loaded by a data migration from `banks.py`);
a network builds a survey by choosing a framework or items from the banks. An anonymous survey
keeps who responded (`Participation`) apart from what was answered (`AnswerBox`), as
decisions keeps secret ballots: see `AnswerBox`. A confidential survey keeps each answer sheet
with its respondent (`ConfidentialResponse`) but shows results only aggregated
(docs/health.md#anonymity).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    LIKERT = "likert", _("Agree or disagree (1 to 5)")
    RANKING = "ranking", _("Put in order")
    FREE_TEXT = "free_text", _("Free text")
    NAME_GENERATOR = "name_generator", _("Choose people or schools")


class SurveyAudience(models.TextChoices):
    STAFF = "staff", _("Staff")
    GOVERNORS = "governors", _("Governors")
    PUPILS = "pupils", _("Pupils")
    PARENTS = "parents", _("Parents and whānau")


class SurveyMode(models.TextChoices):
    ANONYMOUS = "anonymous", _("Anonymous: nothing links an answer to the person")
    CONFIDENTIAL = "confidential", _("Confidential: kept with the person, shown only in aggregate")


class NameTarget(models.TextChoices):
    PEOPLE = "people", _("People of the network")
    SCHOOLS = "schools", _("Schools of the network")


# Pupils answer only closed questions: no free text that could name others, no choosing people
# (docs/health.md#pupils-and-parents).
PUPIL_KINDS = (QuestionKind.LIKERT, QuestionKind.RANKING)
LIKERT_POINTS = 5
RANKING_MAX_OPTIONS = 8


class Framework(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=200, help_text=_("Where the framework comes from."))
    citation = models.CharField(max_length=120, help_text=_("Our statement of it, in docs/."))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Dimension(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="dimensions")
    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "slug"], name="health_dimension_once"),
        ]

    def __str__(self) -> str:
        return self.name


class BankItem(models.Model):
    """A question in a framework's bank. `pupil_text` is its wording for pupils (blank: not
    asked of pupils)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="items")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="items")
    slug = models.SlugField(max_length=80)
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    text = models.CharField(max_length=300)
    pupil_text = models.CharField(max_length=300, blank=True)
    options = models.JSONField(default=list, blank=True)
    names = models.CharField(max_length=10, choices=NameTarget.choices, blank=True)
    citation = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "dimension__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "slug"], name="health_item_once"),
        ]

    def __str__(self) -> str:
        return self.text


class Survey(models.Model):
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="health_surveys"
    )
    title = models.CharField(max_length=200)
    framework = models.ForeignKey(
        Framework, null=True, blank=True, on_delete=models.PROTECT, related_name="surveys"
    )
    audience = models.CharField(max_length=10, choices=SurveyAudience.choices)
    mode = models.CharField(max_length=12, choices=SurveyMode.choices)
    wave = models.CharField(
        max_length=60, blank=True, help_text=_("E.g. Autumn 2026: compared across waves.")
    )
    threshold = models.PositiveSmallIntegerField(
        default=6, help_text=_("Results for a group with fewer responses than this show c.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__gte=3, threshold__lte=50),
                name="health_survey_threshold_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and self.closes_at > timezone.now()

    @property
    def is_anonymous(self) -> bool:
        return self.mode == SurveyMode.ANONYMOUS


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    text = models.CharField(max_length=300)
    dimension = models.ForeignKey(
        Dimension, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    bank_item = models.ForeignKey(
        BankItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    options = models.JSONField(default=list, blank=True)
    names = models.CharField(max_length=10, choices=NameTarget.choices, blank=True)

    class Meta:
        ordering = ["survey", "position", "pk"]

    def __str__(self) -> str:
        return self.text


def _random_id() -> uuid.UUID:
    return uuid.uuid4()


class Participation(models.Model):
    """Who has responded to a survey, without the answers or a time: it stops a second response
    and gives the response rate, and nothing joins it to an answer sheet."""

    id = models.UUIDField(primary_key=True, default=_random_id, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "person"], name="health_respond_once"),
        ]

    def __str__(self) -> str:
        return "A respondent"


class AnswerBox(models.Model):
    """An anonymous survey's answer sheets, as one sorted list in one row.

    Not a row per sheet: a sheet's row would be written next to its respondent's
    `Participation`, and its place (SQLite rowid, PostgreSQL xmin and ctid, row order) would link
    the two. Every response rewrites this one row, and the list is kept sorted by content, so
    what is stored says what was answered and nothing of the order it came in. A sheet holds the
    respondent's school and role group (results are shown by them, above the threshold) and the
    answers by question id.
    """

    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="answer_box")
    sheets = models.JSONField(default=list, editable=False)

    def __str__(self) -> str:
        return "An answer box"


class ConfidentialResponse(models.Model):
    """A confidential survey's answer sheet, kept with its respondent: they may read it back;
    everyone else sees it only in aggregate."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="health_responses"
    )
    school = models.ForeignKey(
        "networks.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(max_length=20)
    answers = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "person"], name="health_confidential_once"),
        ]

    def __str__(self) -> str:
        return f"Response to {self.survey}"


class JudgementLevel(models.TextChoices):
    EMERGING = "emerging", _("Emerging")
    DEVELOPING = "developing", _("Developing")
    ESTABLISHED = "established", _("Established")
    EMBEDDED = "embedded", _("Embedded")


class Judgement(models.Model):
    """The leaders' judgement on one dimension in one wave, with the evidence behind it."""

    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="health_judgements"
    )
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="+")
    wave = models.CharField(max_length=60)
    level = models.CharField(max_length=12, choices=JudgementLevel.choices)
    summary = models.TextField(max_length=5000)
    evidence = models.JSONField(
        default=list, blank=True, help_text=_("Links to the network's own pages.")
    )
    next_step = models.CharField(max_length=500, blank=True)
    # The next step taken into the network's charter (a focus or one of its goals) or planned as
    # one of its activities: at most one, always of the judgement's own network.
    next_focus = models.ForeignKey(
        "charter.LearningFocus", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    next_goal = models.ForeignKey(
        "charter.Goal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    next_activity = models.ForeignKey(
        "activities.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["dimension__framework", "dimension__position", "-made_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "dimension", "wave"], name="health_judgement_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension}: {self.get_level_display()}"
