"""The network's shared library: resources, their files and versions, trials and endorsement.

docs/seed-practices.md#library: staff trial each other's resources to decide what the library
offers, so that only the best of what has been tried reaches it. A resource is endorsed by its
network once enough schools other than the author's have trialled it well
(`LibrarySettings`); `Resource.endorsed_at` records when the rule was last met.

Stages and subjects are stored as delimited codes ("|ks2|ks3|") so that one `icontains` filter
finds them on SQLite and PostgreSQL alike; `stage_list`/`subject_list` read them back.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from netlearn.charter.models import LearningFocus
from netlearn.networks.models import Group, Network, School


class ResourceKind(models.TextChoices):
    LESSON_PLAN = "lesson_plan", "Lesson plan"
    SCHEME_OF_WORK = "scheme_of_work", "Scheme of work"
    ASSESSMENT = "assessment", "Assessment"
    WORKSHEET = "worksheet", "Worksheet"
    PRESENTATION = "presentation", "Presentation"
    VIDEO_OR_LINK = "video_or_link", "Video or web link"
    RESEARCH_SUMMARY = "research_summary", "Research summary"
    ENQUIRY_ACCOUNT = "enquiry_account", "Enquiry account"


class Stage(models.TextChoices):
    """England's key stages and New Zealand's year levels (a resource may span several)."""

    EYFS = "eyfs", "Early years (EYFS)"
    KS1 = "ks1", "Key stage 1 (Years 1–2)"
    KS2 = "ks2", "Key stage 2 (Years 3–6)"
    KS3 = "ks3", "Key stage 3 (Years 7–9)"
    KS4 = "ks4", "Key stage 4 (Years 10–11)"
    KS5 = "ks5", "16–19 (sixth form, college)"
    NZ_Y1_3 = "nz_y1_3", "NZ Years 1–3"
    NZ_Y4_6 = "nz_y4_6", "NZ Years 4–6"
    NZ_Y7_8 = "nz_y7_8", "NZ Years 7–8"
    NZ_Y9_10 = "nz_y9_10", "NZ Years 9–10"
    NZ_Y11_13 = "nz_y11_13", "NZ Years 11–13"


class Subject(models.TextChoices):
    """England's National Curriculum subjects and New Zealand's learning areas."""

    ENGLISH = "english", "English"
    MATHEMATICS = "mathematics", "Mathematics"
    SCIENCE = "science", "Science"
    ART = "art", "Art and design"
    CITIZENSHIP = "citizenship", "Citizenship"
    COMPUTING = "computing", "Computing"
    DESIGN_TECHNOLOGY = "design_technology", "Design and technology"
    LANGUAGES = "languages", "Languages"
    GEOGRAPHY = "geography", "Geography"
    HISTORY = "history", "History"
    MUSIC = "music", "Music"
    PHYSICAL_EDUCATION = "physical_education", "Physical education"
    RE = "re", "Religious education"
    PSHE = "pshe", "PSHE"
    NZ_ENGLISH = "nz_english", "NZ: English"
    NZ_ARTS = "nz_arts", "NZ: The arts"
    NZ_HEALTH_PE = "nz_health_pe", "NZ: Health and physical education"
    NZ_LEARNING_LANGUAGES = "nz_learning_languages", "NZ: Learning languages"
    NZ_MATHEMATICS = "nz_mathematics", "NZ: Mathematics and statistics"
    NZ_SCIENCE = "nz_science", "NZ: Science"
    NZ_SOCIAL_SCIENCES = "nz_social_sciences", "NZ: Social sciences"
    NZ_TECHNOLOGY = "nz_technology", "NZ: Technology"
    NZ_TE_REO = "nz_te_reo", "NZ: Te reo Māori"
    CROSS_CURRICULAR = "cross_curricular", "Cross-curricular"


class Licence(models.TextChoices):
    CC_BY = "cc-by-4.0", "CC BY 4.0"
    CC_BY_SA = "cc-by-sa-4.0", "CC BY-SA 4.0"
    CC_BY_NC = "cc-by-nc-4.0", "CC BY-NC 4.0"
    CC_BY_NC_SA = "cc-by-nc-sa-4.0", "CC BY-NC-SA 4.0"
    CC_BY_ND = "cc-by-nd-4.0", "CC BY-ND 4.0"
    CC_BY_NC_ND = "cc-by-nc-nd-4.0", "CC BY-NC-ND 4.0"
    CC0 = "cc0-1.0", "CC0 1.0 (public domain)"


class Sharing(models.TextChoices):
    NETWORK = "network", "This network"
    NETWORKS = "networks", "Several networks"
    PUBLIC = "public", "Public: anyone, in the public catalogue"


class ExtractionStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be read"
    RUNNING = "running", "Being read"
    DONE = "done", "Text indexed for search"
    NO_TEXT = "no_text", "No text to index"
    FAILED = "failed", "Could not be read"


def join_codes(codes) -> str:
    codes = [code for code in codes if code]
    return f"|{'|'.join(codes)}|" if codes else ""


def split_codes(text: str) -> list[str]:
    return [code for code in text.split("|") if code]


# The rule until the network sets its own (docs/seed-practices.md#library): two trials, two
# schools, a good mean.
DEFAULT_MIN_TRIALS = 2
DEFAULT_MIN_SCHOOLS = 2
DEFAULT_MIN_MEAN_RATING = Decimal("4.0")


class LibrarySettings(models.Model):
    """A network's endorsement rule and its curators."""

    network = models.OneToOneField(
        Network, on_delete=models.CASCADE, related_name="library_settings"
    )
    min_trials = models.PositiveSmallIntegerField(
        "trials needed",
        default=DEFAULT_MIN_TRIALS,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=gettext_lazy("Trials from schools other than the author's."),
    )
    min_schools = models.PositiveSmallIntegerField(
        "schools needed",
        default=DEFAULT_MIN_SCHOOLS,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=gettext_lazy("Different schools, other than the author's, that trialled it."),
    )
    min_mean_rating = models.DecimalField(
        "lowest mean rating",
        max_digits=3,
        decimal_places=1,
        default=DEFAULT_MIN_MEAN_RATING,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=gettext_lazy("Out of 5, over every criterion of those trials."),
    )
    curator_group = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=gettext_lazy(
            "Besides the co-leaders, this group's members may feature and retire resources."
        ),
    )

    class Meta:
        verbose_name_plural = "library settings"

    def __str__(self) -> str:
        return f"Library settings of {self.network}"


class Resource(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    kind = models.CharField(
        "type", max_length=20, choices=ResourceKind.choices, default=ResourceKind.LESSON_PLAN
    )
    link = models.URLField("web link", blank=True, max_length=500)
    stages = models.CharField(
        max_length=200, blank=True, help_text=gettext_lazy("Delimited Stage codes.")
    )
    subjects = models.CharField(
        max_length=400, blank=True, help_text=gettext_lazy("Delimited Subject codes.")
    )
    learning_focus = models.CharField(max_length=200, blank=True)
    focus = models.ForeignKey(
        LearningFocus,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_resources",
        help_text=gettext_lazy("The learning focus of the network's charter the resource serves."),
    )
    tags = models.CharField(
        max_length=300, blank=True, help_text=gettext_lazy("Comma-separated keywords.")
    )
    licence = models.CharField(max_length=20, choices=Licence.choices, default=Licence.CC_BY)
    sharing = models.CharField(max_length=10, choices=Sharing.choices, default=Sharing.NETWORK)
    shared_with = models.ManyToManyField(
        Network, blank=True, through="ResourceShare", related_name="resources_shared_in"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="library_resources"
    )
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="library_resources")
    endorsed_at = models.DateTimeField(null=True, blank=True)
    featured_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "pk"]
        indexes = [
            models.Index(fields=["network", "retired_at"]),
            models.Index(fields=["sharing"]),
            models.Index(fields=["endorsed_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:resource", args=[self.pk])

    @property
    def stage_list(self) -> list[str]:
        return split_codes(self.stages)

    @property
    def subject_list(self) -> list[str]:
        return split_codes(self.subjects)

    @property
    def stage_labels(self) -> list[str]:
        labels = dict(Stage.choices)
        return [labels.get(code, code) for code in self.stage_list]

    @property
    def subject_labels(self) -> list[str]:
        labels = dict(Subject.choices)
        return [labels.get(code, code) for code in self.subject_list]

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]

    @property
    def is_endorsed(self) -> bool:
        return self.endorsed_at is not None

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def is_public(self) -> bool:
        return self.sharing == Sharing.PUBLIC


class ResourceShare(models.Model):
    """Another network a resource is shared with (sharing = several networks)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="shares")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "network"], name="resource_share_once")
        ]

    def __str__(self) -> str:
        return f"Resource {self.resource_id} shared with network {self.network_id}"


def generated_file_name(instance, filename: str) -> str:
    """Never the uploader's name: a random one, with the extension of the type we detected."""
    extension = getattr(instance, "_detected_extension", "") or "bin"
    return f"library/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class ResourceFile(models.Model):
    """One uploaded file. A new version of a file supersedes the old one, which is kept."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=generated_file_name, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    type_label = models.CharField(max_length=40)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    version = models.PositiveIntegerField(default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_version"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField("what changed", max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(
        blank=True, help_text=gettext_lazy("Text read from the file, for search.")
    )
    extraction_status = models.CharField(
        max_length=10, choices=ExtractionStatus.choices, default=ExtractionStatus.PENDING
    )
    extraction_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["original_name", "-version"]
        indexes = [models.Index(fields=["resource", "superseded_at"])]

    def __str__(self) -> str:
        return f"{self.original_name} (version {self.version})"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    @property
    def extraction_pending(self) -> bool:
        return self.extraction_status in (ExtractionStatus.PENDING, ExtractionStatus.RUNNING)


RATING_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]
# The stated criteria of a trial (issue 6), each rated 1–5.
CRITERIA = (
    ("impact_rating", "Impact on learning"),
    ("ease_rating", "Ease of use"),
    ("adaptability_rating", "Adaptability"),
)


class TrialQuerySet(models.QuerySet):
    def by_other_schools(self, resource):
        return self.exclude(school_id=resource.school_id)


class Trial(models.Model):
    """A teacher of another school used the resource with a class and reports back."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="trials")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="library_trials"
    )
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="library_trials")
    year_group = models.CharField("class (year group)", max_length=60)
    class_size = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    trialled_on = models.DateField("date of the trial")
    how_it_went = models.TextField()
    adaptations = models.TextField("adaptations made", blank=True)
    impact_rating = models.PositiveSmallIntegerField(validators=RATING_VALIDATORS)
    ease_rating = models.PositiveSmallIntegerField(validators=RATING_VALIDATORS)
    adaptability_rating = models.PositiveSmallIntegerField(validators=RATING_VALIDATORS)
    would_recommend = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TrialQuerySet.as_manager()

    class Meta:
        ordering = ["-trialled_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "teacher"], name="trial_once_per_teacher"),
            models.CheckConstraint(
                condition=Q(impact_rating__gte=1, impact_rating__lte=5)
                & Q(ease_rating__gte=1, ease_rating__lte=5)
                & Q(adaptability_rating__gte=1, adaptability_rating__lte=5),
                name="trial_ratings_one_to_five",
            ),
        ]

    def __str__(self) -> str:
        return f"Trial of {self.resource} at {self.school}"

    @property
    def mean_rating(self) -> Decimal:
        total = self.impact_rating + self.ease_rating + self.adaptability_rating
        return (Decimal(total) / 3).quantize(Decimal("0.1"))


class ResourceSearch(models.Model):
    """What search reads, kept by the service layer (netlearn/library/search.py).

    PostgreSQL: `document` is a stored, weighted tsvector with a GIN index (migration 0002).
    SQLite: `document` stays empty; an FTS5 virtual table `library_resource_fts` holds the index.
    """

    resource = models.OneToOneField(
        Resource, on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    title = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    tags = models.TextField(blank=True)
    body = models.TextField(
        blank=True, help_text=gettext_lazy("Text of the resource's current files.")
    )
    document = SearchVectorField(null=True)

    def __str__(self) -> str:
        return f"Search entry of resource {self.resource_id}"
