"""Who is in which network, in which school, in which role."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from netlearn.core.money import Currency
from netlearn.core.reach import ReachQuerySet


class Country(models.TextChoices):
    ENGLAND = "ENG", gettext_lazy("England")
    NEW_ZEALAND = "NZ", gettext_lazy("New Zealand")


class Phase(models.TextChoices):
    EARLY_LEARNING = "early_learning", gettext_lazy("Early learning")
    INFANT = "infant", gettext_lazy("Infant")
    PRIMARY = "primary", gettext_lazy("Primary")
    JUNIOR = "junior", gettext_lazy("Junior")
    MIDDLE = "middle", gettext_lazy("Middle")
    SECONDARY = "secondary", gettext_lazy("Secondary")
    ALL_THROUGH = "all_through", gettext_lazy("All-through")
    SPECIAL = "special", gettext_lazy("Special")
    COLLEGE = "college", gettext_lazy("College / FE")


class Setting(models.TextChoices):
    URBAN = "urban", gettext_lazy("Urban")
    RURAL = "rural", gettext_lazy("Rural")


class CurrentQuerySet(models.QuerySet):
    """Rows with a start and an optional end date; current means not yet ended today."""

    start_field = "started"
    end_field = "ended"

    def current(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(**{f"{self.start_field}__lte": on}).filter(
            Q(**{f"{self.end_field}__isnull": True}) | Q(**{f"{self.end_field}__gt": on})
        )


class School(models.Model):
    name = models.CharField(max_length=200)
    country = models.CharField(max_length=3, choices=Country.choices, default=Country.ENGLAND)
    reference = models.CharField(
        max_length=20,
        blank=True,
        help_text=gettext_lazy("England: the URN. New Zealand: the Ministry's school number."),
    )
    phase = models.CharField(max_length=20, choices=Phase.choices, blank=True)
    establishment_type = models.CharField("type", max_length=120, blank=True)
    authority = models.CharField(
        max_length=120,
        blank=True,
        help_text=gettext_lazy("Local authority (England) or region (New Zealand)."),
    )
    setting = models.CharField("urban or rural", max_length=10, choices=Setting.choices, blank=True)
    roll = models.PositiveIntegerField("number on roll", null=True, blank=True)
    fsm_percent = models.DecimalField(
        "FSM %",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=gettext_lazy("Pupils eligible for free school meals (England)."),
    )
    equity_index = models.PositiveSmallIntegerField(
        "Equity Index",
        null=True,
        blank=True,
        help_text=gettext_lazy(
            "New Zealand's Equity Index (EQI): higher means more socio-economic barriers."
        ),
    )
    sen_percent = models.DecimalField(
        "SEN %",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=gettext_lazy("Pupils with special educational needs."),
    )
    website = models.URLField(blank=True)
    is_closed = models.BooleanField(
        "closed",
        default=False,
        help_text=gettext_lazy("The official list says the school has closed."),
    )
    # A closure or an amalgamation recorded on Netlearn (docs/school-changes.md): the day the school
    # closed, and the school it was amalgamated into, which now holds its records.
    closed_on = models.DateField(null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessor_schools",
        help_text=gettext_lazy("The school this one was amalgamated into."),
    )
    is_demo = models.BooleanField(
        default=False, help_text=gettext_lazy("Fictional school made by the demo.")
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Single sign-on (docs/operations.md#single-sign-on), set by the school's lead: its staff may
    # then no longer sign in with a password; its pupils may sign in through the school's
    # provider once they have linked it.
    sso_required = models.BooleanField(
        "staff must use single sign-on",
        default=False,
        help_text=gettext_lazy("Password sign-in is refused for the school's staff."),
    )
    pupils_use_sso = models.BooleanField(
        "pupils may use single sign-on",
        default=False,
        help_text=gettext_lazy("Pupils may link their school account and sign in with it."),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "reference"],
                condition=~Q(reference=""),
                name="school_reference_unique_per_country",
            ),
            models.CheckConstraint(
                condition=Q(fsm_percent__isnull=True) | Q(fsm_percent__gte=0, fsm_percent__lte=100),
                name="school_fsm_percent_in_range",
            ),
            models.CheckConstraint(
                condition=Q(sen_percent__isnull=True) | Q(sen_percent__gte=0, sen_percent__lte=100),
                name="school_sen_percent_in_range",
            ),
        ]
        indexes = [models.Index(fields=["authority"]), models.Index(fields=["phase"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:school", args=[self.pk])

    @property
    def reference_label(self) -> str:
        return "School number" if self.country == Country.NEW_ZEALAND else "URN"


# What a school's lead may keep up to date; the country and identifier come from official lists.
SCHOOL_PROFILE_FIELDS = (
    "name",
    "phase",
    "establishment_type",
    "authority",
    "setting",
    "roll",
    "fsm_percent",
    "equity_index",
    "sen_percent",
    "website",
)


class NetworkKind(models.TextChoices):
    NLC = "nlc", gettext_lazy("Networked Learning Community")
    FEDERATION = "federation", gettext_lazy("Federation")
    COLLABORATIVE = "collaborative", gettext_lazy("Collaborative")
    CLUSTER = "cluster", gettext_lazy("Cluster")
    KAHUI_AKO = "kahui_ako", gettext_lazy("Kāhui Ako (Community of Learning)")
    ACTION_ZONE = "action_zone", gettext_lazy("Education Action Zone")
    OTHER = "other", gettext_lazy("Other")


class Network(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=NetworkKind.choices, default=NetworkKind.NLC)
    country = models.CharField(max_length=3, choices=Country.choices, default=Country.ENGLAND)
    # Every amount of the network's budgets is in this one currency (netlearn/core/money.py).
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.GBP)
    # The language its people's pages are in unless they choose their own; blank: the country's
    # (networks/country.py).
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=gettext_lazy(
            "Blank: the country's language (English of the UK or of New Zealand)."
        ),
    )
    description = models.TextField(blank=True)
    founded = models.DateField(null=True, blank=True)
    schools = models.ManyToManyField(School, through="NetworkMembership", related_name="networks")
    is_demo = models.BooleanField(
        default=False, help_text=gettext_lazy("Fictional network made by the demo.")
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:home", args=[self.slug])


class MembershipQuerySet(ReachQuerySet, CurrentQuerySet):
    start_field = "joined"
    end_field = "left"


class NetworkMembership(models.Model):
    """A school's membership of a network. A school may be in several networks."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    joined = models.DateField(default=timezone.localdate)
    left = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["school__name", "-joined"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "school"],
                condition=Q(left__isnull=True),
                name="membership_one_open_per_school",
            ),
            models.CheckConstraint(
                condition=Q(left__isnull=True) | Q(left__gte=models.F("joined")),
                name="membership_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} in {self.network}"


class PostLevel(models.TextChoices):
    """The level a post sits at; steering groups record which level each member represents."""

    HEAD = "head", gettext_lazy("Headteacher / principal")
    SENIOR = "senior", gettext_lazy("Senior leader")
    MIDDLE = "middle", gettext_lazy("Middle leader")
    TEACHER = "teacher", gettext_lazy("Teacher")
    SUPPORT = "support", gettext_lazy("Support staff")
    GOVERNOR = "governor", gettext_lazy("Governor / trustee")
    PUPIL = "pupil", gettext_lazy("Pupil")
    PARENT = "parent", gettext_lazy("Parent / whānau")
    OTHER = "other", gettext_lazy("Other")


SENIOR_LEVELS = (PostLevel.HEAD, PostLevel.SENIOR)


class StaffPostQuerySet(ReachQuerySet, CurrentQuerySet):
    pass


class StaffPost(models.Model):
    """A person's job at a school. A person may hold posts at several schools."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_posts"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="staff_posts")
    job_title = models.CharField(max_length=120)
    level = models.CharField(max_length=10, choices=PostLevel.choices, default=PostLevel.TEACHER)
    leads_school = models.BooleanField(
        default=False,
        help_text=gettext_lazy(
            "The school's lead in its networks (usually the head): signs off for the school."
        ),
    )
    started = models.DateField(default=timezone.localdate)
    ended = models.DateField(null=True, blank=True)

    objects = StaffPostQuerySet.as_manager()

    class Meta:
        ordering = ["school__name", "job_title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended__isnull=True) | Q(ended__gte=models.F("started")),
                name="staff_post_ended_after_started",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job_title}, {self.school}"

    @property
    def is_senior(self) -> bool:
        return self.level in SENIOR_LEVELS


class Role(models.TextChoices):
    CO_LEADER = "co_leader", gettext_lazy("Co-leader")
    CO_ORDINATOR = "co_ordinator", gettext_lazy("Network co-ordinator / lead learner")
    FACILITATOR = "facilitator", gettext_lazy("Facilitator / critical friend")
    COACH = "coach", gettext_lazy("Coach")
    MENTOR = "mentor", gettext_lazy("Mentor")
    TEACHER_RESEARCHER = "teacher_researcher", gettext_lazy("Teacher-researcher")
    ACROSS_COMMUNITY_TEACHER = "across_community_teacher", gettext_lazy("Across-community teacher")
    DATA_LEAD = "data_lead", gettext_lazy("Data lead")
    SAFEGUARDING_LEAD = "safeguarding_lead", gettext_lazy("Safeguarding lead")
    MEMBER = "member", gettext_lazy("Member")


# Every role but plain membership is a share of leadership:
# docs/seed-practices.md#distributed-leadership.
LEADING_ROLES = tuple(role for role in Role if role != Role.MEMBER)


class NetworkRoleQuerySet(ReachQuerySet, CurrentQuerySet):
    pass


class NetworkRole(models.Model):
    """A role a person holds in a network, with its history. One person may hold several."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="roles")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_roles"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    school = models.ForeignKey(
        School,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="network_roles",
        help_text=gettext_lazy(
            "The school the role is held for, e.g. a lead learner's own school."
        ),
    )
    started = models.DateField(default=timezone.localdate)
    ended = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    objects = NetworkRoleQuerySet.as_manager()

    class Meta:
        ordering = ["role", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "person", "role"],
                condition=Q(ended__isnull=True),
                name="network_role_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=Q(ended__isnull=True) | Q(ended__gte=models.F("started")),
                name="network_role_ended_after_started",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}, {self.network}"


class GroupKind(models.TextChoices):
    HEADTEACHER = "headteacher", gettext_lazy("Headteacher group")
    STEERING = "steering", gettext_lazy("Steering group")
    LEAD_LEARNERS = "lead_learners", gettext_lazy("Lead learners")
    DEVELOPMENT = "development", gettext_lazy("Development group")
    TRIAD = "triad", gettext_lazy("Triad")
    SCHOOL_SUBGROUP = "school_subgroup", gettext_lazy("Sub-group of schools")
    PUPIL_COUNCIL = "pupil_council", gettext_lazy("Pupil council")
    OTHER = "other", gettext_lazy("Other")


class Group(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=GroupKind.choices, default=GroupKind.OTHER)
    purpose = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "name"], name="group_name_unique_in_network"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:group", args=[self.network.slug, self.pk])


class GroupMember(models.Model):
    """A person or a whole school in a group."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="group_memberships",
    )
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="group_memberships"
    )
    represents = models.CharField(
        max_length=10,
        choices=PostLevel.choices,
        blank=True,
        help_text=gettext_lazy("Steering groups: the level this member represents."),
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(school__isnull=True))
                | (Q(person__isnull=True) & Q(school__isnull=False)),
                name="group_member_is_person_or_school",
            ),
            models.UniqueConstraint(fields=["group", "person"], name="group_member_person_once"),
            models.UniqueConstraint(fields=["group", "school"], name="group_member_school_once"),
        ]

    def __str__(self) -> str:
        return str(self.person or self.school)


# Roles that open pupils' records, safeguarding reports or the running of a network: giving one
# takes two people, is logged and is told to every co-leader (docs: threat model, "two people").
SENSITIVE_ROLES = (Role.CO_LEADER, Role.DATA_LEAD, Role.SAFEGUARDING_LEAD)
# Not a network role: a proposal for it has no network, and only site admins decide it.
SITE_ADMIN = "site_admin"


class ProposedRole(models.TextChoices):
    CO_LEADER = Role.CO_LEADER.value, Role.CO_LEADER.label
    DATA_LEAD = Role.DATA_LEAD.value, Role.DATA_LEAD.label
    SAFEGUARDING_LEAD = Role.SAFEGUARDING_LEAD.value, Role.SAFEGUARDING_LEAD.label
    SITE_ADMIN = SITE_ADMIN, gettext_lazy("Site admin")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("Waiting for a second person")
    APPROVED = "approved", gettext_lazy("Approved")
    REFUSED = "refused", gettext_lazy("Refused")


class RoleProposal(models.Model):
    """A sensitive role somebody proposed; it gives nothing until a second person approves it."""

    network = models.ForeignKey(
        Network,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_proposals",
        help_text=gettext_lazy("Empty for a proposed site admin."),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_proposals"
    )
    role = models.CharField(max_length=30, choices=ProposedRole.choices)
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="role_proposals_made",
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="role_proposals_decided",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "person", "role"],
                condition=Q(status="pending"),
                name="role_proposal_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(role=SITE_ADMIN, network__isnull=True)
                | (~Q(role=SITE_ADMIN) & Q(network__isnull=False)),
                name="role_proposal_network_unless_site_admin",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} for {self.person}"

    @property
    def is_pending(self) -> bool:
        return self.status == ProposalStatus.PENDING


class AuditAction(models.TextChoices):
    PROPOSED = "proposed", gettext_lazy("Proposed")
    APPROVED = "approved", gettext_lazy("Approved")
    REFUSED = "refused", gettext_lazy("Refused")
    GRANTED = "granted", gettext_lazy("Granted")


class RoleAuditEntry(models.Model):
    """Append-only: who proposed, approved, refused or gave which role to whom, and when."""

    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    role = models.CharField(max_length=30)
    network = models.ForeignKey(
        Network, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="role_audit_entries",
        help_text=gettext_lazy("Whom the role is for."),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="role_audit_actions",
        help_text=gettext_lazy("Who acted; empty for the demo, imports and the command line."),
    )
    proposal = models.ForeignKey(
        RoleProposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit"
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "role audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.role}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The role audit log is append-only.")
        super().save(*args, **kwargs)


class InvitationStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("Waiting for an answer")
    ACCEPTED = "accepted", gettext_lazy("Accepted")
    DECLINED = "declined", gettext_lazy("Declined")
    REVOKED = "revoked", gettext_lazy("Withdrawn by the school")


def invitation_expiry():
    return timezone.now() + datetime.timedelta(days=settings.STAFF_INVITATION_DAYS)


class StaffInvitation(models.Model):
    """A school's offer of a post to someone who already has an account; nothing until accepted."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="staff_invitations")
    # Nobody when the address typed cannot take a post (a pupil's or a parent's, or someone
    # already invited): the row still shows the school as sent, so its list never tells its
    # staff whose address it was; it reaches no one and lapses.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="staff_invitations",
    )
    # What the school typed: its list shows these, never the account's own name.
    invited_name = models.CharField(max_length=150, blank=True)
    invited_email = models.EmailField(blank=True)
    job_title = models.CharField(max_length=120)
    level = models.CharField(max_length=10, choices=PostLevel.choices, default=PostLevel.TEACHER)
    leads_school = models.BooleanField(default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="staff_invitations_sent",
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # A pending invitation lapses unanswered; the school may send it again, which renews it.
    expires_at = models.DateTimeField(default=invitation_expiry)
    sent_at = models.DateTimeField(null=True, blank=True)
    times_sent = models.PositiveSmallIntegerField(default=0)
    # Groups of the school's networks the person joins on accepting, chosen by an inviter who
    # may manage them.
    groups = models.ManyToManyField("Group", blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "person"],
                condition=Q(status="pending"),
                name="staff_invitation_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job_title} at {self.school}"

    @property
    def is_expired(self) -> bool:
        return self.status == InvitationStatus.PENDING and self.expires_at <= timezone.now()

    @property
    def state(self) -> str:
        return "Expired" if self.is_expired else self.get_status_display()


class SchoolEmailDomain(models.Model):
    """An email domain the school's lead says belongs to the school: a single sign-on from an
    address there, verified by the provider, is linked to the person with that address or
    waits in the school's join queue (docs/threat-model.md, "single sign-on")."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="email_domains")
    # Lower case, no "@"; one school per domain, so that a sign-in has one school to ask.
    domain = models.CharField(max_length=253, unique=True)
    for_pupils = models.BooleanField(
        default=False,
        help_text=gettext_lazy(
            "Pupils' accounts: a sign-in from here never joins the staff queue."
        ),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("Waiting for the school's lead")
    APPROVED = "approved", gettext_lazy("Approved")
    DECLINED = "declined", gettext_lazy("Declined")


class JoinRequest(models.Model):
    """Somebody who signed in through single sign-on from the school's domain with no account
    yet: they hold an account with no post, so they see nothing of any network, until the
    school's lead approves (a post begins) or declines (the account is closed)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="join_requests")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    # As the provider gave them, for the lead to recognise the colleague.
    name = models.CharField(max_length=150)
    email = models.EmailField()
    provider = models.CharField(max_length=100)
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "person"],
                condition=Q(status="pending"),
                name="join_request_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} asks to join {self.school}"


class SchoolChangeKind(models.TextChoices):
    CLOSURE = "closure", gettext_lazy("Closure")
    AMALGAMATION = "amalgamation", gettext_lazy("Amalgamation")


class SchoolChange(models.Model):
    """A school's closure, or schools amalgamated into one: kept as the schools' history.

    For a closure, `school` is the school that closed and `predecessors` is empty. For an
    amalgamation, `school` is the school formed (or the continuing school) and `predecessors`
    the schools that closed into it; `carried` says how many rows of each kind moved
    ("<app>.<model>.<field>" → {"moved": n, "kept": n}; kept: left with the predecessor because
    the school already held the same record, docs/school-changes.md#collisions).
    """

    kind = models.CharField(max_length=20, choices=SchoolChangeKind.choices)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="changes")
    predecessors = models.ManyToManyField(School, blank=True, related_name="+")
    formed_new = models.BooleanField(
        default=False,
        help_text=gettext_lazy("The amalgamation formed a new school (not a continuing one)."),
    )
    on = models.DateField()
    reason = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=gettext_lazy("Who recorded it; empty for the demo and the command line."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    carried = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.school} on {self.on:%Y-%m-%d}"
