"""The notifications part of the JSON API: my notifications, mark read, my email choice."""

import datetime
from typing import Literal

from django.http import Http404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from netlearn.core.api import Id, Pages

from . import policy, selectors, services
from .models import EmailFrequency, NotificationKind

router = Router(tags=["notifications"])
KindValue = Literal[tuple(NotificationKind.values)]  # type: ignore[valid-type]
FrequencyValue = Literal[tuple(EmailFrequency.values)]  # type: ignore[valid-type]


class NotificationOut(Schema):
    id: int
    kind: KindValue
    text: str
    url: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class NotificationFilter(Schema):
    unread: bool = False


class NotificationCountOut(Schema):
    unread: int
    marked: int = 0


class EmailFrequencyIO(Schema):
    frequency: FrequencyValue


@router.get("/notifications", response=list[NotificationOut])
@paginate(Pages)
def list_notifications(request, filters: Query[NotificationFilter]):
    return selectors.notifications_for(viewer=request.auth, unread_only=filters.unread)


@router.post("/notifications/read-all", response=NotificationCountOut)
def mark_all_read(request):
    marked = services.mark_all_read(by=request.auth)
    return {"unread": selectors.unread_count(viewer=request.auth), "marked": marked}


@router.post("/notifications/{notification_id}/read", response=NotificationOut)
def mark_read(request, notification_id: Id):
    notification = selectors.notification_for(viewer=request.auth, notification_id=notification_id)
    return services.mark_read(notification=notification, by=request.auth)


def _email_chooser(request):
    # Pupils have no email (docs/safety.md#pupil-spaces): for them the setting does not exist.
    if not policy.can_choose_email(request.auth):
        raise Http404
    return request.auth


@router.get("/notifications/email", response=EmailFrequencyIO)
def get_email_frequency(request):
    return {"frequency": services.frequency_for(_email_chooser(request))}


@router.put("/notifications/email", response=EmailFrequencyIO)
def set_email_frequency(request, payload: EmailFrequencyIO):
    _email_chooser(request)
    preference = services.set_email_frequency(person=request.auth, frequency=payload.frequency)
    return {"frequency": preference.frequency}
