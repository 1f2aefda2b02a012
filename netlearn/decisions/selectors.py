"""Reads, always through the viewer's scope: another network's proposal 404s like a missing one."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from netlearn.activities import selectors as activity_selectors
from netlearn.core.home import COMING, NEW, WAITING, HomeContext, HomeItem
from netlearn.core.related import RelatedLink
from netlearn.networks import selectors as network_selectors
from netlearn.networks.access import access_for
from netlearn.networks.models import Network

from . import policy
from .models import GroupRule, Option, Position, Proposal, Revision, Voter


def network_for(*, viewer, network_slug: str) -> Network:
    network = network_selectors.network_for(viewer=viewer, slug=network_slug)
    if not policy.can_view_decisions(viewer, network):
        raise Http404
    return network


def proposals_for(*, viewer, network: Network) -> QuerySet[Proposal]:
    """The network's proposals the viewer may read, newest first, with what a list shows."""
    return (
        Proposal.objects.filter(policy.proposal_scope(viewer))
        .filter(network=network)
        .select_related("network", "group", "proposed_by", "current_revision")
    )


def log_of(*, viewer, network: Network) -> QuerySet[Proposal]:
    """The decisions log: each proposal with its options and the named positions on its current
    revision, in a fixed number of queries however many there are."""
    return proposals_for(viewer=viewer, network=network).prefetch_related(
        "options",
        Prefetch(
            "current_revision__positions",
            queryset=Position.objects.select_related("person"),
        ),
    )


def proposal_for(*, viewer, network: Network, proposal_id: int) -> Proposal:
    return get_object_or_404(proposals_for(viewer=viewer, network=network), pk=proposal_id)


def options_of(*, proposal: Proposal) -> list[Option]:
    return list(proposal.options.all())


def revisions_of(*, proposal: Proposal) -> QuerySet[Revision]:
    """Every revision, earliest first, with its named positions: a proposal's history."""
    return proposal.revisions.select_related("created_by").prefetch_related(
        Prefetch("positions", queryset=Position.objects.select_related("person"))
    )


def decider_ids_of(*, proposal: Proposal) -> frozenset[int]:
    """Members of the deciding group in person who belong to the network today (one query)."""
    return frozenset(deciders_of(proposal=proposal).values_list("pk", flat=True))


def deciders_of(*, proposal: Proposal) -> QuerySet:
    return (
        network_selectors.people_of_network(network=proposal.network)
        .filter(
            is_active=True,
            pk__in=network_selectors.person_ids_in_groups(group_ids=[proposal.group_id]),
        )
        .order_by("name", "pk")
    )


def position_of(*, revision: Revision, person) -> Position | None:
    return revision.positions.filter(person=person).first()


def has_voted(*, revision: Revision, person) -> bool:
    return Voter.objects.filter(revision=revision, person=person).exists()


def voter_count(*, revision: Revision) -> int:
    return Voter.objects.filter(revision=revision).count()


def rule_of(*, group) -> GroupRule | None:
    return GroupRule.objects.filter(group=group).first()


def rules_of(*, network: Network) -> dict[int, GroupRule]:
    return {rule.group_id: rule for rule in GroupRule.objects.filter(group__network=network)}


def groups_to_propose_to(*, viewer, network: Network) -> list:
    """The network's groups the viewer may put a proposal to."""
    groups = list(network_selectors.groups_of(network=network).order_by("name"))
    access = access_for(viewer)
    own = set(
        network_selectors.own_group_places(person_id=access.person_id or 0).values_list(
            "group_id", flat=True
        )
    )
    return [
        group
        for group in groups
        if policy.can_propose(
            viewer, network, group_member_ids={access.person_id} if group.pk in own else set()
        )
    ]


def open_decisions_for(person) -> QuerySet[Proposal]:
    """Open proposals awaiting this person's position: in a network they belong to today, put
    to a group they are in, not yet past closing, with nothing from them yet on the current
    revision. For the home page."""
    access = access_for(person)
    if not access.person_id or access.is_pupil or access.is_parent:
        return Proposal.objects.none()
    group_ids = network_selectors.own_group_places(person_id=access.person_id).values("group_id")
    return (
        Proposal.objects.filter(
            closed_at__isnull=True,
            closes_at__gt=timezone.now(),
            network_id__in=access.network_ids,
            group_id__in=group_ids,
        )
        .exclude(
            Exists(
                Position.objects.filter(
                    revision_id=OuterRef("current_revision_id"), person_id=access.person_id
                )
            )
        )
        .exclude(
            Exists(
                Voter.objects.filter(
                    revision_id=OuterRef("current_revision_id"), person_id=access.person_id
                )
            )
        )
        .select_related("network", "group")
        .order_by("closes_at", "pk")
    )


def proposals_due_to_close(*, now) -> QuerySet[Proposal]:
    return Proposal.objects.filter(closed_at__isnull=True, closes_at__lte=now).order_by("pk")


@dataclass(frozen=True)
class PositionRow:
    """A decider and their position on the current revision (None: none yet)."""

    person: object
    position: Position | None


def position_table(*, proposal: Proposal, revision: Revision) -> list[PositionRow]:
    """Every decider, by name, with their position; people who took part and have since left the
    group stay listed, since what they said is part of the record."""
    positions = {
        position.person_id: position for position in revision.positions.select_related("person")
    }
    deciders = list(deciders_of(proposal=proposal))
    rows = [PositionRow(person, positions.pop(person.pk, None)) for person in deciders]
    rows += [PositionRow(position.person, position) for position in positions.values()]
    return rows


# The home ("what needs me") ---------------------------------------------------------------------


def home_items(context: HomeContext) -> list[HomeItem]:
    """On the personal home: open proposals awaiting the person's position (waiting) and
    decisions closed since their last visit in their networks (new). On a network's home: its
    open proposals (coming up) and its recent outcomes (new). Two queries either way."""
    person, network = context.person, context.network
    if network is None:
        waiting = open_decisions_for(person)[: context.limit]
        # Outcomes of the person's own networks (a site admin's home is not every network's).
        closed = Proposal.objects.filter(policy.proposal_scope(person)).filter(
            network_id__in=access_for(person).network_ids
        )
    else:
        if not policy.can_view_decisions(person, network):
            return []
        waiting = (
            Proposal.objects.filter(
                network=network, closed_at__isnull=True, closes_at__gt=context.now
            )
            .select_related("network", "group")
            .only("title", "closes_at", "network__slug", "network__name", "group__name")
            .order_by("closes_at", "pk")[: context.limit]
        )
        closed = Proposal.objects.filter(network=network)
    # Only what the items show: the columns of three tables cost more to compile than to read.
    closed = (
        closed.filter(closed_at__gt=context.since)
        .select_related("network")
        .only("title", "outcome", "closed_at", "network__slug", "network__name")
        .order_by("-closed_at", "-pk")[: context.limit]
    )
    items = [
        HomeItem(
            section=WAITING if network is None else COMING,
            kind="Decision",
            title=(
                f"Give your position: {proposal.title}"
                if network is None
                else f"{proposal.title} ({proposal.group.name} decides)"
            ),
            url=reverse("decisions:proposal", args=[proposal.network.slug, proposal.pk]),
            when=proposal.closes_at,
            network=proposal.network.name,
        )
        for proposal in waiting
    ]
    items += [
        HomeItem(
            section=NEW,
            kind="Decided",
            title=f"{proposal.title}: {proposal.get_outcome_display().lower()}",
            url=reverse("decisions:proposal", args=[proposal.network.slug, proposal.pk]),
            when=proposal.closed_at,
            network=proposal.network.name,
        )
        for proposal in closed
    ]
    return items


# Decisions on the pages they belong to (core/related.py) ----------------------------------------


def _related(proposals) -> list[RelatedLink]:
    links = []
    for proposal in proposals:
        if proposal.closed_at is None:
            detail = f"open until {date_format(timezone.localtime(proposal.closes_at), 'j M Y')}"
        else:
            detail = proposal.get_outcome_display().lower()
            if proposal.outcome_summary:
                detail = f"{detail}: {proposal.outcome_summary}"
        links.append(
            RelatedLink(
                heading="Decisions",
                title=f"{proposal.title} ({proposal.group.name})",
                url=reverse("decisions:proposal", args=[proposal.network.slug, proposal.pk]),
                detail=detail,
            )
        )
    return links


def decisions_about_charter(*, viewer, obj) -> list[RelatedLink]:
    """On the charter of network `obj`: the decisions filed as concerning it."""
    if not policy.can_view_decisions(viewer, obj):
        return []
    proposals = list(
        Proposal.objects.filter(network=obj, concerns_charter=True)
        .select_related("group")
        .only("title", "closes_at", "closed_at", "outcome", "outcome_summary", "group__name")
        .order_by("-created_at", "-pk")[:50]
    )
    for proposal in proposals:
        proposal.network = obj  # filtered on it: no join needed
    return _related(proposals)


def decisions_at_activity(*, viewer, obj) -> list[RelatedLink]:
    """On an activity's page, beside its minutes: the decisions taken at it."""
    if not policy.can_view_decisions(viewer, obj.network):
        return []
    proposals = Proposal.objects.filter(activity_id=obj.pk).select_related("network", "group")
    return _related(proposals.order_by("-created_at", "-pk")[:50])


def meetings_to_file_under(*, viewer, network) -> QuerySet:
    """The network's activities a decision may be filed under, most recent first."""
    meetings = activity_selectors.activities_in_network(viewer=viewer, network=network)
    return meetings.order_by("-pk")
