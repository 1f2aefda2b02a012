"""Retention: pupil discussion is deleted, and idle pupil spaces archived, after the network's
retention period (docs/safety.md#retention-and-erasure)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from netlearn.networks import selectors as network_selectors

from ..models import Audience, ModerationAction, Poll, Space, Thread
from .log import write_log
from .network_settings import settings_for


@transaction.atomic
def delete_expired_pupil_discussion(*, now: datetime.datetime | None = None) -> int:
    """Deletes pupil threads and polls older than their network's retention period
    (docs/safety.md#retention-and-erasure: default 365 days). The moderation log, a safeguarding
    record, keeps its rows. Safe to run twice. Returns how many threads and polls went."""
    now = now or timezone.now()
    removed = 0
    network_ids = Space.objects.filter(audience=Audience.PUPILS).values_list(
        "network_id", flat=True
    )
    for network in network_selectors.networks_with_ids(network_ids=network_ids):
        cutoff = now - datetime.timedelta(days=settings_for(network).retention_days)
        threads = Thread.objects.filter(
            space__network=network, space__audience=Audience.PUPILS, last_activity_at__lt=cutoff
        ).select_related("space")
        for thread in threads:
            write_log(
                action=ModerationAction.EXPIRED,
                by=None,
                network_id=network.pk,
                space=thread.space,
                thread_id=thread.pk,
                note="thread deleted after the retention period",
            )
            removed += 1
        threads.delete()
        polls = Poll.objects.filter(
            space__network=network, space__audience=Audience.PUPILS, closes_at__lt=cutoff
        )
        removed += polls.count()
        polls.delete()
    return removed


@transaction.atomic
def archive_idle_pupil_spaces(*, now: datetime.datetime | None = None) -> int:
    """Archives pupil spaces older than their network's retention period with nothing left in
    them (their threads and polls expired). Logged; safe to run twice."""
    now = now or timezone.now()
    archived = 0
    spaces = Space.objects.filter(
        audience=Audience.PUPILS, archived_at__isnull=True
    ).select_related("network")
    for space in spaces:
        cutoff = now - datetime.timedelta(days=settings_for(space.network).retention_days)
        if space.created_at >= cutoff or space.threads.exists() or space.polls.exists():
            continue
        Space.objects.filter(pk=space.pk).update(archived_at=now)
        write_log(
            action=ModerationAction.EXPIRED,
            by=None,
            network_id=space.network_id,
            space=space,
            note="space archived: idle past the retention period",
        )
        archived += 1
    return archived


def apply_retention(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """The retention run (command `discussions_retention`): (deleted, archived)."""
    now = now or timezone.now()
    deleted = delete_expired_pupil_discussion(now=now)
    return deleted, archive_idle_pupil_spaces(now=now)
