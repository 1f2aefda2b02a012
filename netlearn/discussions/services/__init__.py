"""Writes: spaces, threads, posts, moderation, reports, polls, pupils' and parents' school
records (their accounts are made in accounts.pupils and accounts.services), retention.

Every service checks the policy itself (PermissionDenied), raises a DiscussionError with a message
for the person when a rule refuses, and writes each moderation action to the append-only log.

One module a part, each re-exported here, so callers write `services.start_thread(...)`:
`spaces`, `network_settings` (blocked words, retention period), `posts` (threads, replies,
edits, attachments, posting limits), `moderation` (decisions on posts, reports),
`subscriptions`, `polls`, `pupils` and `parents` (their school records), `retention`, and `log`
(the moderation log every part writes to).
"""

from .log import write_log
from .moderation import (
    DECISIONS,
    NZ_RESPONSE_HOURS,
    acknowledge_report,
    moderate_post,
    report,
    resolve_report,
)
from .network_settings import set_network_settings, settings_for
from .parents import invite_parent
from .polls import close_poll, create_poll, vote
from .posts import (
    MAX_ATTACHMENTS,
    MAX_BODY,
    MAX_TITLE,
    PUPIL_POSTS,
    STAFF_POSTS,
    check_attachments,
    edit_post,
    reply,
    start_thread,
)
from .pupils import (
    import_pupils,
    record_rostered_pupils,
    reset_pupil_password,
    set_pupil_public_name,
)
from .retention import apply_retention, archive_idle_pupil_spaces, delete_expired_pupil_discussion
from .spaces import add_moderator, archive_space, open_space, set_moderation
from .subscriptions import subscribe, unsubscribe

__all__ = [
    "DECISIONS",
    "MAX_ATTACHMENTS",
    "MAX_BODY",
    "MAX_TITLE",
    "NZ_RESPONSE_HOURS",
    "PUPIL_POSTS",
    "STAFF_POSTS",
    "acknowledge_report",
    "add_moderator",
    "apply_retention",
    "archive_idle_pupil_spaces",
    "archive_space",
    "check_attachments",
    "close_poll",
    "create_poll",
    "delete_expired_pupil_discussion",
    "edit_post",
    "import_pupils",
    "invite_parent",
    "moderate_post",
    "open_space",
    "reply",
    "report",
    "record_rostered_pupils",
    "reset_pupil_password",
    "resolve_report",
    "set_moderation",
    "set_network_settings",
    "set_pupil_public_name",
    "settings_for",
    "start_thread",
    "subscribe",
    "unsubscribe",
    "vote",
    "write_log",
]
