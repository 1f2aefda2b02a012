"""Discussion spaces, threads and posts; pupil spaces with safeguarding moderation; polls.

Pupil spaces follow docs/safety.md#pupil-spaces: staff moderate them, every
post and poll has a report control, every moderation action goes to an append-only log, and
polls are anonymous by construction (no row holds one person's choice: each option keeps a tally).
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import AppendOnly

# docs/safety.md#retention-and-erasure: pupil discussion is deleted after the network's retention
# period, 365 days unless the network says otherwise.
DEFAULT_RETENTION_DAYS = 365
# docs/safety.md#ballots: results appear only from 6 ballots; England's suppression hides 1-5.
POLL_MIN_BALLOTS = 6


class Audience(models.TextChoices):
    STAFF = "staff", "Staff of the network"
    PUPILS = "pupils", "Pupils"
    PARENTS = "parents", "Parents and whānau"


# Spaces that belong to a school's community (one school, or every school of the network).
SCHOOL_AUDIENCES = (Audience.PUPILS, Audience.PARENTS)


class SpaceKind(models.TextChoices):
    NETWORK = "network", "Network-wide"
    GROUP = "group", "Group"
    TOPIC = "topic", "Topic"


class Moderation(models.TextChoices):
    NONE = "none", "After publication (post-moderation)"
    FIRST_POSTS = "first_posts", "Hold each person's first post for a moderator"
    ALL_POSTS = "all_posts", "Hold every post for a moderator (pre-moderation)"


class Space(models.Model):
    """A place to talk: for the network's staff, or for pupils of one school or all its schools."""

    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="discussion_spaces"
    )
    title = models.CharField(max_length=150)
    description = models.TextField(max_length=2000, blank=True)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.STAFF)
    kind = models.CharField(max_length=10, choices=SpaceKind.choices, default=SpaceKind.TOPIC)
    group = models.ForeignKey(
        "networks.Group",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="discussion_spaces",
    )
    # Pupil spaces: one school's pupils, or (blank) the pupils of every school of the network.
    school = models.ForeignKey(
        "networks.School",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pupil_spaces",
    )
    moderation = models.CharField(
        max_length=12, choices=Moderation.choices, default=Moderation.NONE
    )
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="moderated_spaces"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience__in=["pupils", "parents"]) | Q(school__isnull=True),
                name="space_only_school_spaces_have_a_school",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("discussions:space", args=[self.pk])

    @property
    def is_for_pupils(self) -> bool:
        return self.audience == Audience.PUPILS

    @property
    def is_for_parents(self) -> bool:
        return self.audience == Audience.PARENTS

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Status(models.TextChoices):
    PUBLISHED = "published", "Published"
    HELD = "held", "Waiting for a moderator"
    REJECTED = "rejected", "Not published by a moderator"
    REMOVED = "removed", "Removed by a moderator"


class HeldBecause(models.TextChoices):
    NOTHING = "", "—"
    PRE_MODERATION = "pre_moderation", "Every post here waits for a moderator"
    FIRST_POST = "first_post", "A first post here waits for a moderator"
    BLOCKED_WORD = "blocked_word", "Contains a word on the network's blocked list"
    EDITED = "edited", "Edited after publication"


class Thread(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Mirrors the opening post's status: a held opening post holds the whole thread.
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_activity_at", "-pk"]
        indexes = [models.Index(fields=["space", "status", "last_activity_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("discussions:thread", args=[self.pk])


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=10000, help_text=gettext_lazy("Markdown, as written."))
    body_html = models.TextField(help_text=gettext_lazy("The body rendered and sanitised (nh3)."))
    quote_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    held_because = models.CharField(
        max_length=20, choices=HeldBecause.choices, blank=True, default=HeldBecause.NOTHING
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "status"])]

    def __str__(self) -> str:
        return f"Post {self.pk} in {self.thread_id}"

    def get_absolute_url(self) -> str:
        # `?post=` opens the page of a long thread that holds the post.
        thread_url = reverse("discussions:thread", args=[self.thread_id])
        return f"{thread_url}?post={self.pk}#post-{self.pk}"

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class PostRevision(models.Model):
    """The text a post had before an edit; moderators read the history."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-edited_at", "-pk"]

    def __str__(self) -> str:
        return f"Revision of post {self.post_id}"


class ReportReason(models.TextChoices):
    UNKIND = "unkind", "It is unkind or bullying"
    UNSAFE = "unsafe", "Someone may not be safe"
    PERSONAL = "personal", "It shares personal information"
    INAPPROPRIATE = "inappropriate", "It is rude or inappropriate"
    OTHER = "other", "Something else"


class Report(models.Model):
    """A report about a post or a poll; it reaches the safeguarding queue at once."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="reports")
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    poll = models.ForeignKey(
        "Poll", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=ReportReason.choices)
    details = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.TextField(max_length=2000, blank=True)
    # New Zealand (Harmful Digital Communications Act): the complaint is acknowledged and acted
    # on within 48 hours; `respond_by` is set for reports in NZ networks only.
    respond_by = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Report {self.pk}: {self.get_reason_display()}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    def time_left(self, now=None) -> datetime.timedelta | None:
        """Until the 48-hour step is due (negative: overdue); None without a deadline or once
        resolved."""
        if self.respond_by is None or self.resolved_at is not None:
            return None
        return self.respond_by - (now or timezone.now())

    @property
    def is_overdue(self) -> bool:
        left = self.time_left()
        return left is not None and left.total_seconds() < 0

    @property
    def hours_left(self) -> int | None:
        left = self.time_left()
        return None if left is None else int(abs(left.total_seconds()) // 3600)


class ModerationAction(models.TextChoices):
    HELD = "held", "Held for review"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Not published"
    REMOVED = "removed", "Removed"
    RESTORED = "restored", "Restored"
    EDITED = "edited", "Edited"
    REPORTED = "reported", "Reported"
    ACKNOWLEDGED = "acknowledged", "Report acknowledged"
    RESOLVED = "resolved", "Report resolved"
    MODERATOR_ADDED = "moderator_added", "Moderator added"
    MODE_CHANGED = "mode_changed", "Moderation mode changed"
    BLOCKED_WORDS_CHANGED = "blocked_words_changed", "Blocked words changed"
    PASSWORD_RESET = "password_reset", "Pupil password reset"
    PUPILS_IMPORTED = "pupils_imported", "Pupil accounts created"
    PUPIL_RENAMED = "pupil_renamed", "Pupil public name set"
    POLL_CLOSED = "poll_closed", "Poll closed"
    EXPIRED = "expired", "Deleted after the retention period"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly(_("The moderation log cannot be changed."))

    def delete(self):
        raise AppendOnly(_("The moderation log cannot be changed."))


class ModerationLogEntry(models.Model):
    """One moderation action, append-only: rows are written once and never changed.

    Ids are plain integers, not foreign keys, so deleting a post, a space or an account (after
    the retention period, or an erasure) leaves the record of what was done intact.
    """

    network_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    school_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    space_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    thread_id = models.BigIntegerField(null=True, blank=True)
    post_id = models.BigIntegerField(null=True, blank=True)
    report_id = models.BigIntegerField(null=True, blank=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=30, choices=ModerationAction.choices)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "moderation log entries"

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.actor_name}"

    def save(self, *args, **kwargs):
        if self.pk is not None or kwargs.get("force_update"):
            raise AppendOnly(_("The moderation log cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly(_("The moderation log cannot be changed."))


class NetworkDiscussionSettings(models.Model):
    """A network's blocked words and how long pupil discussion is kept."""

    network = models.OneToOneField(
        "networks.Network", on_delete=models.CASCADE, related_name="discussion_settings"
    )
    blocked_words = models.TextField(
        blank=True,
        help_text=gettext_lazy(
            "One word or phrase a line. A post containing one waits for review."
        ),
    )
    retention_days = models.PositiveIntegerField(default=DEFAULT_RETENTION_DAYS)

    def __str__(self) -> str:
        return f"Discussion settings of network {self.network_id}"

    def blocked_list(self) -> list[str]:
        return [line.strip().lower() for line in self.blocked_words.splitlines() if line.strip()]


class PupilProfile(models.Model):
    """What a school's staff record about a pupil account: year group and class. No email."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pupil_profile"
    )
    school = models.ForeignKey(
        "networks.School", on_delete=models.CASCADE, related_name="pupil_profiles"
    )
    year_group = models.PositiveSmallIntegerField()
    class_name = models.CharField("class", max_length=30, blank=True)
    # What everyone outside the pupil's school sees instead of their full name; only the school's
    # staff set it (services.set_pupil_public_name). Blank: first name and school.
    public_name = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["year_group", "class_name", "person__name"]

    def __str__(self) -> str:
        return f"Year {self.year_group} {self.class_name}".strip()


class ParentProfile(models.Model):
    """A parent or whānau account's school, recorded by the staff member who invited them."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="parent_profile"
    )
    school = models.ForeignKey(
        "networks.School", on_delete=models.CASCADE, related_name="parent_profiles"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person__name"]

    def __str__(self) -> str:
        return f"Parent at school {self.school_id}"


class Poll(models.Model):
    """A school council poll in a pupil space (or a staff poll in a staff space)."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="polls")
    question = models.CharField(max_length=300)
    # Audience within the space: blank means every year group.
    year_groups = models.CharField(
        max_length=100,
        blank=True,
        help_text=gettext_lazy("Year groups who may vote, e.g. 7, 8. Blank: all."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("discussions:poll", args=[self.pk])

    def year_group_list(self) -> list[int]:
        return sorted({int(part) for part in self.year_groups.split(",") if part.strip()})

    def is_closed(self, now=None) -> bool:
        now = now or timezone.now()
        return self.closed_at is not None or self.closes_at <= now


class PollOption(models.Model):
    """One answer to a poll and how many chose it.

    A tally, not a row per ballot: a row per ballot is written next to its voter's row, and its
    place (SQLite rowid, PostgreSQL xmin and ctid, row order) links the two. Every vote updates
    every option of the poll in one statement (services.vote), so what the stored rows show after
    a vote is the same whichever option was chosen, apart from the counts themselves.
    """

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    votes = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


def _random_ballot_id() -> uuid.UUID:
    # Kept under its first name: the migrations that made Voter refer to it.
    return uuid.uuid4()


class Voter(models.Model):
    """Who has voted in a poll, without the choice or a time; nothing else records a vote."""

    id = models.UUIDField(primary_key=True, default=_random_ballot_id, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="voters")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "person"], name="voter_once_per_poll"),
        ]

    def __str__(self) -> str:
        return "A voter"


def attachment_file_name(instance, filename: str) -> str:
    """Never the uploader's name: a random one, with the extension of the type we detected."""
    extension = getattr(instance, "_detected_extension", "") or "bin"
    return f"discussions/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class Attachment(models.Model):
    """A file on a post, checked by `library.uploads` (content, not name) and stored under a
    generated name. Readers reach it only through the post (policy.post_scope)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_file_name, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    type_label = models.CharField(max_length=40)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("discussions:attachment", args=[self.pk])


class Subscription(models.Model):
    """Follows a space (new threads) or a thread (replies). Starting or replying subscribes."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_subscriptions"
    )
    space = models.ForeignKey(
        Space, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(space__isnull=False) & Q(thread__isnull=True))
                | (Q(space__isnull=True) & Q(thread__isnull=False)),
                name="subscription_to_a_space_or_a_thread",
            ),
            models.UniqueConstraint(fields=["person", "space"], name="subscription_space_once"),
            models.UniqueConstraint(fields=["person", "thread"], name="subscription_thread_once"),
        ]

    def __str__(self) -> str:
        return f"Subscription of person {self.person_id}"
