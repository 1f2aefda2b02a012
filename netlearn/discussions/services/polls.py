"""Polls: creating, voting (secret ballots) and closing."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from netlearn.accounts.models import Person

from .. import policy
from ..errors import AlreadyVoted, DiscussionError, NotInAudience, PollClosed
from ..models import ModerationAction, Poll, PollOption, Space, Voter
from .log import write_log


def _year_groups(text: str) -> str:
    parts = [part.strip() for part in (text or "").replace(";", ",").split(",") if part.strip()]
    try:
        numbers = sorted({int(part) for part in parts})
    except ValueError:
        raise DiscussionError(_("Give year groups as numbers, e.g. 7, 8.")) from None
    if any(not 0 <= number <= 13 for number in numbers):
        raise DiscussionError(_("Year groups run from 0 (Reception) to 13."))
    return ", ".join(str(number) for number in numbers)


@transaction.atomic
def create_poll(
    *,
    space: Space,
    by: Person,
    question: str,
    options: list[str],
    closes_at: datetime.datetime,
    year_groups: str = "",
) -> Poll:
    if not policy.can_create_poll(by, space):
        raise PermissionDenied
    question = (question or "").replace("\x00", "").strip()
    if not question:
        raise DiscussionError(_("Ask a question."))
    labels = [label.replace("\x00", "").strip() for label in options if label.strip()]
    if len(labels) < 2:
        raise DiscussionError(_("Give at least two options."))
    if len(set(label.lower() for label in labels)) != len(labels):
        raise DiscussionError(_("Each option must be different."))
    if closes_at <= timezone.now():
        raise DiscussionError(_("A poll must close in the future."))
    poll = Poll(
        space=space,
        question=question,
        year_groups=_year_groups(year_groups),
        created_by=by,
        closes_at=closes_at,
    )
    poll.full_clean()
    poll.save()
    for position, label in enumerate(labels[:20]):
        PollOption.objects.create(poll=poll, label=label[:200], position=position)
    return poll


@transaction.atomic
def vote(*, poll: Poll, by: Person, option: PollOption) -> None:
    """Records that `by` voted, and adds one to `option`'s tally.

    Returns nothing: a vote must never be handed back alongside the person who cast it.
    """
    if not policy.can_view_space(by, poll.space):
        raise PermissionDenied
    if poll.is_closed():
        raise PollClosed(_("This poll has closed."))
    if not policy.can_vote(by, poll):
        raise NotInAudience(_("This poll is for other year groups."))
    if option.poll_id != poll.pk:
        raise DiscussionError(_("Choose one of the poll's options."))
    try:
        with transaction.atomic():
            Voter.objects.create(poll=poll, person=by)
    except IntegrityError:
        raise AlreadyVoted(_("You have voted in this poll already.")) from None
    # Every option row is rewritten by the same statement, chosen or not, so the rows' place and
    # transaction stamps (rowid, xmin, ctid) are alike whatever was chosen: only the counts differ.
    # No ballot row exists to sit next to the Voter row and give the choice away.
    PollOption.objects.filter(poll_id=poll.pk).update(
        votes=F("votes") + Case(When(pk=option.pk, then=Value(1)), default=Value(0))
    )


@transaction.atomic
def close_poll(*, poll: Poll, by: Person) -> Poll:
    if not policy.can_close_poll(by, poll):
        raise PermissionDenied
    if poll.closed_at is None:
        poll.closed_at = timezone.now()
        poll.save(update_fields=["closed_at"])
        write_log(
            action=ModerationAction.POLL_CLOSED,
            by=by,
            network_id=poll.space.network_id,
            space=poll.space,
            note=poll.question[:200],
        )
    return poll
