"""Writes to activities, RSVPs, registers, feedback, notes, actions and release time.

Each service checks the policy itself, runs in one transaction, refuses bad input with a domain
error from `errors.py` before changing anything, and sends email only once the change commits.

One module per part: `scheduling` (activities, their dates and audience), `rsvps` (answers, the
waiting list and the register), `visits` (feedback after a walk or visit), `notes` (notes and
actions), `release` (cover), `network_settings`, `feeds` (calendar feed secrets) and `mail` (the
emails the tasks send). Callers use `from netlearn.activities import services` and the names
below; a test that replaces a name a service looks up replaces it in the module that looks it up.
"""

from .feeds import FEED_TOKEN_PREFIX, create_feed_token, hash_feed_secret, revoke_feed_token
from .mail import send_cancellation, send_invitations
from .network_settings import set_attendance_commitment
from .notes import add_action, post_note, remind_actions_due, set_action_status
from .release import decide_release, request_release
from .rsvps import record_attendance, respond, rsvp_closes_at, take_register, waiting_position
from .scheduling import (
    ACTIVITY_FIELDS,
    EARLIEST_YEAR,
    LATEST_YEAR,
    cancel_activity,
    cancel_occurrence,
    create_activity,
    move_occurrence,
    update_activity,
)
from .visits import give_feedback

__all__ = [
    "ACTIVITY_FIELDS",
    "EARLIEST_YEAR",
    "FEED_TOKEN_PREFIX",
    "LATEST_YEAR",
    "add_action",
    "cancel_activity",
    "cancel_occurrence",
    "create_activity",
    "create_feed_token",
    "decide_release",
    "give_feedback",
    "hash_feed_secret",
    "move_occurrence",
    "post_note",
    "record_attendance",
    "remind_actions_due",
    "request_release",
    "respond",
    "revoke_feed_token",
    "rsvp_closes_at",
    "send_cancellation",
    "send_invitations",
    "set_action_status",
    "set_attendance_commitment",
    "take_register",
    "update_activity",
    "waiting_position",
]
