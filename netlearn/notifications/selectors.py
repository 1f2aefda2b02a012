"""Reads: a person's own notifications only; anybody else's answers 404 like a missing one."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from netlearn.core.home import HomeFeed, personal_feed

from . import policy
from .models import HomeVisit, Notification


def notifications_for(*, viewer, unread_only: bool = False) -> QuerySet[Notification]:
    rows = Notification.objects.filter(policy.notification_scope(viewer))
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-pk")


def notification_for(*, viewer, notification_id: int) -> Notification:
    return get_object_or_404(notifications_for(viewer=viewer), pk=notification_id)


def unread_count(*, viewer) -> int:
    return notifications_for(viewer=viewer, unread_only=True).count()


def home_for(*, viewer, now=None) -> HomeFeed:
    """The personal home, "new" counted from the viewer's previous visit."""
    since = (
        HomeVisit.objects.filter(person_id=viewer.pk)
        .values_list("previous_seen_at", flat=True)
        .first()
    )
    return personal_feed(person=viewer, since=since, now=now)
