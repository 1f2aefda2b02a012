"""Release time: asking for cover to attend, and a co-leader's decision on funding it."""

from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from netlearn.accounts.models import Person
from netlearn.core.policy import require
from netlearn.networks import selectors as network_selectors
from netlearn.networks.models import Role
from netlearn.notifications.models import NotificationKind

from .. import hooks, policy, selectors
from ..errors import ActivityError, AlreadyDecided
from ..models import Activity, ReleaseRequest, ReleaseStatus
from .common import _now, _tell


@transaction.atomic
def request_release(
    *, activity: Activity, by: Person, sessions: Decimal, reason: str = ""
) -> ReleaseRequest:
    require(policy.can_request_release(by, selectors.as_seen_by(activity, by)))
    if sessions is None or sessions <= 0 or sessions > 40:
        raise ActivityError(_("Ask for between half a session and 40 sessions of cover."))
    if sessions * 2 != int(sessions * 2):
        raise ActivityError(_("Cover is counted in half-day sessions: 0.5, 1, 1.5…"))
    if ReleaseRequest.objects.filter(
        activity=activity, person=by, status=ReleaseStatus.REQUESTED
    ).exists():
        raise AlreadyDecided(_("You have already asked for cover for this activity."))
    school_id = selectors.home_schools(network=activity.network, person_ids=[by.pk]).get(by.pk)
    made = ReleaseRequest.objects.create(
        activity=activity, person=by, school_id=school_id, sessions=sessions, reason=reason.strip()
    )
    # Who must act: the network's co-leaders, who approve funding (policy.can_decide_release).
    _tell(
        network_selectors.role_holder_ids(network_id=activity.network_id, roles=[Role.CO_LEADER]),
        kind=NotificationKind.RELEASE_REQUESTED,
        text=f"{by} asks for {sessions} session(s) of cover to attend {activity.title}",
        url=reverse("activities:release_requests", args=[activity.network.slug]),
        by=by,
    )
    return made


@transaction.atomic
def decide_release(
    *,
    release_request: ReleaseRequest,
    by: Person,
    approve: bool,
    amount: Decimal | None = None,
    note: str = "",
) -> ReleaseRequest:
    """A co-leader approves funding from the network budget, or declines; either is recorded."""
    require(policy.can_decide_release(by, release_request.activity.network_id))
    release_request = ReleaseRequest.objects.select_for_update().get(pk=release_request.pk)
    if release_request.status != ReleaseStatus.REQUESTED:
        raise AlreadyDecided(_("That request has already been decided."))
    if approve and (amount is None or amount < 0):
        raise ActivityError(_("Give the funding approved from the network budget (0 or more)."))
    release_request.status = ReleaseStatus.APPROVED if approve else ReleaseStatus.DECLINED
    release_request.amount = amount if approve else None
    release_request.decided_by = by
    release_request.decided_at = _now()
    release_request.decision_note = note.strip()
    release_request.save()
    # Money first (it may refuse, and then nobody is told anything).
    hooks.release_decided(release_request=release_request, by=by)
    activity = release_request.activity
    answer = "approved" if approve else "declined"
    _tell(
        [release_request.person_id],
        kind=NotificationKind.RELEASE_ANSWERED,
        text=f"Your request for cover to attend {activity.title} was {answer}",
        url=activity.get_absolute_url(),
        by=by,
    )
    return release_request
