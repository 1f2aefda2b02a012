"""Who may see and run a network's professional learning.

The network's staff (partners included: a facilitator supports its programmes) see its
programmes, waves, courses and support relationships; pupils and parents see none of it. Its
co-leaders and co-ordinators ("the co-ordinator" of docs/programmes.md) run it: they make
programmes, waves, courses, pairings and induction plans. What is between two people stays
between them and the co-ordinators: a relationship's notes, a participant's attendance and
evidence. An induction plan and a completion are the network's to see; the newcomer, the mentor
and the co-ordinators work through the plan. Checks read preloaded access
(`networks.access`) and cost no queries.
"""

from django.db.models import Q

from netlearn.core.policy import is_staff, nothing
from netlearn.networks.access import access_for
from netlearn.networks.models import Role

from .models import Course, InductionPlan, LearningProgramme, RelationshipNote, SupportRelationship

RUNNING_ROLES = (Role.CO_LEADER, Role.CO_ORDINATOR)


def _staff_network_ids(access) -> frozenset[int]:
    return access.network_ids if is_staff(access) else frozenset()


def _run_network_ids(access) -> list[int]:
    return [
        network_id
        for network_id, roles in access.roles.items()
        if roles.intersection(RUNNING_ROLES) and not access.is_pupil
    ]


def can_view_learning(person, network) -> bool:
    access = access_for(person)
    return access.is_site_admin or network.pk in _staff_network_ids(access)


def can_run(person, network) -> bool:
    """The network's co-leaders and co-ordinators (and site admins) run its programmes."""
    access = access_for(person)
    return access.is_site_admin or (
        not access.is_pupil and access.holds(*RUNNING_ROLES, in_network=network.pk)
    )


def _in_staff_networks(person, prefix: str = "") -> Q:
    access = access_for(person)
    if access.is_site_admin:
        return Q()
    ids = _staff_network_ids(access)
    return Q(**{f"{prefix}network_id__in": list(ids)}) if ids else nothing()


def _sees_network(person, network_id: int) -> bool:
    access = access_for(person)
    return access.is_site_admin or network_id in _staff_network_ids(access)


def _runs_network(person, network_id: int) -> bool:
    access = access_for(person)
    return access.is_site_admin or network_id in _run_network_ids(access)


# Programmes and waves.


def programme_scope(person) -> Q:
    return _in_staff_networks(person)


def programme_scope_through(person, prefix: str) -> Q:
    """`programme_scope` reached through a relation (a wave's `programme__`)."""
    return _in_staff_networks(person, prefix=f"{prefix}")


def can_view_programme(person, programme) -> bool:
    return _sees_network(person, programme.network_id)


# Support relationships and their private notes.


def relationship_scope(person) -> Q:
    return _in_staff_networks(person)


def can_view_relationship(person, relationship) -> bool:
    return _sees_network(person, relationship.network_id)


def _in_pair(person, relationship) -> bool:
    person_id = access_for(person).person_id
    return person_id is not None and person_id in (
        relationship.supporter_id,
        relationship.supported_id,
    )


def can_read_notes(person, relationship) -> bool:
    """The pair and the network's co-ordinators only: not a site admin, not other staff."""
    access = access_for(person)
    if access.is_pupil or access.is_parent or access.person_id is None:
        return False
    if relationship.network_id not in access.network_ids:
        return False
    return _in_pair(person, relationship) or relationship.network_id in _run_network_ids(access)


def can_write_note(person, relationship) -> bool:
    return can_read_notes(person, relationship)


def can_read_note(person, note) -> bool:
    return can_read_notes(person, note.relationship)


def note_scope(person) -> Q:
    access = access_for(person)
    if access.person_id is None or access.is_pupil or access.is_parent:
        return nothing()
    pair = Q(relationship__supporter_id=access.person_id) | Q(
        relationship__supported_id=access.person_id
    )
    return Q(relationship__network_id__in=list(access.network_ids)) & (
        pair | Q(relationship__network_id__in=_run_network_ids(access))
    )


def can_log_session(person, relationship) -> bool:
    """The pair log their sessions; the co-ordinators too."""
    return can_read_notes(person, relationship)


# Courses.


def course_scope(person) -> Q:
    return _in_staff_networks(person)


def can_view_course(person, course) -> bool:
    return _sees_network(person, course.network_id)


def can_enrol(person, course, *, school_id: int, for_person_id: int) -> bool:
    """A member of staff enrols themself; a school's head enrols its staff; the co-ordinators
    enrol anyone."""
    access = access_for(person)
    if _runs_network(person, course.network_id):
        return True
    if course.network_id not in _staff_network_ids(access) or access.is_partner:
        return False
    if for_person_id == access.person_id:
        return school_id in access.school_ids
    return school_id in access.led_school_ids


def can_withdraw_enrolment(person, enrolment) -> bool:
    access = access_for(person)
    return (
        _runs_network(person, enrolment.course.network_id)
        or enrolment.person_id == access.person_id
        or enrolment.school_id in access.led_school_ids
    )


def can_see_progress(person, enrolment) -> bool:
    """Attendance and evidence: the participant, their head, the co-ordinators."""
    access = access_for(person)
    return (
        enrolment.person_id == access.person_id
        or _runs_network(person, enrolment.course.network_id)
        or (enrolment.school_id in access.led_school_ids and not access.is_pupil)
    )


def can_record_cascade(person, enrolment) -> bool:
    access = access_for(person)
    return enrolment.person_id == access.person_id or _runs_network(
        person, enrolment.course.network_id
    )


# Induction.


def plan_scope(person) -> Q:
    """A newcomer's induction is the network's welcome: its staff see the plan."""
    return _in_staff_networks(person)


def can_view_plan(person, plan) -> bool:
    return _sees_network(person, plan.network_id)


def can_tick(person, plan) -> bool:
    """The newcomer, the mentor and the co-ordinators work through the checklist."""
    access = access_for(person)
    if access.is_site_admin:
        return True
    if access.person_id is None or access.is_pupil or access.is_parent:
        return False
    if plan.network_id not in access.network_ids:
        return False
    return access.person_id in (plan.newcomer_id, plan.mentor_id) or _runs_network(
        person, plan.network_id
    )


def can_view_certificate(person, enrolment) -> bool:
    """A completion is celebrated in the network: its staff may open the certificate (which
    names the course and its modules, never the attendance or the evidence)."""
    return enrolment.completed_at is not None and _sees_network(person, enrolment.course.network_id)


AGREEMENTS = (
    (LearningProgramme, can_view_programme, programme_scope),
    (SupportRelationship, can_view_relationship, relationship_scope),
    (RelationshipNote, can_read_note, note_scope),
    (Course, can_view_course, course_scope),
    (InductionPlan, can_view_plan, plan_scope),
)
SCOPES_ALONE = ()
