"""Counting, against hand-worked examples and an independent reference on generated ballots."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from netlearn.decisions import counting

A, B, C, D = 1, 2, 3, 4


def test_instant_runoff_matches_the_hand_worked_example():
    # 10 ballots. Round 1: A 4, B 3, C 2, D 1; D goes, its ballot passes to C.
    # Round 2: A 4, B 3, C 3, no majority of 10; B and C are level, but C had fewer in round 1,
    # so C goes: two ballots pass to B, one (D, C) is exhausted.
    # Round 3: A 4, B 5 of the 9 still counting: B wins.
    ballots = [[A, B, C]] * 4 + [[B, C, A]] * 3 + [[C, B, A]] * 2 + [[D, C]]
    result = counting.instant_runoff(ballots, [A, B, C, D])
    assert result.winner == B
    assert [round_.counts for round_ in result.rounds] == [
        {A: 4, B: 3, C: 2, D: 1},
        {A: 4, B: 3, C: 3},
        {A: 4, B: 5},
    ]
    assert [round_.eliminated for round_ in result.rounds] == [D, C, None]


def test_level_in_every_round_the_option_listed_later_goes():
    # Round 1: A 2, B 1, C 1, D 1: D (listed last) goes, to B. Round 2: A 2, B 2, C 1: C goes,
    # to B. Round 3: B 3 of 5 wins.
    ballots = [[A], [A], [B, C], [C, B], [D, B]]
    result = counting.instant_runoff(ballots, [A, B, C, D])
    assert [round_.eliminated for round_ in result.rounds] == [D, C, None]
    assert result.winner == B


def test_options_all_level_are_a_tie():
    result = counting.instant_runoff([[A, B], [B, A]], [A, B, C])
    # C had no votes and goes; A and B are then level: no winner.
    assert result.winner is None and result.tied == (A, B)


def test_no_ballots_no_winner():
    result = counting.instant_runoff([], [A, B])
    assert result.winner is None and result.tied == ()


def reference_instant_runoff(ballots, options):
    """Written apart from `counting`: the loser is the least by (this round's count, each earlier
    round's count from the latest back, later listing), compared as one tuple."""
    alive = list(options)
    history: list[Counter] = []
    while True:
        firsts = Counter()
        for ballot in ballots:
            top = next((option for option in ballot if option in alive), None)
            if top is not None:
                firsts[top] += 1
        counted = sum(firsts.values())
        if counted == 0:
            return None, ()
        majority = [option for option in alive if 2 * firsts[option] > counted]
        if majority:
            return majority[0], ()
        if len({firsts[option] for option in alive}) == 1:
            return None, tuple(alive)
        history.append(firsts)
        loser = min(
            alive,
            key=lambda option: (
                tuple(past[option] for past in reversed(history)),
                -options.index(option),
            ),
        )
        alive.remove(loser)


@st.composite
def elections(draw):
    options = list(range(1, draw(st.integers(min_value=1, max_value=6)) + 1))
    ballot = st.permutations(options).flatmap(
        lambda order: st.integers(min_value=0, max_value=len(order)).map(lambda k: order[:k])
    )
    return draw(st.lists(ballot, max_size=40)), options


@settings(max_examples=500, deadline=None)
@given(elections())
def test_instant_runoff_agrees_with_the_reference(election):
    ballots, options = election
    result = counting.instant_runoff(ballots, options)
    assert (result.winner, result.tied) == reference_instant_runoff(ballots, options)
    if result.winner is not None:
        final = result.rounds[-1].counts
        assert 2 * final[result.winner] > sum(final.values())


def test_plurality_and_score_ties_and_winners():
    assert counting.plurality([A, B, B], [A, B]).winner == B
    assert counting.plurality([A, B], [A, B]).tied == (A, B)
    assert counting.score([{A: 5, B: 1}, {A: 0, B: 3}], [A, B]).winner == A


def test_a_time_poll_tie_takes_the_earliest_time():
    assert counting.time_poll([[A, B], [B, A]], [A, B]).winner == A


def test_consent_counts_blocks_and_quorum():
    assert counting.consent(["agree", "block"], members=3, quorum_percent=None).blocked
    assert not counting.consent(["agree"], members=3, quorum_percent=50).quorum_met
    assert counting.consent(["agree", "abstain"], members=3, quorum_percent=50).quorum_met
