"""Professional learning in the JSON API, through the same selectors, services and policy as the
pages. Paths sit under `/networks/{slug}/learning-…` (the evaluation app's `/programmes` are
programmes of networks, not of people); schema names start with `Learning`."""

import datetime
from typing import Literal

from django.http import HttpResponse
from django.utils.translation import gettext
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from netlearn.core.api import Id, Pages, Text
from netlearn.core.downloads import as_download
from netlearn.core.pdf import PDF_TYPE
from netlearn.core.policy import require

from . import certificates, policy, selectors, services
from .errors import ProgrammeError
from .models import InductionKind, RelationshipKind

router = Router(tags=["professional learning"])

# Literal choices, not the models' enums: the schema has no second "RelationshipKind".
LearningRelationshipKind = Literal[tuple(RelationshipKind.values)]  # type: ignore[valid-type]
LearningInductionKind = Literal[tuple(InductionKind.values)]  # type: ignore[valid-type]


class LearningPersonRef(Schema):
    id: int
    name: str


class LearningSchoolRef(Schema):
    id: int
    name: str


class LearningProgrammeOut(Schema):
    id: int
    title: str
    description: str
    waves: int


class LearningPlaceOut(Schema):
    id: int
    person: LearningPersonRef
    school: LearningSchoolRef | None
    completed_on: datetime.date | None


class LearningSessionOut(Schema):
    id: int
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime


class LearningWaveOut(Schema):
    number: int
    audience: str
    starts_on: datetime.date
    ends_on: datetime.date
    schools: list[LearningSchoolRef]
    coaches: list[LearningPlaceOut]
    trained: list[LearningPlaceOut]
    sessions: list[LearningSessionOut]


class LearningProgrammeDetailOut(LearningProgrammeOut):
    timeline: list[LearningWaveOut]


class LearningProgrammeIn(Schema):
    title: Text = Field(max_length=200)
    description: Text = Field("", max_length=5000)


class LearningWaveIn(Schema):
    starts_on: datetime.date
    ends_on: datetime.date
    audience: Text = Field("", max_length=200)
    school_ids: list[Id] = Field(default_factory=list, max_length=100)


class LearningPlaceIn(Schema):
    person_id: Id
    school_id: Id | None = None


class LearningSessionIn(Schema):
    title: Text = Field(max_length=200)
    starts_at: datetime.datetime
    ends_at: datetime.datetime


class LearningRelationshipOut(Schema):
    id: int
    kind: LearningRelationshipKind
    supporter: LearningPersonRef
    supported: LearningPersonRef
    supporting_school: LearningSchoolRef | None
    supported_school: LearningSchoolRef | None
    purpose: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    ended_because: str
    sessions: list[LearningSessionOut]


class LearningRelationshipIn(Schema):
    kind: LearningRelationshipKind
    supporter_id: Id
    supported_id: Id
    supporting_school_id: Id | None = None
    supported_school_id: Id | None = None
    purpose: Text = Field(max_length=5000)
    starts_on: datetime.date
    ends_on: datetime.date | None = None


class LearningNoteOut(Schema):
    id: int
    author: LearningPersonRef
    body: str
    written_at: datetime.datetime


class LearningNoteIn(Schema):
    body: Text = Field(max_length=10000)


class LearningModuleOut(Schema):
    number: int
    title: str
    session: LearningSessionOut | None


class LearningReachOut(Schema):
    school: LearningSchoolRef
    colleagues: int


class LearningEnrolmentOut(Schema):
    id: int
    person: LearningPersonRef
    school: LearningSchoolRef
    status: str
    sessions_attended: int | None
    completed_at: datetime.datetime | None


class LearningCourseOut(Schema):
    id: int
    title: str
    description: str
    capacity: int
    places_per_school: int
    sessions_to_complete: int


class LearningCourseDetailOut(LearningCourseOut):
    modules: list[LearningModuleOut]
    cohort: list[LearningEnrolmentOut]
    waiting: list[LearningEnrolmentOut]
    reach: list[LearningReachOut]
    reach_total: int


class LearningCourseIn(Schema):
    title: Text = Field(max_length=200)
    description: Text = Field("", max_length=5000)
    capacity: int = Field(ge=1, le=500)
    places_per_school: int = Field(ge=1, le=500)
    modules: list[Text] = Field(min_length=1, max_length=50)
    sessions_to_complete: int = Field(0, ge=0, le=50)


class LearningEnrolIn(Schema):
    person_id: Id
    school_id: Id
    waiting_list: bool = True


class LearningCascadeIn(Schema):
    colleague_id: Id
    school_id: Id
    trained_on: datetime.date
    what: Text = Field("", max_length=300)


class LearningCascadeOut(Schema):
    id: int
    colleague: LearningPersonRef
    school: LearningSchoolRef
    trained_on: datetime.date
    what: str


class LearningTaskOut(Schema):
    id: int
    number: int
    text: str
    done_at: datetime.datetime | None


class LearningInductionOut(Schema):
    id: int
    kind: LearningInductionKind
    newcomer: LearningPersonRef
    school: LearningSchoolRef
    mentor: LearningPersonRef | None
    completed_at: datetime.datetime | None
    tasks: list[LearningTaskOut]
    meetings: list[LearningSessionOut]


class LearningInductionIn(Schema):
    kind: LearningInductionKind
    newcomer_id: Id
    school_id: Id
    mentor_id: Id | None = None


class LearningMentorIn(Schema):
    mentor_id: Id


class LearningTickIn(Schema):
    done: bool = True


def _person(p) -> dict | None:
    return None if p is None else {"id": p.pk, "name": p.name or p.username}


def _school(s) -> dict | None:
    return None if s is None else {"id": s.pk, "name": s.name}


def _session(a) -> dict:
    return {"id": a.pk, "title": a.title, "starts_at": a.starts_at, "ends_at": a.ends_at}


def _network(request, slug):
    return selectors.network_for(viewer=request.auth, network_slug=slug)


def _network_person(network, person_id):
    person = selectors.network_person(network=network, person_id=person_id)
    if person is None:
        raise ProgrammeError(gettext("Choose a member of this network's staff."))
    return person


def _network_school(network, school_id, *, optional: bool = False):
    if school_id is None and optional:
        return None
    school = selectors.network_school(network=network, school_id=school_id)
    if school is None:
        raise ProgrammeError(gettext("Choose a school of this network."))
    return school


def _run(request, network):
    require(policy.can_run(request.auth, network))


# Programmes and waves.


def _programme_out(programme) -> dict:
    return {
        "id": programme.pk,
        "title": programme.title,
        "description": programme.description,
        "waves": len(programme.waves.all()),
    }


def _place(place) -> dict:
    return {
        "id": place.pk,
        "person": _person(place.person),
        "school": _school(place.school),
        "completed_on": place.completed_on,
    }


def _programme_detail(programme) -> dict:
    return {
        **_programme_out(programme),
        "timeline": [
            {
                "number": view.wave.number,
                "audience": view.wave.audience,
                "starts_on": view.wave.starts_on,
                "ends_on": view.wave.ends_on,
                "schools": [_school(s) for s in view.schools],
                "coaches": [_place(p) for p in view.coaches],
                "trained": [_place(p) for p in view.trained],
                "sessions": [_session(a) for a in view.sessions],
            }
            for view in selectors.timeline_of(programme=programme)
        ],
    }


@router.get("/networks/{slug:slug}/learning-programmes", response=list[LearningProgrammeOut])
@paginate(Pages)
def list_programmes(request, slug: str):
    network = _network(request, slug)
    return [
        _programme_out(p) for p in selectors.programmes_for(viewer=request.auth, network=network)
    ]


@router.post(
    "/networks/{slug:slug}/learning-programmes", response={201: LearningProgrammeDetailOut}
)
def create_programme(request, slug: str, payload: LearningProgrammeIn):
    network = _network(request, slug)
    programme = services.create_programme(
        network=network, title=payload.title, description=payload.description, by=request.auth
    )
    return Status(201, _programme_detail(programme))


def _programme(request, slug, learning_programme_id):
    network = _network(request, slug)
    return network, selectors.programme_for(
        viewer=request.auth, network=network, programme_id=learning_programme_id
    )


@router.get(
    "/networks/{slug:slug}/learning-programmes/{learning_programme_id}",
    response=LearningProgrammeDetailOut,
)
def get_programme(request, slug: str, learning_programme_id: Id):
    """The timeline: each wave with its schools, coaches, people trained and sessions."""
    _, programme = _programme(request, slug, learning_programme_id)
    return _programme_detail(programme)


@router.post(
    "/networks/{slug:slug}/learning-programmes/{learning_programme_id}/waves",
    response={201: LearningProgrammeDetailOut},
)
def start_wave(request, slug: str, learning_programme_id: Id, payload: LearningWaveIn):
    """The next wave; a school already in an overlapping wave of the programme is refused."""
    network, programme = _programme(request, slug, learning_programme_id)
    _run(request, network)
    schools = [_network_school(network, school_id) for school_id in payload.school_ids]
    services.start_wave(
        programme=programme,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        audience=payload.audience,
        schools=schools,
        by=request.auth,
    )
    _, programme = _programme(request, slug, learning_programme_id)
    return Status(201, _programme_detail(programme))


def _wave(request, slug, learning_programme_id, wave_number):
    network, programme = _programme(request, slug, learning_programme_id)
    return network, programme, selectors.wave_of(programme=programme, number=wave_number)


WAVE = "/networks/{slug:slug}/learning-programmes/{learning_programme_id}/waves/{wave_number}"


@router.post(WAVE + "/coaches", response={201: LearningPlaceOut})
def add_coach(
    request, slug: str, learning_programme_id: Id, wave_number: Id, payload: LearningPlaceIn
):
    """A coach, who must have completed an earlier wave (from the second wave on)."""
    network, _, wave = _wave(request, slug, learning_programme_id, wave_number)
    _run(request, network)
    place = services.add_coach(
        wave=wave,
        person=_network_person(network, payload.person_id),
        school=_network_school(network, payload.school_id, optional=True),
        by=request.auth,
    )
    return Status(201, _place(place))


@router.post(WAVE + "/trainees", response={201: LearningPlaceOut})
def add_trainee(
    request, slug: str, learning_programme_id: Id, wave_number: Id, payload: LearningPlaceIn
):
    network, _, wave = _wave(request, slug, learning_programme_id, wave_number)
    _run(request, network)
    place = services.add_trainee(
        wave=wave,
        person=_network_person(network, payload.person_id),
        school=_network_school(network, payload.school_id),
        by=request.auth,
    )
    return Status(201, _place(place))


@router.post(WAVE + "/sessions", response={201: LearningSessionOut})
def add_wave_session(
    request, slug: str, learning_programme_id: Id, wave_number: Id, payload: LearningSessionIn
):
    network, _, wave = _wave(request, slug, learning_programme_id, wave_number)
    _run(request, network)
    activity = services.add_wave_session(
        wave=wave,
        title=payload.title,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        by=request.auth,
    )
    return Status(201, _session(activity))


@router.post(WAVE + "/places/{wave_place_id}/complete", response=LearningPlaceOut)
def complete_place(
    request, slug: str, learning_programme_id: Id, wave_number: Id, wave_place_id: Id
):
    network, _, wave = _wave(request, slug, learning_programme_id, wave_number)
    _run(request, network)
    place = services.complete_place(
        place=selectors.place_of(wave=wave, place_id=wave_place_id), by=request.auth
    )
    return _place(place)


# Support relationships.


def _relationship_out(r) -> dict:
    return {
        "id": r.pk,
        "kind": r.kind,
        "supporter": _person(r.supporter),
        "supported": _person(r.supported),
        "supporting_school": _school(r.supporting_school),
        "supported_school": _school(r.supported_school),
        "purpose": r.purpose,
        "starts_on": r.starts_on,
        "ends_on": r.ends_on,
        "ended_because": r.ended_because,
        "sessions": [_session(a) for a in selectors.sessions_of_relationship(relationship=r)],
    }


RELATIONSHIPS = "/networks/{slug:slug}/support-relationships"


@router.get(RELATIONSHIPS, response=list[LearningRelationshipOut])
@paginate(Pages)
def list_relationships(request, slug: str):
    network = _network(request, slug)
    return [
        _relationship_out(r)
        for r in selectors.relationships_for(viewer=request.auth, network=network).prefetch_related(
            "sessions"
        )
    ]


@router.post(RELATIONSHIPS, response={201: LearningRelationshipOut})
def create_relationship(request, slug: str, payload: LearningRelationshipIn):
    network = _network(request, slug)
    _run(request, network)
    relationship = services.create_relationship(
        network=network,
        kind=payload.kind,
        supporter=_network_person(network, payload.supporter_id),
        supported=_network_person(network, payload.supported_id),
        supporting_school=_network_school(network, payload.supporting_school_id, optional=True),
        supported_school=_network_school(network, payload.supported_school_id, optional=True),
        purpose=payload.purpose,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        by=request.auth,
    )
    return Status(201, _relationship_out(relationship))


def _relationship(request, slug, support_relationship_id):
    network = _network(request, slug)
    return selectors.relationship_for(
        viewer=request.auth, network=network, relationship_id=support_relationship_id
    )


@router.get(RELATIONSHIPS + "/{support_relationship_id}", response=LearningRelationshipOut)
def get_relationship(request, slug: str, support_relationship_id: Id):
    return _relationship_out(_relationship(request, slug, support_relationship_id))


@router.get(RELATIONSHIPS + "/{support_relationship_id}/notes", response=list[LearningNoteOut])
@paginate(Pages)
def list_notes(request, slug: str, support_relationship_id: Id):
    """The pair's and co-ordinators' notes; an empty list for anybody else."""
    relationship = _relationship(request, slug, support_relationship_id)
    return [
        {"id": n.pk, "author": _person(n.author), "body": n.body, "written_at": n.written_at}
        for n in selectors.notes_for(viewer=request.auth, relationship=relationship)
    ]


@router.post(RELATIONSHIPS + "/{support_relationship_id}/notes", response={201: LearningNoteOut})
def write_note(request, slug: str, support_relationship_id: Id, payload: LearningNoteIn):
    relationship = _relationship(request, slug, support_relationship_id)
    note = services.write_note(relationship=relationship, body=payload.body, by=request.auth)
    return Status(
        201,
        {
            "id": note.pk,
            "author": _person(note.author),
            "body": note.body,
            "written_at": note.written_at,
        },
    )


@router.post(
    RELATIONSHIPS + "/{support_relationship_id}/sessions", response={201: LearningSessionOut}
)
def log_session(request, slug: str, support_relationship_id: Id, payload: LearningSessionIn):
    """A session of the pair, in the calendar (its register is the record)."""
    relationship = _relationship(request, slug, support_relationship_id)
    activity = services.log_session(
        relationship=relationship,
        title=payload.title,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        by=request.auth,
    )
    return Status(201, _session(activity))


# Courses.

COURSES = "/networks/{slug:slug}/learning-courses"


def _course_out(course) -> dict:
    return {
        "id": course.pk,
        "title": course.title,
        "description": course.description,
        "capacity": course.capacity,
        "places_per_school": course.places_per_school,
        "sessions_to_complete": course.sessions_to_complete,
    }


def _enrolment_out(request, view, e) -> dict:
    visible = policy.can_see_progress(request.auth, e)
    return {
        "id": e.pk,
        "person": _person(e.person),
        "school": _school(e.school),
        "status": e.status,
        "sessions_attended": view.attended.get(e.person_id, 0) if visible else None,
        "completed_at": e.completed_at,
    }


def _course_detail(request, course) -> dict:
    view = selectors.course_view(course=course)
    return {
        **_course_out(course),
        "modules": [
            {
                "number": m.number,
                "title": m.title,
                "session": _session(m.session) if m.session else None,
            }
            for m in view.modules
        ],
        "cohort": [_enrolment_out(request, view, e) for e in view.enrolled],
        "waiting": [_enrolment_out(request, view, e) for e in view.waiting],
        "reach": [{"school": _school(r.school), "colleagues": r.colleagues} for r in view.reach],
        "reach_total": view.reach_total,
    }


@router.get(COURSES, response=list[LearningCourseOut])
@paginate(Pages)
def list_courses(request, slug: str):
    network = _network(request, slug)
    return [_course_out(c) for c in selectors.courses_for(viewer=request.auth, network=network)]


@router.post(COURSES, response={201: LearningCourseDetailOut})
def create_course(request, slug: str, payload: LearningCourseIn):
    network = _network(request, slug)
    course = services.create_course(
        network=network,
        title=payload.title,
        description=payload.description,
        capacity=payload.capacity,
        places_per_school=payload.places_per_school,
        modules=payload.modules,
        sessions_to_complete=payload.sessions_to_complete,
        by=request.auth,
    )
    return Status(201, _course_detail(request, _course(request, slug, course.pk)))


def _course(request, slug, learning_course_id):
    network = _network(request, slug)
    return selectors.course_for(viewer=request.auth, network=network, course_id=learning_course_id)


@router.get(COURSES + "/{learning_course_id}", response=LearningCourseDetailOut)
def get_course(request, slug: str, learning_course_id: Id):
    """Modules and their sessions, the cohort and waiting list, and the cascade's reach by
    school. Attendance and completion only for whoever may see them."""
    return _course_detail(request, _course(request, slug, learning_course_id))


@router.post(COURSES + "/{learning_course_id}/enrolments", response={201: LearningEnrolmentOut})
def enrol(request, slug: str, learning_course_id: Id, payload: LearningEnrolIn):
    """A place, or the waiting list once the cohort or the school's places are full; with
    `waiting_list: false` a full cohort answers 409 and nobody is added."""
    course = _course(request, slug, learning_course_id)
    network = course.network
    person = _network_person(network, payload.person_id)
    school = _network_school(network, payload.school_id)
    require(policy.can_enrol(request.auth, course, school_id=school.pk, for_person_id=person.pk))
    enrolment = services.enrol(
        course=course,
        person=person,
        school=school,
        waiting_list=payload.waiting_list,
        by=request.auth,
    )
    view = selectors.course_view(course=course)
    return Status(201, _enrolment_out(request, view, enrolment))


@router.post(
    COURSES + "/{learning_course_id}/modules/{course_module_number}/session",
    response={201: LearningSessionOut},
)
def schedule_module(
    request,
    slug: str,
    learning_course_id: Id,
    course_module_number: Id,
    payload: LearningSessionIn,
):
    course = _course(request, slug, learning_course_id)
    _run(request, course.network)
    module = selectors.module_of(course=course, number=course_module_number)
    activity = services.schedule_module(
        module=module, starts_at=payload.starts_at, ends_at=payload.ends_at, by=request.auth
    )
    return Status(201, _session(activity))


def _enrolment(request, slug, learning_course_id, course_enrolment_id):
    course = _course(request, slug, learning_course_id)
    return course, selectors.enrolment_of(course=course, enrolment_id=course_enrolment_id)


ENROLMENT = COURSES + "/{learning_course_id}/enrolments/{course_enrolment_id}"


@router.post(ENROLMENT + "/withdraw", response=LearningEnrolmentOut)
def withdraw(request, slug: str, learning_course_id: Id, course_enrolment_id: Id):
    """Gives the place back; the first waiting person whose school has room takes it."""
    course, enrolment = _enrolment(request, slug, learning_course_id, course_enrolment_id)
    enrolment = services.withdraw(enrolment=enrolment, by=request.auth)
    return _enrolment_out(request, selectors.course_view(course=course), enrolment)


@router.post(ENROLMENT + "/cascade", response={201: LearningCascadeOut})
def record_cascade(
    request, slug: str, learning_course_id: Id, course_enrolment_id: Id, payload: LearningCascadeIn
):
    """A colleague the participant trained after completing, in their own or a partner school."""
    course, enrolment = _enrolment(request, slug, learning_course_id, course_enrolment_id)
    require(policy.can_record_cascade(request.auth, enrolment))
    record = services.record_cascade(
        enrolment=enrolment,
        colleague=_network_person(course.network, payload.colleague_id),
        school=_network_school(course.network, payload.school_id),
        trained_on=payload.trained_on,
        what=payload.what,
        by=request.auth,
    )
    return Status(
        201,
        {
            "id": record.pk,
            "colleague": _person(record.colleague),
            "school": _school(record.school),
            "trained_on": record.trained_on,
            "what": record.what,
        },
    )


CERTIFICATE_RESPONSE = {
    "responses": {
        200: {
            "description": "The certificate as a tagged PDF (PDF/UA-1).",
            "content": {PDF_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@router.get(ENROLMENT + "/certificate", openapi_extra=CERTIFICATE_RESPONSE)
def certificate(request, slug: str, learning_course_id: Id, course_enrolment_id: Id):
    """The certificate of a completed course, as a PDF (the participant's, their head's and the
    co-ordinators')."""
    _, enrolment = _enrolment(request, slug, learning_course_id, course_enrolment_id)
    if enrolment.completed_at is None:
        raise ProgrammeError(gettext("The certificate comes once the course is completed."))
    require(policy.can_view_certificate(request.auth, enrolment))
    response = HttpResponse(certificates.certificate_pdf(enrolment=enrolment))
    return as_download(
        response,
        filename=f"certificate-{enrolment.course_id}-{enrolment.pk}.pdf",
        content_type=PDF_TYPE,
    )


# Induction.

INDUCTIONS = "/networks/{slug:slug}/inductions"


def _plan_out(plan) -> dict:
    return {
        "id": plan.pk,
        "kind": plan.kind,
        "newcomer": _person(plan.newcomer),
        "school": _school(plan.school),
        "mentor": _person(plan.mentor),
        "completed_at": plan.completed_at,
        "tasks": [
            {"id": t.pk, "number": t.number, "text": t.text, "done_at": t.done_at}
            for t in plan.tasks.all()
        ],
        "meetings": [_session(a) for a in sorted(plan.meetings.all(), key=lambda a: a.starts_at)],
    }


@router.get(INDUCTIONS, response=list[LearningInductionOut])
@paginate(Pages)
def list_inductions(request, slug: str):
    """The plans the viewer may see: their own, the ones they mentor, all for the co-ordinators."""
    network = _network(request, slug)
    return [
        _plan_out(p)
        for p in selectors.plans_for(viewer=request.auth, network=network).prefetch_related(
            "tasks", "meetings"
        )
    ]


@router.post(INDUCTIONS, response={201: LearningInductionOut})
def start_induction(request, slug: str, payload: LearningInductionIn):
    network = _network(request, slug)
    _run(request, network)
    plan = services.start_induction(
        network=network,
        kind=payload.kind,
        newcomer=_network_person(network, payload.newcomer_id),
        school=_network_school(network, payload.school_id),
        mentor=None if payload.mentor_id is None else _network_person(network, payload.mentor_id),
        by=request.auth,
    )
    return Status(201, _plan_out(_plan(request, slug, plan.pk)))


def _plan(request, slug, induction_plan_id):
    network = _network(request, slug)
    return selectors.plan_for(viewer=request.auth, network=network, plan_id=induction_plan_id)


@router.get(INDUCTIONS + "/{induction_plan_id}", response=LearningInductionOut)
def get_induction(request, slug: str, induction_plan_id: Id):
    return _plan_out(_plan(request, slug, induction_plan_id))


@router.post(
    INDUCTIONS + "/{induction_plan_id}/tasks/{induction_task_id}", response=LearningInductionOut
)
def tick(request, slug: str, induction_plan_id: Id, induction_task_id: Id, payload: LearningTickIn):
    """Ticks a step (or un-ticks it); the plan completes when every step is done."""
    plan = _plan(request, slug, induction_plan_id)
    services.tick(
        task=selectors.task_of(plan=plan, task_id=induction_task_id),
        done=payload.done,
        by=request.auth,
    )
    return _plan_out(_plan(request, slug, induction_plan_id))


@router.post(INDUCTIONS + "/{induction_plan_id}/mentor", response=LearningInductionOut)
def name_mentor(request, slug: str, induction_plan_id: Id, payload: LearningMentorIn):
    """Names (or changes) the plan's mentor: a co-leader's or co-ordinator's."""
    plan = _plan(request, slug, induction_plan_id)
    _run(request, plan.network)
    services.name_mentor(
        plan=plan, mentor=_network_person(plan.network, payload.mentor_id), by=request.auth
    )
    return _plan_out(_plan(request, slug, induction_plan_id))


@router.post(INDUCTIONS + "/{induction_plan_id}/meetings", response={201: LearningSessionOut})
def add_meeting(request, slug: str, induction_plan_id: Id, payload: LearningSessionIn):
    plan = _plan(request, slug, induction_plan_id)
    activity = services.add_first_meeting(
        plan=plan,
        title=payload.title,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        by=request.auth,
    )
    return Status(201, _session(activity))
