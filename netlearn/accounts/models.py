import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    STAFF = "staff", "School staff"
    PUPIL = "pupil", "Pupil"
    PARTNER = "partner", "External partner"
    # Invited by a school's staff; sees only the parent and whānau spaces of that school.
    PARENT = "parent", "Parent or whānau"


class PartnerOrganisation(models.TextChoices):
    NONE = "", "—"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    UNIVERSITY = "university", "University"
    CRITICAL_FRIEND = "critical_friend", "Critical friend"
    OTHER = "other", "Other organisation"


class PersonManager(UserManager):
    def create_user(self, username, email=None, password=None, **extra_fields):
        # Pupils need no email; store a missing one as an empty string, not NULL.
        return super().create_user(username, email or "", password, **extra_fields)


class Expertise(models.Model):
    """A tag on the expertise directory: 'the unseen host of colleagues'."""

    name = models.CharField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "expertise"

    def __str__(self) -> str:
        return self.name


class Person(AbstractUser):
    """Anyone who signs in: school staff, pupils (minimal data) and external partners."""

    first_name = None
    last_name = None
    name = models.CharField(max_length=150)
    email = models.EmailField(blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STAFF)
    organisation = models.CharField(
        max_length=20,
        choices=PartnerOrganisation.choices,
        blank=True,
        help_text=_("For external partners: whom they work for."),
    )
    organisation_name = models.CharField(max_length=150, blank=True)
    bio = models.TextField(max_length=1000, blank=True)
    expertise = models.ManyToManyField(Expertise, blank=True, related_name="people")
    # A pupil belongs to one school; the school model lives in the networks app.
    pupil_school = models.ForeignKey(
        "networks.School",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pupils",
    )
    # The language of their pages; blank: their network's (netlearn/core/languages.py).
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, blank=True)
    is_demo = models.BooleanField(default=False, help_text=_("Fictional person made by the demo."))
    # Set by personal_data.erase_person: the row stays, holding nothing about them, so that the
    # network's records that name them as author or attendee still load (docs/architecture.md).
    erased_at = models.DateTimeField(null=True, blank=True)
    # Raised by "sign out everywhere": every session signed in before it stops at its next
    # request (Django checks the session's hash of the account on each request: no query more).
    session_epoch = models.PositiveIntegerField(default=0)

    objects = PersonManager()
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["name"]
        verbose_name = "person"
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                "email", condition=~Q(email=""), name="person_email_unique_when_given"
            ),
            models.CheckConstraint(
                condition=Q(kind="pupil") | Q(pupil_school__isnull=True),
                name="person_only_pupils_have_pupil_school",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.username

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.username

    def _get_session_auth_hash(self, secret=None):
        if not self.session_epoch:
            # Until someone first signs out everywhere, Django's own hash: sessions signed in
            # before the epoch existed stay signed in.
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "netlearn.accounts.Person.session_epoch",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def is_pupil(self) -> bool:
        return self.kind == Kind.PUPIL

    @property
    def is_partner(self) -> bool:
        return self.kind == Kind.PARTNER


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class AccessTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
        )


class AccessToken(models.Model):
    """A personal access token for the API. Only its hash is stored; the secret is shown once."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(max_length=100, help_text=_("What the token is for, e.g. 'MIS sync'."))
    prefix = models.CharField(max_length=12, help_text=_("The first characters, to recognise it."))
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()


class SignedInSession(models.Model):
    """One sign-in through the sign-in page: which device, when, and its session, so a person
    can see where they are signed in and end a session they do not recognise.

    `session_key` is the key Django's session table already holds; `epoch` the person's
    `session_epoch` at sign-in, so sessions ended everywhere no longer show."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    epoch = models.PositiveIntegerField(default=0)
    device = models.CharField(max_length=100, blank=True)
    signed_in_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-signed_in_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.device or 'A browser'}, {self.signed_in_at:%Y-%m-%d %H:%M}"
