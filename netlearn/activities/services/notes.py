"""Notes and actions of an activity."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from netlearn.accounts.models import Person
from netlearn.core.policy import require
from netlearn.notifications.models import NotificationKind

from .. import policy, selectors
from ..errors import ActivityError, AudienceOutsideNetwork
from ..models import Action, ActionStatus, Activity, Note
from .common import _network_people, _tell


@transaction.atomic
def post_note(*, activity: Activity, by: Person, body: str) -> Note:
    require(policy.can_post_note(by, selectors.as_seen_by(activity, by)))
    if not body.strip():
        raise ActivityError(_("Write the note before posting it."))
    return Note.objects.create(activity=activity, author=by, body=body.strip())


@transaction.atomic
def add_action(
    *,
    activity: Activity,
    by: Person,
    title: str,
    owner: Person,
    due: datetime.date | None = None,
) -> Action:
    require(policy.can_add_action(by, activity))
    if not title.strip():
        raise ActivityError(_("Say what the action is."))
    if not _network_people(activity.network).filter(pk=owner.pk).exists():
        raise AudienceOutsideNetwork(
            _("%(owner)s is not in %(network)s.") % {"owner": owner, "network": activity.network}
        )
    action = Action.objects.create(
        activity=activity, title=title.strip(), owner=owner, due=due, created_by=by
    )
    due_text = f", due {due:%-d %B %Y}" if due else ""
    _tell(
        [owner.pk],
        kind=NotificationKind.ACTION_ASSIGNED,
        text=f"Action for you from {activity.title}: {action.title}{due_text}",
        url=reverse("activities:my_actions"),
        by=by,
    )
    return action


@transaction.atomic
def set_action_status(*, action: Action, by: Person, status: str) -> Action:
    require(policy.can_update_action(by, action))
    if status not in ActionStatus.values:
        raise ActivityError(_("An action is open, done or dropped."))
    action.status = status
    action.save(update_fields=["status"])
    return action


def remind_actions_due(*, days: int = 1, today: datetime.date | None = None) -> int:
    """Tells each owner of an open action due within `days` (or overdue) that it falls due.

    Each action is claimed by an UPDATE that only matches it while `due_reminded_at` is empty,
    inside the transaction that queues its notification: two runs at once tell nobody twice."""
    if not 0 <= days <= 60:
        raise ActivityError(_("Remind between 0 and 60 days before an action is due."))
    today = today or timezone.localdate()
    due = Action.objects.filter(
        status=ActionStatus.OPEN,
        due__isnull=False,
        due__lte=today + datetime.timedelta(days=days),
        due_reminded_at__isnull=True,
    ).select_related("activity", "owner")
    reminded = 0
    for action in due.order_by("due", "pk"):
        with transaction.atomic():
            claimed = Action.objects.filter(pk=action.pk, due_reminded_at__isnull=True).update(
                due_reminded_at=timezone.now()
            )
            if not claimed:
                continue
            when = "was due" if action.due < today else "is due"
            _tell(
                [action.owner_id],
                kind=NotificationKind.ACTION_DUE,
                text=f"Your action from {action.activity.title} {when} on "
                f"{action.due:%-d %B %Y}: {action.title}",
                url=reverse("activities:my_actions"),
            )
            reminded += 1
    return reminded
