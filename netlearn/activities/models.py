"""Network activities: meetings, shared CPD, learning walks and visits, and who came.

Times are stored as aware UTC datetimes with the activity's IANA time zone beside them, so a
weekly meeting at 16:00 in Europe/London stays at 16:00 local time across the clocks changing.
A recurring activity keeps its RRULE and its exception dates; its occurrences are stored rows,
so that RSVPs, registers and cancellations attach to one date.
"""

import datetime
import zoneinfo
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from netlearn.networks.models import Group, Network, School

from .links import is_web_link

# A school keeps the attendance it committed to (docs/seed-practices.md#commitments-and-protocols).
# Two thirds until the network's charter names its own commitment.
DEFAULT_ATTENDANCE_COMMITMENT = Decimal("66.7")
TIME_ZONES = (
    ("Europe/London", "UK (Europe/London)"),
    ("Pacific/Auckland", "New Zealand (Pacific/Auckland)"),
    ("Pacific/Chatham", "Chatham Islands (Pacific/Chatham)"),
    ("UTC", "UTC"),
)


class WallClock(datetime.datetime):
    """A time in an activity's own zone, which templates print as it is.

    Django's `date` and `time` filters move an aware datetime into the site's zone (London)
    unless it says otherwise; a Kāhui Ako meeting at 15:30 in Auckland must read 15:30.
    """

    convert_to_local_time = False

    @classmethod
    def of(cls, moment: datetime.datetime, zone: zoneinfo.ZoneInfo) -> "WallClock":
        return cls.fromtimestamp(moment.timestamp(), tz=zone)


class Kind(models.TextChoices):
    STRATEGIC_MEETING = "strategic_meeting", "Strategic meeting"
    LEARNING_MEETING = "learning_meeting", "Learning meeting"
    SHARED_CPD = "shared_cpd", "Shared professional learning"
    LEARNING_WALK = "learning_walk", "Learning walk"
    SCHOOL_VISIT = "school_visit", "School visit (intervisitation)"
    CONFERENCE = "conference", "Conference"
    THINKING_LUNCH = "thinking_lunch", "Thinking lunch"
    WRITING_DAY = "writing_day", "Writing day"
    COACHING_SESSION = "coaching_session", "Coaching session"
    OTHER = "other", "Other"


# Learning walks and visits to other schools have a purpose and a feedback record
# (docs/seed-practices.md#activities).
VISIT_KINDS = (Kind.LEARNING_WALK, Kind.SCHOOL_VISIT)


class Audience(models.TextChoices):
    NETWORK = "network", "The whole network"
    SELECTED = "selected", "Chosen groups, roles and people"


class Payer(models.TextChoices):
    FREE = "free", "No cost"
    POOLED = "pooled", "The network's pooled budget"
    SCHOOL = "school", "A school"


class ActivitySettings(models.Model):
    """A network's own rules for its activities."""

    network = models.OneToOneField(
        Network, on_delete=models.CASCADE, related_name="activity_settings"
    )
    attendance_commitment_percent = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=DEFAULT_ATTENDANCE_COMMITMENT,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=gettext_lazy("Schools attending fewer of their meetings than this are flagged."),
    )

    class Meta:
        verbose_name_plural = "activity settings"

    def __str__(self) -> str:
        return f"Activity settings of {self.network}"


class Activity(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.LEARNING_MEETING)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    purpose = models.TextField(
        blank=True,
        help_text=gettext_lazy("Learning walks and visits: the question the visit is to answer."),
    )
    # The focus the activity serves: docs/seed-practices.md#the-thread-from-aim-to-impact.
    learning_focus = models.ForeignKey(
        "charter.LearningFocus",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        help_text=gettext_lazy("The learning focus of the network's charter it serves."),
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="organised_activities"
    )
    host_school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.SET_NULL, related_name="hosted_activities"
    )
    place = models.CharField(
        max_length=200, blank=True, help_text=gettext_lazy("Room, address or building.")
    )
    online_url = models.URLField("online link", blank=True)
    starts_at = models.DateTimeField(
        help_text=gettext_lazy("The first occurrence's start, stored in UTC.")
    )
    ends_at = models.DateTimeField(
        help_text=gettext_lazy("The first occurrence's end, stored in UTC.")
    )
    time_zone = models.CharField(max_length=40, choices=TIME_ZONES, default="Europe/London")
    all_day = models.BooleanField(
        default=False,
        help_text=gettext_lazy(
            "Whole days: starts at local midnight and ends at midnight after its last day."
        ),
    )
    recurrence = models.CharField(
        max_length=200,
        blank=True,
        help_text=gettext_lazy(
            "An iCalendar RRULE, e.g. FREQ=MONTHLY;BYDAY=2WE;COUNT=10. Empty: once."
        ),
    )
    exception_dates = models.JSONField(
        default=list,
        blank=True,
        help_text=gettext_lazy("Local dates (YYYY-MM-DD) the rule skips (EXDATE)."),
    )
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.NETWORK)
    audience_groups = models.ManyToManyField(Group, blank=True, related_name="activities")
    audience_roles = models.JSONField(default=list, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    rsvp_closes_at = models.DateTimeField(null=True, blank=True)
    cost = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    paid_by = models.CharField(max_length=10, choices=Payer.choices, default=Payer.FREE)
    paying_school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.SET_NULL, related_name="paid_activities"
    )
    # iCalendar SEQUENCE: raised on every change a calendar must notice.
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name_plural = "activities"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(paid_by="school") | Q(paying_school__isnull=False),
                name="activity_paying_school_named",
            ),
        ]
        indexes = [models.Index(fields=["network", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:activity", args=[self.network.slug, self.pk])

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def last_day(self) -> datetime.date:
        """An all-day activity's last day (its end is the midnight after it)."""
        return (self.local_end - datetime.timedelta(microseconds=1)).date()

    @property
    def web_link(self) -> str:
        """The online link if it is an http(s) address; a row written before the check was
        shared by form and API may hold something else, which is never shown as a link."""
        return self.online_url if is_web_link(self.online_url) else ""

    @property
    def is_visit(self) -> bool:
        return self.kind in VISIT_KINDS

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def uid(self) -> str:
        # The site's own host, so two installations' activity 7 never replace each other in
        # one person's calendar (RFC 5545 §3.8.4.7: globally unique).
        return f"activity-{self.pk}@{urlsplit(settings.SITE_URL).netloc.lower() or 'netlearn'}"

    @property
    def local_start(self) -> WallClock:
        return WallClock.of(self.starts_at, self.zone)

    @property
    def local_end(self) -> WallClock:
        return WallClock.of(self.ends_at, self.zone)


class Occurrence(models.Model):
    """One date of an activity; a one-off activity has exactly one."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="occurrences")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # The start the rule gave it (iCalendar RECURRENCE-ID), kept if the date is moved.
    original_start = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    register_taken_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "original_start"], name="occurrence_once_per_start"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="occurrence_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return f"{self.activity} on {self.local_start:%d %b %Y %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def local_start(self) -> WallClock:
        return WallClock.of(self.starts_at, self.activity.zone)

    @property
    def local_end(self) -> WallClock:
        return WallClock.of(self.ends_at, self.activity.zone)


class Invitation(models.Model):
    """A person invited to an activity, and the school they were invited from."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activity_invitations"
    )
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person__name"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="invitation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} to {self.activity}"


class Response(models.TextChoices):
    GOING = "going", "Going"
    WAITING = "waiting", "On the waiting list"
    NOT_GOING = "not_going", "Not going"


class Rsvp(models.Model):
    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="rsvps")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps"
    )
    response = models.CharField(max_length=10, choices=Response.choices)
    responded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["responded_at", "pk"]
        verbose_name = "RSVP"
        constraints = [
            models.UniqueConstraint(fields=["occurrence", "person"], name="rsvp_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_response_display()}"


class Attendance(models.Model):
    """One line of the register: who came, and from which school."""

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances"
    )
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    present = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person__name"]
        constraints = [
            models.UniqueConstraint(fields=["occurrence", "person"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {'present' if self.present else 'absent'}"


class VisitFeedback(models.Model):
    """After a walk or visit: what we saw, learned and will try, and what the host heard."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visit_feedback"
    )
    school = models.ForeignKey(
        School,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=gettext_lazy("The visiting school the author came from."),
    )
    what_we_saw = models.TextField()
    what_we_learned = models.TextField()
    what_we_will_try = models.TextField()
    feedback_to_host = models.TextField("feedback the host school received")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "visit feedback"

    def __str__(self) -> str:
        return f"Feedback on {self.activity} by {self.author}"


class Note(models.Model):
    """Meeting notes posted to the network, not passed round on paper.

    docs/seed-practices.md#activities."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="activity_notes"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Note on {self.activity}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class Action(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="activity_actions"
    )
    due = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # When its owner was reminded that it falls due: once per action (remind_actions_due).
    due_reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["status", "due", "pk"]

    def __str__(self) -> str:
        return self.title


class ReleaseStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class ReleaseRequest(models.Model):
    """A teacher asks for cover to attend; a co-leader decides on funding from the network budget.

    The network pays for teachers' release so they can meet (docs/seed-practices.md#activities).
    """

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="release_requests"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="release_requests"
    )
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sessions = models.DecimalField(
        "half-day sessions of cover",
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(40)],
    )
    reason = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=ReleaseStatus.choices, default=ReleaseStatus.REQUESTED
    )
    amount = models.DecimalField(
        "funding approved", max_digits=9, decimal_places=2, null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-requested_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sessions__gt=0), name="release_request_sessions_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.sessions} sessions for {self.activity}"


class FeedToken(models.Model):
    """A secret in a calendar feed URL. Only its hash is stored; the URL is shown once."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_tokens"
    )
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(revoked_at__isnull=True), name="feed_token_one_live"
            ),
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.person} ({self.prefix}…)"
