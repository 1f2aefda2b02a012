"""Discussion objects made through the services, for tests."""

import datetime

from django.utils import timezone

from netlearn.accounts.models import Kind
from netlearn.discussions import services
from netlearn.discussions.models import Audience, Moderation, PupilProfile
from netlearn.networks.tests.factories import PersonFactory


def make_pupil(school, *, username, name="Pupil", year_group=7, class_name="7A"):
    pupil = PersonFactory(
        username=username, name=name, kind=Kind.PUPIL, email="", pupil_school=school
    )
    PupilProfile.objects.create(
        person=pupil, school=school, year_group=year_group, class_name=class_name
    )
    return pupil


def staff_space(world, *, network=None, by=None, title="Writing across schools"):
    return services.open_space(
        network=network or world.network, by=by or world.co_leader, title=title
    )


def pupil_space(world, *, school=None, moderation=Moderation.ALL_POSTS, by=None, title=None):
    return services.open_space(
        network=world.network,
        by=by or world.co_leader,
        title=title or "Year 7 homework project",
        audience=Audience.PUPILS,
        school=school if school is not None else world.school_a,
        moderation=moderation,
    )


def in_days(days: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)
