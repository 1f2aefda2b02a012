"""Programmes in the JSON API: an evaluator's programmes and their networks side by side, and a
network's co-leaders' consent, through the same selectors, services and policy as the pages.

Figures about pupils come as the disclosure rules publish them at the programme's level: a
number, or "c" (suppressed) or "low" as a string.
"""

import datetime
from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from netlearn.core.api import Detail, Id, Pages, Text
from netlearn.networks import selectors as network_selectors

from . import policy, selectors, services

router = Router(tags=["programmes"])

Figure = float | str | None


class ProgrammeOut(Schema):
    slug: str
    name: str
    description: str


class ProgrammeEvaluatorOut(Schema):
    name: str
    starts_on: datetime.date
    ends_on: datetime.date | None


class ProgrammeMembershipOut(Schema):  # named apart from networks' MembershipOut
    id: int
    programme: str
    programme_name: str
    network: str
    network_name: str
    invited_at: datetime.datetime
    consented_by: str | None
    consented_at: datetime.datetime | None
    withdrawn_by: str | None
    withdrawn_at: datetime.datetime | None


class ProgrammeDetailOut(ProgrammeOut):
    evaluators: list[ProgrammeEvaluatorOut]
    networks: list[str]
    waiting: list[str]


class ProgrammeGoalOut(Schema):
    measure: str
    unit: str
    baseline: Decimal | None
    target: Decimal | None
    target_date: datetime.date | None
    status: str
    latest: Decimal | None


class ProgrammeThreadSummaryOut(Schema):
    goals: int
    activities: int
    enquiries: int
    published_accounts: int
    goals_without_enquiry: int
    gaps: list[str]


class ProgrammeFocusOut(Schema):
    id: int
    title: str
    goals: list[ProgrammeGoalOut]
    thread: ProgrammeThreadSummaryOut


class ProgrammeEngagementOut(Schema):
    meetings: int
    places: int
    present: int
    percent: Decimal | None
    schools_attending: int


class ProgrammeOutcomeOut(Schema):
    years: str
    measure: str
    problem: str
    network: Figure
    peers: Figure
    all_schools: Figure


class ProgrammeCombinedOut(Schema):
    years: str
    measure: str
    networks: list[str]
    schools: int
    pupils: Figure
    value_added: Figure
    lower: Figure
    upper: Figure


class ProgrammeNetworkColumnOut(Schema):
    slug: str
    name: str
    consented_at: datetime.datetime
    foci: list[ProgrammeFocusOut]
    engagement: ProgrammeEngagementOut
    outcomes: list[ProgrammeOutcomeOut]


class ProgrammeInviteIn(Schema):
    network: Text


def _name(person) -> str | None:
    return None if person is None else (person.name or person.username)


def _membership(m) -> dict:
    return {
        "id": m.pk,
        "programme": m.programme.slug,
        "programme_name": m.programme.name,
        "network": m.network.slug,
        "network_name": m.network.name,
        "invited_at": m.invited_at,
        "consented_by": _name(m.consented_by),
        "consented_at": m.consented_at,
        "withdrawn_by": _name(m.withdrawn_by),
        "withdrawn_at": m.withdrawn_at,
    }


def _published(figure) -> Figure:
    return None if figure is None else figure.as_json()


@router.get("/programmes", response=list[ProgrammeOut])
@paginate(Pages)
def list_programmes(request):
    """The programmes I evaluate (every programme, for a site admin)."""
    return selectors.programmes_for(viewer=request.auth)


@router.get("/programmes/{programme_slug}", response=ProgrammeDetailOut)
def get_programme(request, programme_slug: str):
    programme = selectors.programme_for(viewer=request.auth, slug=programme_slug)
    memberships = list(selectors.memberships_of(programme=programme))
    return {
        "slug": programme.slug,
        "name": programme.name,
        "description": programme.description,
        "evaluators": [
            {"name": _name(e.person), "starts_on": e.starts_on, "ends_on": e.ends_on}
            for e in selectors.evaluators_of(programme=programme)
        ],
        "networks": [m.network.slug for m in memberships if m.is_consented],
        # Networks asked but not consenting: a site admin's to see (`policy.can_view_invitations`).
        "waiting": [m.network.slug for m in memberships if not m.is_consented]
        if policy.can_view_invitations(request.auth, programme)
        else [],
    }


@router.get("/programmes/{programme_slug}/networks", response=list[ProgrammeNetworkColumnOut])
@paginate(Pages)
def programme_networks(request, programme_slug: str):
    """Each consenting network side by side: its foci with goals' progress and golden-thread
    counts, its engagement over the year, its value added as published."""
    programme = selectors.programme_for(viewer=request.auth, slug=programme_slug)
    view = selectors.side_by_side(programme=programme)
    return [
        {
            "slug": column.network.slug,
            "name": column.network.name,
            "consented_at": column.membership.consented_at,
            "foci": [
                {
                    "id": row.focus.pk,
                    "title": row.focus.title,
                    "goals": [
                        {
                            "measure": gv.goal.measure,
                            "unit": gv.goal.unit,
                            "baseline": gv.goal.baseline_value,
                            "target": gv.goal.target_value,
                            "target_date": gv.goal.target_date,
                            "status": gv.status.key,
                            "latest": gv.status.latest.value if gv.status.latest else None,
                        }
                        for gv in row.goals
                    ],
                    "thread": {
                        "goals": row.thread.goals,
                        "activities": row.thread.activities,
                        "enquiries": row.thread.enquiries,
                        "published_accounts": row.thread.published_accounts,
                        "goals_without_enquiry": row.thread.goals_without_enquiry,
                        "gaps": list(row.thread.gaps),
                    },
                }
                for row in column.foci
            ],
            "engagement": {
                "meetings": column.engagement.meetings,
                "places": column.engagement.places,
                "present": column.engagement.present,
                "percent": column.engagement.percent,
                "schools_attending": column.engagement.schools_attending,
            },
            "outcomes": [
                {
                    "years": row.label,
                    "measure": row.measure,
                    "problem": row.problem,
                    "network": _published(row.network),
                    "peers": _published(row.peers),
                    "all_schools": _published(row.everyone),
                }
                for row in column.outcomes
            ],
        }
        for column in view.columns
    ]


@router.get("/programmes/{programme_slug}/outcomes", response=list[ProgrammeCombinedOut])
@paginate(Pages)
def programme_outcomes(request, programme_slug: str):
    """The programme's value added across its consenting networks, measure by measure: the mean
    of all their schools' effects with its interval, made from each network's published figures;
    "c" where any network's figure is withheld (it could otherwise be given back)."""
    programme = selectors.programme_for(viewer=request.auth, slug=programme_slug)
    return [
        {
            "years": row.label,
            "measure": row.measure,
            "networks": row.networks,
            "schools": row.schools,
            "pupils": _published(row.pupils),
            "value_added": _published(row.estimate),
            "lower": _published(row.lower),
            "upper": _published(row.upper),
        }
        for row in selectors.side_by_side(programme=programme).combined
    ]


@router.post("/programmes/{programme_slug}/invitations", response={202: Detail})
def invite_network(request, programme_slug: str, payload: ProgrammeInviteIn):
    """Asks a network (by its short name) to join: it joins when one of its co-leaders consents.
    The answer is the same whether or not a network has that name, or was asked before."""
    programme = selectors.programme_for(viewer=request.auth, slug=programme_slug)
    services.ask_network(programme=programme, network_slug=payload.network, by=request.auth)
    return Status(202, {"detail": _(services.ASKED)})


@router.get("/networks/{slug:slug}/programmes", response=list[ProgrammeMembershipOut])
@paginate(Pages)
def network_programmes(request, slug: str):
    """The programmes that asked to evaluate the network, with the record of its consent (its
    co-leaders'; an empty list for anyone else)."""
    network = network_selectors.network_for(viewer=request.auth, slug=slug)
    return [
        _membership(m)
        for m in selectors.memberships_of_network(network=network).filter(
            selectors.membership_filter(request.auth)
        )
    ]


def _of_network(request, slug: str, programme_membership_id: int):
    network = selectors.network_for(viewer=request.auth, network_slug=slug)
    membership = selectors.membership_for(
        viewer=request.auth, membership_id=programme_membership_id
    )
    if membership.network_id != network.pk:
        raise Http404
    return membership


@router.post(
    "/networks/{slug:slug}/programmes/{programme_membership_id}/consent",
    response=ProgrammeMembershipOut,
)
def consent(request, slug: str, programme_membership_id: Id):
    """A co-leader consents to the network's being evaluated in the programme."""
    membership = services.consent(
        membership=_of_network(request, slug, programme_membership_id), by=request.auth
    )
    return _membership(membership)


@router.post(
    "/networks/{slug:slug}/programmes/{programme_membership_id}/withdraw",
    response=ProgrammeMembershipOut,
)
def withdraw(request, slug: str, programme_membership_id: Id):
    """A co-leader takes the network out of the programme, or declines its invitation."""
    membership = services.withdraw(
        membership=_of_network(request, slug, programme_membership_id), by=request.auth
    )
    return _membership(membership)
