"""Writes to networks, schools, roles and groups. Each service checks the policy itself."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from netlearn.accounts import services as account_services
from netlearn.accounts.errors import AccountError
from netlearn.accounts.models import Kind, Person

from . import policy
from .access import forget_access
from .errors import (
    AlreadyHoldsRole,
    AlreadyMember,
    GroupRuleBroken,
    InvalidDates,
    NetworkError,
    NotInNetwork,
)
from .imports import Problem, SchoolFile, SchoolFileRefused, parse_school_file, read_limited
from .models import (
    SCHOOL_PROFILE_FIELDS,
    Country,
    Group,
    GroupKind,
    GroupMember,
    Network,
    NetworkMembership,
    NetworkRole,
    School,
    StaffPost,
)

TRIAD_SIZE = 3


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _today() -> datetime.date:
    return timezone.localdate()


@transaction.atomic
def add_school_to_network(
    *, network: Network, school: School, by, joined: datetime.date | None = None
) -> NetworkMembership:
    _require(policy.can_manage_network(by, network))
    if NetworkMembership.objects.filter(network=network, school=school, left__isnull=True).exists():
        raise AlreadyMember(f"{school} is already a member of {network}.")
    membership = NetworkMembership.objects.create(
        network=network, school=school, joined=joined or _today()
    )
    forget_access(by)
    return membership


@transaction.atomic
def end_school_membership(
    *, membership: NetworkMembership, by, left: datetime.date | None = None
) -> NetworkMembership:
    _require(policy.can_manage_network(by, membership.network))
    left = left or _today()
    if left < membership.joined:
        raise InvalidDates("A school cannot leave before it joined.")
    membership.left = left
    membership.save(update_fields=["left"])
    forget_access(by)
    return membership


def network_ids_of_person(person) -> set[int]:
    """Networks in which the person holds a role or works at a member school today."""
    role_networks = (
        NetworkRole.objects.current().filter(person=person).values_list("network_id", flat=True)
    )
    post_schools = StaffPost.objects.current().filter(person=person).values("school_id")
    school_networks = (
        NetworkMembership.objects.current()
        .filter(school_id__in=post_schools)
        .values_list("network_id", flat=True)
    )
    return set(role_networks) | set(school_networks)


@transaction.atomic
def assign_role(
    *,
    network: Network,
    person,
    role: str,
    by,
    school: School | None = None,
    started: datetime.date | None = None,
    note: str = "",
) -> NetworkRole:
    _require(policy.can_manage_network(by, network))
    if person.is_pupil:
        raise NotInNetwork("Pupils cannot hold network roles.")
    if not type(person).objects.filter(policy.people_scope(by), pk=person.pk).exists():
        # A co-leader gives roles to people they already work with, never to strangers.
        raise NotInNetwork(f"{person} is not in any network of yours.")
    if NetworkRole.objects.filter(
        network=network, person=person, role=role, ended__isnull=True
    ).exists():
        raise AlreadyHoldsRole(f"{person} already holds that role in {network}.")
    if (
        school is not None
        and not NetworkMembership.objects.current().filter(network=network, school=school).exists()
    ):
        raise NotInNetwork(f"{school} is not a member of {network}.")
    network_role = NetworkRole.objects.create(
        network=network,
        person=person,
        role=role,
        school=school,
        started=started or _today(),
        note=note,
    )
    forget_access(person)
    return network_role


@transaction.atomic
def end_role(*, network_role: NetworkRole, by, ended: datetime.date | None = None) -> NetworkRole:
    _require(policy.can_manage_network(by, network_role.network))
    ended = ended or _today()
    if ended < network_role.started:
        raise InvalidDates("A role cannot end before it started.")
    network_role.ended = ended
    network_role.save(update_fields=["ended"])
    forget_access(network_role.person)
    return network_role


@transaction.atomic
def add_staff_post(
    *,
    person,
    school: School,
    job_title: str,
    level: str,
    by=None,
    leads_school: bool = False,
    started: datetime.date | None = None,
) -> StaffPost:
    """Records a person's job at a school. `by=None` is for trusted callers (demo, admin)."""
    if by is not None:
        _require(policy.can_change_school(by, school))
    post = StaffPost.objects.create(
        person=person,
        school=school,
        job_title=job_title,
        level=level,
        leads_school=leads_school,
        started=started or _today(),
    )
    forget_access(person)
    return post


@transaction.atomic
def add_staff_member(
    *,
    school: School,
    by,
    name: str,
    email: str,
    job_title: str,
    level: str,
    leads_school: bool = False,
) -> StaffPost:
    """Gives a colleague a post at the school, inviting them to Netlearn if they are new to it."""
    _require(policy.can_manage_staff(by, school))
    person = Person.objects.filter(email__iexact=email.strip()).first() if email.strip() else None
    if person is None:
        try:
            person = account_services.invite_person(
                name=name, email=email, kind=Kind.STAFF, invited_by=by
            )
        except AccountError as error:
            raise NetworkError(str(error)) from error
    elif person.is_pupil:
        raise NetworkError("That address belongs to a pupil's account.")
    elif StaffPost.objects.current().filter(person=person, school=school).exists():
        raise AlreadyMember(f"{person} already has a post at {school}.")
    return add_staff_post(
        person=person,
        school=school,
        job_title=job_title.strip(),
        level=level,
        leads_school=leads_school,
    )


@transaction.atomic
def end_staff_post(*, post: StaffPost, by, ended: datetime.date | None = None) -> StaffPost:
    _require(policy.can_manage_staff(by, post.school))
    ended = ended or _today()
    if ended < post.started:
        raise InvalidDates("A post cannot end before it started.")
    post.ended = ended
    post.save(update_fields=["ended"])
    forget_access(post.person)
    return post


@transaction.atomic
def update_school(*, school: School, by, **fields) -> School:
    _require(policy.can_change_school(by, school))
    unknown = set(fields) - set(SCHOOL_PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not a school field: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(school, name, value)
    school.full_clean()
    school.save()
    return school


@transaction.atomic
def create_group(*, network: Network, name: str, kind: str, by, purpose: str = "") -> Group:
    _require(policy.can_manage_network(by, network))
    if Group.objects.filter(network=network, name__iexact=name.strip()).exists():
        raise GroupRuleBroken(f"{network} already has a group called “{name.strip()}”.")
    return Group.objects.create(network=network, name=name.strip(), kind=kind, purpose=purpose)


@transaction.atomic
def update_group(*, group: Group, by, name: str, kind: str, purpose: str) -> Group:
    _require(policy.can_manage_group(by, group))
    clash = Group.objects.filter(network_id=group.network_id, name__iexact=name.strip()).exclude(
        pk=group.pk
    )
    if clash.exists():
        raise GroupRuleBroken(f"The network already has a group called “{name.strip()}”.")
    if kind == GroupKind.TRIAD and group.members.filter(school__isnull=False).exists():
        raise GroupRuleBroken("A triad holds people, not schools: remove the schools first.")
    group.name, group.kind, group.purpose = name.strip(), kind, purpose
    group.save(update_fields=["name", "kind", "purpose"])
    return group


def _schools_of_person_in_network(person, network_id: int) -> set[int]:
    member_schools = (
        NetworkMembership.objects.current().filter(network_id=network_id).values("school_id")
    )
    posts = StaffPost.objects.current().filter(person=person, school_id__in=member_schools)
    roles = NetworkRole.objects.current().filter(
        person=person, network_id=network_id, school__isnull=False
    )
    return set(posts.values_list("school_id", flat=True)) | set(
        roles.values_list("school_id", flat=True)
    )


@transaction.atomic
def add_group_member(
    *, group: Group, by, person=None, school: School | None = None, represents: str = ""
) -> GroupMember:
    """Adds a person or a school to a group, keeping each kind of group's rules.

    A triad is three people from three different schools; a steering group records which level
    each member represents.
    """
    _require(policy.can_manage_group(by, group))
    if (person is None) == (school is None):
        raise GroupRuleBroken("Add either a person or a school.")
    # Lock the group so that two co-leaders cannot both add the third member of a triad.
    Group.objects.select_for_update().filter(pk=group.pk).first()
    if school is not None:
        if group.kind == GroupKind.TRIAD:
            raise GroupRuleBroken(
                "A triad is three people from three different schools, not schools."
            )
        if (
            not NetworkMembership.objects.current()
            .filter(network_id=group.network_id, school=school)
            .exists()
        ):
            raise NotInNetwork(f"{school} is not a member of this network.")
        if group.members.filter(school=school).exists():
            raise GroupRuleBroken(f"{school} is already in {group}.")
    else:
        if person.pk not in set(
            NetworkRole.objects.current()
            .filter(network_id=group.network_id)
            .values_list("person_id", flat=True)
        ) and group.network_id not in network_ids_of_person(person):
            raise NotInNetwork(f"{person} is not part of this network.")
        if group.members.filter(person=person).exists():
            raise GroupRuleBroken(f"{person} is already in {group}.")
        if group.kind == GroupKind.TRIAD:
            _check_triad_place(group=group, person=person)
    if group.kind == GroupKind.STEERING and not represents:
        raise GroupRuleBroken("Say which level this steering-group member represents.")
    return GroupMember.objects.create(
        group=group, person=person, school=school, represents=represents
    )


def _check_triad_place(*, group: Group, person) -> None:
    current = list(group.members.filter(person__isnull=False).select_related("person"))
    if len(current) >= TRIAD_SIZE:
        raise GroupRuleBroken("A triad has three people already.")
    schools = _schools_of_person_in_network(person, group.network_id)
    if not schools:
        raise GroupRuleBroken(f"{person} has no school in this network, so cannot join a triad.")
    taken: set[int] = set()
    for member in current:
        taken |= _schools_of_person_in_network(member.person, group.network_id)
    if schools <= taken:
        raise GroupRuleBroken(
            f"{person}'s school already has a member in this triad: "
            "a triad is three people from three different schools."
        )


@transaction.atomic
def remove_group_member(*, member: GroupMember, by) -> None:
    _require(policy.can_manage_group(by, member.group))
    member.delete()


@dataclass(frozen=True)
class ImportResult:
    format: str
    country: str
    rows: int
    created: int
    updated: int
    unchanged: int
    skipped_closed: int
    network: Network | None = None
    marked_closed: int = 0
    added_to_network: int = 0
    already_in_network: int = 0


# SQLite allows 999 variables a query before 3.32; keep every IN list under it.
_IN_CHUNK = 900
_BULK_BATCH = 1000


def _chunks(items: list, size: int = _IN_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def import_schools(*, file, by, network: Network | None = None) -> ImportResult:
    """Creates or updates schools from a GIAS extract or the NZ directory, all or nothing.

    Schools are matched by (country, reference); with `network`, every imported school becomes a
    member unless it already is one. Raises PermissionDenied, or SchoolFileRefused listing every
    problem, and then has written nothing. `by=None` is for trusted callers (the command).
    """
    if by is not None:
        _require(policy.can_import_schools(by))
        if network is None:
            # Co-leaders import into one of their networks; only site admins import bare schools.
            _require(policy.managed_network_ids(by) is None)
        else:
            _require(policy.can_manage_network(by, network))
    parsed = parse_school_file(read_limited(file))
    if network is not None and network.country != parsed.country:
        raise SchoolFileRefused(
            [
                Problem(
                    None,
                    None,
                    f"This file lists schools in {Country(parsed.country).label}, but {network} "
                    f"is a network in {Country(network.country).label}.",
                )
            ]
        )
    try:
        with transaction.atomic():
            result = _write_schools(parsed=parsed, network=network)
    except IntegrityError:
        # Another import or edit created the same school or membership meanwhile.
        raise SchoolFileRefused(
            [
                Problem(
                    None,
                    None,
                    "These schools changed while importing; nothing was saved. Try again.",
                )
            ]
        ) from None
    if by is not None:
        forget_access(by)
    return result


def _update_schools(schools: list[School], names: list[str]) -> None:
    """One parameterised UPDATE run for every school.

    bulk_update() builds a CASE WHEN expression per field and school: 40,000 changed schools
    took 50 s that way, against a few seconds here.
    """
    if not schools:
        return
    quote = connection.ops.quote_name
    model_fields = [School._meta.get_field(name) for name in names]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in model_fields)
    sql = (
        f"UPDATE {quote(School._meta.db_table)} SET {assignments} "
        f"WHERE {quote(School._meta.pk.column)} = %s"
    )
    params = [
        [
            field.get_db_prep_save(getattr(school, field.attname), connection)
            for field in model_fields
        ]
        + [school.pk]
        for school in schools
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), _BULK_BATCH):
            cursor.executemany(sql, params[start : start + _BULK_BATCH])


def _write_schools(*, parsed: SchoolFile, network: Network | None) -> ImportResult:
    """Caller holds the transaction."""
    fields = list(parsed.fields)
    references = [row.reference for row in parsed.rows]
    existing: dict[str, School] = {}
    for chunk in _chunks(references):
        for school in (
            School.objects.select_for_update()
            .filter(country=parsed.country, reference__in=chunk)
            .only("pk", "reference", *fields)
        ):
            existing[school.reference] = school
    now = timezone.now()
    to_create: list[School] = []
    to_update: list[School] = []
    for row in parsed.rows:
        school = existing.get(row.reference)
        if school is None:
            to_create.append(School(country=parsed.country, reference=row.reference, **row.values))
            continue
        changed = False
        for name, value in row.values.items():
            if getattr(school, name) != value:
                setattr(school, name, value)
                changed = True
        if changed:
            school.updated_at = now
            to_update.append(school)
    School.objects.bulk_create(to_create, batch_size=_BULK_BATCH)
    _update_schools(to_update, [*fields, "updated_at"])
    # A school the list says has closed stays on Netlearn, with its history, marked closed; one
    # we never had is not created.
    marked_closed = known_closed = 0
    for chunk in _chunks(list(parsed.closed)):
        listed = School.objects.filter(country=parsed.country, reference__in=chunk)
        known_closed += listed.count()
        marked_closed += listed.filter(is_closed=False).update(is_closed=True, updated_at=now)
    added = already = 0
    if network is not None:
        school_ids = [school.pk for school in existing.values()]
        created_refs = [school.reference for school in to_create]
        for chunk in _chunks(created_refs):
            school_ids.extend(
                School.objects.filter(country=parsed.country, reference__in=chunk).values_list(
                    "pk", flat=True
                )
            )
        today = _today()
        members: set[int] = set()
        for chunk in _chunks(school_ids):
            members.update(
                NetworkMembership.objects.filter(network=network, school_id__in=chunk)
                .filter(Q(left__isnull=True) | Q(left__gt=today))
                .values_list("school_id", flat=True)
            )
        new_ids = [school_id for school_id in school_ids if school_id not in members]
        NetworkMembership.objects.bulk_create(
            [NetworkMembership(network=network, school_id=pk, joined=today) for pk in new_ids],
            batch_size=_BULK_BATCH,
        )
        added, already = len(new_ids), len(members)
    return ImportResult(
        format=parsed.format,
        country=parsed.country,
        rows=len(parsed.rows),
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(parsed.rows) - len(to_create) - len(to_update),
        skipped_closed=parsed.skipped_closed - known_closed,
        marked_closed=marked_closed,
        network=network,
        added_to_network=added,
        already_in_network=already,
    )


@transaction.atomic
def add_role_holders_to_group(*, group: Group, role: str, by) -> int:
    """Adds, in one step, everyone who holds a role in the group's network (e.g. lead learners).

    Returns how many joined; people already in the group are left as they are.
    """
    _require(policy.can_manage_group(by, group))
    if group.kind in (GroupKind.TRIAD, GroupKind.STEERING):
        raise GroupRuleBroken(
            "Add triad and steering-group members one by one: a triad needs three schools, "
            "a steering group the level each member represents."
        )
    holders = NetworkRole.objects.current().filter(network_id=group.network_id, role=role)
    already = group.members.filter(person__isnull=False).values("person_id")
    person_ids = set(holders.exclude(person_id__in=already).values_list("person_id", flat=True))
    GroupMember.objects.bulk_create(
        [GroupMember(group=group, person_id=person_id) for person_id in sorted(person_ids)]
    )
    return len(person_ids)
