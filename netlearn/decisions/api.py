"""Group decisions in the JSON API: read for the network's staff, positions for the deciding
group, through the policy.

Reads go through selectors scoped to the viewer (another network's proposal answers 404); writes
go through services, which check the policy (403) and the rules of deciding (400, 409).
"""

import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from netlearn.activities import selectors as activity_selectors
from netlearn.core.api import Id, Pages, Text
from netlearn.networks import selectors as network_selectors

from . import policy, selectors, services
from .models import Method, Stance

router = Router(tags=["decisions"])


def _viewer(request):
    return request.auth


def _aware(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A time without a zone is read in the site's zone, as the pages read it."""
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


# Schemas ------------------------------------------------------------------------------------


class OptionOut(Schema):
    id: int
    label: str
    starts_at: datetime.datetime | None


class ProposalFields(Schema):
    id: int
    title: str
    group_id: int
    group: str
    method: Method
    is_secret: bool
    revision: int
    created_at: datetime.datetime
    closes_at: datetime.datetime
    closed_at: datetime.datetime | None
    outcome: str
    outcome_summary: str
    activity_id: int | None = Field(None, description="The meeting where it was decided.")
    concerns_charter: bool


class ProposalOut(ProposalFields):
    @staticmethod
    def resolve_group(proposal) -> str:
        return proposal.group.name

    @staticmethod
    def resolve_revision(proposal) -> int:
        return proposal.current_revision.number


class PositionOut(Schema):
    person_id: int
    person: str
    stance: str
    reason: str
    choice: list[int]
    scores: dict[str, int]


class ProposalDetailOut(ProposalFields):
    text: str
    change_note: str
    options: list[OptionOut]
    positions: list[PositionOut] = Field(
        ..., description="Named positions on the current revision; empty for a secret ballot."
    )
    voters: int | None = Field(None, description="Secret ballots: how many have voted.")
    result: dict | None = Field(
        None,
        description="The count: as it stands (open) or fixed at closing; secret ballots "
        "show it only after closing.",
    )
    is_decider: bool
    can_take_part: bool
    can_manage: bool


class ProposalIn(Schema):
    group_id: Id
    title: Text = Field(..., min_length=1, max_length=200)
    text: Text = Field(..., min_length=1, max_length=20000)
    method: Method = Method.CONSENT
    options: list[Text] = Field(
        [], max_length=20, description="Votes, ranked choice and scores: the options."
    )
    starts: list[datetime.datetime] = Field(
        [], max_length=20, description="Time polls: the meeting times to choose from."
    )
    is_secret: bool = False
    closes_at: datetime.datetime
    activity_id: Id | None = Field(None, description="The meeting where it is decided.")
    concerns_charter: bool = False


class FilingIn(Schema):
    activity_id: Id | None = Field(None, description="The meeting where it was decided, or none.")
    concerns_charter: bool = False


class PositionIn(Schema):
    stance: Stance | None = Field(None, description="Consent: agree, abstain, disagree or block.")
    reason: Text = Field("", max_length=5000, description="Needed with a block.")
    choice: list[Id] = Field(
        [],
        max_length=20,
        description="Vote: one option id. Ranked: option ids, most preferred first. Time poll: "
        "the times you can come to.",
    )
    scores: dict[str, int] = Field({}, description="Score: option id → 0 to 5, every option.")


class ReviseIn(Schema):
    text: Text = Field(..., min_length=1, max_length=20000)
    change_note: Text = Field(..., min_length=1, max_length=500)
    closes_at: datetime.datetime


def _detail(request, proposal):
    viewer = _viewer(request)
    decider_ids = selectors.decider_ids_of(proposal=proposal)
    revision = proposal.current_revision
    positions = []
    if not proposal.is_secret:
        positions = [
            {
                "person_id": position.person_id,
                "person": position.person.name,
                "stance": position.stance,
                "reason": position.reason,
                "choice": position.choice,
                "scores": position.scores,
            }
            for position in revision.positions.select_related("person")
        ]
    return {
        "id": proposal.pk,
        "title": proposal.title,
        "group_id": proposal.group_id,
        "group": proposal.group.name,
        "method": proposal.method,
        "is_secret": proposal.is_secret,
        "revision": revision.number,
        "created_at": proposal.created_at,
        "closes_at": proposal.closes_at,
        "closed_at": proposal.closed_at,
        "outcome": proposal.outcome,
        "outcome_summary": proposal.outcome_summary,
        "activity_id": proposal.activity_id,
        "concerns_charter": proposal.concerns_charter,
        "text": revision.text,
        "change_note": revision.change_note,
        "options": selectors.options_of(proposal=proposal),
        "positions": positions,
        "voters": selectors.voter_count(revision=revision) if proposal.is_secret else None,
        "result": proposal.result if policy.can_see_result(viewer, proposal) else None,
        "is_decider": policy.is_decider(viewer, proposal, decider_ids=decider_ids),
        "can_take_part": policy.can_take_part(viewer, proposal, decider_ids=decider_ids),
        "can_manage": policy.can_manage(viewer, proposal),
    }


def _proposal(request, slug: str, decision_id: int):
    network = selectors.network_for(viewer=_viewer(request), network_slug=slug)
    return selectors.proposal_for(viewer=_viewer(request), network=network, proposal_id=decision_id)


def _fresh(request, slug: str, decision_id: int):
    return _detail(request, _proposal(request, slug, decision_id))


# Endpoints ----------------------------------------------------------------------------------


@router.get("/networks/{slug:slug}/decisions", response=list[ProposalOut])
@paginate(Pages)
def list_decisions(request, slug: str):
    network = selectors.network_for(viewer=_viewer(request), network_slug=slug)
    return selectors.proposals_for(viewer=_viewer(request), network=network)


@router.post("/networks/{slug:slug}/decisions", response={201: ProposalDetailOut})
def create_decision(request, slug: str, payload: ProposalIn):
    viewer = _viewer(request)
    network = selectors.network_for(viewer=viewer, network_slug=slug)
    group = get_object_or_404(network_selectors.groups_of(network=network), pk=payload.group_id)
    proposal = services.create_proposal(
        network=network,
        group=group,
        by=viewer,
        title=payload.title,
        text=payload.text,
        method=payload.method,
        options=payload.options,
        starts=[_aware(start) for start in payload.starts],
        is_secret=payload.is_secret,
        closes_at=_aware(payload.closes_at),
        activity=_meeting(viewer, network, payload.activity_id),
        concerns_charter=payload.concerns_charter,
    )
    return Status(201, _fresh(request, slug, proposal.pk))


def _meeting(viewer, network, activity_id):
    if activity_id is None:
        return None
    return activity_selectors.activity_for(viewer=viewer, network=network, activity_id=activity_id)


@router.post("/networks/{slug:slug}/decisions/{decision_id}/file", response=ProposalDetailOut)
def file_decision(request, slug: str, decision_id: Id, payload: FilingIn):
    """Files the decision under the meeting where it was taken and/or the charter."""
    viewer = _viewer(request)
    network = selectors.network_for(viewer=viewer, network_slug=slug)
    proposal = selectors.proposal_for(viewer=viewer, network=network, proposal_id=decision_id)
    services.link_proposal(
        proposal=proposal,
        by=viewer,
        activity=_meeting(viewer, network, payload.activity_id),
        concerns_charter=payload.concerns_charter,
    )
    return _fresh(request, slug, decision_id)


@router.get("/networks/{slug:slug}/decisions/{decision_id}", response=ProposalDetailOut)
def get_decision(request, slug: str, decision_id: Id):
    return _fresh(request, slug, decision_id)


@router.post("/networks/{slug:slug}/decisions/{decision_id}/position", response=ProposalDetailOut)
def take_position(request, slug: str, decision_id: Id, payload: PositionIn):
    """An open proposal records the position by name (it can be changed until closing); a
    secret ballot is cast once and kept apart from the voter."""
    proposal = _proposal(request, slug, decision_id)
    if proposal.is_secret:
        services.cast_ballot(
            proposal=proposal, by=_viewer(request), choice=payload.choice, scores=payload.scores
        )
    else:
        services.take_position(
            proposal=proposal,
            by=_viewer(request),
            stance=payload.stance or "",
            reason=payload.reason,
            choice=payload.choice,
            scores=payload.scores,
        )
    return _fresh(request, slug, decision_id)


@router.post("/networks/{slug:slug}/decisions/{decision_id}/revise", response=ProposalDetailOut)
def revise_decision(request, slug: str, decision_id: Id, payload: ReviseIn):
    proposal = _proposal(request, slug, decision_id)
    services.revise_proposal(
        proposal=proposal,
        by=_viewer(request),
        text=payload.text,
        change_note=payload.change_note,
        closes_at=_aware(payload.closes_at),
    )
    return _fresh(request, slug, decision_id)


@router.post("/networks/{slug:slug}/decisions/{decision_id}/close", response=ProposalDetailOut)
def close_decision(request, slug: str, decision_id: Id):
    proposal = _proposal(request, slug, decision_id)
    services.close_proposal(proposal=proposal, by=_viewer(request))
    return _fresh(request, slug, decision_id)
