"""Network roles: given at once, or proposed and approved by a second person; each audited."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from netlearn.accounts import selectors as account_selectors
from netlearn.accounts.models import Kind
from netlearn.core.policy import require
from netlearn.notifications.models import NotificationKind
from netlearn.notifications.services import notify

from .. import policy
from ..access import forget_access
from ..errors import (
    AlreadyHoldsRole,
    InvalidDates,
    NeedsSecondPerson,
    NetworkError,
    NotInNetwork,
    ProposalClosed,
)
from ..models import (
    SITE_ADMIN,
    AuditAction,
    Network,
    NetworkMembership,
    NetworkRole,
    ProposalStatus,
    Role,
    RoleAuditEntry,
    RoleProposal,
    School,
)
from .memberships import _today


def _check_role_candidate(
    *, network: Network, person, role: str, by, school: School | None
) -> None:
    if person.is_pupil:
        raise NotInNetwork(_("Pupils cannot hold network roles."))
    if (
        by is not None
        and not type(person).objects.filter(policy.people_scope(by), pk=person.pk).exists()
    ):
        # A co-leader gives roles to people they already work with, never to strangers.
        raise NotInNetwork(_("%(person)s is not in any network of yours.") % {"person": person})
    if NetworkRole.objects.filter(
        network=network, person=person, role=role, ended__isnull=True
    ).exists():
        raise AlreadyHoldsRole(
            _("%(person)s already holds that role in %(network)s.")
            % {"person": person, "network": network}
        )
    if (
        school is not None
        and not NetworkMembership.objects.current().filter(network=network, school=school).exists()
    ):
        raise NotInNetwork(
            _("%(school)s is not a member of %(network)s.") % {"school": school, "network": network}
        )


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
                _(
                    "%(label)s takes two people: propose it, and another co-leader or a site "
                    "admin approves it."
                )
                % {"label": Role(role).label}
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
        raise NetworkError(_("A site admin belongs to no network: propose them as a site admin."))
    if not policy.is_sensitive_role(role):
        raise NetworkError(
            _("%(label)s needs no second person: give it directly.") % {"label": Role(role).label}
        )
    _lock_person(person)
    _check_role_candidate(network=network, person=person, role=role, by=by, school=school)
    if RoleProposal.objects.filter(
        network=network, person=person, role=role, status=ProposalStatus.PENDING
    ).exists():
        raise AlreadyHoldsRole(
            _("%(person)s has already been proposed for that role.") % {"person": person}
        )
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
        raise NetworkError(_("Only staff and partners' accounts can become site admins."))
    if person.is_superuser:
        raise AlreadyHoldsRole(_("%(person)s is already a site admin.") % {"person": person})
    if RoleProposal.objects.filter(
        network__isnull=True, person=person, role=SITE_ADMIN, status=ProposalStatus.PENDING
    ).exists():
        raise AlreadyHoldsRole(
            _("%(person)s has already been proposed as a site admin.") % {"person": person}
        )
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
            _("This proposal has already been %(lower)s.")
            % {"lower": locked.get_status_display().lower()}
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
            raise NetworkError(_("This account can no longer become a site admin."))
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
        raise InvalidDates(_("A role cannot end before it started."))
    network_role.ended = ended
    network_role.save(update_fields=["ended"])
    forget_access(network_role.person)
    return network_role
