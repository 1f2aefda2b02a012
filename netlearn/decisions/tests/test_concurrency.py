"""Ballots cast at the same moment all reach the box, once each (PostgreSQL)."""

from netlearn.core.tests.concurrency import THREADED, at_once
from netlearn.decisions import services
from netlearn.decisions.errors import AlreadyVoted
from netlearn.decisions.models import BallotBox, Voter

from .factories import heads_group, proposal

pytestmark = THREADED


def test_simultaneous_secret_ballots_are_all_counted_once(world):
    made = proposal(world, heads_group(world), method="vote", options=["A", "B"], is_secret=True)
    a = made.options.first().pk
    voters = [world.co_leader, world.school_lead, world.teacher, world.teacher]
    answers = at_once(
        [
            lambda person=person: services.cast_ballot(proposal=made, by=person, choice=[a])
            for person in voters
        ]
    )
    assert sum(isinstance(answer, AlreadyVoted) for answer in answers) == 1
    assert all(answer is None or isinstance(answer, AlreadyVoted) for answer in answers)
    assert Voter.objects.count() == 3
    assert BallotBox.objects.get().ballots == [[a]] * 3


def test_a_position_and_a_closing_do_not_cross(world):
    made = proposal(world, heads_group(world))
    answers = at_once(
        [
            lambda: services.take_position(proposal=made, by=world.teacher, stance="agree"),
            lambda: services.close_proposal(proposal=made, by=world.co_leader),
        ]
    )
    made.refresh_from_db()
    counted = made.result["taking_part"]
    recorded = made.current_revision.positions.count()
    # Either the position came first and was counted, or the closing came first and the
    # position was refused: never a position recorded after its proposal was counted.
    assert counted == recorded
    assert answers[1] is not None
