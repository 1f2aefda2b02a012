"""Moderators' decisions on posts, and reports: the safeguarding queue a moderator works
through (acknowledge, then resolve)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netlearn.accounts.models import Person
from netlearn.networks.models import Country

from .. import announcements, policy
from ..errors import DiscussionError
from ..models import HeldBecause, ModerationAction, Poll, Post, Report, ReportReason, Status, Thread
from .log import write_log
from .posts import opening_post_id

# New Zealand, Harmful Digital Communications Act: complaints are acted on within 48 hours.
NZ_RESPONSE_HOURS = 48


DECISIONS = {
    "approve": (Status.PUBLISHED, ModerationAction.APPROVED),
    "reject": (Status.REJECTED, ModerationAction.REJECTED),
    "remove": (Status.REMOVED, ModerationAction.REMOVED),
    "restore": (Status.PUBLISHED, ModerationAction.RESTORED),
}


@transaction.atomic
def moderate_post(*, post: Post, by: Person, decision: str, note: str = "") -> Post:
    """Approve or reject a held post; remove a published one; restore a removed one."""
    space = post.thread.space
    if not policy.can_moderate(by, space):
        raise PermissionDenied
    if decision not in DECISIONS:
        raise DiscussionError(_("Choose approve, reject, remove or restore."))
    allowed_from = {
        "approve": {Status.HELD, Status.REJECTED},
        "reject": {Status.HELD},
        "remove": {Status.PUBLISHED, Status.HELD},
        "restore": {Status.REMOVED},
    }[decision]
    if post.status not in allowed_from:
        raise DiscussionError(
            _("This post is %(lower)s already.") % {"lower": post.get_status_display().lower()}
        )
    status, action = DECISIONS[decision]
    post.status = status
    post.held_because = HeldBecause.NOTHING if status == Status.PUBLISHED else post.held_because
    post.save(update_fields=["status", "held_because"])
    thread_fields = {}
    if opening_post_id(post.thread) == post.pk:
        thread_fields["status"] = status
    if status == Status.PUBLISHED:
        thread_fields["last_activity_at"] = timezone.now()
    if thread_fields:
        Thread.objects.filter(pk=post.thread_id).update(**thread_fields)
        for name, value in thread_fields.items():
            setattr(post.thread, name, value)
    write_log(
        action=action,
        by=by,
        network_id=space.network_id,
        space=space,
        thread_id=post.thread_id,
        post_id=post.pk,
        note=note.strip(),
    )
    if decision == "approve":
        announcements.post_published(post)
    announcements.moderation_decided(post, decision)
    return post


# Reports ------------------------------------------------------------------------------------


@transaction.atomic
def report(
    *,
    by: Person,
    reason: str,
    details: str = "",
    post: Post | None = None,
    poll: Poll | None = None,
) -> Report:
    """A report reaches the moderators' safeguarding queue at once (it is the queue's row)."""
    target = post if post is not None else poll
    if target is None:
        raise DiscussionError(_("Say what you are reporting."))
    if not policy.can_report(by, target):
        raise PermissionDenied
    if reason not in ReportReason.values:
        raise DiscussionError(_("Choose why you are reporting this."))
    space = post.thread.space if post is not None else poll.space
    now = timezone.now()
    made = Report.objects.create(
        space=space,
        post=post,
        poll=poll,
        reporter=by,
        reason=reason,
        details=(details or "").replace("\x00", "").strip()[:2000],
        created_at=now,
        respond_by=(
            now + datetime.timedelta(hours=NZ_RESPONSE_HOURS)
            if space.network.country == Country.NEW_ZEALAND
            else None
        ),
    )
    write_log(
        action=ModerationAction.REPORTED,
        by=by,
        network_id=space.network_id,
        space=space,
        thread_id=post.thread_id if post else None,
        post_id=post.pk if post else None,
        report_id=made.pk,
        note=ReportReason(reason).label,
    )
    announcements.report_made(made)
    return made


@transaction.atomic
def acknowledge_report(*, report: Report, by: Person, note: str = "") -> Report:
    """The first step of a complaint: a moderator has seen it (logged, with the time)."""
    if not policy.can_moderate(by, report.space):
        raise PermissionDenied
    if report.resolved_at is not None:
        raise DiscussionError(_("This report is resolved already."))
    if report.acknowledged_at is not None:
        raise DiscussionError(_("This report is acknowledged already."))
    report.acknowledged_at, report.acknowledged_by = timezone.now(), by
    report.save(update_fields=["acknowledged_at", "acknowledged_by"])
    left = report.time_left(report.acknowledged_at)
    timing = ""
    if left is not None:
        hours = abs(left.total_seconds()) / 3600
        timing = (
            f"{hours:.0f} h before the 48-hour step"
            if left.total_seconds() >= 0
            else (f"{hours:.0f} h after the 48-hour step")
        )
    write_log(
        action=ModerationAction.ACKNOWLEDGED,
        by=by,
        network_id=report.space.network_id,
        space=report.space,
        post_id=report.post_id,
        report_id=report.pk,
        note="; ".join(part for part in (timing, (note or "").strip()) if part),
    )
    return report


@transaction.atomic
def resolve_report(*, report: Report, by: Person, resolution: str) -> Report:
    if not policy.can_moderate(by, report.space):
        raise PermissionDenied
    resolution = (resolution or "").replace("\x00", "").strip()
    if not resolution:
        raise DiscussionError(_("Say what was done about the report."))
    if report.resolved_at is not None:
        raise DiscussionError(_("This report is resolved already."))
    report.resolved_at, report.resolved_by, report.resolution = timezone.now(), by, resolution
    if report.acknowledged_at is None:
        # Resolving acknowledges too: the log then shows both steps of the complaint.
        report.acknowledged_at, report.acknowledged_by = report.resolved_at, by
    report.save(
        update_fields=[
            "resolved_at",
            "resolved_by",
            "resolution",
            "acknowledged_at",
            "acknowledged_by",
        ]
    )
    write_log(
        action=ModerationAction.RESOLVED,
        by=by,
        network_id=report.space.network_id,
        space=report.space,
        post_id=report.post_id,
        report_id=report.pk,
        note=resolution,
    )
    return report
