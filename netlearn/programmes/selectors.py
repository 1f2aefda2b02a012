"""Reads: through the viewer's scope, so another network's objects 404 like missing ones."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from netlearn.activities import selectors as activity_selectors
from netlearn.core.related import RelatedLink
from netlearn.networks import selectors as network_selectors

from . import policy
from .models import (
    CascadeRecord,
    Course,
    CourseModule,
    Enrolment,
    EnrolmentStatus,
    InductionPlan,
    LearningProgramme,
    RelationshipNote,
    SupportRelationship,
    Wave,
    WavePlace,
    WaveRole,
)


def network_for(*, viewer, network_slug: str):
    network = network_selectors.network_for(viewer=viewer, slug=network_slug)
    if not policy.can_view_learning(viewer, network):
        raise Http404
    return network


# Programmes and waves.


def programmes_for(*, viewer, network) -> QuerySet[LearningProgramme]:
    return (
        LearningProgramme.objects.filter(policy.programme_scope(viewer), network=network)
        .select_related("network")
        .prefetch_related("waves")
    )


def programme_for(*, viewer, network, programme_id: int) -> LearningProgramme:
    return get_object_or_404(programmes_for(viewer=viewer, network=network), pk=programme_id)


@dataclass
class WaveView:
    wave: Wave
    schools: list
    coaches: list
    trained: list
    sessions: list


def timeline_of(*, programme) -> list[WaveView]:
    """Each wave with its schools, coaches, the people it trains and its sessions."""
    waves = programme.waves.prefetch_related(
        "schools",
        Prefetch("places", queryset=WavePlace.objects.select_related("person", "school")),
        "sessions",
    )
    views = []
    for wave in waves:
        places = list(wave.places.all())
        views.append(
            WaveView(
                wave=wave,
                schools=sorted(wave.schools.all(), key=lambda s: s.name),
                coaches=[p for p in places if p.role == WaveRole.COACH],
                trained=[p for p in places if p.role == WaveRole.TRAINED],
                sessions=sorted(wave.sessions.all(), key=lambda a: a.starts_at),
            )
        )
    return views


def wave_of(*, programme, number: int) -> Wave:
    return get_object_or_404(programme.waves.select_related("programme__network"), number=number)


def place_of(*, wave, place_id: int) -> WavePlace:
    return get_object_or_404(wave.places.select_related("person", "wave"), pk=place_id)


def places_of_school(*, viewer, obj) -> list[RelatedLink]:
    """Where the school stands in each programme it is part of (the school's page)."""
    school = obj
    waves = (
        Wave.objects.filter(schools=school)
        .filter(policy.programme_scope_through(viewer, "programme__"))
        .select_related("programme__network")
        .annotate(waves_in_programme=Count("programme__waves", distinct=True))
        .order_by("programme__title", "number")
    )
    links = []
    for wave in waves:
        programme = wave.programme
        total = wave.waves_in_programme
        links.append(
            RelatedLink(
                heading="Professional learning",
                title=f"{programme.title}: wave {wave.number} of {total}",
                url=reverse("programmes:programme", args=[programme.network.slug, programme.pk])
                + f"#wave-{wave.number}",
                detail=f"{wave.starts_on:%b %Y} to {wave.ends_on:%b %Y}"
                + (f" · {wave.audience}" if wave.audience else ""),
            )
        )
    return links


def schools_choices(*, network):
    return network_selectors.schools_in_network(network=network).order_by("name")


def people_choices(*, network):
    return network_selectors.people_of_network(network=network).order_by("name")


def network_person(*, network, person_id) -> object | None:
    return network_selectors.people_of_network(network=network).filter(pk=person_id).first()


def network_school(*, network, school_id):
    return schools_choices(network=network).filter(pk=school_id).first()


# Support relationships.


def relationships_for(*, viewer, network) -> QuerySet[SupportRelationship]:
    return SupportRelationship.objects.filter(
        policy.relationship_scope(viewer), network=network
    ).select_related("network", "supporter", "supported", "supporting_school", "supported_school")


def relationship_for(*, viewer, network, relationship_id: int) -> SupportRelationship:
    return get_object_or_404(relationships_for(viewer=viewer, network=network), pk=relationship_id)


def notes_for(*, viewer, relationship) -> QuerySet[RelationshipNote]:
    if not policy.can_read_notes(viewer, relationship):
        return RelationshipNote.objects.none()
    return relationship.notes.select_related("author")


def sessions_of_relationship(*, relationship) -> list:
    return sorted(relationship.sessions.all(), key=lambda a: a.starts_at)


# Courses.


def courses_for(*, viewer, network) -> QuerySet[Course]:
    return Course.objects.filter(policy.course_scope(viewer), network=network).select_related(
        "network"
    )


def course_for(*, viewer, network, course_id: int) -> Course:
    return get_object_or_404(
        courses_for(viewer=viewer, network=network).prefetch_related(
            Prefetch("modules", queryset=CourseModule.objects.select_related("session"))
        ),
        pk=course_id,
    )


def module_of(*, course, number: int) -> CourseModule:
    return get_object_or_404(course.modules.select_related("session", "course"), number=number)


def enrolment_of(*, course, enrolment_id: int) -> Enrolment:
    return get_object_or_404(
        course.enrolments.select_related("person", "school", "course__network"), pk=enrolment_id
    )


@dataclass
class ReachRow:
    school: object
    colleagues: int


@dataclass
class CourseView:
    course: Course
    modules: list
    enrolled: list
    waiting: list
    attended: dict
    needed: int
    places_by_school: list
    reach: list[ReachRow]
    reach_total: int
    cascade: dict = field(default_factory=dict)


def course_view(*, course) -> CourseView:
    modules = list(course.modules.all())
    enrolments = list(
        course.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN).select_related(
            "person", "school"
        )
    )
    enrolled = [e for e in enrolments if e.status == EnrolmentStatus.ENROLLED]
    waiting = [e for e in enrolments if e.status == EnrolmentStatus.WAITING]
    session_ids = [m.session_id for m in modules if m.session_id]
    attended = (
        activity_selectors.sessions_attended(
            activity_ids=session_ids, person_ids=[e.person_id for e in enrolled]
        )
        if session_ids
        else {}
    )
    places = Counter(e.school.name for e in enrolled)
    records = list(
        CascadeRecord.objects.filter(enrolment__course=course).select_related(
            "school", "colleague", "enrolment"
        )
    )
    by_school: dict[int, set[int]] = {}
    schools = {}
    cascade: dict[int, list] = {}
    for record in records:
        by_school.setdefault(record.school_id, set()).add(record.colleague_id)
        schools[record.school_id] = record.school
        cascade.setdefault(record.enrolment_id, []).append(record)
    reach = sorted(
        (ReachRow(school=schools[s], colleagues=len(ids)) for s, ids in by_school.items()),
        key=lambda row: row.school.name,
    )
    return CourseView(
        course=course,
        modules=modules,
        enrolled=enrolled,
        waiting=waiting,
        attended=attended,
        needed=course.sessions_to_complete or len(modules),
        places_by_school=sorted(places.items()),
        reach=reach,
        reach_total=len({r.colleague_id for r in records}),
        cascade=cascade,
    )


# Induction.


def plans_for(*, viewer, network) -> QuerySet[InductionPlan]:
    return InductionPlan.objects.filter(policy.plan_scope(viewer), network=network).select_related(
        "network", "newcomer", "mentor", "school"
    )


def plan_for(*, viewer, network, plan_id: int) -> InductionPlan:
    return get_object_or_404(
        plans_for(viewer=viewer, network=network).prefetch_related("tasks", "meetings"),
        pk=plan_id,
    )


def task_of(*, plan, task_id: int):
    return get_object_or_404(plan.tasks.select_related("plan__network"), pk=task_id)


def induction_steps_of(*, network) -> list[str]:
    return list(network.induction_steps.values_list("text", flat=True))
