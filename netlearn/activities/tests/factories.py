"""Activities made through the services, for tests."""

import datetime

from django.utils import timezone

from netlearn.activities import services
from netlearn.activities.models import Kind, Occurrence


def in_days(days: float, hour: int = 16) -> datetime.datetime:
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def make_activity(world, *, by=None, network=None, **overrides):
    starts_at = overrides.pop("starts_at", in_days(7))
    values = {
        "title": "Thinking lunch",
        "kind": Kind.THINKING_LUNCH,
        "starts_at": starts_at,
        "ends_at": overrides.pop("ends_at", starts_at + datetime.timedelta(hours=1)),
        "notify": False,
    }
    values.update(overrides)
    return services.create_activity(
        network=network or world.network, by=by or world.co_leader, **values
    )


def make_walk(world, **overrides):
    values = {
        "title": "Learning walk: behaviour for learning",
        "kind": Kind.LEARNING_WALK,
        "purpose": "How does Birch create calm learning environments?",
        "host_school": world.school_b,
    }
    values.update(overrides)
    return make_activity(world, **values)


def move_into_past(activity, hours: float = 2) -> None:
    """Time passes: the activity (and each date) began `hours` ago."""
    shift = timezone.now() - datetime.timedelta(hours=hours) - activity.starts_at
    for occurrence in Occurrence.objects.filter(activity=activity):
        Occurrence.objects.filter(pk=occurrence.pk).update(
            starts_at=occurrence.starts_at + shift, ends_at=occurrence.ends_at + shift
        )
    type(activity).objects.filter(pk=activity.pk).update(
        starts_at=activity.starts_at + shift,
        ends_at=activity.ends_at + shift,
        rsvp_closes_at=None,
    )
    activity.refresh_from_db()
