"""Who may see or change what in networks, schools, people and groups.

Each rule gives a yes/no for one object and, where lists need it, a queryset scope, so that list
pages, detail pages and the API agree. Checks read the person's preloaded access and cost no
queries. Roles: site admin, network co-leader, school lead, network member, external partner,
pupil, anonymous.
"""

from django.db.models import Q

from .access import access_for
from .models import NetworkMembership, NetworkRole, Role, StaffPost


def network_scope(person) -> Q:
    access = access_for(person)
    if access.is_site_admin:
        return Q()
    return Q(pk__in=access.network_ids)


def can_view_network(person, network) -> bool:
    access = access_for(person)
    return access.is_site_admin or network.pk in access.network_ids


def can_manage_network(person, network) -> bool:
    """Co-leaders run the network: its schools, roles and groups."""
    access = access_for(person)
    return access.is_site_admin or access.holds(Role.CO_LEADER, in_network=network.pk)


def managed_network_ids(person) -> frozenset[int] | None:
    """Networks the person manages; None means every network (site admin)."""
    access = access_for(person)
    if access.is_site_admin:
        return None
    return frozenset(
        network_id for network_id, roles in access.roles.items() if Role.CO_LEADER in roles
    )


def can_import_schools(person) -> bool:
    ids = managed_network_ids(person)
    return ids is None or bool(ids)


def school_scope(person) -> Q:
    """Schools of the person's networks (current members) and the schools they work in."""
    access = access_for(person)
    if access.is_site_admin:
        return Q()
    if access.is_pupil:
        return Q(pk__in=[])
    in_networks = (
        NetworkMembership.objects.current()
        .filter(network_id__in=access.network_ids)
        .values("school_id")
    )
    return Q(pk__in=in_networks) | Q(pk__in=access.school_ids)


def can_change_school(person, school) -> bool:
    """A school's lead keeps its profile up to date; site admins too."""
    access = access_for(person)
    return access.is_site_admin or school.pk in access.led_school_ids


def can_manage_staff(person, school) -> bool:
    """A school's lead adds and ends its staff's posts on Netlearn; site admins too."""
    return can_change_school(person, school)


def people_scope(person) -> Q:
    """People who share a network with the person, and the person themself.

    Pupils never appear in the directory: their data stays with their own school's staff.
    """
    access = access_for(person)
    if access.is_site_admin:
        return Q()
    if access.person_id is None:
        return Q(pk__in=[])
    own = Q(pk=access.person_id)
    if access.is_pupil or not access.network_ids:
        return own
    with_roles = NetworkRole.objects.current().filter(network_id__in=access.network_ids)
    member_schools = (
        NetworkMembership.objects.current()
        .filter(network_id__in=access.network_ids)
        .values("school_id")
    )
    with_posts = StaffPost.objects.current().filter(school_id__in=member_schools)
    return own | (
        ~Q(kind="pupil")
        & (Q(pk__in=with_roles.values("person_id")) | Q(pk__in=with_posts.values("person_id")))
    )


def can_change_person(person, target) -> bool:
    access = access_for(person)
    return access.is_site_admin or (access.person_id is not None and access.person_id == target.pk)


def group_scope(person) -> Q:
    access = access_for(person)
    if access.is_site_admin:
        return Q()
    return Q(network_id__in=access.network_ids)


def can_view_group(person, group) -> bool:
    access = access_for(person)
    return access.is_site_admin or group.network_id in access.network_ids


def can_manage_group(person, group) -> bool:
    access = access_for(person)
    return access.is_site_admin or access.holds(Role.CO_LEADER, in_network=group.network_id)
