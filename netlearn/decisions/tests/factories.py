"""A deciding group and proposals for the tests, made through the services."""

import datetime

from django.utils import timezone

from netlearn.decisions import services
from netlearn.networks import services as network_services
from netlearn.networks.models import GroupKind


def heads_group(world, *, name="Heads' group"):
    """The co-leader, the school lead and the teacher decide together."""
    group = network_services.create_group(
        network=world.network, name=name, kind=GroupKind.HEADTEACHER, by=world.admin
    )
    for person in (world.co_leader, world.school_lead, world.teacher):
        network_services.add_group_member(group=group, person=person, by=world.admin)
    return group


def soon(days: int = 7) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def proposal(world, group, *, method="consent", options=(), by=None, marker="", **kwargs):
    return services.create_proposal(
        network=group.network,
        group=group,
        by=by or world.co_leader,
        title=f"Shared INSET day {marker}".strip(),
        text=f"Close all schools for a shared INSET day on 3 March. {marker}".strip(),
        method=method,
        options=options,
        closes_at=kwargs.pop("closes_at", soon()),
        **kwargs,
    )
