"""Writes to networks, schools, roles and groups. Each service checks the policy itself."""

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from netlearn.accounts import selectors as account_selectors
from netlearn.accounts import services as account_services
from netlearn.accounts.errors import AccountError
from netlearn.accounts.models import Kind
from netlearn.core.deferred import after_commit
from netlearn.core.policy import require
from netlearn.notifications.models import NotificationKind
from netlearn.notifications.services import notify

from . import policy
from .access import forget_access
from .errors import (
    AlreadyHoldsRole,
    AlreadyMember,
    GroupRuleBroken,
    InvalidDates,
    InvitationClosed,
    NeedsSecondPerson,
    NetworkError,
    NotInNetwork,
    ProposalClosed,
)
from .imports import Problem, SchoolFile, SchoolFileRefused, parse_school_file, read_limited
from .models import (
    SCHOOL_PROFILE_FIELDS,
    SITE_ADMIN,
    AuditAction,
    Country,
    Group,
    GroupKind,
    GroupMember,
    InvitationStatus,
    Network,
    NetworkMembership,
    NetworkRole,
    ProposalStatus,
    Role,
    RoleAuditEntry,
    RoleProposal,
    School,
    StaffInvitation,
    StaffPost,
)

TRIAD_SIZE = 3


def _today() -> datetime.date:
    return timezone.localdate()


@transaction.atomic
def add_school_to_network(
    *, network: Network, school: School, by, joined: datetime.date | None = None
) -> NetworkMembership:
    require(policy.can_manage_network(by, network))
    if NetworkMembership.objects.filter(network=network, school=school, left__isnull=True).exists():
        raise AlreadyMember(f"{school} is already a member of {network}.")
    membership = NetworkMembership.objects.create(
        network=network, school=school, joined=joined or _today()
    )
    forget_access(by)
    return membership


@transaction.atomic
def end_school_membership(
    *, membership: NetworkMembership, by, left: datetime.date | None = None
) -> NetworkMembership:
    require(policy.can_manage_network(by, membership.network))
    left = left or _today()
    if left < membership.joined:
        raise InvalidDates("A school cannot leave before it joined.")
    membership.left = left
    membership.save(update_fields=["left"])
    forget_access(by)
    return membership


def network_ids_of_person(person) -> set[int]:
    """Networks in which the person holds a role or works at a member school today."""
    role_networks = (
        NetworkRole.objects.current().filter(person=person).values_list("network_id", flat=True)
    )
    post_schools = StaffPost.objects.current().filter(person=person).values("school_id")
    school_networks = (
        NetworkMembership.objects.current()
        .filter(school_id__in=post_schools)
        .values_list("network_id", flat=True)
    )
    return set(role_networks) | set(school_networks)


def _check_role_candidate(
    *, network: Network, person, role: str, by, school: School | None
) -> None:
    if person.is_pupil:
        raise NotInNetwork("Pupils cannot hold network roles.")
    if (
        by is not None
        and not type(person).objects.filter(policy.people_scope(by), pk=person.pk).exists()
    ):
        # A co-leader gives roles to people they already work with, never to strangers.
        raise NotInNetwork(f"{person} is not in any network of yours.")
    if NetworkRole.objects.filter(
        network=network, person=person, role=role, ended__isnull=True
    ).exists():
        raise AlreadyHoldsRole(f"{person} already holds that role in {network}.")
    if (
        school is not None
        and not NetworkMembership.objects.current().filter(network=network, school=school).exists()
    ):
        raise NotInNetwork(f"{school} is not a member of {network}.")


def _audit(*, action: str, role: str, person, by, network=None, proposal=None) -> None:
    RoleAuditEntry.objects.create(
        action=action,
        role=role,
        network=network,
        person=person,
        actor=by,
        proposal=proposal,
    )


@transaction.atomic
def assign_role(
    *,
    network: Network,
    person,
    role: str,
    by,
    school: School | None = None,
    started: datetime.date | None = None,
    note: str = "",
) -> NetworkRole:
    """Gives a role at once. A sensitive role is refused here: it is proposed (`propose_role`)
    and a second person approves it. `by=None` is for trusted callers (the demo, test worlds)."""
    if by is not None:
        require(policy.can_manage_network(by, network))
        if policy.is_sensitive_role(role):
            raise NeedsSecondPerson(
                f"{Role(role).label} takes two people: propose it, and another co-leader "
                "or a site admin approves it."
            )
    _check_role_candidate(network=network, person=person, role=role, by=by, school=school)
    network_role = NetworkRole.objects.create(
        network=network,
        person=person,
        role=role,
        school=school,
        started=started or _today(),
        note=note,
    )
    _audit(action=AuditAction.GRANTED, role=role, person=person, by=by, network=network)
    forget_access(person)
    return network_role


def _co_leaders_of(network: Network) -> list:
    ids = (
        NetworkRole.objects.current()
        .filter(network=network, role=Role.CO_LEADER)
        .values("person_id")
    )
    return list(account_selectors.active_people(ids=ids))


def _tell_about(proposal: RoleProposal, what: str) -> None:
    """Every co-leader of the network (every site admin, for a site admin) is told at once.

    The text names the role and the people, which every co-leader may already see on the roles
    page; it goes by email straight away whatever their digest choice, as a safeguarding report
    does, because a role granted behind their back is what this guards against.
    """
    if proposal.role == SITE_ADMIN:
        recipients = list(account_selectors.site_admins())
        url = reverse("networks:role_proposal", args=[proposal.pk])
        where = "Netlearn"
    else:
        recipients = _co_leaders_of(proposal.network)
        url = reverse("networks:role_proposal", args=[proposal.pk])
        where = proposal.network.name
    notify(
        recipients=recipients,
        kind=NotificationKind.MODERATION,
        text=f"{where}: {what}",
        url=url,
        urgent=True,
    )


def _lock_person(person) -> None:
    # Two co-leaders proposing the same person at once: the second waits and sees the first.
    type(person).objects.select_for_update().filter(pk=person.pk).first()


@transaction.atomic
def propose_role(
    *,
    network: Network,
    person,
    role: str,
    by,
    school: School | None = None,
    started: datetime.date | None = None,
    note: str = "",
) -> RoleProposal:
    """Proposes a sensitive role. It gives nothing until a second person approves it."""
    require(policy.can_propose_role(by, role, network))
    if role == SITE_ADMIN:
        raise NetworkError("A site admin belongs to no network: propose them as a site admin.")
    if not policy.is_sensitive_role(role):
        raise NetworkError(f"{Role(role).label} needs no second person: give it directly.")
    _lock_person(person)
    _check_role_candidate(network=network, person=person, role=role, by=by, school=school)
    if RoleProposal.objects.filter(
        network=network, person=person, role=role, status=ProposalStatus.PENDING
    ).exists():
        raise AlreadyHoldsRole(f"{person} has already been proposed for that role.")
    proposal = RoleProposal.objects.create(
        network=network,
        person=person,
        role=role,
        school=school,
        started=started,
        note=note,
        proposed_by=by,
    )
    _audit(
        action=AuditAction.PROPOSED,
        role=role,
        person=person,
        by=by,
        network=network,
        proposal=proposal,
    )
    _tell_about(
        proposal,
        f"{by.name} proposed {person.name} as {proposal.get_role_display()}; "
        "another co-leader or a site admin must approve it.",
    )
    return proposal


@transaction.atomic
def propose_site_admin(*, person, by) -> RoleProposal:
    """Proposes a site admin; another site admin approves it (docs: threat model)."""
    require(policy.can_propose_role(by, SITE_ADMIN))
    _lock_person(person)
    if person.kind not in (Kind.STAFF, Kind.PARTNER):
        raise NetworkError("Only staff and partners' accounts can become site admins.")
    if person.is_superuser:
        raise AlreadyHoldsRole(f"{person} is already a site admin.")
    if RoleProposal.objects.filter(
        network__isnull=True, person=person, role=SITE_ADMIN, status=ProposalStatus.PENDING
    ).exists():
        raise AlreadyHoldsRole(f"{person} has already been proposed as a site admin.")
    proposal = RoleProposal.objects.create(person=person, role=SITE_ADMIN, proposed_by=by)
    _audit(action=AuditAction.PROPOSED, role=SITE_ADMIN, person=person, by=by, proposal=proposal)
    _tell_about(
        proposal,
        f"{by.name} proposed {person.name} as a site admin; another site admin must approve it.",
    )
    return proposal


def _claim_pending(proposal: RoleProposal) -> RoleProposal:
    locked = RoleProposal.objects.select_for_update().get(pk=proposal.pk)
    if not locked.is_pending:
        raise ProposalClosed(
            f"This proposal has already been {locked.get_status_display().lower()}."
        )
    return locked


@transaction.atomic
def approve_role_proposal(*, proposal: RoleProposal, by) -> RoleProposal:
    """The second person's approval: only now is the role given."""
    proposal = _claim_pending(proposal)
    require(policy.can_decide_proposal(by, proposal))
    person = proposal.person
    if proposal.role == SITE_ADMIN:
        if not person.is_active or person.kind not in (Kind.STAFF, Kind.PARTNER):
            raise NetworkError("This account can no longer become a site admin.")
        person.is_superuser = True
        person.is_staff = True
        person.save(update_fields=["is_superuser", "is_staff"])
    else:
        _check_role_candidate(
            network=proposal.network,
            person=person,
            role=proposal.role,
            by=None,
            school=proposal.school,
        )
        NetworkRole.objects.create(
            network=proposal.network,
            person=person,
            role=proposal.role,
            school=proposal.school,
            started=proposal.started or _today(),
            note=proposal.note,
        )
    proposal.status = ProposalStatus.APPROVED
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
    _audit(
        action=AuditAction.APPROVED,
        role=proposal.role,
        person=person,
        by=by,
        network=proposal.network,
        proposal=proposal,
    )
    forget_access(person)
    _tell_about(
        proposal,
        f"{by.name} approved {person.name} as {proposal.get_role_display()} "
        f"(proposed by {proposal.proposed_by.name if proposal.proposed_by else 'Netlearn'}).",
    )
    return proposal


@transaction.atomic
def refuse_role_proposal(*, proposal: RoleProposal, by) -> RoleProposal:
    proposal = _claim_pending(proposal)
    require(policy.can_decide_proposal(by, proposal))
    proposal.status = ProposalStatus.REFUSED
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
    _audit(
        action=AuditAction.REFUSED,
        role=proposal.role,
        person=proposal.person,
        by=by,
        network=proposal.network,
        proposal=proposal,
    )
    _tell_about(
        proposal,
        f"{by.name} refused {proposal.person.name} as {proposal.get_role_display()}.",
    )
    return proposal


@transaction.atomic
def end_role(*, network_role: NetworkRole, by, ended: datetime.date | None = None) -> NetworkRole:
    require(policy.can_manage_network(by, network_role.network))
    ended = ended or _today()
    if ended < network_role.started:
        raise InvalidDates("A role cannot end before it started.")
    network_role.ended = ended
    network_role.save(update_fields=["ended"])
    forget_access(network_role.person)
    return network_role


@transaction.atomic
def add_staff_post(
    *,
    person,
    school: School,
    job_title: str,
    level: str,
    by=None,
    leads_school: bool = False,
    started: datetime.date | None = None,
) -> StaffPost:
    """Records a person's job at a school. `by=None` is for trusted callers (demo, admin)."""
    if by is not None:
        require(policy.can_change_school(by, school))
    post = StaffPost.objects.create(
        person=person,
        school=school,
        job_title=job_title,
        level=level,
        leads_school=leads_school,
        started=started or _today(),
    )
    forget_access(person)
    return post


# The same words whatever the address turned out to be: the school's lead must not learn
# whether an address has an account, nor whose it is (docs: threat model, "invitations").
STAFF_INVITATION_SENT = (
    "If {email} can be given a post at {school}, we have sent an invitation to it. "
    "The post begins when its owner accepts."
)


@transaction.atomic
def add_staff_member(
    *,
    school: School,
    by,
    name: str,
    email: str,
    job_title: str,
    level: str,
    leads_school: bool = False,
) -> StaffInvitation | None:
    """Invites a colleague to a post at the school; the post begins when they accept.

    A new address gets an account and the invitation; an existing account gets the invitation
    only, so nobody joins a school without saying yes. An address that cannot take the post (a
    pupil's or a parent's, or someone already working there or already invited) gets nothing.
    The caller answers the same in every case (`STAFF_INVITATION_SENT`), so returns only for
    tests and never reveals which case it was.
    """
    require(policy.can_manage_staff(by, school))
    email, job_title = email.strip(), job_title.strip()
    if not email or not name.strip() or not job_title:
        raise NetworkError("Give the colleague's name, email address and job title.")
    person = account_selectors.person_with_email(email)
    if person is None:
        try:
            person = account_services.invite_person(
                name=name, email=email, kind=Kind.STAFF, invited_by=by
            )
        except AccountError:
            # Only when the address was taken meanwhile: answer as for any other address.
            return None
    else:
        # A new account's password is hashed; hash one here too, so that the answer for a known
        # address does not come back noticeably sooner.
        make_password(secrets.token_urlsafe(16))
        if person.kind not in (Kind.STAFF, Kind.PARTNER) or not person.is_active:
            return None
        if StaffPost.objects.current().filter(person=person, school=school).exists():
            return None
    if StaffInvitation.objects.filter(
        school=school, person=person, status=InvitationStatus.PENDING
    ).exists():
        return None
    invitation = StaffInvitation.objects.create(
        school=school,
        person=person,
        job_title=job_title,
        level=level,
        leads_school=leads_school,
        invited_by=by,
    )
    after_commit("netlearn.networks.tasks.send_staff_invitation", invitation.pk)
    return invitation


def send_staff_invitation(*, invitation_id: int) -> None:
    invitation = (
        StaffInvitation.objects.select_related("school", "person", "invited_by")
        .filter(pk=invitation_id, status=InvitationStatus.PENDING)
        .first()
    )
    if invitation is None or not invitation.person.email:
        return
    context = {
        "invitation": invitation,
        "base_url": settings.SITE_URL.rstrip("/"),
        "url": reverse("networks:invitations"),
    }
    send_mail(
        subject=f"An invitation to join {invitation.school.name} on Netlearn",
        message=render_to_string("networks/staff_invitation_email.txt", context),
        from_email=None,
        recipient_list=[invitation.person.email],
    )


def _claim_invitation(invitation: StaffInvitation, by) -> StaffInvitation:
    locked = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
    require(policy.can_answer_invitation(by, locked))
    if locked.status != InvitationStatus.PENDING:
        raise InvitationClosed(
            f"You have already {locked.get_status_display().lower()} this invitation."
        )
    return locked


@transaction.atomic
def accept_staff_invitation(*, invitation: StaffInvitation, by) -> StaffPost:
    """The invited person says yes: only now do they hold the post."""
    invitation = _claim_invitation(invitation, by)
    invitation.status = InvitationStatus.ACCEPTED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    if StaffPost.objects.current().filter(person=by, school=invitation.school).exists():
        raise AlreadyMember(f"You already have a post at {invitation.school}.")
    return add_staff_post(
        person=by,
        school=invitation.school,
        job_title=invitation.job_title,
        level=invitation.level,
        leads_school=invitation.leads_school,
    )


@transaction.atomic
def decline_staff_invitation(*, invitation: StaffInvitation, by) -> StaffInvitation:
    invitation = _claim_invitation(invitation, by)
    invitation.status = InvitationStatus.DECLINED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    return invitation


@transaction.atomic
def end_staff_post(*, post: StaffPost, by, ended: datetime.date | None = None) -> StaffPost:
    require(policy.can_manage_staff(by, post.school))
    ended = ended or _today()
    if ended < post.started:
        raise InvalidDates("A post cannot end before it started.")
    post.ended = ended
    post.save(update_fields=["ended"])
    forget_access(post.person)
    return post


@transaction.atomic
def update_school(*, school: School, by, **fields) -> School:
    require(policy.can_change_school(by, school))
    unknown = set(fields) - set(SCHOOL_PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not a school field: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(school, name, value)
    school.full_clean()
    school.save()
    return school


@transaction.atomic
def create_group(*, network: Network, name: str, kind: str, by, purpose: str = "") -> Group:
    require(policy.can_manage_network(by, network))
    if Group.objects.filter(network=network, name__iexact=name.strip()).exists():
        raise GroupRuleBroken(f"{network} already has a group called “{name.strip()}”.")
    return Group.objects.create(network=network, name=name.strip(), kind=kind, purpose=purpose)


@transaction.atomic
def update_group(*, group: Group, by, name: str, kind: str, purpose: str) -> Group:
    require(policy.can_manage_group(by, group))
    clash = Group.objects.filter(network_id=group.network_id, name__iexact=name.strip()).exclude(
        pk=group.pk
    )
    if clash.exists():
        raise GroupRuleBroken(f"The network already has a group called “{name.strip()}”.")
    if kind == GroupKind.TRIAD and group.members.filter(school__isnull=False).exists():
        raise GroupRuleBroken("A triad holds people, not schools: remove the schools first.")
    group.name, group.kind, group.purpose = name.strip(), kind, purpose
    group.save(update_fields=["name", "kind", "purpose"])
    return group


def _schools_of_person_in_network(person, network_id: int) -> set[int]:
    member_schools = (
        NetworkMembership.objects.current().filter(network_id=network_id).values("school_id")
    )
    posts = StaffPost.objects.current().filter(person=person, school_id__in=member_schools)
    roles = NetworkRole.objects.current().filter(
        person=person, network_id=network_id, school__isnull=False
    )
    return set(posts.values_list("school_id", flat=True)) | set(
        roles.values_list("school_id", flat=True)
    )


@transaction.atomic
def add_group_member(
    *, group: Group, by, person=None, school: School | None = None, represents: str = ""
) -> GroupMember:
    """Adds a person or a school to a group, keeping each kind of group's rules.

    A triad is three people from three different schools; a steering group records which level
    each member represents.
    """
    require(policy.can_manage_group(by, group))
    if (person is None) == (school is None):
        raise GroupRuleBroken("Add either a person or a school.")
    # Lock the group so that two co-leaders cannot both add the third member of a triad.
    Group.objects.select_for_update().filter(pk=group.pk).first()
    if school is not None:
        if group.kind == GroupKind.TRIAD:
            raise GroupRuleBroken(
                "A triad is three people from three different schools, not schools."
            )
        if (
            not NetworkMembership.objects.current()
            .filter(network_id=group.network_id, school=school)
            .exists()
        ):
            raise NotInNetwork(f"{school} is not a member of this network.")
        if group.members.filter(school=school).exists():
            raise GroupRuleBroken(f"{school} is already in {group}.")
    else:
        if person.pk not in set(
            NetworkRole.objects.current()
            .filter(network_id=group.network_id)
            .values_list("person_id", flat=True)
        ) and group.network_id not in network_ids_of_person(person):
            raise NotInNetwork(f"{person} is not part of this network.")
        if group.members.filter(person=person).exists():
            raise GroupRuleBroken(f"{person} is already in {group}.")
        if group.kind == GroupKind.TRIAD:
            _check_triad_place(group=group, person=person)
    if group.kind == GroupKind.STEERING and not represents:
        raise GroupRuleBroken("Say which level this steering-group member represents.")
    return GroupMember.objects.create(
        group=group, person=person, school=school, represents=represents
    )


def _check_triad_place(*, group: Group, person) -> None:
    current = list(group.members.filter(person__isnull=False).select_related("person"))
    if len(current) >= TRIAD_SIZE:
        raise GroupRuleBroken("A triad has three people already.")
    schools = _schools_of_person_in_network(person, group.network_id)
    if not schools:
        raise GroupRuleBroken(f"{person} has no school in this network, so cannot join a triad.")
    taken: set[int] = set()
    for member in current:
        taken |= _schools_of_person_in_network(member.person, group.network_id)
    if schools <= taken:
        raise GroupRuleBroken(
            f"{person}'s school already has a member in this triad: "
            "a triad is three people from three different schools."
        )


@transaction.atomic
def remove_group_member(*, member: GroupMember, by) -> None:
    require(policy.can_manage_group(by, member.group))
    member.delete()


@dataclass(frozen=True)
class ImportResult:
    format: str
    country: str
    rows: int
    created: int
    updated: int
    unchanged: int
    skipped_closed: int
    network: Network | None = None
    marked_closed: int = 0
    added_to_network: int = 0
    already_in_network: int = 0


# SQLite allows 999 variables a query before 3.32; keep every IN list under it.
_IN_CHUNK = 900
_BULK_BATCH = 1000


def _chunks(items: list, size: int = _IN_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def import_schools(*, file, by, network: Network | None = None) -> ImportResult:
    """Creates or updates schools from a GIAS extract or the NZ directory, all or nothing.

    Schools are matched by (country, reference); with `network`, every imported school becomes a
    member unless it already is one. Raises PermissionDenied, or SchoolFileRefused listing every
    problem, and then has written nothing. `by=None` is for trusted callers (the command).
    """
    if by is not None:
        require(policy.can_import_schools(by))
        if network is None:
            # Co-leaders import into one of their networks; only site admins import bare schools.
            require(policy.managed_network_ids(by) is None)
        else:
            require(policy.can_manage_network(by, network))
    parsed = parse_school_file(read_limited(file))
    if network is not None and network.country != parsed.country:
        raise SchoolFileRefused(
            [
                Problem(
                    None,
                    None,
                    f"This file lists schools in {Country(parsed.country).label}, but {network} "
                    f"is a network in {Country(network.country).label}.",
                )
            ]
        )
    try:
        with transaction.atomic():
            result = _write_schools(parsed=parsed, network=network)
    except IntegrityError:
        # Another import or edit created the same school or membership meanwhile.
        raise SchoolFileRefused(
            [
                Problem(
                    None,
                    None,
                    "These schools changed while importing; nothing was saved. Try again.",
                )
            ]
        ) from None
    if by is not None:
        forget_access(by)
    return result


def _update_schools(schools: list[School], names: list[str]) -> None:
    """One parameterised UPDATE run for every school.

    bulk_update() builds a CASE WHEN expression per field and school: 40,000 changed schools
    took 50 s that way, against a few seconds here.
    """
    if not schools:
        return
    quote = connection.ops.quote_name
    model_fields = [School._meta.get_field(name) for name in names]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in model_fields)
    sql = (
        f"UPDATE {quote(School._meta.db_table)} SET {assignments} "
        f"WHERE {quote(School._meta.pk.column)} = %s"
    )
    params = [
        [
            field.get_db_prep_save(getattr(school, field.attname), connection)
            for field in model_fields
        ]
        + [school.pk]
        for school in schools
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), _BULK_BATCH):
            cursor.executemany(sql, params[start : start + _BULK_BATCH])


def _write_schools(*, parsed: SchoolFile, network: Network | None) -> ImportResult:
    """Caller holds the transaction."""
    fields = list(parsed.fields)
    references = [row.reference for row in parsed.rows]
    existing: dict[str, School] = {}
    for chunk in _chunks(references):
        for school in (
            School.objects.select_for_update()
            .filter(country=parsed.country, reference__in=chunk)
            .only("pk", "reference", *fields)
        ):
            existing[school.reference] = school
    now = timezone.now()
    to_create: list[School] = []
    to_update: list[School] = []
    for row in parsed.rows:
        school = existing.get(row.reference)
        if school is None:
            to_create.append(School(country=parsed.country, reference=row.reference, **row.values))
            continue
        changed = False
        for name, value in row.values.items():
            if getattr(school, name) != value:
                setattr(school, name, value)
                changed = True
        if changed:
            school.updated_at = now
            to_update.append(school)
    School.objects.bulk_create(to_create, batch_size=_BULK_BATCH)
    _update_schools(to_update, [*fields, "updated_at"])
    # A school the list says has closed stays on Netlearn, with its history, marked closed; one
    # we never had is not created.
    marked_closed = known_closed = 0
    for chunk in _chunks(list(parsed.closed)):
        listed = School.objects.filter(country=parsed.country, reference__in=chunk)
        known_closed += listed.count()
        marked_closed += listed.filter(is_closed=False).update(is_closed=True, updated_at=now)
    added = already = 0
    if network is not None:
        school_ids = [school.pk for school in existing.values()]
        created_refs = [school.reference for school in to_create]
        for chunk in _chunks(created_refs):
            school_ids.extend(
                School.objects.filter(country=parsed.country, reference__in=chunk).values_list(
                    "pk", flat=True
                )
            )
        today = _today()
        members: set[int] = set()
        for chunk in _chunks(school_ids):
            members.update(
                NetworkMembership.objects.filter(network=network, school_id__in=chunk)
                .filter(Q(left__isnull=True) | Q(left__gt=today))
                .values_list("school_id", flat=True)
            )
        new_ids = [school_id for school_id in school_ids if school_id not in members]
        NetworkMembership.objects.bulk_create(
            [NetworkMembership(network=network, school_id=pk, joined=today) for pk in new_ids],
            batch_size=_BULK_BATCH,
        )
        added, already = len(new_ids), len(members)
    return ImportResult(
        format=parsed.format,
        country=parsed.country,
        rows=len(parsed.rows),
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(parsed.rows) - len(to_create) - len(to_update),
        skipped_closed=parsed.skipped_closed - known_closed,
        marked_closed=marked_closed,
        network=network,
        added_to_network=added,
        already_in_network=already,
    )


@transaction.atomic
def add_role_holders_to_group(*, group: Group, role: str, by) -> int:
    """Adds, in one step, everyone who holds a role in the group's network (e.g. lead learners).

    Returns how many joined; people already in the group are left as they are.
    """
    require(policy.can_manage_group(by, group))
    if group.kind in (GroupKind.TRIAD, GroupKind.STEERING):
        raise GroupRuleBroken(
            "Add triad and steering-group members one by one: a triad needs three schools, "
            "a steering group the level each member represents."
        )
    holders = NetworkRole.objects.current().filter(network_id=group.network_id, role=role)
    already = group.members.filter(person__isnull=False).values("person_id")
    person_ids = set(holders.exclude(person_id__in=already).values_list("person_id", flat=True))
    GroupMember.objects.bulk_create(
        [GroupMember(group=group, person_id=person_id) for person_id in sorted(person_ids)]
    )
    return len(person_ids)


# Trusted set-up for other apps' demo seeds: no policy check, nobody acting ------------------


def create_network(**fields) -> Network:
    return Network.objects.create(**fields)


def create_school(**fields) -> School:
    return School.objects.create(**fields)
