"""Schools' profiles and staff: posts, and invitations to a post that begin when accepted."""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from netlearn.accounts import selectors as account_selectors
from netlearn.accounts import services as account_services
from netlearn.accounts.errors import AccountError
from netlearn.accounts.models import Kind
from netlearn.core.deferred import after_commit
from netlearn.core.policy import require

from .. import policy
from ..access import forget_access
from ..errors import AlreadyMember, InvalidDates, InvitationClosed, NetworkError
from ..models import SCHOOL_PROFILE_FIELDS, InvitationStatus, School, StaffInvitation, StaffPost
from .memberships import _today


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
