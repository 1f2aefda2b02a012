"""The enquiry app's objects for the authorization walks (see netlearn/web/tests/walk.py).

One enquiry of each method in both networks, made once per world, with case pupils, a research
lesson, an observation, a cycle, data, a sub-question, evidence and a published account; every
text field of the foreign network's carries SENTINEL.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from netlearn.enquiry import selectors, services
from netlearn.enquiry.models import Method
from netlearn.networks.tests.world import SENTINEL


def _build(world, *, foreign: bool) -> dict:
    mark = f" {SENTINEL}" if foreign else ""
    network = world.foreign_network if foreign else world.network
    group = world.foreign_group if foreign else world.group
    member = world.foreign_teacher if foreign else world.teacher
    second = world.foreign_co_leader if foreign else world.co_leader
    school = world.foreign_school if foreign else world.school_a
    day = datetime.date(2025, 1, 6)
    study = services.start_enquiry(
        network=network,
        by=member,
        question=f"How do case pupils reason aloud?{mark}",
        method=Method.LESSON_STUDY,
        group=group,
        summary=f"Summary{mark}",
        schools=[school],
    )
    study = _reload(study, member)
    code = "Z" if foreign else "A"
    pupil = services.add_case_pupil(
        enquiry=study, by=member, code=code, description=f"quiet reader{mark.lower()}"
    )
    lesson = services.plan_lesson(
        enquiry=study,
        by=member,
        learning_goal=f"Explain a method{mark}",
        predictions={pupil.pk: f"Will draw it{mark}"},
    )
    lesson.enquiry = study
    services.record_observation(
        lesson=lesson, by=member, case_pupil_id=pupil.pk, note=f"Drew a bar{mark}"
    )
    services.record_discussion(
        lesson=lesson, by=member, discussion=f"We saw{mark}", next_changes=f"Next{mark}"
    )
    pdsa = _reload(
        services.start_enquiry(
            network=network,
            by=member,
            question=f"Do daily starters raise recall?{mark}",
            method=Method.PDSA,
            group=group,
            measure=f"Recall{mark}",
            measure_unit="%",
        ),
        member,
    )
    cycle = services.add_cycle(
        enquiry=pdsa, by=member, change=f"Starters{mark}", prediction=f"Up{mark}", started=day
    )
    for offset, value in enumerate([40, 42, 41, 45, 47, 50, 52]):
        services.add_data_point(
            enquiry=pdsa,
            by=member,
            measured_on=day + datetime.timedelta(days=7 * offset),
            value=value,
            note=f"Week{mark}",
        )
    shared = _reload(
        services.start_enquiry(
            network=network,
            by=member,
            question=f"What makes maths lessons work?{mark}",
            method=Method.SHARED,
            group=group,
        ),
        member,
    )
    part = services.add_sub_question(
        enquiry=shared, by=member, school=school, question=f"Starters{mark}"
    )
    spiral = _reload(
        services.start_enquiry(
            network=network,
            by=member,
            question=f"What is going on for our learners?{mark}",
            method=Method.SPIRAL,
            group=group,
        ),
        member,
    )
    services.add_spiral_entry(
        enquiry=spiral, by=member, phase="scanning", notes=f"Scan{mark}", evidence=f"Ev{mark}"
    )
    attachment = services.add_attachment(
        enquiry=study,
        by=member,
        title=f"Work sample{mark}",
        file=SimpleUploadedFile("work.txt", f"work{mark}".encode()),
    )
    account = services.write_account(
        enquiry=study,
        by=member,
        title=f"Reasoning aloud{mark}",
        question=f"Q{mark}",
        what_we_tried=f"Tried{mark}",
        what_we_learned=f"Learned{mark}",
        evidence=f"Evidence{mark}",
        what_others_could_try=f"Try{mark}",
    )
    services.review_account(account=_reload_account(account, second), by=second)
    services.publish_account(account=_reload_account(account, second), by=second)
    return {
        "enquiry_id": study.pk,
        "lesson_id": lesson.pk,
        "cycle_id": cycle.pk,
        "part_id": part.pk,
        "attachment_id": attachment.pk,
        "account_id": account.pk,
    }


def _reload(enquiry, person):
    return selectors.enquiry_for(viewer=person, network=enquiry.network, enquiry_id=enquiry.pk)


def _reload_account(account, person):
    return selectors.account_for(
        viewer=person, network=account.enquiry.network, account_id=account.pk
    )


def object_ids(world, *, foreign: bool) -> dict:
    key = "enquiry_walk_foreign" if foreign else "enquiry_walk_home"
    if key not in world.__dict__:
        world.__dict__[key] = _build(world, foreign=foreign)
    return dict(world.__dict__[key])
