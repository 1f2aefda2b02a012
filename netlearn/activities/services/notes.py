"""Notes and actions of an activity."""

import datetime

from django.db import transaction

from netlearn.accounts.models import Person
from netlearn.core.policy import require

from .. import policy, selectors
from ..errors import ActivityError, AudienceOutsideNetwork
from ..models import Action, ActionStatus, Activity, Note
from .common import _network_people


@transaction.atomic
def post_note(*, activity: Activity, by: Person, body: str) -> Note:
    require(policy.can_post_note(by, selectors.as_seen_by(activity, by)))
    if not body.strip():
        raise ActivityError("Write the note before posting it.")
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
        raise ActivityError("Say what the action is.")
    if not _network_people(activity.network).filter(pk=owner.pk).exists():
        raise AudienceOutsideNetwork(f"{owner} is not in {activity.network}.")
    return Action.objects.create(
        activity=activity, title=title.strip(), owner=owner, due=due, created_by=by
    )


@transaction.atomic
def set_action_status(*, action: Action, by: Person, status: str) -> Action:
    require(policy.can_update_action(by, action))
    if status not in ActionStatus.values:
        raise ActivityError("An action is open, done or dropped.")
    action.status = status
    action.save(update_fields=["status"])
    return action
