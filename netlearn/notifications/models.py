"""A person's notification centre, and how often they want it by email.

Other apps call `services.notify`; this app never imports them (imports point towards accounts).
The text is written when the notification is made, so the list costs no joins to other apps, and
a notification keeps only what its recipient could already see.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class NotificationKind(models.TextChoices):
    MENTION = "mention", "Mention"
    REPLY = "reply", "Reply"
    NEW_THREAD = "new_thread", "New thread"
    MODERATION = "moderation", "Moderation"
    REPORT = "report", "Report"
    # Workflow kinds: each names something a person must act on or was waiting for.
    CHARTER_PROPOSED = "charter_proposed", "Charter awaiting sign-off"
    CHARTER_ADOPTED = "charter_adopted", "Charter adopted"
    RELEASE_REQUESTED = "release_requested", "Release request to approve"
    RELEASE_ANSWERED = "release_answered", "Release request answered"
    EXCHANGE_REQUESTED = "exchange_requested", "Exchange request to answer"
    EXCHANGE_ANSWERED = "exchange_answered", "Exchange request answered"
    TRIAL = "trial", "Trial of a resource"
    ENDORSEMENT = "endorsement", "Resource endorsed"
    ACCOUNT_REVIEW = "account_review", "Account awaiting review"
    ACCOUNT_PUBLISHED = "account_published", "Account published"
    POST_HELD = "post_held", "Pupil post held for moderation"
    INVITATION = "invitation", "Invitation to an activity"
    ACTIVITY_CHANGED = "activity_changed", "Activity changed"
    ACTION_ASSIGNED = "action_assigned", "Action assigned"
    ACTION_DUE = "action_due", "Action due"
    SURVEY_INVITATION = "survey_invitation", "Survey invitation"
    DECISION_OPENED = "decision_opened", "Decision to take part in"
    DECISION_CLOSED = "decision_closed", "Decision closed"
    MONEY = "money", "Budget and funding"
    REPORT_REVIEW = "report_review", "Progress report awaiting review"
    REPORT_PUBLISHED = "report_published", "Progress report published"
    PROFESSIONAL_LEARNING = "learning", "Professional learning"


# Nudges about work to do or wait for: pupils get none of them (docs/safety.md#pupil-spaces, after
# the ICO Age Appropriate Design Code: no nudges for children).
WORKFLOW_KINDS = frozenset(
    {
        NotificationKind.CHARTER_PROPOSED,
        NotificationKind.CHARTER_ADOPTED,
        NotificationKind.RELEASE_REQUESTED,
        NotificationKind.RELEASE_ANSWERED,
        NotificationKind.EXCHANGE_REQUESTED,
        NotificationKind.EXCHANGE_ANSWERED,
        NotificationKind.TRIAL,
        NotificationKind.ENDORSEMENT,
        NotificationKind.ACCOUNT_REVIEW,
        NotificationKind.ACCOUNT_PUBLISHED,
        NotificationKind.POST_HELD,
        NotificationKind.INVITATION,
        NotificationKind.ACTIVITY_CHANGED,
        NotificationKind.ACTION_ASSIGNED,
        NotificationKind.ACTION_DUE,
        NotificationKind.SURVEY_INVITATION,
        NotificationKind.DECISION_OPENED,
        NotificationKind.DECISION_CLOSED,
        NotificationKind.MONEY,
        NotificationKind.REPORT_REVIEW,
        NotificationKind.REPORT_PUBLISHED,
        NotificationKind.PROFESSIONAL_LEARNING,
    }
)


class EmailFrequency(models.TextChoices):
    IMMEDIATE = "immediate", "At once"
    DAILY = "daily", "A daily digest"
    WEEKLY = "weekly", "A weekly digest"
    NEVER = "never", "Never"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Sent alone at once (immediate), or in a digest: never both, never twice.
    emailed_at = models.DateTimeField(null=True, blank=True)
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailPreference(models.Model):
    """Only stored once a person chooses; until then `default_frequency` decides."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preference"
    )
    frequency = models.CharField(max_length=10, choices=EmailFrequency.choices)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} for person {self.person_id}"


class HomeVisit(models.Model):
    """When a person last looked at their home: "new" means new since the visit before this one.

    A visit within `services.VISIT_SITTING` of the last one is the same sitting, so reloading the
    home does not empty its "new" section."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="home_visit"
    )
    seen_at = models.DateTimeField(default=timezone.now)
    previous_seen_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Home of person {self.person_id} seen {self.seen_at:%Y-%m-%d %H:%M}"


class Channel(models.TextChoices):
    IN_APP = "in_app", "In Netlearn only"
    IMMEDIATE = "immediate", "Email at once"
    DIGEST = "digest", "In my email digest"


class KindPreference(models.Model):
    """A person's channel for one kind of notification, overriding their email frequency.

    Only stored once chosen; until then the frequency decides (services.channel_for): at once
    → email at once, a daily or weekly digest → digest, never → in Netlearn only."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_channels"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="one_channel_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_channel_display()}"
