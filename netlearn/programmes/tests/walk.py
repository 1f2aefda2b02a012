"""The authorization walks' objects of professional learning, in both networks.

Each network gets a programme with a wave (a coach, a trainee, a session), a coaching
relationship with a note and a session, a course with a module, an enrolment that completed with
a colleague trained, and an induction plan. The foreign network's carry SENTINEL in every text.
"""

import datetime

from django.utils import timezone

from netlearn.networks.tests.world import SENTINEL

from .. import services
from ..models import Enrolment, RelationshipKind


def _build(world, *, foreign: bool) -> dict:
    network = world.foreign_network if foreign else world.network
    runner = world.foreign_co_leader if foreign else world.co_leader
    teacher = world.foreign_teacher if foreign else world.teacher
    school = world.foreign_school if foreign else world.school_c
    runner_school = world.foreign_school if foreign else world.school_a
    marker = f" {SENTINEL}" if foreign else ""
    programme = services.create_programme(
        network=network,
        title=f"Co-operative learning{marker}",
        description=f"Waves{marker}",
        by=runner,
    )
    wave = services.start_wave(
        programme=programme,
        starts_on=datetime.date(2024, 9, 1),
        ends_on=datetime.date(2025, 7, 20),
        schools=[school],
        audience=f"Teachers{marker}",
        by=runner,
    )
    services.add_coach(wave=wave, person=runner, school=school, by=runner)
    place = services.add_trainee(wave=wave, person=teacher, school=school, by=runner)
    start = timezone.now() + datetime.timedelta(days=7)
    services.add_wave_session(
        wave=wave,
        title=f"Coaching{marker}",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        by=runner,
        notify=False,
    )
    relationship = services.create_relationship(
        network=network,
        kind=RelationshipKind.COACHING,
        supporter=runner,
        supported=teacher,
        purpose=f"Co-operative learning in class{marker}",
        starts_on=datetime.date(2024, 9, 1),
        by=runner,
    )
    services.write_note(relationship=relationship, body=f"First visit went well{marker}", by=runner)
    services.log_session(
        relationship=relationship,
        title=f"Coaching visit{marker}",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        by=runner,
        notify=False,
    )
    course = services.create_course(
        network=network,
        title=f"Middle leaders{marker}",
        description=f"Leading a team{marker}",
        capacity=10,
        places_per_school=3,
        modules=[f"Leading learning{marker}", f"Leading people{marker}"],
        by=runner,
    )
    enrolment = services.enrol(course=course, person=teacher, school=school, by=runner)
    # Completion comes from registers (test_courses); the walk only needs a completed place.
    Enrolment.objects.filter(pk=enrolment.pk).update(
        completed_at=timezone.now(), evidence=f"Attended both sessions{marker}"
    )
    enrolment.refresh_from_db()
    services.record_cascade(
        enrolment=enrolment,
        colleague=runner,
        school=runner_school,
        trained_on=datetime.date(2025, 1, 10),
        what=f"Coaching conversations{marker}",
        by=runner,
    )
    plan = services.start_induction(
        network=network, kind="new_head", newcomer=teacher, school=school, mentor=runner, by=runner
    )
    return {
        "learning_programme_id": programme.pk,
        "wave_number": wave.number,
        "wave_place_id": place.pk,
        "support_relationship_id": relationship.pk,
        "learning_course_id": course.pk,
        "course_module_number": 1,
        "course_enrolment_id": enrolment.pk,
        "induction_plan_id": plan.pk,
        "induction_task_id": plan.tasks.first().pk,
        # The API's bodies name people and schools of the network.
        "supporter_id": runner.pk,
        "supported_id": teacher.pk,
        "supporting_school_id": runner_school.pk,
        "supported_school_id": school.pk,
        "colleague_id": runner.pk,
        "newcomer_id": teacher.pk,
        "mentor_id": runner.pk,
    }


def object_ids(world, *, foreign: bool) -> dict[str, object]:
    built = world.__dict__.setdefault("_programmes_walk", {})
    if foreign not in built:
        built[foreign] = _build(world, foreign=foreign)
    return built[foreign]
