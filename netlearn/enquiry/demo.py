"""Collaborative enquiry for the demo's seed networks (docs/seed-practices.md#enquiry).

North Hartlepool's triads with a completed first three-lesson cycle and accounts from their
writing day; Network B's teacher-researchers' shared enquiry ('The use of maths starters', 'Peer
tutoring in maths lessons') and a PDSA with a run chart; Janus's development groups co-designing
lessons; the Kāhui Ako's spiral of inquiry. `load(admin=...)` skips a network that already has
enquiries, so running the demo twice changes nothing. Everything goes through the services.
"""

import datetime

from netlearn.accounts.models import Person
from netlearn.charter import selectors as charter_selectors
from netlearn.charter.models import LearningFocus
from netlearn.networks import selectors as network_selectors
from netlearn.networks.models import Group

from . import selectors, services
from .models import Enquiry, Method, SpiralPhase

D = datetime.date

NH_LESSONS = {
    "mental calculation in Year 4": (
        "Which mental strategies do Year 4 pupils choose for two-digit addition, and why?",
        [("A", "Year 4 boy, quick with number bonds, rarely explains"),
         ("B", "Year 4 girl, EAL, careful, uses fingers to count on")],
        ["Pupils choose between partitioning and bridging through ten and say why.",
         "Pupils explain a strategy to a partner using an empty number line.",
         "Pupils pick the most efficient strategy for a calculation and justify it."],
        "Talking partners and the empty number line made pupils' strategies visible; case pupil "
        "B moved from counting on to bridging through ten once she could draw it first.",
    ),
    "boys' writing through drama": (
        "Does drama before writing help reluctant boys in Year 6 plan longer narratives?",
        [("A", "Year 6 boy, reluctant writer, strong talker"),
         ("B", "Year 6 boy, writes little, avoids reading aloud")],
        ["Pupils use freeze-frames to plan the opening of a story.",
         "Pupils hot-seat a character, then write in role.",
         "Pupils plan a whole narrative through a sequence of drama conventions."],
        "Hot-seating gave the boys vocabulary they then used in writing; both case pupils wrote "
        "more than twice as much as before when writing came straight after drama.",
    ),
}  # fmt: skip


def _member(enquiry, person):
    return selectors.enquiry_for(viewer=person, network=enquiry.network, enquiry_id=enquiry.pk)


def _people(group: Group) -> list[Person]:
    return list(selectors.group_people(group=group))


def _focus(network, words: str) -> LearningFocus | None:
    foci = charter_selectors.foci_of_network(network=network)
    return foci.filter(title__icontains=words).first()


def _lesson_study(network, group, question, pupils, goals, learning, *, admin, start, account):
    people = _people(group)
    lead = people[0]
    enquiry = services.start_enquiry(
        network=network,
        by=lead,
        question=question,
        method=Method.LESSON_STUDY,
        group=group,
        focus=_focus(network, "numeracy") or _focus(network, "writing"),
        started=start,
    )
    enquiry = _member(enquiry, lead)
    case = [
        services.add_case_pupil(enquiry=enquiry, by=lead, code=code, description=description)
        for code, description in pupils
    ]
    for number, goal in enumerate(goals):
        teacher = people[number % len(people)]
        lesson = services.plan_lesson(
            enquiry=enquiry,
            by=lead,
            learning_goal=goal,
            predictions={pupil.pk: f"Pupil {pupil.code} will try the strategy with support."
                         for pupil in case},
            taught_on=start + datetime.timedelta(days=14 * (number + 1)),
            teacher=teacher,
        )  # fmt: skip
        for observer in people:
            if observer == teacher:
                continue
            lesson.enquiry = _member(enquiry, observer)
            for pupil in case:
                services.record_observation(
                    lesson=lesson,
                    by=observer,
                    case_pupil_id=pupil.pk,
                    note=f"Pupil {pupil.code} worked with a partner; explained the first step "
                    "but needed a prompt for the second.",
                )
        lesson.enquiry = enquiry
        services.record_discussion(
            lesson=lesson,
            by=lead,
            discussion=f"We compared our notes on each case pupil against our predictions. "
            f"{'Both' if len(case) > 1 else 'The'} case pupils did more talking than predicted.",
            next_changes="Give more time for partner talk before recording.",
        )
    if account:
        written = services.write_account(
            enquiry=enquiry,
            by=lead,
            title=question.rstrip("?"),
            question=question,
            what_we_tried="Three co-designed research lessons, each taught by one of us and "
            "observed by the other two, watching two case pupils closely.",
            what_we_learned=learning,
            evidence="Observation notes on both case pupils across three lessons; samples of "
            "work (faces and names removed).",
            what_others_could_try="Plan the lesson around what you predict two case pupils "
            "will do, then compare.",
        )
        reviewer = people[1]
        services.review_account(
            account=selectors.account_for(viewer=reviewer, network=network, account_id=written.pk),
            by=reviewer,
        )
        services.publish_account(
            account=selectors.account_for(viewer=lead, network=network, account_id=written.pk),
            by=lead,
        )
    return enquiry


def _north_hartlepool(network, admin):
    for group in network_selectors.groups_of(network=network).filter(kind="triad").order_by("name"):
        focus = group.name.removeprefix("Triad: ")
        if focus in NH_LESSONS:
            question, pupils, goals, learning = NH_LESSONS[focus]
            _lesson_study(
                network, group, question, pupils, goals, learning,
                admin=admin, start=D(2005, 10, 3), account=True,
            )  # fmt: skip
        else:
            lead = _people(group)[0]
            services.start_enquiry(
                network=network,
                by=lead,
                question=f"How can we improve {focus} through Research Lesson Study?",
                method=Method.LESSON_STUDY,
                group=group,
                started=D(2005, 10, 3),
            )


def _network_b(network, admin):
    groups = network_selectors.groups_of(network=network)
    numeracy = groups.filter(name__icontains="numeracy").first()
    if numeracy is None:
        return
    shared = services.start_enquiry(
        network=network,
        by=admin,
        question="What makes mathematics lessons work for every student in Key Stage 3?",
        method=Method.SHARED,
        group=numeracy,
        focus=_focus(network, "numeracy"),
        summary="The teacher-researchers' programme: nine pieces of separate but loosely "
        "connected work, supported by the LEA maths adviser and scheduled release time.",
        started=D(2004, 1, 5),
    )
    shared = _member(shared, admin)
    schools = list(selectors.schools_of(network=network))
    for school, question, findings in [
        (schools[2], "The use of maths starters",
         "Short, varied starters raised participation in the first ten minutes."),
        (schools[3], "Peer tutoring in maths lessons",
         "Year 10 tutors and Year 8 tutees both gained confidence; tutees' test scores rose."),
        (schools[5], "Numeracy across the curriculum in Year 8", ""),
    ]:  # fmt: skip
        part = services.add_sub_question(enquiry=shared, by=admin, school=school, question=question)
        part.enquiry = shared
        if findings:
            services.record_findings(part=part, by=admin, findings=findings)
    services.record_combined_review(
        enquiry=shared,
        by=admin,
        review="At the end of the first phase the teacher-researchers reviewed their work "
        "together: starters and peer tutoring go into every school's plan for the next phase.",
    )
    goals = charter_selectors.goals_of_network(network=network)
    goal = goals.filter(measure__icontains="level 5").first()
    pdsa = services.start_enquiry(
        network=network,
        by=admin,
        question="Do daily five-minute starters raise Year 8 recall of number facts?",
        method=Method.PDSA,
        group=numeracy,
        goal=goal,
        measure="" if goal else "Year 8 students recalling number facts within the time",
        measure_unit="" if goal else "% of students",
        started=D(2004, 9, 6),
    )
    pdsa = _member(pdsa, admin)
    services.add_cycle(
        enquiry=pdsa,
        by=admin,
        change="A five-minute number-facts starter every lesson",
        prediction="Recall will rise within half a term.",
        started=D(2004, 10, 18),
    )
    values = [52, 55, 51, 54, 53, 50, 54, 58, 60, 61, 63, 62, 64, 66]
    for week, value in enumerate(values):
        services.add_data_point(
            enquiry=pdsa,
            by=admin,
            measured_on=D(2004, 9, 6) + datetime.timedelta(days=7 * week),
            value=value,
        )
    pdsa.baseline_points = 7
    Enquiry.objects.filter(pk=pdsa.pk).update(baseline_points=7)


def _janus(network, admin):
    for group in network_selectors.groups_of(network=network).filter(kind="development"):
        people = _people(group)
        teachers = [person for person in people if person.kind != "partner"] or people
        enquiry = services.start_enquiry(
            network=network,
            by=teachers[0],
            question=f"{group.name}: which co-designed lessons make the most difference?",
            method=Method.LESSON_STUDY,
            group=group,
            focus=_focus(network, "writing") if "Writing" in group.name else None,
            summary="The group shares existing good practice, co-designs lessons and resources, "
            "and reflects together on the difference made.",
            started=D(2004, 9, 13),
        )
        enquiry = _member(enquiry, teachers[0])
        pupil = services.add_case_pupil(
            enquiry=enquiry, by=teachers[0], code="A", description="Pupil new to the year group"
        )
        lesson = services.plan_lesson(
            enquiry=enquiry,
            by=teachers[0],
            learning_goal="A co-designed lesson from the group's shared resources.",
            predictions={pupil.pk: "Will join in once the routine is familiar."},
            taught_on=D(2004, 10, 4),
        )
        lesson.enquiry = enquiry
        services.record_discussion(
            lesson=lesson,
            by=teachers[0],
            discussion="The shared resource worked in three of our schools; we adapt it for "
            "mixed-age classes next.",
            next_changes="Add a talk task before the written task.",
        )


def _kahui_ako(network, admin):
    group = network_selectors.groups_of(network=network).filter(name__icontains="spiral").first()
    if group is None:
        return
    lead = _people(group)[0]
    enquiry = services.start_enquiry(
        network=network,
        by=lead,
        question="How does children's oral language carry from kindergarten into new entrant "
        "classes, and how can whānau help?",
        method=Method.SPIRAL,
        group=group,
        started=D(2017, 2, 6),
    )
    enquiry = _member(enquiry, lead)
    for phase, notes, evidence in [
        (SpiralPhase.SCANNING, "We listened to ākonga at kindergarten and in their first term "
         "at school, and asked whānau what they hear at home.", "Oral language samples; "
         "whānau hui notes."),
        (SpiralPhase.FOCUSING, "Ākonga talk less at school than at kindergarten in their first "
         "ten weeks.", "Talk counts in both settings."),
        (SpiralPhase.HUNCH, "Our classroom routines leave little time for extended talk.", ""),
        (SpiralPhase.LEARNING, "Kaiako and new entrant teachers visit each other's settings.",
         "Visit notes."),
    ]:  # fmt: skip
        services.add_spiral_entry(
            enquiry=enquiry, by=lead, phase=phase, notes=notes, evidence=evidence
        )


LOADERS = {
    "north-hartlepool": _north_hartlepool,
    "network-b": _network_b,
    "janus": _janus,
    "matatahi-kahui-ako": _kahui_ako,
}


def load(*, admin) -> None:
    for slug, build in LOADERS.items():
        network = network_selectors.network_with_slug(slug=slug)
        if network is None or Enquiry.objects.filter(network=network).exists():
            continue
        build(network, admin)
