"""Groups of a network (triads, steering groups and others) and their members."""

from django.db import transaction
from django.utils.translation import gettext as _

from netlearn.core.policy import require

from .. import policy
from ..errors import GroupRuleBroken, NotInNetwork
from ..models import (
    Group,
    GroupKind,
    GroupMember,
    Network,
    NetworkMembership,
    NetworkRole,
    School,
    StaffPost,
)
from .memberships import network_ids_of_person

TRIAD_SIZE = 3


@transaction.atomic
def create_group(*, network: Network, name: str, kind: str, by, purpose: str = "") -> Group:
    require(policy.can_manage_network(by, network))
    if Group.objects.filter(network=network, name__iexact=name.strip()).exists():
        raise GroupRuleBroken(
            _("%(network)s already has a group called “%(strip)s”.")
            % {"network": network, "strip": name.strip()}
        )
    return Group.objects.create(network=network, name=name.strip(), kind=kind, purpose=purpose)


@transaction.atomic
def update_group(*, group: Group, by, name: str, kind: str, purpose: str) -> Group:
    require(policy.can_manage_group(by, group))
    clash = Group.objects.filter(network_id=group.network_id, name__iexact=name.strip()).exclude(
        pk=group.pk
    )
    if clash.exists():
        raise GroupRuleBroken(
            _("The network already has a group called “%(strip)s”.") % {"strip": name.strip()}
        )
    if kind == GroupKind.TRIAD and group.members.filter(school__isnull=False).exists():
        raise GroupRuleBroken(_("A triad holds people, not schools: remove the schools first."))
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
    require(policy.can_manage_group(by, group))
    if (person is None) == (school is None):
        raise GroupRuleBroken(_("Add either a person or a school."))
    # Lock the group so that two co-leaders cannot both add the third member of a triad.
    Group.objects.select_for_update().filter(pk=group.pk).first()
    if school is not None:
        if group.kind == GroupKind.TRIAD:
            raise GroupRuleBroken(
                _("A triad is three people from three different schools, not schools.")
            )
        if (
            not NetworkMembership.objects.current()
            .filter(network_id=group.network_id, school=school)
            .exists()
        ):
            raise NotInNetwork(
                _("%(school)s is not a member of this network.") % {"school": school}
            )
        if group.members.filter(school=school).exists():
            raise GroupRuleBroken(
                _("%(school)s is already in %(group)s.") % {"school": school, "group": group}
            )
    else:
        if person.pk not in set(
            NetworkRole.objects.current()
            .filter(network_id=group.network_id)
            .values_list("person_id", flat=True)
        ) and group.network_id not in network_ids_of_person(person):
            raise NotInNetwork(_("%(person)s is not part of this network.") % {"person": person})
        if group.members.filter(person=person).exists():
            raise GroupRuleBroken(
                _("%(person)s is already in %(group)s.") % {"person": person, "group": group}
            )
        if group.kind == GroupKind.TRIAD:
            _check_triad_place(group=group, person=person)
    if group.kind == GroupKind.STEERING and not represents:
        raise GroupRuleBroken(_("Say which level this steering-group member represents."))
    return GroupMember.objects.create(
        group=group, person=person, school=school, represents=represents
    )


def _check_triad_place(*, group: Group, person) -> None:
    current = list(group.members.filter(person__isnull=False).select_related("person"))
    if len(current) >= TRIAD_SIZE:
        raise GroupRuleBroken(_("A triad has three people already."))
    schools = _schools_of_person_in_network(person, group.network_id)
    if not schools:
        raise GroupRuleBroken(
            _("%(person)s has no school in this network, so cannot join a triad.")
            % {"person": person}
        )
    taken: set[int] = set()
    for member in current:
        taken |= _schools_of_person_in_network(member.person, group.network_id)
    if schools <= taken:
        raise GroupRuleBroken(
            _(
                "%(person)s's school already has a member in this triad: a triad is three people "
                "from three different schools."
            )
            % {"person": person}
        )


@transaction.atomic
def remove_group_member(*, member: GroupMember, by) -> None:
    require(policy.can_manage_group(by, member.group))
    member.delete()


@transaction.atomic
def add_role_holders_to_group(*, group: Group, role: str, by) -> int:
    """Adds, in one step, everyone who holds a role in the group's network (e.g. lead learners).

    Returns how many joined; people already in the group are left as they are.
    """
    require(policy.can_manage_group(by, group))
    if group.kind in (GroupKind.TRIAD, GroupKind.STEERING):
        raise GroupRuleBroken(
            _(
                "Add triad and steering-group members one by one: a triad needs three schools, "
                "a steering group the level each member represents."
            )
        )
    holders = NetworkRole.objects.current().filter(network_id=group.network_id, role=role)
    already = group.members.filter(person__isnull=False).values("person_id")
    person_ids = set(holders.exclude(person_id__in=already).values_list("person_id", flat=True))
    GroupMember.objects.bulk_create(
        [GroupMember(group=group, person_id=person_id) for person_id in sorted(person_ids)]
    )
    return len(person_ids)
