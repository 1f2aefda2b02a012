"""Learning walks and visits: the feedback record written after one."""

from django.db import transaction
from django.utils.translation import gettext as _

from netlearn.accounts.models import Person
from netlearn.core.policy import require

from .. import policy, selectors
from ..errors import ActivityCancelled, ActivityError, FeedbackTooEarly
from ..models import Activity, VisitFeedback
from .common import _now


@transaction.atomic
def give_feedback(
    *,
    activity: Activity,
    by: Person,
    what_we_saw: str,
    what_we_learned: str,
    what_we_will_try: str,
    feedback_to_host: str,
) -> VisitFeedback:
    """A walk's feedback record (docs/seed-practices.md#activities), for the host school's lead."""
    require(policy.can_give_feedback(by, selectors.as_seen_by(activity, by)))
    if activity.is_cancelled:
        raise ActivityCancelled(_("The visit was cancelled."))
    if _now() < activity.starts_at:
        raise FeedbackTooEarly(_("Feedback is recorded after the visit has begun."))
    parts = [what_we_saw, what_we_learned, what_we_will_try, feedback_to_host]
    if not all(part.strip() for part in parts):
        raise ActivityError(
            _(
                "Fill in all four parts: what you saw, learned and will try, and the host's "
                "feedback."
            )
        )
    school_id = selectors.home_schools(network=activity.network, person_ids=[by.pk]).get(by.pk)
    return VisitFeedback.objects.create(
        activity=activity,
        author=by,
        school_id=school_id,
        what_we_saw=what_we_saw.strip(),
        what_we_learned=what_we_learned.strip(),
        what_we_will_try=what_we_will_try.strip(),
        feedback_to_host=feedback_to_host.strip(),
    )
