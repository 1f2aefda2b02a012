"""The moderation log: every moderation action is written to it; it is append-only."""

from __future__ import annotations

from netlearn.accounts.models import Person

from ..models import ModerationLogEntry, Space


def write_log(
    *,
    action: str,
    by: Person | None,
    network_id: int | None,
    space: Space | None = None,
    thread_id: int | None = None,
    post_id: int | None = None,
    report_id: int | None = None,
    school_id: int | None = None,
    note: str = "",
) -> ModerationLogEntry:
    return ModerationLogEntry.objects.create(
        network_id=network_id,
        space_id=space.pk if space else None,
        thread_id=thread_id,
        post_id=post_id,
        report_id=report_id,
        school_id=school_id,
        actor_id=by.pk if by else None,
        actor_name=(by.name or by.username) if by else "Netlearn",
        action=action,
        note=note[:500],
    )
