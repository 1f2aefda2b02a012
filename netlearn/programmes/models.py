"""Programmes of professional learning a network runs for its own people.

Four shapes, each from the practices in docs/seed-practices.md#professional-learning:

- a **programme in waves** (co-operative learning spread school by school): each wave has its
  schools, its dates, the people it trains and its coaches, who learned the approach in an earlier
  wave (docs/seed-practices.md#waves-of-coaching);
- **support relationships**: a coach and a coachee, a mentor and a new head, a school that
  supports another (docs/seed-practices.md#support-between-schools), with private notes;
- **courses** the network runs itself, with modules, a cohort with places per school, a waiting
  list, completion from the registers, a certificate, and the cascade of what was learned to
  colleagues (docs/seed-practices.md#courses-and-cascade);
- **induction** of a new head or a new school, from the network's checklist
  (docs/seed-practices.md#induction).

Sessions are activities in the network's calendar (the activities app owns them, their registers
and their iCal); these models only point at them.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LearningProgramme(models.Model):
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="learning_programmes"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["network", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "title"], name="programmes_one_title_per_network"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Wave(models.Model):
    programme = models.ForeignKey(LearningProgramme, on_delete=models.CASCADE, related_name="waves")
    number = models.PositiveSmallIntegerField()
    audience = models.CharField(
        max_length=200, blank=True, help_text=_("Who this wave is for, e.g. headteachers.")
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    schools = models.ManyToManyField("networks.School", related_name="+", blank=True)
    sessions = models.ManyToManyField("activities.Activity", related_name="+", blank=True)

    class Meta:
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"], name="programmes_one_wave_number"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="programmes_wave_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"Wave {self.number}"

    def overlaps(self, starts_on, ends_on) -> bool:
        return self.starts_on <= ends_on and starts_on <= self.ends_on


class WaveRole(models.TextChoices):
    COACH = "coach", _("Coach")
    TRAINED = "trained", _("Trained")


class WavePlace(models.Model):
    """A person in a wave: trained in it, or coaching it."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="places")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(
        "networks.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(max_length=10, choices=WaveRole.choices)
    completed_on = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["wave", "role", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "person", "role"], name="programmes_one_place_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}) in {self.wave}"


class RelationshipKind(models.TextChoices):
    COACHING = "coaching", _("Coach and coachee")
    MENTORING = "mentoring", _("Mentor and new head")
    SCHOOL_SUPPORT = "school_support", _("Supporting school and supported school")


class SupportRelationship(models.Model):
    """Who supports whom: a person another person, or a school another school.

    For a school pairing the two people are the schools' named contacts (usually their heads):
    they are "the pair" who read its notes."""

    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="support_relationships"
    )
    kind = models.CharField(max_length=20, choices=RelationshipKind.choices)
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    supported = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    supporting_school = models.ForeignKey(
        "networks.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    supported_school = models.ForeignKey(
        "networks.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    purpose = models.TextField()
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    ended_because = models.CharField(
        max_length=300,
        blank=True,
        help_text=_(
            "Why it ended, when it did not simply run its course (e.g. the two schools "
            "amalgamated)."
        ),
    )
    sessions = models.ManyToManyField("activities.Activity", related_name="+", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["network", "-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="programmes_relationship_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(supporter=F("supported")),
                name="programmes_relationship_between_two",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.supporter} → {self.supported}"


class RelationshipNote(models.Model):
    """Private to the pair and the network's co-ordinators (`policy.can_read_notes`)."""

    relationship = models.ForeignKey(
        SupportRelationship, on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["relationship", "written_at", "pk"]

    def __str__(self) -> str:
        return f"Note on {self.relationship_id}"


class Course(models.Model):
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="learning_courses"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    capacity = models.PositiveSmallIntegerField(help_text=_("Places in the cohort."))
    places_per_school = models.PositiveSmallIntegerField(
        help_text=_("Places one school may take before its next people wait.")
    )
    sessions_to_complete = models.PositiveSmallIntegerField(
        default=0, help_text=_("Sessions to attend to complete; 0: every module's session.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["network", "-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(places_per_school__gte=1),
                name="programmes_course_has_places",
            )
        ]

    def __str__(self) -> str:
        return self.title


class CourseModule(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    session = models.ForeignKey(
        "activities.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["course", "number"]
        constraints = [
            models.UniqueConstraint(fields=["course", "number"], name="programmes_module_number")
        ]

    def __str__(self) -> str:
        return f"Module {self.number}: {self.title}"


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("In the cohort")
    WAITING = "waiting", _("Waiting for a place")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Enrolment(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("networks.School", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=EnrolmentStatus.choices)
    enrolled_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    evidence = models.TextField(blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["course", "enrolled_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "person"],
                condition=~Q(status="withdrawn"),
                name="programmes_one_enrolment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.course}"


class CascadeRecord(models.Model):
    """A colleague a participant trained after the course, in their own or a partner school."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="cascade")
    colleague = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey("networks.School", on_delete=models.PROTECT, related_name="+")
    trained_on = models.DateField()
    what = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["enrolment", "trained_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "colleague"], name="programmes_colleague_counted_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.colleague} trained on {self.trained_on}"


class InductionStep(models.Model):
    """A line of the network's induction checklist, copied into each new plan."""

    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="induction_steps"
    )
    number = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["network", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "number"], name="programmes_induction_step_number"
            )
        ]

    def __str__(self) -> str:
        return self.text


class InductionKind(models.TextChoices):
    NEW_HEAD = "new_head", _("A new head")
    NEW_SCHOOL = "new_school", _("A new school")


class InductionPlan(models.Model):
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="induction_plans"
    )
    kind = models.CharField(max_length=10, choices=InductionKind.choices)
    newcomer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The new head, or the new school's head."),
    )
    school = models.ForeignKey("networks.School", on_delete=models.PROTECT, related_name="+")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    meetings = models.ManyToManyField("activities.Activity", related_name="+", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["network", "-created_at", "pk"]

    def __str__(self) -> str:
        return f"Induction of {self.newcomer}"


class InductionTask(models.Model):
    plan = models.ForeignKey(InductionPlan, on_delete=models.CASCADE, related_name="tasks")
    number = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["plan", "number"]

    def __str__(self) -> str:
        return self.text
