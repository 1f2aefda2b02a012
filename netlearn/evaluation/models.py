"""Programmes that evaluate networks: who evaluates, and which networks consented to be evaluated.

A programme (the national NLC programme, a local authority's networks, a Kāhui Ako region) groups
networks so that its evaluators see them side by side (issue 17, item 5). A network belongs to a
programme only while one of its co-leaders' consent stands: an invitation by an evaluator is no
membership, and a withdrawal ends it at once. Evaluators are appointed by a site admin for dates.
Nothing here holds pupil data or any network's content: evaluators read it through the owning
apps' selectors.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from netlearn.core.reach import ReachQuerySet


class NetworkProgramme(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(ReachQuerySet):
    def consented(self):
        """Memberships in force: a co-leader consented and nobody has withdrawn since."""
        return self.filter(consented_at__isnull=False, withdrawn_at__isnull=True)


class ProgrammeMembership(models.Model):
    """A network's place in a programme: invited by an evaluator, consented to by a co-leader.

    Withdrawn memberships are kept (who withdrew, when) and a new invitation makes a new row: the
    record of consent is never rewritten.
    """

    programme = models.ForeignKey(
        NetworkProgramme, on_delete=models.CASCADE, related_name="memberships"
    )
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="programme_memberships"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    consented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consented_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "network__name"]
        constraints = [
            # One open invitation or consent per network and programme at a time.
            models.UniqueConstraint(
                fields=["programme", "network"],
                condition=Q(withdrawn_at__isnull=True),
                name="evaluation_one_open_membership",
            ),
            models.CheckConstraint(
                condition=Q(consented_at__isnull=True) | Q(consented_by__isnull=False),
                name="evaluation_consent_names_a_co_leader",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.network} in {self.programme}"

    @property
    def is_consented(self) -> bool:
        return self.consented_at is not None and self.withdrawn_at is None


class EvaluatorQuerySet(ReachQuerySet):
    def current(self, today=None):
        today = today or timezone.localdate()
        return self.filter(starts_on__lte=today).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today)
        )


class Evaluator(models.Model):
    """A person who evaluates a programme's networks between two dates (a role of the programme,
    not of any network: it gives no membership of a network)."""

    programme = models.ForeignKey(
        NetworkProgramme, on_delete=models.CASCADE, related_name="evaluators"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evaluator_posts"
    )
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = EvaluatorQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="evaluation_evaluator_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} evaluates {self.programme}"
