"""Counting a group's positions and ballots: plain functions over option ids, no Django.

Ranked choice is instant-runoff. Each round counts every ballot for its highest-ranked option
still in the count. An option with more than half of the ballots still counting wins. Otherwise
the option with fewest votes is eliminated; when several share the fewest, the one with fewer
votes in the latest earlier round where they differed goes (backwards tie-breaking), and if they
were level in every round, the one listed later on the proposal goes. When every option left has
the same count (two options level in the final round, say), nobody wins: the result is a tie and
the group decides again. A ballot need not rank every option; once its ranked options are all
eliminated it no longer counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Round:
    counts: dict[int, int]
    eliminated: int | None


@dataclass(frozen=True)
class RankedResult:
    winner: int | None
    tied: tuple[int, ...]
    rounds: tuple[Round, ...]


def instant_runoff(ballots: Sequence[Sequence[int]], options: Sequence[int]) -> RankedResult:
    """`options` in the proposal's listing order; each ballot lists option ids, most preferred
    first. Ids on a ballot that are not options, and repeats, are ignored."""
    remaining = list(options)
    rounds: list[Round] = []
    while remaining:
        counts = dict.fromkeys(remaining, 0)
        for ballot in ballots:
            for option in ballot:
                if option in counts:
                    counts[option] += 1
                    break
        total = sum(counts.values())
        if total == 0:
            rounds.append(Round(counts, None))
            return RankedResult(None, (), tuple(rounds))
        top = max(counts.values())
        if top * 2 > total:
            rounds.append(Round(counts, None))
            winner = next(option for option in remaining if counts[option] == top)
            return RankedResult(winner, (), tuple(rounds))
        if len(set(counts.values())) == 1:
            rounds.append(Round(counts, None))
            return RankedResult(None, tuple(remaining), tuple(rounds))
        fewest = min(counts.values())
        candidates = [option for option in remaining if counts[option] == fewest]
        for earlier in reversed(rounds):
            if len(candidates) == 1:
                break
            low = min(earlier.counts[option] for option in candidates)
            candidates = [option for option in candidates if earlier.counts[option] == low]
        eliminated = candidates[-1]
        rounds.append(Round(counts, eliminated))
        remaining.remove(eliminated)
    return RankedResult(None, (), tuple(rounds))


@dataclass(frozen=True)
class Tally:
    """Per option, a count (votes, people who can come) or a total (scores); the winner, or
    the options tied for first."""

    totals: dict[int, int]
    winner: int | None
    tied: tuple[int, ...]


def _top(totals: dict[int, int], options: Sequence[int]) -> Tally:
    if not options or not any(totals.values()):
        return Tally(totals, None, ())
    top = max(totals.values())
    best = tuple(option for option in options if totals[option] == top)
    if len(best) == 1:
        return Tally(totals, best[0], ())
    return Tally(totals, None, best)


def plurality(choices: Sequence[int], options: Sequence[int]) -> Tally:
    """A simple vote: the option with most votes wins; level at the top is a tie."""
    counted = Counter(choice for choice in choices if choice in set(options))
    return _top({option: counted[option] for option in options}, options)


def score(ballots: Sequence[dict[int, int]], options: Sequence[int]) -> Tally:
    """Score voting: the highest total wins; level at the top is a tie."""
    totals = dict.fromkeys(options, 0)
    for ballot in ballots:
        for option, value in ballot.items():
            if option in totals:
                totals[option] += value
    return _top(totals, options)


def time_poll(availability: Sequence[Sequence[int]], options: Sequence[int]) -> Tally:
    """The time most can come to; when several share the most, the earliest listed is chosen
    (options are listed by time), since a meeting has to be somewhere."""
    totals = dict.fromkeys(options, 0)
    for available in availability:
        for option in set(available):
            if option in totals:
                totals[option] += 1
    if not any(totals.values()):
        return Tally(totals, None, ())
    top = max(totals.values())
    return Tally(totals, next(option for option in options if totals[option] == top), ())


@dataclass(frozen=True)
class ConsentCount:
    counts: dict[str, int]
    members: int
    quorum_met: bool
    blocked: bool


def consent(stances: Sequence[str], *, members: int, quorum_percent: int | None) -> ConsentCount:
    """`quorum_percent` None: no quorum is asked. A quorum counts everyone who gave a position,
    standing aside included."""
    counts = Counter(stances)
    taking_part = sum(counts.values())
    quorum_met = quorum_percent is None or taking_part * 100 >= quorum_percent * members
    return ConsentCount(dict(counts), members, quorum_met, counts.get("block", 0) > 0)
