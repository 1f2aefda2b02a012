"""Following a space or a thread."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from netlearn.accounts.models import Person

from .. import announcements, policy
from ..errors import DiscussionError
from ..models import Space, Subscription, Thread


@transaction.atomic
def subscribe(*, by: Person, space: Space | None = None, thread: Thread | None = None):
    target = space if space is not None else thread
    if target is None or not policy.can_subscribe(by, target):
        raise PermissionDenied
    return announcements.follow(by, space=space, thread=thread)


@transaction.atomic
def unsubscribe(*, by: Person, space: Space | None = None, thread: Thread | None = None) -> None:
    if space is None and thread is None:
        raise DiscussionError(_("Say what to stop following."))
    Subscription.objects.filter(person=by, space=space, thread=thread).delete()
