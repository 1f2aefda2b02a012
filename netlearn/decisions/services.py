"""Writes: proposing, taking a position or casting a ballot, revising, closing.

Each service runs in one transaction, checks the policy (PermissionDenied) and the rules of
deciding (DecisionError), and tells the group after the commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from netlearn.core.policy import require
from netlearn.networks import selectors as network_selectors
from netlearn.notifications.models import NotificationKind
from netlearn.notifications.services import notify

from . import counting, policy, selectors
from .errors import AlreadyVoted, CannotRevise, DecisionError, NotADecider, ProposalClosed
from .models import (
    MAX_SCORE,
    OPTION_METHODS,
    SECRET_METHODS,
    STANCES_NEEDING_REASON,
    BallotBox,
    ConsentRule,
    GroupRule,
    Method,
    Option,
    Outcome,
    Position,
    Proposal,
    Revision,
    Stance,
    Voter,
)

MAX_OPTIONS = 20
# A proposal may stay open for a term at most: decisions that wait longer are not being made.
LONGEST_OPEN = datetime.timedelta(days=120)
LONGEST_AHEAD = datetime.timedelta(days=366)


def _clean(text: str | None) -> str:
    return (text or "").replace("\x00", "").strip()


def _check_closing(closes_at: datetime.datetime) -> None:
    now = timezone.now()
    if closes_at is None or closes_at <= now:
        raise DecisionError(_("Choose a closing time in the future."))
    if closes_at > now + LONGEST_OPEN:
        raise DecisionError(_("A proposal can stay open for at most 120 days."))


def _options(method: str, options: Sequence, starts: Sequence | None) -> list[tuple[str, object]]:
    if method not in OPTION_METHODS:
        if any(_clean(label) for label in options or ()):
            raise DecisionError(
                _("A consent proposal has no options: the group consents to its text.")
            )
        return []
    if method == Method.TIME_POLL:
        times = sorted({start for start in (starts or ()) if start is not None})
        now = timezone.now()
        if any(start <= now or start > now + LONGEST_AHEAD for start in times):
            raise DecisionError(_("Give times in the coming year."))
        if len(times) < 2:
            raise DecisionError(_("Give at least two times to choose from."))
        if len(times) > MAX_OPTIONS:
            raise DecisionError(_("Give at most %(number)s times.") % {"number": MAX_OPTIONS})
        return [
            (timezone.localtime(start).strftime("%a %d %b %Y, %H:%M"), start) for start in times
        ]
    labels = [_clean(label) for label in options or () if _clean(label)]
    if len(labels) < 2:
        raise DecisionError(_("Give at least two options."))
    if len(labels) > MAX_OPTIONS:
        raise DecisionError(_("Give at most %(number)s options.") % {"number": MAX_OPTIONS})
    if any(len(label) > 200 for label in labels):
        raise DecisionError(_("Keep each option under 200 characters."))
    if len({label.casefold() for label in labels}) != len(labels):
        raise DecisionError(_("Each option must be different."))
    return [(label, None) for label in labels]


def _link(proposal: Proposal) -> str:
    return reverse("decisions:proposal", args=[proposal.network.slug, proposal.pk])


def _tell_opened(proposal: Proposal, *, revised: bool) -> None:
    deciders = list(selectors.deciders_of(proposal=proposal))
    what = "revised and reopened" if revised else "opened"
    notify(
        recipients=deciders,
        kind=NotificationKind.DECISION_OPENED,
        text=f"{proposal.group.name}: “{proposal.title}” is {what} for your position, "
        f"until {timezone.localtime(proposal.closes_at):%d %b %H:%M}.",
        url=_link(proposal),
    )


def _tell_closed(proposal: Proposal) -> None:
    recipients = list(selectors.deciders_of(proposal=proposal))
    if proposal.proposed_by is not None and proposal.proposed_by.pk not in {
        person.pk for person in recipients
    }:
        recipients.append(proposal.proposed_by)
    notify(
        recipients=recipients,
        kind=NotificationKind.DECISION_CLOSED,
        text=f"{proposal.group.name}: “{proposal.title}” closed. {proposal.outcome_summary}",
        url=_link(proposal),
    )


@transaction.atomic
def set_group_rule(*, group, by, consent_rule: str, quorum_percent: int = 50) -> GroupRule:
    require(policy.can_set_rules(by, group.network))
    if consent_rule not in ConsentRule.values:
        raise DecisionError(_("Choose one of the consent rules."))
    if not 1 <= int(quorum_percent) <= 100:
        raise DecisionError(_("A quorum is a share of the group from 1 to 100 per cent."))
    rule, _created = GroupRule.objects.update_or_create(
        group=group, defaults={"consent_rule": consent_rule, "quorum_percent": quorum_percent}
    )
    return rule


def _check_activity(network, activity) -> None:
    if activity is not None and activity.network_id != network.pk:
        raise DecisionError(_("Choose one of the network's meetings."))


@transaction.atomic
def link_proposal(*, proposal: Proposal, by, activity=None, concerns_charter: bool) -> Proposal:
    """Files the decision in the network's record: the meeting where it was taken (listed beside
    that meeting's minutes) and whether it concerns the charter (listed on the charter)."""
    require(policy.can_manage(by, proposal))
    _check_activity(proposal.network, activity)
    proposal.activity = activity
    proposal.concerns_charter = concerns_charter
    proposal.save(update_fields=["activity", "concerns_charter"])
    return proposal


def _ballot_order(ballot) -> tuple:
    """Ballots in the order of what they hold: option ids compared as numbers (a ranking or a
    choice), or a score sheet's (option id, score) pairs, so the same ballots always sort alike."""
    if isinstance(ballot, dict):
        return (1, tuple(sorted((int(key), value) for key, value in ballot.items())))
    return (0, tuple(ballot))


@transaction.atomic
def create_proposal(
    *,
    network,
    group,
    by,
    title: str,
    text: str,
    method: str,
    closes_at: datetime.datetime,
    options: Sequence[str] = (),
    starts: Sequence[datetime.datetime] | None = None,
    is_secret: bool = False,
    activity=None,
    concerns_charter: bool = False,
) -> Proposal:
    if group.network_id != network.pk:
        raise DecisionError(_("Choose one of the network's groups."))
    _check_activity(network, activity)
    member_ids = set(
        network_selectors.person_ids_in_groups(group_ids=[group.pk]).values_list(
            "person_id", flat=True
        )
    )
    require(policy.can_propose(by, network, group_member_ids=member_ids))
    title, text = _clean(title), _clean(text)
    if not title:
        raise DecisionError(_("Give the proposal a title."))
    if len(title) > 200:
        raise DecisionError(_("Keep the title under 200 characters."))
    if not text:
        raise DecisionError(_("Say what is proposed."))
    if len(text) > 20000:
        raise DecisionError(_("Keep the proposal under 20,000 characters."))
    if method not in Method.values:
        raise DecisionError(_("Choose how the group decides."))
    if is_secret and method not in SECRET_METHODS:
        raise DecisionError(
            _(
                "Consent and time polls are decided by name; only votes, ranked choice and scores "
                "can be secret."
            )
        )
    _check_closing(closes_at)
    cleaned = _options(method, options, starts)
    proposal = Proposal.objects.create(
        network=network,
        group=group,
        title=title,
        method=method,
        is_secret=is_secret,
        proposed_by=by,
        closes_at=closes_at,
        activity=activity,
        concerns_charter=concerns_charter,
    )
    revision = Revision.objects.create(proposal=proposal, number=1, text=text, created_by=by)
    proposal.current_revision = revision
    proposal.save(update_fields=["current_revision"])
    Option.objects.bulk_create(
        Option(proposal=proposal, label=label, position=index, starts_at=start)
        for index, (label, start) in enumerate(cleaned)
    )
    if is_secret:
        BallotBox.objects.create(revision=revision)
    transaction.on_commit(lambda: _tell_opened(proposal, revised=False))
    return proposal


def _locked(proposal: Proposal) -> Proposal:
    """The proposal locked for this transaction: a position and a closing never cross."""
    locked = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("network", "group", "proposed_by", "current_revision")
        .get(pk=proposal.pk)
    )
    return locked


def _check_can_take_part(proposal: Proposal, by) -> None:
    require(policy.can_view_proposal(by, proposal))
    if not proposal.is_open or proposal.is_past_closing():
        raise ProposalClosed(_("This proposal has closed."))
    if not policy.is_decider(by, proposal, decider_ids=selectors.decider_ids_of(proposal=proposal)):
        raise NotADecider(
            _("Only members of %(group)s take part in this decision.")
            % {"group": proposal.group.name}
        )


def _choice(proposal: Proposal, *, choice, scores) -> tuple[list[int], dict[str, int]]:
    """Checks a ballot's shape against the method and the proposal's options."""
    option_ids = [option.pk for option in proposal.options.all()]
    known = set(option_ids)
    choice = list(choice or [])
    if proposal.method == Method.VOTE:
        if len(choice) != 1 or choice[0] not in known:
            raise DecisionError(_("Choose one of the options."))
        return choice, {}
    if proposal.method == Method.RANKED:
        if not choice:
            raise DecisionError(_("Rank at least one option."))
        if len(set(choice)) != len(choice) or not set(choice) <= known:
            raise DecisionError(_("Rank each of the proposal's options at most once."))
        return choice, {}
    if proposal.method == Method.TIME_POLL:
        if len(set(choice)) != len(choice) or not set(choice) <= known:
            raise DecisionError(_("Choose among the proposal's times."))
        # No time at all is a position too: "I can come to none of these".
        return sorted(choice, key=option_ids.index), {}
    if proposal.method == Method.SCORE:
        try:
            scores = {int(key): value for key, value in (scores or {}).items()}
        except (TypeError, ValueError):
            raise DecisionError(_("Give every option a score.")) from None
        if set(scores) != known:
            raise DecisionError(_("Give every option a score."))
        if any(
            not isinstance(value, int) or not 0 <= value <= MAX_SCORE for value in scores.values()
        ):
            raise DecisionError(_("Scores run from 0 to %(most)s.") % {"most": MAX_SCORE})
        return [], {str(key): scores[key] for key in option_ids}
    raise DecisionError(_("This proposal is decided by consent: give your position."))


@transaction.atomic
def take_position(
    *,
    proposal: Proposal,
    by,
    stance: str = "",
    reason: str = "",
    choice: Sequence[int] = (),
    scores: dict | None = None,
) -> Position:
    """Records or changes `by`'s named position on the current revision of an open proposal."""
    proposal = _locked(proposal)
    _check_can_take_part(proposal, by)
    if proposal.is_secret:
        raise DecisionError(_("This is a secret ballot: cast your ballot instead."))
    reason = _clean(reason)
    if len(reason) > 5000:
        raise DecisionError(_("Keep the reason under 5,000 characters."))
    if proposal.method == Method.CONSENT:
        if stance not in Stance.values:
            raise DecisionError(_("Agree, stand aside, disagree or block."))
        if stance in STANCES_NEEDING_REASON and not reason:
            raise DecisionError(_("Say why you block, so that the proposal can be revised."))
        choice_ids, score_map = [], {}
    else:
        if stance:
            raise DecisionError(_("This proposal is not decided by consent."))
        choice_ids, score_map = _choice(proposal, choice=choice, scores=scores)
    position, _created = Position.objects.update_or_create(
        revision=proposal.current_revision,
        person=by,
        defaults={
            "stance": stance,
            "reason": reason,
            "choice": choice_ids,
            "scores": score_map,
            "updated_at": timezone.now(),
        },
    )
    return position


@transaction.atomic
def cast_ballot(
    *, proposal: Proposal, by, choice: Sequence[int] = (), scores: dict | None = None
) -> None:
    """Records that `by` voted and puts their ballot in the box, apart from their name.

    Returns nothing: a ballot must never be handed back alongside the person who cast it.
    """
    proposal = _locked(proposal)
    _check_can_take_part(proposal, by)
    if not proposal.is_secret:
        raise DecisionError(_("This decision is open: give your position by name."))
    choice_ids, score_map = _choice(proposal, choice=choice, scores=scores)
    revision = proposal.current_revision
    try:
        with transaction.atomic():
            Voter.objects.create(revision=revision, person=by)
    except IntegrityError:
        raise AlreadyVoted(
            _("You have voted already; a secret ballot cannot be changed.")
        ) from None
    ballot = score_map if proposal.method == Method.SCORE else choice_ids
    box = BallotBox.objects.select_for_update().get(revision=revision)
    # Sorted by content, so that the list says nothing of the order ballots came in.
    box.ballots = sorted([*box.ballots, ballot], key=_ballot_order)
    box.save(update_fields=["ballots"])


@transaction.atomic
def revise_proposal(
    *, proposal: Proposal, by, text: str, change_note: str, closes_at: datetime.datetime
) -> Revision:
    """A blocked consent proposal is revised: a new revision, positions start again, and the
    earlier revision keeps its positions as history."""
    proposal = _locked(proposal)
    require(policy.can_view_proposal(by, proposal) and policy.can_manage(by, proposal))
    if proposal.method != Method.CONSENT:
        raise CannotRevise(_("Only consent proposals are revised; start a new proposal instead."))
    previous = proposal.current_revision
    if not previous.positions.filter(stance=Stance.BLOCK).exists():
        raise CannotRevise(_("Only a blocked proposal is revised."))
    text, change_note = _clean(text), _clean(change_note)
    if not text:
        raise DecisionError(_("Say what is now proposed."))
    if len(text) > 20000:
        raise DecisionError(_("Keep the proposal under 20,000 characters."))
    if not change_note:
        raise DecisionError(_("Say what changed, and how it answers the block."))
    if len(change_note) > 500:
        raise DecisionError(_("Keep the note of what changed under 500 characters."))
    _check_closing(closes_at)
    previous.outcome = Outcome.REVISED
    previous.save(update_fields=["outcome"])
    revision = Revision.objects.create(
        proposal=proposal,
        number=previous.number + 1,
        text=text,
        change_note=change_note,
        created_by=by,
    )
    proposal.current_revision = revision
    proposal.closes_at = closes_at
    # A blocked proposal that closed is reopened by its revision.
    proposal.closed_at = None
    proposal.outcome = ""
    proposal.outcome_summary = ""
    proposal.result = {}
    proposal.save(
        update_fields=[
            "current_revision",
            "closes_at",
            "closed_at",
            "outcome",
            "outcome_summary",
            "result",
        ]
    )
    transaction.on_commit(lambda: _tell_opened(proposal, revised=True))
    return revision


def _count(proposal: Proposal) -> tuple[str, str, dict]:
    """(outcome, summary, result) of the current revision."""
    revision = proposal.current_revision
    options = list(proposal.options.all())
    option_ids = [option.pk for option in options]
    labels = {option.pk: option.label for option in options}
    members = selectors.deciders_of(proposal=proposal).count()
    if proposal.is_secret:
        ballots = list(revision.ballot_box.ballots)
        taking_part = len(ballots)
    else:
        positions = list(revision.positions.all())
        taking_part = len(positions)
    result: dict = {"members": members, "taking_part": taking_part}
    if proposal.method == Method.CONSENT:
        rule = selectors.rule_of(group=proposal.group)
        quorum = (
            rule.quorum_percent
            if rule is not None and rule.consent_rule == ConsentRule.NO_BLOCKS_AND_QUORUM
            else None
        )
        count = counting.consent(
            [position.stance for position in positions], members=members, quorum_percent=quorum
        )
        result.update(counts=count.counts, quorum_percent=quorum)
        if count.blocked:
            blocks = count.counts.get(Stance.BLOCK, 0)
            return Outcome.BLOCKED, f"Blocked by {blocks} of {members}.", result
        if not taking_part:
            return Outcome.NO_VOTES, "Nobody gave a position.", result
        if not count.quorum_met:
            return (
                Outcome.NO_QUORUM,
                f"No quorum: {taking_part} of {members} took part, {quorum}% needed.",
                result,
            )
        agreed = count.counts.get(Stance.AGREE, 0)
        return Outcome.CONSENTED, f"Consented: {agreed} agreed, nobody blocked.", result
    if not taking_part:
        return Outcome.NO_VOTES, "Nobody took part.", result
    if proposal.method == Method.RANKED:
        rankings = ballots if proposal.is_secret else [position.choice for position in positions]
        ranked = counting.instant_runoff(rankings, option_ids)
        result["rounds"] = [
            {
                "counts": {str(k): v for k, v in round_.counts.items()},
                "eliminated": round_.eliminated,
            }
            for round_ in ranked.rounds
        ]
        winner, tied = ranked.winner, ranked.tied
        totals = None
    else:
        if proposal.method == Method.VOTE:
            choices = ballots if proposal.is_secret else [position.choice for position in positions]
            tally = counting.plurality([choice[0] for choice in choices if choice], option_ids)
        elif proposal.method == Method.SCORE:
            marks = ballots if proposal.is_secret else [position.scores for position in positions]
            tally = counting.score(
                [{int(k): v for k, v in mark.items()} for mark in marks], option_ids
            )
        else:
            tally = counting.time_poll([position.choice for position in positions], option_ids)
        totals = {str(k): v for k, v in tally.totals.items()}
        result["totals"] = totals
        winner, tied = tally.winner, tally.tied
    if winner is not None:
        result["winner"] = winner
        return Outcome.CHOSEN, f"Decided: {labels[winner]}.", result
    if tied:
        result["tied"] = list(tied)
        return Outcome.TIED, "Tied: " + ", ".join(labels[option] for option in tied) + ".", result
    return Outcome.NO_VOTES, "No option was chosen.", result


@transaction.atomic
def close_proposal(*, proposal: Proposal, by) -> Proposal:
    """Counts and closes; `by` None is the scheduled closing. Closing twice changes nothing."""
    proposal = _locked(proposal)
    if by is not None:
        require(policy.can_view_proposal(by, proposal) and policy.can_manage(by, proposal))
    if not proposal.is_open:
        proposal.closed_now = False
        return proposal
    outcome, summary, result = _count(proposal)
    proposal.outcome, proposal.outcome_summary, proposal.result = outcome, summary, result
    proposal.closed_at = timezone.now()
    proposal.save(update_fields=["outcome", "outcome_summary", "result", "closed_at"])
    revision = proposal.current_revision
    revision.outcome = outcome
    revision.save(update_fields=["outcome"])
    transaction.on_commit(lambda: _tell_closed(proposal))
    proposal.closed_now = True
    return proposal


def close_due_proposals(*, now: datetime.datetime | None = None) -> int:
    """Closes every proposal past its closing time, each in its own transaction; safe to run
    twice or alongside itself (each closing locks its proposal and skips a closed one)."""
    closed = 0
    for proposal in selectors.proposals_due_to_close(now=now or timezone.now()):
        closed += close_proposal(proposal=proposal, by=None).closed_now
    return closed
