"""Writes: programmes and waves, support relationships, courses, cascade and induction.

Each service checks the policy, runs in one transaction, refuses bad input with a message from
`errors.py` before changing anything, and tells whoever must act next through the notifications
service once the change commits.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from netlearn.activities import selectors as activity_selectors
from netlearn.activities import services as activity_services
from netlearn.activities.models import Audience
from netlearn.activities.models import Kind as ActivityKind
from netlearn.core.policy import require
from netlearn.networks import selectors as network_selectors
from netlearn.notifications import services as notifications
from netlearn.notifications.models import NotificationKind

from . import policy
from .errors import CoachNotQualified, CohortFull, ProgrammeError, WaveOverlap
from .models import (
    CascadeRecord,
    Course,
    CourseModule,
    Enrolment,
    EnrolmentStatus,
    InductionKind,
    InductionPlan,
    InductionStep,
    InductionTask,
    LearningProgramme,
    RelationshipKind,
    RelationshipNote,
    SupportRelationship,
    Wave,
    WavePlace,
    WaveRole,
)

KIND = NotificationKind.PROFESSIONAL_LEARNING
DAY = "%d %b %Y"


def _tell(people, *, text: str, url: str, by=None) -> None:
    notifications.notify_on_commit(recipients=people, kind=KIND, text=text, url=url, exclude=by)


def _name(person) -> str:
    return person.name or person.username


def _clean_text(value: str, *, missing: str = "") -> str:
    """The text without NULs and outer spaces; `missing`, if given, is the message when empty."""
    value = (value or "").replace("\x00", "").strip()
    if missing and not value:
        raise ProgrammeError(missing)
    return value


def _check_member_school(network, school) -> None:
    if school is None or not network_selectors.is_member_school(network=network, school=school):
        raise ProgrammeError(_("Choose a school of this network."))


def _check_network_person(network, person) -> None:
    if (
        person is None
        or not network_selectors.people_of_network(network=network).filter(pk=person.pk).exists()
    ):
        raise ProgrammeError(_("Choose a member of this network's staff."))


def _check_dates(starts_on, ends_on, *, optional_end: bool = False) -> None:
    if starts_on is None or (ends_on is None and not optional_end):
        raise ProgrammeError(_("Give the start and end dates."))
    if ends_on is not None and ends_on < starts_on:
        raise ProgrammeError(_("The end cannot come before the start."))


# Programmes and waves (docs/seed-practices.md#waves-of-coaching).


@transaction.atomic
def create_programme(*, network, title: str, description: str = "", by) -> LearningProgramme:
    require(policy.can_run(by, network))
    title = _clean_text(title, missing=_("Give the programme a title."))[:200]
    if LearningProgramme.objects.filter(network=network, title=title).exists():
        raise ProgrammeError(
            _("The network already has a programme called “%(title)s”.") % {"title": title}
        )
    return LearningProgramme.objects.create(
        network=network,
        title=title,
        description=_clean_text(description),
        created_by=by,
    )


def _check_schools_free(programme, schools, starts_on, ends_on, *, wave=None) -> None:
    """A school is in one wave of a programme at a time."""
    for other in programme.waves.prefetch_related("schools"):
        if wave is not None and other.pk == wave.pk:
            continue
        if not other.overlaps(starts_on, ends_on):
            continue
        clash = sorted(s.name for s in other.schools.all() if s.pk in {x.pk for x in schools})
        if clash:
            raise WaveOverlap(
                ngettext(
                    "%(schools)s is already in wave %(number)s (%(starts)s to %(ends)s), which "
                    "overlaps these dates: a school is in one wave of a programme at a time.",
                    "%(schools)s are already in wave %(number)s (%(starts)s to %(ends)s), which "
                    "overlaps these dates: a school is in one wave of a programme at a time.",
                    len(clash),
                )
                % {
                    "schools": ", ".join(clash),
                    "number": other.number,
                    "starts": format(other.starts_on, DAY),
                    "ends": format(other.ends_on, DAY),
                }
            )


@transaction.atomic
def start_wave(*, programme, starts_on, ends_on, schools=(), audience: str = "", by) -> Wave:
    """The next wave of the programme, with its schools."""
    require(policy.can_run(by, programme.network))
    programme = LearningProgramme.objects.select_for_update().get(pk=programme.pk)
    _check_dates(starts_on, ends_on)
    schools = list(schools)
    for school in schools:
        _check_member_school(programme.network, school)
    _check_schools_free(programme, schools, starts_on, ends_on)
    last = programme.waves.order_by("-number").first()
    wave = Wave.objects.create(
        programme=programme,
        number=(last.number + 1) if last else 1,
        audience=_clean_text(audience)[:200],
        starts_on=starts_on,
        ends_on=ends_on,
    )
    wave.schools.set(schools)
    return wave


@transaction.atomic
def add_school_to_wave(*, wave, school, by) -> Wave:
    require(policy.can_run(by, wave.programme.network))
    _check_member_school(wave.programme.network, school)
    _check_schools_free(wave.programme, [school], wave.starts_on, wave.ends_on, wave=wave)
    wave.schools.add(school)
    return wave


def _qualifying_waves(wave, person) -> list[Wave]:
    """Earlier waves of the programme the person completed (trained and signed off) or coached."""
    earlier = WavePlace.objects.filter(
        wave__programme_id=wave.programme_id, wave__number__lt=wave.number, person=person
    ).filter(Q(role=WaveRole.COACH) | Q(role=WaveRole.TRAINED, completed_on__isnull=False))
    return [place.wave for place in earlier.select_related("wave")]


@transaction.atomic
def add_coach(*, wave, person, school=None, by) -> WavePlace:
    """A coach of the wave. From the second wave on a coach must have completed an earlier wave
    (or coached one): each wave's coaches come from the schools of the last."""
    network = wave.programme.network
    require(policy.can_run(by, network))
    _check_network_person(network, person)
    if WavePlace.objects.filter(wave=wave, person=person, role=WaveRole.TRAINED).exists():
        raise CoachNotQualified(
            _("%(person)s is being trained in wave %(number)s, so cannot coach it.")
            % {"person": _name(person), "number": wave.number}
        )
    if wave.number > 1 and not _qualifying_waves(wave, person):
        raise CoachNotQualified(
            _(
                "%(person)s has not completed an earlier wave of %(programme)s: a coach of wave "
                "%(number)s learned the approach in an earlier wave."
            )
            % {"person": _name(person), "programme": wave.programme.title, "number": wave.number}
        )
    if school is not None:
        _check_member_school(network, school)
    try:
        with transaction.atomic():
            place = WavePlace.objects.create(
                wave=wave, person=person, school=school, role=WaveRole.COACH, added_by=by
            )
    except IntegrityError:
        raise ProgrammeError(
            _("%(person)s already coaches wave %(number)s.")
            % {"person": _name(person), "number": wave.number}
        ) from None
    _tell(
        [person],
        text=f"You coach wave {wave.number} of {wave.programme.title}",
        url=wave_url(wave),
        by=by,
    )
    return place


@transaction.atomic
def add_trainee(*, wave, person, school, by) -> WavePlace:
    network = wave.programme.network
    require(policy.can_run(by, network))
    _check_network_person(network, person)
    _check_member_school(network, school)
    if WavePlace.objects.filter(wave=wave, person=person, role=WaveRole.COACH).exists():
        raise CoachNotQualified(
            _("%(person)s coaches wave %(number)s, so is not trained in it.")
            % {"person": _name(person), "number": wave.number}
        )
    if not wave.schools.filter(pk=school.pk).exists():
        raise ProgrammeError(
            _("%(school)s is not one of wave %(number)s's schools.")
            % {"school": school.name, "number": wave.number}
        )
    try:
        with transaction.atomic():
            place = WavePlace.objects.create(
                wave=wave, person=person, school=school, role=WaveRole.TRAINED, added_by=by
            )
    except IntegrityError:
        raise ProgrammeError(
            _("%(person)s is already trained in wave %(number)s.")
            % {"person": _name(person), "number": wave.number}
        ) from None
    return place


@transaction.atomic
def complete_place(*, place, on: datetime.date | None = None, by) -> WavePlace:
    require(policy.can_run(by, place.wave.programme.network))
    if place.role != WaveRole.TRAINED:
        raise ProgrammeError(_("Only a person trained in the wave completes it."))
    place.completed_on = on or timezone.localdate()
    place.save(update_fields=["completed_on"])
    return place


def _host_school_of(by, network):
    access_school_ids = network_selectors.home_schools(network=network, person_ids=[by.pk])
    school_id = access_school_ids.get(by.pk)
    return network_selectors.schools_by_id([school_id]).get(school_id) if school_id else None


def _session(*, network, by, title, starts_at, ends_at, people, kind, purpose="", notify=True):
    """A session in the network's calendar, for the people named, hosted at the organiser's
    school (so that a coach may log their own sessions, as the calendar's rules allow)."""
    return activity_services.create_activity(
        network=network,
        by=by,
        title=title,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=purpose,
        audience=Audience.SELECTED,
        people=people,
        host_school=_host_school_of(by, network),
        notify=notify,
    )


@transaction.atomic
def add_wave_session(*, wave, title: str, starts_at, ends_at, by, notify: bool = True):
    """A session of the wave in the calendar, for its coaches and the people it trains."""
    network = wave.programme.network
    require(policy.can_run(by, network))
    people = [place.person for place in wave.places.select_related("person")]
    if not people:
        raise ProgrammeError(_("Add the wave's coaches or trainees first: they are invited."))
    activity = _session(
        network=network,
        by=by,
        title=_clean_text(title, missing=_("Give the session a title.")),
        starts_at=starts_at,
        ends_at=ends_at,
        people=people,
        kind=ActivityKind.COACHING_SESSION,
        purpose=f"Wave {wave.number} of {wave.programme.title}",
        notify=notify,
    )
    wave.sessions.add(activity)
    return activity


def wave_url(wave) -> str:
    return (
        reverse("programmes:programme", args=[wave.programme.network.slug, wave.programme_id])
        + f"#wave-{wave.number}"
    )


# Support relationships (docs/seed-practices.md#support-between-schools).


@transaction.atomic
def create_relationship(
    *,
    network,
    kind: str,
    supporter,
    supported,
    purpose: str,
    starts_on,
    ends_on=None,
    supporting_school=None,
    supported_school=None,
    by,
) -> SupportRelationship:
    require(policy.can_run(by, network))
    if kind not in RelationshipKind.values:
        raise ProgrammeError(_("Choose the kind of relationship."))
    _check_network_person(network, supporter)
    _check_network_person(network, supported)
    if supporter.pk == supported.pk:
        raise ProgrammeError(_("A relationship is between two different people."))
    _check_dates(starts_on, ends_on, optional_end=True)
    purpose = _clean_text(purpose, missing=_("Give the relationship's purpose."))
    if kind == RelationshipKind.SCHOOL_SUPPORT:
        _check_member_school(network, supporting_school)
        _check_member_school(network, supported_school)
        if supporting_school.pk == supported_school.pk:
            raise ProgrammeError(_("A school supports another school, not itself."))
    else:
        for school in (supporting_school, supported_school):
            if school is not None:
                _check_member_school(network, school)
    relationship = SupportRelationship.objects.create(
        network=network,
        kind=kind,
        supporter=supporter,
        supported=supported,
        supporting_school=supporting_school,
        supported_school=supported_school,
        purpose=purpose,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=by,
    )
    _tell(
        [supporter, supported],
        text=f"{relationship.get_kind_display()}: {_name(supporter)} supports {_name(supported)}",
        url=relationship_url(relationship),
        by=by,
    )
    return relationship


def relationship_url(relationship) -> str:
    return reverse("programmes:relationship", args=[relationship.network.slug, relationship.pk])


@transaction.atomic
def write_note(*, relationship, body: str, by) -> RelationshipNote:
    require(policy.can_write_note(by, relationship))
    note = RelationshipNote.objects.create(
        relationship=relationship, author=by, body=_clean_text(body, missing=_("Give the note."))
    )
    # The pair hear of it; whoever wrote it is left out (`notify_on_commit`'s exclude).
    _tell(
        [relationship.supporter, relationship.supported],
        text="A new note on your support relationship",
        url=relationship_url(relationship),
        by=by,
    )
    return note


@transaction.atomic
def log_session(
    *, relationship, title: str, starts_at, ends_at, purpose: str = "", by, notify: bool = True
):
    """A coaching or mentoring session of the pair, in the calendar (its register is the log)."""
    require(policy.can_log_session(by, relationship))
    activity = _session(
        network=relationship.network,
        by=by,
        title=_clean_text(title, missing=_("Give the session a title.")),
        starts_at=starts_at,
        ends_at=ends_at,
        people=[relationship.supporter, relationship.supported],
        kind=ActivityKind.COACHING_SESSION,
        purpose=_clean_text(purpose) or relationship.purpose[:500],
        notify=notify,
    )
    relationship.sessions.add(activity)
    return activity


@transaction.atomic
def end_relationship(*, relationship, ends_on=None, by) -> SupportRelationship:
    require(policy.can_run(by, relationship.network))
    ends_on = ends_on or timezone.localdate()
    _check_dates(relationship.starts_on, ends_on)
    relationship.ends_on = ends_on
    relationship.save(update_fields=["ends_on"])
    return relationship


# Courses, completion and cascade (docs/seed-practices.md#courses-and-cascade).


@transaction.atomic
def create_course(
    *,
    network,
    title: str,
    capacity: int,
    places_per_school: int,
    description: str = "",
    modules=(),
    sessions_to_complete: int = 0,
    by,
) -> Course:
    require(policy.can_run(by, network))
    title = _clean_text(title, missing=_("Give the course a title."))[:200]
    if not (capacity and 1 <= capacity <= 500):
        raise ProgrammeError(_("A cohort has between 1 and 500 places."))
    if not (places_per_school and 1 <= places_per_school <= capacity):
        raise ProgrammeError(_("Places per school are between 1 and the cohort's places."))
    modules = [
        _clean_text(m, missing=_("Give the module a title."))[:200]
        for m in modules
        if (m or "").strip()
    ]
    if not modules:
        raise ProgrammeError(_("Give the course at least one module."))
    if not 0 <= (sessions_to_complete or 0) <= max(len(modules), 0):
        raise ProgrammeError(_("Sessions to complete cannot exceed the number of modules."))
    course = Course.objects.create(
        network=network,
        title=title,
        description=_clean_text(description),
        capacity=capacity,
        places_per_school=places_per_school,
        sessions_to_complete=sessions_to_complete or 0,
        created_by=by,
    )
    CourseModule.objects.bulk_create(
        CourseModule(course=course, number=n, title=t) for n, t in enumerate(modules, start=1)
    )
    return course


def course_url(course) -> str:
    return reverse("programmes:course", args=[course.network.slug, course.pk])


def _locked_course(course) -> Course:
    return Course.objects.select_for_update().select_related("network").get(pk=course.pk)


def _session_people(course) -> list:
    return [e.person for e in course.enrolments.filter(status=EnrolmentStatus.ENROLLED)]


@transaction.atomic
def enrol(*, course, person, school, by, waiting_list: bool = True) -> Enrolment:
    """A place in the cohort, or on the waiting list once the cohort or the school's places are
    full. With `waiting_list=False` a full cohort is refused instead (an over-full cohort is bad
    input, and changes nothing)."""
    require(policy.can_enrol(by, course, school_id=school.pk, for_person_id=person.pk))
    course = _locked_course(course)
    _check_member_school(course.network, school)
    if not network_selectors.current_posts_at(person_id=person.pk, school=school).exists():
        raise ProgrammeError(
            _("%(person)s does not work at %(school)s.")
            % {"person": _name(person), "school": school.name}
        )
    if course.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN).filter(person=person).exists():
        raise ProgrammeError(_("%(person)s is already on this course.") % {"person": _name(person)})
    enrolled = course.enrolments.filter(status=EnrolmentStatus.ENROLLED)
    school_full = enrolled.filter(school=school).count() >= course.places_per_school
    cohort_full = enrolled.count() >= course.capacity
    if (school_full or cohort_full) and not waiting_list:
        if cohort_full:
            raise CohortFull(
                _(
                    "The cohort is full (%(places)s places); nobody was added. Join the waiting "
                    "list instead."
                )
                % {"places": course.capacity}
            )
        raise CohortFull(
            _(
                "%(school)s has taken its %(places)s places; nobody was added. Join the waiting "
                "list instead."
            )
            % {"school": school.name, "places": course.places_per_school}
        )
    status = EnrolmentStatus.WAITING if (school_full or cohort_full) else EnrolmentStatus.ENROLLED
    enrolment = Enrolment.objects.create(
        course=course, person=person, school=school, status=status, enrolled_by=by
    )
    if status == EnrolmentStatus.ENROLLED:
        _invite_to_sessions(course, [person], by=by)
    _tell(
        [person],
        text=(
            f"You have a place on {course.title}"
            if status == EnrolmentStatus.ENROLLED
            else f"You are on the waiting list for {course.title}"
        ),
        url=course_url(course),
        by=by,
    )
    return enrolment


def _invite_to_sessions(course, people, *, by) -> None:
    for module in course.modules.exclude(session=None).select_related("session"):
        if not module.session.is_cancelled:
            activity_services.update_activity(
                activity=module.session, by=module.session.organiser, people=people
            )


@transaction.atomic
def withdraw(*, enrolment, by) -> Enrolment:
    """Gives the place back; the first waiting person whose school has a place left takes it."""
    require(policy.can_withdraw_enrolment(by, enrolment))
    course = _locked_course(enrolment.course)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise ProgrammeError(_("That place was already given back."))
    if enrolment.completed_at is not None:
        raise ProgrammeError(_("A completed course cannot be given back."))
    was_enrolled = enrolment.status == EnrolmentStatus.ENROLLED
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.save(update_fields=["status"])
    if was_enrolled:
        _promote(course, by=by)
    return enrolment


def _promote(course, *, by) -> None:
    enrolled = course.enrolments.filter(status=EnrolmentStatus.ENROLLED)
    if enrolled.count() >= course.capacity:
        return
    for waiting in course.enrolments.filter(status=EnrolmentStatus.WAITING).select_related(
        "person"
    ):
        if enrolled.filter(school_id=waiting.school_id).count() < course.places_per_school:
            waiting.status = EnrolmentStatus.ENROLLED
            waiting.save(update_fields=["status"])
            _invite_to_sessions(course, [waiting.person], by=by)
            _tell(
                [waiting.person],
                text=f"A place came free: you are in the cohort of {course.title}",
                url=course_url(course),
            )
            return


@transaction.atomic
def schedule_module(*, module, starts_at, ends_at, by, notify: bool = True):
    """The module's session in the calendar, for the cohort; its register counts to completion."""
    course = module.course
    require(policy.can_run(by, course.network))
    if module.session_id is not None and not module.session.is_cancelled:
        raise ProgrammeError(
            _("Module %(number)s already has its session.") % {"number": module.number}
        )
    people = _session_people(course)
    if not people:
        raise ProgrammeError(_("Enrol the cohort first: its members are invited."))
    activity = _session(
        network=course.network,
        by=by,
        title=f"{course.title}: {module.title}",
        starts_at=starts_at,
        ends_at=ends_at,
        people=people,
        kind=ActivityKind.SHARED_CPD,
        purpose=f"Module {module.number} of {course.title}",
        notify=notify,
    )
    module.session = activity
    module.save(update_fields=["session"])
    return activity


def sessions_needed(course) -> int:
    modules = [m for m in course.modules.all()]
    return course.sessions_to_complete or len(modules)


def complete_from_register(*, occurrence, by) -> None:
    """After a register of a module's session: whoever has now attended enough completes.

    Runs inside the register's transaction (activities' `hooks.on_register_taken`)."""
    modules = CourseModule.objects.filter(session_id=occurrence.activity_id).select_related(
        "course"
    )
    for module in modules:
        _complete_course(module.course)


def _complete_course(course) -> list[Enrolment]:
    session_ids = [m.session_id for m in course.modules.all() if m.session_id]
    needed = sessions_needed(course)
    if not session_ids or not needed:
        return []
    enrolled = list(
        course.enrolments.filter(status=EnrolmentStatus.ENROLLED, completed_at__isnull=True)
    )
    attended = activity_selectors.sessions_attended(
        activity_ids=session_ids, person_ids=[e.person_id for e in enrolled]
    )
    done = []
    now = timezone.now()
    for enrolment in enrolled:
        count = attended.get(enrolment.person_id, 0)
        if count >= needed:
            enrolment.completed_at = now
            enrolment.evidence = (
                f"Attended {count} of the course's {len(session_ids)} sessions (registers)."
                + (f"\n{enrolment.evidence}" if enrolment.evidence else "")
            )
            enrolment.save(update_fields=["completed_at", "evidence"])
            done.append(enrolment)
            _tell(
                [enrolment.person],
                text=f"You completed {course.title}: your certificate is ready",
                url=course_url(course),
            )
    return done


@transaction.atomic
def add_evidence(*, enrolment, text: str, by) -> Enrolment:
    """What the participant brings as evidence of their learning (a project, a write-up)."""
    require(policy.can_record_cascade(by, enrolment))
    text = _clean_text(text, missing=_("Give the evidence."))
    enrolment.evidence = f"{enrolment.evidence}\n{text}".strip()[:5000]
    enrolment.save(update_fields=["evidence"])
    return enrolment


@transaction.atomic
def record_cascade(
    *, enrolment, colleague, school, trained_on, what: str = "", by
) -> CascadeRecord:
    """A colleague the participant trained after the course, in their own or a partner school
    of the network."""
    require(policy.can_record_cascade(by, enrolment))
    course = enrolment.course
    if enrolment.completed_at is None:
        raise ProgrammeError(_("Cascade is recorded once the course is completed."))
    _check_member_school(course.network, school)
    if colleague.pk == enrolment.person_id:
        raise ProgrammeError(_("Record the colleagues you trained, not yourself."))
    if not network_selectors.current_posts_at(person_id=colleague.pk, school=school).exists():
        raise ProgrammeError(
            _("%(person)s does not work at %(school)s.")
            % {"person": _name(colleague), "school": school.name}
        )
    if trained_on is None or trained_on > timezone.localdate():
        raise ProgrammeError(_("Give the day the training took place (not a future day)."))
    try:
        with transaction.atomic():
            return CascadeRecord.objects.create(
                enrolment=enrolment,
                colleague=colleague,
                school=school,
                trained_on=trained_on,
                what=_clean_text(what)[:300],
            )
    except IntegrityError:
        raise ProgrammeError(
            _("%(person)s is already counted.") % {"person": _name(colleague)}
        ) from None


# Induction (docs/seed-practices.md#induction).

DEFAULT_STEPS = (
    "Meet the co-leaders and the co-ordinator",
    "Read the network's charter and its learning foci",
    "Visit a partner school with the mentor",
    "Come to a headteachers' meeting",
    "Agree with the mentor what the school brings and what it needs",
)


@transaction.atomic
def set_induction_steps(*, network, steps, by) -> list[InductionStep]:
    require(policy.can_run(by, network))
    steps = [_clean_text(s, missing=_("Give the step."))[:300] for s in steps if (s or "").strip()]
    if not steps:
        raise ProgrammeError(_("The checklist needs at least one step."))
    InductionStep.objects.filter(network=network).delete()
    return InductionStep.objects.bulk_create(
        InductionStep(network=network, number=n, text=t) for n, t in enumerate(steps, start=1)
    )


@transaction.atomic
def start_induction(*, network, kind: str, newcomer, school, mentor=None, by) -> InductionPlan:
    """A plan from the network's checklist (or the default one), with a mentor."""
    require(policy.can_run(by, network))
    if kind not in InductionKind.values:
        raise ProgrammeError(_("Choose whether a new head or a new school joins."))
    _check_member_school(network, school)
    _check_network_person(network, newcomer)
    if mentor is not None:
        _check_network_person(network, mentor)
        if mentor.pk == newcomer.pk:
            raise ProgrammeError(_("The mentor is someone other than the newcomer."))
    if InductionPlan.objects.filter(
        network=network, newcomer=newcomer, completed_at__isnull=True
    ).exists():
        raise ProgrammeError(
            _("%(person)s already has an induction plan under way.") % {"person": _name(newcomer)}
        )
    plan = InductionPlan.objects.create(
        network=network, kind=kind, newcomer=newcomer, school=school, mentor=mentor, created_by=by
    )
    steps = list(InductionStep.objects.filter(network=network).values_list("text", flat=True))
    InductionTask.objects.bulk_create(
        InductionTask(plan=plan, number=n, text=t)
        for n, t in enumerate(steps or DEFAULT_STEPS, start=1)
    )
    url = plan_url(plan)
    _tell([newcomer], text=f"Welcome to {network.name}: your induction plan", url=url, by=by)
    if mentor is not None:
        _tell([mentor], text=f"You mentor {_name(newcomer)} through induction", url=url, by=by)
    return plan


@transaction.atomic
def induct_newcomer(*, network, school, person, kind: str) -> InductionPlan | None:
    """Starts a newcomer's induction when they join (`netlearn.core.newcomers`): the network's
    checklist (or the default one), a mentor to name, first meetings to add; the newcomer is
    welcomed and the co-leaders and co-ordinators told to name a mentor.

    One plan per newcomer, network and school: joining again (a school that leaves and comes
    back, a head recorded twice) starts nothing more. Returns the plan, or None."""
    if kind not in InductionKind.values or person is None:
        return None
    if not network_selectors.is_member_school(network=network, school=school):
        return None
    if InductionPlan.objects.filter(network=network, newcomer=person, school=school).exists():
        return None
    plan = InductionPlan.objects.create(
        network=network, kind=kind, newcomer=person, school=school, created_by=None
    )
    steps = list(InductionStep.objects.filter(network=network).values_list("text", flat=True))
    InductionTask.objects.bulk_create(
        InductionTask(plan=plan, number=n, text=t)
        for n, t in enumerate(steps or DEFAULT_STEPS, start=1)
    )
    url = plan_url(plan)
    _tell([person], text=f"Welcome to {network.name}: your induction plan", url=url)
    _tell(
        list(_runners(network)),
        text=f"{_name(person)} joins {network.name} from {school}: name a mentor for their "
        "induction",
        url=url,
        by=person,
    )
    return plan


def _runners(network):
    ids = network_selectors.role_holder_ids(network_id=network.pk, roles=policy.RUNNING_ROLES)
    return network_selectors.people_of_network(network=network).filter(pk__in=ids)


@transaction.atomic
def name_mentor(*, plan, mentor, by) -> InductionPlan:
    """Names (or changes) a plan's mentor: a member of the network's staff, not the newcomer."""
    require(policy.can_run(by, plan.network))
    plan = (
        InductionPlan.objects.select_for_update()
        .select_related("network", "newcomer")
        .get(pk=plan.pk)
    )
    _check_network_person(plan.network, mentor)
    if mentor.pk == plan.newcomer_id:
        raise ProgrammeError(_("The mentor is someone other than the newcomer."))
    if plan.mentor_id == mentor.pk:
        return plan
    plan.mentor = mentor
    plan.save(update_fields=["mentor"])
    _tell(
        [mentor],
        text=f"You mentor {_name(plan.newcomer)} through induction",
        url=plan_url(plan),
        by=by,
    )
    return plan


def plan_url(plan) -> str:
    return reverse("programmes:induction", args=[plan.network.slug, plan.pk])


@transaction.atomic
def tick(*, task, done: bool = True, by) -> InductionTask:
    plan = task.plan
    require(policy.can_tick(by, plan))
    plan = InductionPlan.objects.select_for_update().get(pk=plan.pk)
    task.done_at = timezone.now() if done else None
    task.done_by = by if done else None
    task.save(update_fields=["done_at", "done_by"])
    open_tasks = plan.tasks.filter(done_at__isnull=True).exists()
    if not open_tasks and plan.completed_at is None:
        plan.completed_at = timezone.now()
        plan.save(update_fields=["completed_at"])
        _tell_runners(plan, by=by)
    elif open_tasks and plan.completed_at is not None:
        plan.completed_at = None
        plan.save(update_fields=["completed_at"])
    return task


def _tell_runners(plan, *, by) -> None:
    ids = network_selectors.role_holder_ids(network_id=plan.network_id, roles=policy.RUNNING_ROLES)
    people = network_selectors.people_of_network(network=plan.network).filter(pk__in=ids)
    _tell(
        list(people),
        text=f"{_name(plan.newcomer)} has completed their induction",
        url=plan_url(plan),
        by=by,
    )


@transaction.atomic
def add_first_meeting(*, plan, title: str, starts_at, ends_at, by, notify: bool = True):
    """A first meeting of the newcomer and the mentor, in the calendar."""
    require(policy.can_tick(by, plan))
    people = [p for p in (plan.newcomer, plan.mentor) if p is not None]
    activity = _session(
        network=plan.network,
        by=by,
        title=_clean_text(title, missing=_("Give the meeting a title.")),
        starts_at=starts_at,
        ends_at=ends_at,
        people=people,
        kind=ActivityKind.LEARNING_MEETING,
        purpose="Induction",
        notify=notify,
    )
    plan.meetings.add(activity)
    return activity
