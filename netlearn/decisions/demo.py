"""Demo decisions: Pendle's heads consented to a shared INSET day after a block and a revision,
and are choosing next year's shared focus by ranked choice; the steering group is asked when to
meet. Idempotent: a network that has proposals already is left alone."""

import datetime

from django.utils import timezone

from netlearn.accounts import selectors as account_selectors
from netlearn.activities import selectors as activity_selectors
from netlearn.networks import selectors as network_selectors

from . import services
from .models import Method, Proposal

NETWORK = "pendle-small-schools"


def _members(group) -> list:
    ids = network_selectors.person_ids_in_groups(group_ids=[group.pk]).values_list(
        "person_id", flat=True
    )
    people = account_selectors.people_by_id(list(ids))
    return sorted(people.values(), key=lambda person: person.name)


def load(*, admin) -> None:
    network = network_selectors.network_with_slug(slug=NETWORK)
    if network is None or Proposal.objects.filter(network=network).exists():
        return
    groups = {group.name: group for group in network_selectors.groups_of(network=network)}
    heads_group = groups.get("Headteacher group")
    steering = groups.get("Network steering group")
    if heads_group is None:
        return
    heads = _members(heads_group)
    coleader = account_selectors.people_with_usernames(["coleader"]).first() or admin
    week = timezone.now() + datetime.timedelta(days=7)

    inset = services.create_proposal(
        network=network,
        group=heads_group,
        by=coleader,
        title="A shared INSET day on mixed-age teaching",
        text="All seven schools close on Friday 6 March for one shared INSET day on planning "
        "for mixed-age classes, led by the mixed-age classes sub-group.",
        method=Method.CONSENT,
        closes_at=week,
    )
    for head in heads[:-1]:
        services.take_position(proposal=inset, by=head, stance="agree")
    services.take_position(
        proposal=inset,
        by=heads[-1],
        stance="block",
        reason="6 March is our cluster moderation day; any other Friday in March suits us.",
    )
    services.revise_proposal(
        proposal=inset,
        by=coleader,
        text="All seven schools close on Friday 13 March for one shared INSET day on planning "
        "for mixed-age classes, led by the mixed-age classes sub-group.",
        change_note="Moved a week later, after the cluster moderation day.",
        closes_at=week,
    )
    for index, head in enumerate(heads):
        services.take_position(
            proposal=inset,
            by=head,
            stance="abstain" if index == 2 else "agree",
            reason="Our INSET is already booked; we will send two teachers." if index == 2 else "",
        )
    services.close_proposal(proposal=inset, by=coleader)
    # Filed under one of Pendle's meetings, so its page lists the decision beside its notes.
    meeting = activity_selectors.activities_in_network(viewer=admin, network=network).first()
    if meeting is not None:
        services.link_proposal(
            proposal=inset, by=coleader, activity=meeting, concerns_charter=False
        )

    focus = services.create_proposal(
        network=network,
        group=heads_group,
        by=coleader,
        title="Next year's shared focus",
        text="Rank the three sub-groups' themes: the first choice becomes next year's shared "
        "learning focus in the charter.",
        method=Method.RANKED,
        options=["Outdoor learning", "Reading for pleasure", "Mixed-age planning"],
        closes_at=week,
        concerns_charter=True,
    )
    options = [option.pk for option in focus.options.all()]
    for head, ranking in zip(heads[:3], ([0, 1], [1, 2, 0], [2, 1]), strict=False):
        services.take_position(
            proposal=focus, by=head, choice=[options[index] for index in ranking]
        )
    if steering is not None:
        start = timezone.localtime(week).replace(hour=16, minute=0, second=0, microsecond=0)
        services.create_proposal(
            network=network,
            group=steering,
            by=coleader,
            title="When the steering group meets this term",
            text="Tick every time you can come; the time most can come to is chosen.",
            method=Method.TIME_POLL,
            starts=[start + datetime.timedelta(days=days) for days in (7, 8, 14)],
            closes_at=week,
        )
