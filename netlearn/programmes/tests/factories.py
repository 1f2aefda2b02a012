"""Professional learning for the tests, built through the services as a co-leader would."""

import datetime
import itertools

from netlearn.networks import services as network_services
from netlearn.networks.models import PostLevel
from netlearn.networks.tests.factories import PersonFactory

from .. import services

_numbers = itertools.count(1)


def staff(school, *, name: str | None = None, head: bool = False):
    """A new member of staff at the school."""
    n = next(_numbers)
    person = PersonFactory(username=f"pl{n}", name=name or f"Pat Learner {n}")
    network_services.add_staff_post(
        person=person,
        school=school,
        job_title="Headteacher" if head else "Teacher",
        level=PostLevel.HEAD if head else PostLevel.TEACHER,
        leads_school=head,
    )
    return person


def programme_with_waves(world, *, waves=2):
    """A programme of the home network, its waves a year apart, one school each (a, b, c)."""
    programme = services.create_programme(
        network=world.network, title=f"Co-operative learning {next(_numbers)}", by=world.co_leader
    )
    schools = [world.school_a, world.school_b, world.school_c]
    made = []
    for i in range(waves):
        made.append(
            services.start_wave(
                programme=programme,
                starts_on=datetime.date(2022 + i, 9, 1),
                ends_on=datetime.date(2023 + i, 7, 20),
                schools=[schools[i % 3]],
                by=world.co_leader,
            )
        )
    return programme, made


def course(world, *, capacity=10, per_school=2, modules=("Leading learning", "Leading people")):
    return services.create_course(
        network=world.network,
        title=f"Middle leaders {next(_numbers)}",
        capacity=capacity,
        places_per_school=per_school,
        modules=list(modules),
        by=world.co_leader,
    )
