import datetime
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from netlearn.decisions import selectors, services
from netlearn.decisions.errors import (
    AlreadyVoted,
    CannotRevise,
    DecisionError,
    NotADecider,
    ProposalClosed,
)
from netlearn.decisions.models import (
    BallotBox,
    ConsentRule,
    Outcome,
    Position,
    Proposal,
    Voter,
)
from netlearn.networks import services as network_services
from netlearn.notifications.models import Notification, NotificationKind

from .factories import heads_group, proposal, soon

pytestmark = pytest.mark.django_db


def option_ids(proposal_):
    return [option.pk for option in proposal_.options.all()]


def test_a_consent_proposal_with_no_blocks_is_consented(world):
    group = heads_group(world)
    made = proposal(world, group)
    services.take_position(proposal=made, by=world.co_leader, stance="agree")
    services.take_position(proposal=made, by=world.school_lead, stance="abstain")
    closed = services.close_proposal(proposal=made, by=world.co_leader)
    assert closed.outcome == Outcome.CONSENTED
    assert closed.result["counts"] == {"agree": 1, "abstain": 1}


def test_a_block_needs_a_reason_and_blocks(world):
    group = heads_group(world)
    made = proposal(world, group)
    with pytest.raises(DecisionError, match="why you block"):
        services.take_position(proposal=made, by=world.teacher, stance="block")
    assert not Position.objects.exists()
    services.take_position(proposal=made, by=world.teacher, stance="block", reason="Clashes")
    services.take_position(proposal=made, by=world.co_leader, stance="agree")
    closed = services.close_proposal(proposal=made, by=world.co_leader)
    assert closed.outcome == Outcome.BLOCKED


def test_a_blocked_proposal_is_revised_and_positions_start_again(world):
    group = heads_group(world)
    made = proposal(world, group)
    services.take_position(proposal=made, by=world.teacher, stance="block", reason="Clashes")
    services.take_position(proposal=made, by=world.co_leader, stance="agree")
    first = made.current_revision
    revision = services.revise_proposal(
        proposal=made,
        by=world.co_leader,
        text="On 10 March instead.",
        change_note="Moved",
        closes_at=soon(),
    )
    made.refresh_from_db()
    assert revision.number == 2 and made.current_revision == revision
    assert not revision.positions.exists()
    first.refresh_from_db()
    assert first.outcome == Outcome.REVISED and first.positions.count() == 2
    for person in (world.teacher, world.co_leader, world.school_lead):
        services.take_position(proposal=made, by=person, stance="agree")
    assert services.close_proposal(proposal=made, by=world.co_leader).outcome == Outcome.CONSENTED


def test_an_unblocked_proposal_is_not_revised(world):
    made = proposal(world, heads_group(world))
    with pytest.raises(CannotRevise):
        services.revise_proposal(
            proposal=made, by=world.co_leader, text="x", change_note="y", closes_at=soon()
        )


def test_a_quorum_rule_needs_enough_of_the_group(world):
    group = heads_group(world)
    services.set_group_rule(
        group=group,
        by=world.co_leader,
        consent_rule=ConsentRule.NO_BLOCKS_AND_QUORUM,
        quorum_percent=60,
    )
    made = proposal(world, group)
    services.take_position(proposal=made, by=world.co_leader, stance="agree")
    assert services.close_proposal(proposal=made, by=world.co_leader).outcome == Outcome.NO_QUORUM


def test_only_members_of_the_deciding_group_take_part(world):
    made = proposal(world, heads_group(world))
    with pytest.raises(NotADecider):
        services.take_position(proposal=made, by=world.data_lead, stance="agree")
    with pytest.raises(PermissionDenied):
        services.take_position(proposal=made, by=world.foreign_teacher, stance="agree")
    assert not Position.objects.exists()


def test_a_closed_proposal_takes_no_positions(world):
    made = proposal(world, heads_group(world))
    services.close_proposal(proposal=made, by=world.co_leader)
    with pytest.raises(ProposalClosed):
        services.take_position(proposal=made, by=world.teacher, stance="agree")


def test_a_simple_vote_is_decided_by_most_votes(world):
    made = proposal(world, heads_group(world), method="vote", options=["Monday", "Friday"])
    monday, friday = option_ids(made)
    services.take_position(proposal=made, by=world.co_leader, choice=[friday])
    services.take_position(proposal=made, by=world.teacher, choice=[friday])
    services.take_position(proposal=made, by=world.school_lead, choice=[monday])
    closed = services.close_proposal(proposal=made, by=world.co_leader)
    assert closed.outcome == Outcome.CHOSEN and closed.outcome_summary == "Decided: Friday."


def test_a_ranked_choice_is_counted_by_instant_runoff(world):
    group = heads_group(world)
    for person in (world.data_lead, world.safeguarding_lead):
        network_services.add_group_member(group=group, person=person, by=world.admin)
    made = proposal(world, group, method="ranked", options=["A", "B", "C"])
    a, b, c = option_ids(made)
    ballots = {
        world.co_leader: [a],
        world.teacher: [a],
        world.school_lead: [b, c],
        world.data_lead: [c, b],
        world.safeguarding_lead: [c, b],
    }
    for person, ranking in ballots.items():
        services.take_position(proposal=made, by=person, choice=ranking)
    # A 2, B 1, C 2 of 5: B goes, its ballot moves to C, which wins 3 to 2.
    closed = services.close_proposal(proposal=made, by=world.co_leader)
    assert closed.result["winner"] == c
    assert [round_["eliminated"] for round_ in closed.result["rounds"]] == [b, None]


def test_scores_need_every_option_within_range(world):
    made = proposal(world, heads_group(world), method="score", options=["A", "B"])
    a, b = option_ids(made)
    with pytest.raises(DecisionError, match="every option"):
        services.take_position(proposal=made, by=world.teacher, scores={a: 3})
    with pytest.raises(DecisionError, match="0 to 5"):
        services.take_position(proposal=made, by=world.teacher, scores={a: 3, b: 9})
    services.take_position(proposal=made, by=world.teacher, scores={a: 3, b: 4})
    assert services.close_proposal(proposal=made, by=world.co_leader).result["winner"] == b


def test_a_time_poll_chooses_the_time_most_can_come_to(world):
    base = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    made = proposal(
        world,
        heads_group(world),
        method="time_poll",
        starts=[base, base + datetime.timedelta(hours=2)],
    )
    early, late = option_ids(made)
    services.take_position(proposal=made, by=world.teacher, choice=[late])
    services.take_position(proposal=made, by=world.co_leader, choice=[early, late])
    assert services.close_proposal(proposal=made, by=world.co_leader).result["winner"] == late


def test_a_secret_ballot_keeps_voter_and_ballot_apart(world):
    made = proposal(world, heads_group(world), method="vote", options=["A", "B"], is_secret=True)
    a, b = option_ids(made)
    services.cast_ballot(proposal=made, by=world.teacher, choice=[b])
    services.cast_ballot(proposal=made, by=world.co_leader, choice=[a])
    with pytest.raises(AlreadyVoted):
        services.cast_ballot(proposal=made, by=world.teacher, choice=[a])
    with pytest.raises(DecisionError):
        services.take_position(proposal=made, by=world.school_lead, choice=[a])
    assert not Position.objects.exists()
    assert Voter.objects.count() == 2
    # Sorted by content, not in the order cast: the teacher voted first, for B.
    assert a < b and BallotBox.objects.get().ballots == [[a], [b]]
    closed = services.close_proposal(proposal=made, by=world.co_leader)
    assert closed.outcome == Outcome.TIED


def test_consent_cannot_be_secret(world):
    with pytest.raises(DecisionError, match="by name"):
        proposal(world, heads_group(world), is_secret=True)
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": ""}, "title"),
        ({"text": "  "}, "what is proposed"),
        ({"closes_at": timezone.now() - datetime.timedelta(hours=1)}, "future"),
        ({"method": "vote", "options": ["Same", "same"]}, "different"),
        ({"method": "vote", "options": ["Only one"]}, "two options"),
        ({"method": "dice"}, "how the group decides"),
    ],
)
def test_bad_proposals_are_refused_and_change_nothing(world, changes, message):
    group = heads_group(world)
    fields = {
        "network": world.network,
        "group": group,
        "by": world.co_leader,
        "title": "T",
        "text": "Text",
        "method": "consent",
        "closes_at": soon(),
        **changes,
    }
    with pytest.raises(DecisionError, match=message):
        services.create_proposal(**fields)
    assert not Proposal.objects.exists()


def test_a_member_of_another_group_cannot_propose_to_it(world):
    group = heads_group(world)
    with pytest.raises(PermissionDenied):
        proposal(world, group, by=world.data_lead)
    with pytest.raises(DecisionError, match="network's groups"):
        services.create_proposal(
            network=world.network,
            group=world.foreign_group,
            by=world.co_leader,
            title="T",
            text="Text",
            method="consent",
            closes_at=soon(),
        )


def test_the_group_is_told_when_a_proposal_opens_and_closes(
    world, django_capture_on_commit_callbacks
):
    group = heads_group(world)
    with django_capture_on_commit_callbacks(execute=True):
        made = proposal(world, group)
    opened = Notification.objects.filter(kind=NotificationKind.DECISION_OPENED)
    assert set(opened.values_list("recipient_id", flat=True)) == {
        world.co_leader.pk,
        world.school_lead.pk,
        world.teacher.pk,
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.close_proposal(proposal=made, by=world.co_leader)
        services.close_proposal(proposal=made, by=world.co_leader)
    closed = Notification.objects.filter(kind=NotificationKind.DECISION_CLOSED)
    assert closed.count() == 3


def test_due_proposals_close_once(world):
    made = proposal(world, heads_group(world))
    Proposal.objects.filter(pk=made.pk).update(closes_at=timezone.now() - datetime.timedelta(1))
    assert services.close_due_proposals() == 1
    assert services.close_due_proposals() == 0
    made.refresh_from_db()
    assert made.outcome == Outcome.NO_VOTES


def test_open_decisions_are_those_awaiting_the_persons_position(world):
    made = proposal(world, heads_group(world))
    assert list(selectors.open_decisions_for(world.teacher)) == [made]
    assert list(selectors.open_decisions_for(world.data_lead)) == []
    assert list(selectors.open_decisions_for(world.foreign_teacher)) == []
    services.take_position(proposal=made, by=world.teacher, stance="agree")
    assert list(selectors.open_decisions_for(world.teacher)) == []
    assert list(selectors.open_decisions_for(world.school_lead)) == [made]


def test_the_close_decisions_command_closes_due_proposals_once(world):
    made = proposal(world, heads_group(world))
    Proposal.objects.filter(pk=made.pk).update(closes_at=timezone.now() - datetime.timedelta(1))
    out = StringIO()
    call_command("close_decisions", stdout=out)
    call_command("close_decisions", stdout=out)
    assert out.getvalue().splitlines() == ["Closed 1 proposal.", "Closed 0 proposals."]


def test_a_proposal_past_closing_awaits_nobody(world):
    made = proposal(world, heads_group(world))
    Proposal.objects.filter(pk=made.pk).update(closes_at=timezone.now() - datetime.timedelta(1))
    assert list(selectors.open_decisions_for(world.teacher)) == []


def test_the_home_asks_each_decider_for_their_position_and_tells_the_network_the_outcome(world):
    from netlearn.core.home import network_feed, personal_feed

    made = proposal(world, heads_group(world))
    waiting = [item.title for item in personal_feed(person=world.teacher).waiting]
    assert "Give your position: Shared INSET day" in waiting
    assert not any("INSET" in item.title for item in personal_feed(person=world.data_lead).waiting)
    assert not any(
        "INSET" in item.title
        for feed in [personal_feed(person=world.foreign_teacher)]
        for item in feed.waiting + feed.new
    )
    coming = [
        item.title for item in network_feed(person=world.data_lead, network=world.network).coming
    ]
    assert "Shared INSET day (Heads' group decides)" in coming
    for person in (world.co_leader, world.school_lead, world.teacher):
        services.take_position(proposal=made, by=person, stance="agree")
    services.close_proposal(proposal=made, by=world.co_leader)
    new = [item.title for item in network_feed(person=world.data_lead, network=world.network).new]
    assert "Shared INSET day: consented" in new
    assert not any("INSET" in item.title for item in personal_feed(person=world.teacher).waiting)


def test_ballots_sort_by_what_they_hold_whatever_the_ids_number_of_digits():
    # Two proposals' boxes must read alike for the same choices, so ids 9 and 10 sort as numbers.
    order = services._ballot_order
    assert sorted([[10], [9], [10, 9], [9, 10]], key=order) == [[9], [9, 10], [10], [10, 9]]
    assert sorted([{"10": 1, "9": 5}, {"9": 2, "10": 1}], key=order) == [
        {"9": 2, "10": 1},
        {"10": 1, "9": 5},
    ]
