"""Writes to networks, schools, roles and groups. Each service checks the policy itself."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from . import policy
from .access import forget_access
from .errors import (
    AlreadyHoldsRole,
    AlreadyMember,
    GroupRuleBroken,
    InvalidDates,
    NotInNetwork,
)
from .models import (
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
SCHOOL_FIELDS = (
    "name",
    "phase",
    "establishment_type",
    "authority",
    "setting",
    "roll",
    "fsm_percent",
    "equity_index",
    "sen_percent",
    "website",
)


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
def update_school(*, school: School, by, **fields) -> School:
    _require(policy.can_change_school(by, school))
    unknown = set(fields) - set(SCHOOL_FIELDS)
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
