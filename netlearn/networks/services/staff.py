"""Schools' profiles and staff: posts, and invitations to a post that begin when accepted.

Invitations lapse after `STAFF_INVITATION_DAYS`; the school may withdraw one or send it again
(which renews it), and may invite a whole list of colleagues at once, into the school and into
groups of its networks that the inviter manages.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from netlearn.accounts import selectors as account_selectors
from netlearn.accounts import services as account_services
from netlearn.accounts.errors import AccountError
from netlearn.accounts.models import Kind
from netlearn.core import newcomers
from netlearn.core.deferred import after_commit
from netlearn.core.intake import CsvRows, Problem, normalise_header
from netlearn.core.policy import require
from netlearn.notifications.models import NotificationKind
from netlearn.notifications.services import notify_on_commit

from .. import policy
from ..access import forget_access
from ..errors import (
    AlreadyMember,
    ColleagueListRefused,
    GroupRuleBroken,
    InvalidDates,
    InvitationClosed,
    NetworkError,
)
from ..models import (
    SCHOOL_PROFILE_FIELDS,
    Group,
    InvitationStatus,
    NetworkMembership,
    PostLevel,
    School,
    StaffInvitation,
    StaffPost,
    invitation_expiry,
)
from .groups import add_group_member
from .memberships import _today, is_recent


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
    announce: bool | None = None,
) -> StaffPost:
    """Records a person's job at a school. `by=None` is for trusted callers (demo, admin).

    A new head (a post that leads the school, or a headteacher's) whose post begins now is
    announced to the school's networks as a newcomer (`netlearn.core.newcomers`), when a person
    acted (`by`) or the caller asks (`announce`: an accepted invitation, an approved request);
    trusted set-up announces nothing unless asked."""
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
    if (by is not None if announce is None else announce) and _is_new_head(post):
        _announce_head(post)
    return post


def _is_new_head(post: StaffPost) -> bool:
    return (post.leads_school or post.level == PostLevel.HEAD) and is_recent(post.started)


def _announce_head(post: StaffPost) -> None:
    """The head of a school that joined lately is the new school's newcomer; the new head of a
    school long in the network is a new head."""
    for membership in NetworkMembership.objects.current().filter(school=post.school):
        kind = newcomers.NEW_SCHOOL if is_recent(membership.joined) else newcomers.NEW_HEAD
        newcomers.announce_newcomer(
            network=membership.network, school=post.school, person=post.person, kind=kind
        )


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
    groups=(),
) -> StaffInvitation | None:
    """Invites a colleague to a post at the school; the post begins when they accept.

    A new address gets an account and the invitation; an existing account gets the invitation
    only, so nobody joins a school without saying yes. An address that cannot take the post (a
    pupil's or a parent's, or someone already working there) gets an invitation that reaches
    nobody, so the school's list of invitations looks the same for every address; an address
    already waiting on an invitation from the school gets nothing more. The caller answers the
    same in every case (`STAFF_INVITATION_SENT`), so returns only for tests and never reveals
    which case it was.
    """
    require(policy.can_manage_staff(by, school))
    name, email, job_title = name.strip(), email.strip(), job_title.strip()
    if not email or not name or not job_title:
        raise NetworkError(_("Give the colleague's name, email address and job title."))
    groups = _groups_to_join(school, by, groups)
    if StaffInvitation.objects.filter(
        school=school,
        invited_email__iexact=email,
        status=InvitationStatus.PENDING,
        expires_at__gt=timezone.now(),
    ).exists():
        return None
    person = account_selectors.person_with_email(email)
    if person is None:
        try:
            person = account_services.invite_person(
                name=name, email=email, kind=Kind.STAFF, invited_by=by
            )
        except AccountError:
            # Only when the address was taken meanwhile: answer as for any other address.
            person = None
    else:
        # A new account's password is hashed; hash one here too, so that the answer for a known
        # address does not come back noticeably sooner.
        make_password(secrets.token_urlsafe(16))
        if not _may_take_a_post(person, school):
            person = None
    # A lapsed invitation to the same person gives way to the new one.
    StaffInvitation.objects.filter(
        school=school, person=person, status=InvitationStatus.PENDING, person__isnull=False
    ).delete()
    invitation = StaffInvitation.objects.create(
        school=school,
        person=person,
        invited_name=name,
        invited_email=email,
        job_title=job_title,
        level=level,
        leads_school=leads_school,
        invited_by=by,
        sent_at=timezone.now(),
        times_sent=1,
    )
    invitation.groups.set(groups)
    if person is not None:
        after_commit("netlearn.networks.tasks.send_staff_invitation", invitation.pk)
        notify_on_commit(
            recipients=[person],
            kind=NotificationKind.INVITATION,
            text=f"{school} invites you to a post: {job_title}",
            url=reverse("networks:invitations"),
        )
    return invitation


def _may_take_a_post(person, school: School) -> bool:
    return (
        person.kind in (Kind.STAFF, Kind.PARTNER)
        and person.is_active
        and not StaffPost.objects.current().filter(person=person, school=school).exists()
    )


def _groups_to_join(school: School, by, groups) -> list[Group]:
    """Groups of the school's networks that the inviter may manage; anything else is refused."""
    groups = list(groups)
    if not groups:
        return []
    networks = set(
        NetworkMembership.objects.current()
        .filter(school=school)
        .values_list("network_id", flat=True)
    )
    for group in groups:
        if group.network_id not in networks or not policy.can_manage_group(by, group):
            raise NetworkError(
                _("“%(name)s” is not a group of this school's networks that you manage.")
                % {"name": group.name}
            )
    return groups


# Lists of colleagues --------------------------------------------------------------------------

LIST_COLUMNS = ("name", "email address", "job title")


@dataclass(frozen=True)
class Colleague:
    row: int
    name: str
    email: str
    job_title: str


def parse_colleague_list(text: str, *, job_title: str = "") -> list[Colleague]:
    """Reads pasted lines or a CSV of colleagues, one a row: name, email address and, unless one
    job title is given for all, job title. A first row naming the columns is skipped. Every
    problem is reported with its row and column, before anyone is invited."""
    job_title = job_title.strip()
    table = CsvRows(text or "", strict=True)
    colleagues, problems, seen = [], [], {}
    for row, cells in table:
        cells = [cell.strip() for cell in cells]
        if row == 1 and _names_the_columns(cells):
            continue
        name, email, title = (cells + ["", "", ""])[:3]
        title = title or job_title
        if len(cells) > 3 and any(cells[3:]):
            problems.append(
                Problem(row, None, "Give at most three columns: name, email, job title.")
            )
        if not name:
            problems.append(Problem(row, "name", "The name is missing."))
        elif len(name) > 150:
            problems.append(Problem(row, "name", "The name is longer than 150 characters."))
        try:
            validate_email(email)
        except ValidationError:
            problems.append(
                Problem(row, "email address", f"“{email[:80]}” is not an email address.")
            )
        else:
            if email.lower() in seen:
                problems.append(
                    Problem(row, "email address", f"{email} is also on row {seen[email.lower()]}.")
                )
            seen.setdefault(email.lower(), row)
        if not title:
            problems.append(Problem(row, "job title", "Give a job title, here or for everyone."))
        elif len(title) > 120:
            problems.append(
                Problem(row, "job title", "The job title is longer than 120 characters.")
            )
        colleagues.append(Colleague(row, name, email, title))
    if table.broken:
        problems.append(table.broken)
    if not colleagues and not problems:
        problems.append(Problem(None, None, "The list is empty: give one colleague a line."))
    if len(colleagues) > settings.STAFF_INVITATION_BATCH:
        problems.append(
            Problem(
                None,
                None,
                f"One list invites at most {settings.STAFF_INVITATION_BATCH} colleagues; "
                f"this one has {len(colleagues)}.",
            )
        )
    if problems:
        raise ColleagueListRefused(problems)
    return colleagues


def _names_the_columns(cells: list[str]) -> bool:
    headers = {normalise_header(cell) for cell in cells}
    return not any("@" in cell for cell in cells) and bool(headers & {"email", "emailaddress"})


@transaction.atomic
def invite_colleagues(
    *, school: School, by, text: str, level: str, job_title: str = "", groups=()
) -> int:
    """Invites every colleague on the list, or nobody: a refused list names each row's problem.

    Returns how many rows were read. As for one colleague, the answer does not say which
    addresses already had accounts.
    """
    require(policy.can_manage_staff(by, school))
    colleagues = parse_colleague_list(text, job_title=job_title)
    groups = _groups_to_join(school, by, groups)
    for colleague in colleagues:
        add_staff_member(
            school=school,
            by=by,
            name=colleague.name,
            email=colleague.email,
            job_title=colleague.job_title,
            level=level,
            groups=groups,
        )
    return len(colleagues)


def _pending_at(invitation: StaffInvitation, by) -> StaffInvitation:
    locked = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
    require(policy.can_manage_staff(by, locked.school))
    if locked.status != InvitationStatus.PENDING:
        raise InvitationClosed(
            _("This invitation was %(lower)s.") % {"lower": locked.get_status_display().lower()}
        )
    return locked


@transaction.atomic
def revoke_staff_invitation(*, invitation: StaffInvitation, by) -> StaffInvitation:
    """The school withdraws an invitation not yet answered; it can no longer be accepted."""
    invitation = _pending_at(invitation, by)
    invitation.status = InvitationStatus.REVOKED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    return invitation


# Sending again renews the invitation; more often than this would only fill an inbox.
RESEND_GAP = datetime.timedelta(minutes=10)


@transaction.atomic
def resend_staff_invitation(*, invitation: StaffInvitation, by) -> StaffInvitation:
    """Sends a pending (or lapsed) invitation again and renews it for another period. A new
    account that never signed in gets its link to choose a password again too."""
    invitation = _pending_at(invitation, by)
    now = timezone.now()
    if invitation.sent_at and now - invitation.sent_at < RESEND_GAP:
        raise NetworkError(_("This invitation was sent a few minutes ago: give it time to arrive."))
    invitation.expires_at = invitation_expiry()
    invitation.sent_at = now
    invitation.times_sent += 1
    invitation.save(update_fields=["expires_at", "sent_at", "times_sent"])
    person = invitation.person
    if person is not None:
        after_commit("netlearn.networks.tasks.send_staff_invitation", invitation.pk)
        if person.last_login is None and person.is_active and person.email:
            after_commit("netlearn.accounts.tasks.send_invitation", person.pk, by.pk)
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
        subject=_("An invitation to join %(school)s on Netlearn")
        % {"school": invitation.school.name},
        message=render_to_string("networks/staff_invitation_email.txt", context),
        from_email=None,
        recipient_list=[invitation.person.email],
    )


def _claim_invitation(invitation: StaffInvitation, by) -> StaffInvitation:
    locked = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
    require(policy.can_answer_invitation(by, locked))
    if locked.status == InvitationStatus.REVOKED:
        raise InvitationClosed(
            _("%(school)s has withdrawn this invitation.") % {"school": locked.school}
        )
    if locked.status != InvitationStatus.PENDING:
        raise InvitationClosed(
            _("You have already %(lower)s this invitation.")
            % {"lower": locked.get_status_display().lower()}
        )
    if locked.is_expired:
        raise InvitationClosed(
            _("This invitation has lapsed: ask %(school)s to send it again.")
            % {"school": locked.school}
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
        raise AlreadyMember(
            _("You already have a post at %(school)s.") % {"school": invitation.school}
        )
    post = add_staff_post(
        person=by,
        school=invitation.school,
        job_title=invitation.job_title,
        level=invitation.level,
        leads_school=invitation.leads_school,
        announce=True,
    )
    _join_invited_groups(invitation)
    return post


def _join_invited_groups(invitation: StaffInvitation) -> None:
    """Places in the groups the invitation named, given by the inviter if they still may."""
    inviter = invitation.invited_by
    for group in invitation.groups.all():
        if inviter is None or not policy.can_manage_group(inviter, group):
            continue
        try:
            with transaction.atomic():
                add_group_member(group=group, by=inviter, person=invitation.person)
        except (GroupRuleBroken, AlreadyMember):
            # The group's own rules (a full triad, a place already held) come first.
            continue


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
        raise InvalidDates(_("A post cannot end before it started."))
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
