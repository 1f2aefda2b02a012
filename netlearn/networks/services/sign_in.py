"""How a school's people sign in: the email domains that are the school's, whether its staff must
use single sign-on and whether its pupils may, and the join queue of colleagues who signed in
through single sign-on with no account yet (docs/threat-model.md, "single sign-on")."""

import re

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from netlearn.accounts import services as account_services
from netlearn.core.policy import require
from netlearn.notifications.models import NotificationKind
from netlearn.notifications.services import notify_on_commit

from .. import policy
from ..access import forget_access
from ..errors import JoinRequestClosed, NetworkError
from ..models import (
    JoinRequest,
    JoinRequestStatus,
    PostLevel,
    School,
    SchoolEmailDomain,
    StaffPost,
)
from .staff import add_staff_post

# A domain name as DNS spells it (RFC 1035 labels, at least two): no "@", no scheme, no path.
DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
# Addresses anybody can open: such a domain belongs to no school (docs/threat-model.md).
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "hotmail.co.uk",
        "live.com",
        "live.co.uk",
        "msn.com",
        "yahoo.com",
        "yahoo.co.uk",
        "yahoo.co.nz",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "xtra.co.nz",
        "btinternet.com",
    }
)


def normalise_domain(text: str) -> str:
    return (text or "").strip().lower().removeprefix("@").rstrip(".")


@transaction.atomic
def add_email_domain(
    *, school: School, domain: str, by, for_pupils: bool = False
) -> SchoolEmailDomain:
    """The school's lead says addresses at `domain` are the school's."""
    require(policy.can_manage_sign_in(by, school))
    domain = normalise_domain(domain)
    if not DOMAIN.match(domain):
        raise NetworkError(
            _("“%(domain)s” is not a domain name: give the part after the @, e.g. school.org.uk.")
            % {"domain": domain[:80]}
        )
    if domain in PUBLIC_MAIL_DOMAINS:
        raise NetworkError(
            _(
                "Anybody can open an address at %(domain)s: only a domain the school controls can "
                "be the school's."
            )
            % {"domain": domain}
        )
    taken = SchoolEmailDomain.objects.filter(domain=domain).select_related("school").first()
    if taken is not None:
        if taken.school_id == school.pk:
            raise NetworkError(
                _("%(domain)s is already one of %(school)s's domains.")
                % {"domain": domain, "school": school}
            )
        # Without naming the other school: whose a domain is stays between it and the admins.
        raise NetworkError(
            _("%(domain)s already belongs to another school on Netlearn: ask a site admin.")
            % {"domain": domain}
        )
    return SchoolEmailDomain.objects.create(
        school=school, domain=domain, for_pupils=for_pupils, added_by=by
    )


@transaction.atomic
def remove_email_domain(*, email_domain: SchoolEmailDomain, by) -> None:
    """Sign-ins from the domain are refused from now on; accounts already linked stay linked."""
    require(policy.can_manage_sign_in(by, email_domain.school))
    email_domain.delete()


@transaction.atomic
def set_sign_in_rules(*, school: School, by, sso_required: bool, pupils_use_sso: bool) -> School:
    require(policy.can_manage_sign_in(by, school))
    if sso_required and not school.email_domains.filter(for_pupils=False).exists():
        raise NetworkError(
            _("Add the school's staff email domain first: otherwise nobody could sign in.")
        )
    if pupils_use_sso and not school.email_domains.filter(for_pupils=True).exists():
        raise NetworkError(_("Add the domain of the pupils' school accounts first."))
    school.sso_required, school.pupils_use_sso = sso_required, pupils_use_sso
    school.save(update_fields=["sso_required", "pupils_use_sso", "updated_at"])
    return school


@transaction.atomic
def request_to_join(
    *, email_domain: SchoolEmailDomain, name: str, email: str, provider: str, is_demo=False
):
    """For the sign-in through single sign-on only, once the provider has verified `email` at the
    school's domain and no account has it: an account with no post and no password, and a
    request in the school's join queue; the school's leads are told. Returns the account."""
    school = email_domain.school
    person = account_services.create_person_for_single_sign_on(
        name=name, email=email, is_demo=is_demo
    )
    JoinRequest.objects.create(
        school=school, person=person, name=person.name, email=email, provider=provider
    )
    leads = [
        post.person
        for post in StaffPost.objects.current()
        .filter(school=school, leads_school=True)
        .select_related("person")
    ]
    notify_on_commit(
        recipients=leads,
        kind=NotificationKind.ACCOUNT_REVIEW,
        text=f"{person.name} ({email}) asks to join {school}",
        url=reverse("networks:school_sign_in", args=[school.pk]) + "#join-requests",
    )
    return person


def _pending(join_request: JoinRequest, by) -> JoinRequest:
    locked = JoinRequest.objects.select_for_update().select_related("school", "person")
    locked = locked.get(pk=join_request.pk)
    require(policy.can_manage_sign_in(by, locked.school))
    if locked.status != JoinRequestStatus.PENDING:
        raise JoinRequestClosed(
            _("This request was already %(lower)s.")
            % {"lower": locked.get_status_display().lower()}
        )
    return locked


@transaction.atomic
def approve_join_request(
    *, join_request: JoinRequest, by, job_title: str, level: str = PostLevel.TEACHER
) -> StaffPost:
    """The lead knows the colleague: their post at the school begins now."""
    join_request = _pending(join_request, by)
    job_title = (job_title or "").strip()
    if not job_title:
        raise NetworkError(_("Give the colleague's job title."))
    if level not in PostLevel.values:
        raise NetworkError(_("Choose the level of the post from the list."))
    join_request.status = JoinRequestStatus.APPROVED
    join_request.decided_by, join_request.decided_at = by, timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    post = add_staff_post(
        person=join_request.person,
        school=join_request.school,
        job_title=job_title,
        level=level,
        announce=True,
    )
    notify_on_commit(
        recipients=[join_request.person],
        kind=NotificationKind.INVITATION,
        text=f"{join_request.school} has approved your request to join",
        url=reverse("networks:school", args=[join_request.school_id]),
    )
    return post


@transaction.atomic
def decline_join_request(*, join_request: JoinRequest, by) -> JoinRequest:
    """The lead does not know the address: the account the request made is closed, so it signs
    in no more (its sign-in answers that the school declined)."""
    join_request = _pending(join_request, by)
    join_request.status = JoinRequestStatus.DECLINED
    join_request.decided_by, join_request.decided_at = by, timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    account_services.close_account_made_for_join_request(person=join_request.person)
    forget_access(join_request.person)
    return join_request
