"""What a person did in group decisions (the contract: netlearn/accounts/personal_data.py).

A position is part of the group's record of how it decided, so erasure keeps it: its author
becomes the "Former member" tombstone and its reason loses the person's name. A secret ballot
holds no person at all (models.BallotBox); `Voter` says only that they voted, and stays, so that
the count of voters still matches the ballots.
"""

from netlearn.accounts.personal_data import label, refers_to, rows, scrub_identifiers

from .models import Position, Proposal, Revision, Voter

MODELS = (Proposal, Revision, Position, Voter)


def export(person) -> dict[str, list[dict]]:
    return {
        label(Proposal): rows(
            Proposal.objects.filter(proposed_by=person),
            person,
            exclude=("result",),
        ),
        label(Revision): rows(Revision.objects.filter(created_by=person), person),
        label(Position): rows(
            Position.objects.filter(person=person).select_related("revision__proposal"),
            person,
            extra=lambda position: {"proposal_title": position.revision.proposal.title},
        ),
        label(Voter): rows(Voter.objects.filter(person=person), person),
    }


def erase(person) -> None:
    for model in MODELS:
        scrub_identifiers(model.objects.filter(refers_to(model, person)), person)
