"""Group decisions: proposals a network's group decides, their revisions, positions and ballots.

A proposal belongs to a network and to the group whose members decide it (a headteacher group, a
steering group: `networks.Group`). Open proposals record each member's position by name, because
a staff group decides in the open (docs/seed-practices.md: "transparency of decisions"). Secret
proposals keep who voted (`Voter`) apart from what was voted (`BallotBox`): see `BallotBox`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Method(models.TextChoices):
    CONSENT = "consent", _("Consent")
    VOTE = "vote", _("Simple vote")
    RANKED = "ranked", _("Ranked choice (instant-runoff)")
    SCORE = "score", _("Score (0 to 5)")
    TIME_POLL = "time_poll", _("Time poll for a meeting")


# Consent and time polls are decided by name: a block is resolved by talking to whoever blocked,
# and a meeting time by who can come. Only these methods may be secret.
SECRET_METHODS = (Method.VOTE, Method.RANKED, Method.SCORE)
# Methods that need options to choose between.
OPTION_METHODS = (Method.VOTE, Method.RANKED, Method.SCORE, Method.TIME_POLL)
MAX_SCORE = 5


class Stance(models.TextChoices):
    AGREE = "agree", _("Agree")
    ABSTAIN = "abstain", _("Stand aside")
    DISAGREE = "disagree", _("Disagree (but will not block)")
    BLOCK = "block", _("Block")


# A reason is asked of anyone who does not simply agree: a block without one cannot be answered.
STANCES_NEEDING_REASON = (Stance.BLOCK,)


class ConsentRule(models.TextChoices):
    NO_BLOCKS = "no_blocks", _("Consented when nobody blocks")
    NO_BLOCKS_AND_QUORUM = (
        "no_blocks_quorum",
        _("Consented when nobody blocks and a quorum took part"),
    )


class GroupRule(models.Model):
    """How a group's consent proposals are decided; a group without one uses "no blocks"."""

    group = models.OneToOneField(
        "networks.Group", on_delete=models.CASCADE, related_name="decision_rule"
    )
    consent_rule = models.CharField(
        max_length=20, choices=ConsentRule.choices, default=ConsentRule.NO_BLOCKS
    )
    quorum_percent = models.PositiveSmallIntegerField(
        default=50, help_text=_("Share of the group's members who must give a position (1–100).")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_percent__gte=1, quorum_percent__lte=100),
                name="decision_rule_quorum_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_consent_rule_display()} ({self.group})"


class Outcome(models.TextChoices):
    CONSENTED = "consented", _("Consented")
    BLOCKED = "blocked", _("Blocked")
    NO_QUORUM = "no_quorum", _("No quorum")
    CHOSEN = "chosen", _("Decided")
    TIED = "tied", _("Tied")
    NO_VOTES = "no_votes", _("Nobody took part")
    REVISED = "revised", _("Revised")


class Proposal(models.Model):
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="proposals"
    )
    group = models.ForeignKey(
        "networks.Group",
        on_delete=models.CASCADE,
        related_name="proposals",
        help_text=_("The group whose members decide."),
    )
    title = models.CharField(max_length=200)
    method = models.CharField(max_length=12, choices=Method.choices, default=Method.CONSENT)
    is_secret = models.BooleanField(
        "secret ballot",
        default=False,
        help_text=_("Ballots are kept apart from who voted; results show only after closing."),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    current_revision = models.ForeignKey(
        "Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    outcome_summary = models.CharField(max_length=500, blank=True)
    result = models.JSONField(default=dict, blank=True, help_text=_("The count, fixed at closing."))
    # Where the decision belongs in the network's record: the meeting where it was taken (its
    # page lists it beside the minutes) and whether it concerns the charter (listed there).
    activity = models.ForeignKey(
        "activities.Activity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="decided at",
    )
    concerns_charter = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["closed_at", "closes_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_secret=False) | Q(method__in=[m.value for m in SECRET_METHODS]),
                name="decision_secret_only_for_ballots",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("decisions:proposal", args=[self.network.slug, self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def is_past_closing(self, now=None) -> bool:
        return self.closes_at <= (now or timezone.now())


class Revision(models.Model):
    """The text the group decides on. Revising a blocked proposal starts a new revision, and
    positions start again; earlier revisions and their positions are kept as its history."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField(max_length=20000)
    change_note = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["proposal", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "number"], name="decision_revision_number_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} (revision {self.number})"


class Option(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    starts_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Time polls: when the meeting would start.")
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class Position(models.Model):
    """A member's open, named position on a revision: their stance (consent) or their choice.

    `choice` holds the option ids: one (vote), all in order of preference (ranked), the ones
    they can come to (time poll); `scores` maps option id to a score (score).
    """

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="positions")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="decision_positions"
    )
    stance = models.CharField(max_length=10, choices=Stance.choices, blank=True)
    reason = models.TextField(max_length=5000, blank=True)
    choice = models.JSONField(default=list, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "person"], name="decision_position_once_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.revision}"


def _random_id() -> uuid.UUID:
    return uuid.uuid4()


class Voter(models.Model):
    """Who has cast a secret ballot, without the ballot or a time: nothing else records it."""

    id = models.UUIDField(primary_key=True, default=_random_id, editable=False)
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="voters")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["revision", "person"], name="decision_voter_once"),
        ]

    def __str__(self) -> str:
        return "A voter"


class BallotBox(models.Model):
    """The secret ballots of a revision, as one sorted list in one row.

    Not a row per ballot: a ballot row is written next to its voter's row, and its place (SQLite
    rowid, PostgreSQL xmin and ctid, row order) would link the two, as with pupil polls'
    tallies (discussions.PollOption). Every ballot rewrites this one row, and the list is kept
    sorted, so what is stored says how many chose what and nothing of the order they came in.
    """

    revision = models.OneToOneField(Revision, on_delete=models.CASCADE, related_name="ballot_box")
    ballots = models.JSONField(default=list, editable=False)

    def __str__(self) -> str:
        return "A ballot box"
