"""Reads: a person's own notifications only; anybody else's answers 404 like a missing one."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from . import policy
from .models import Notification


def notifications_for(*, viewer, unread_only: bool = False) -> QuerySet[Notification]:
    rows = Notification.objects.filter(policy.notification_scope(viewer))
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-pk")


def notification_for(*, viewer, notification_id: int) -> Notification:
    return get_object_or_404(notifications_for(viewer=viewer), pk=notification_id)


def unread_count(*, viewer) -> int:
    return notifications_for(viewer=viewer, unread_only=True).count()
