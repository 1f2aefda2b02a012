"""Who may see or change what in networks, schools, people and groups.

Each rule gives a yes/no for one object and, where lists need it, a queryset scope, so that list
pages, detail pages and the API agree. Checks read the person's preloaded access and cost no
queries. Roles: site admin, network co-leader, school lead, network member, external partner,
pupil, anonymous.
"""

from django.db.models import Q

from .access import access_for
from .models import (
    SENSITIVE_ROLES,
    SITE_ADMIN,
    Network,
    NetworkMembership,
    NetworkRole,
    Role,
    StaffInvitation,
    StaffPost,
)


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
    # A closed school stays readable where it was a member, and an amalgamated one wherever the
    # school it became is (docs/school-changes.md#who-sees-the-history).
    were_in_networks = NetworkMembership.objects.filter(network_id__in=access.network_ids).values(
        "school_id"
    )
    return (
        Q(pk__in=in_networks)
        | Q(pk__in=access.school_ids)
        | Q(is_closed=True, pk__in=were_in_networks)
        | Q(is_closed=True, successor_id__in=in_networks)
        | Q(is_closed=True, successor_id__in=access.school_ids)
    )


def can_change_schools(person, school_networks: dict[int, frozenset[int]]) -> bool:
    """Closing schools or amalgamating them: a site admin, or a co-leader of every network each
    school is a member of today. A school that is also in another network is that network's
    business too, so its co-leaders alone cannot close it or merge it away; a school in no
    network is a site admin's. `school_networks`: school id → its current networks
    (`selectors.current_network_ids_by_school`)."""
    access = access_for(person)
    if access.is_site_admin:
        return True
    if not school_networks:
        return False
    led = {network_id for network_id, roles in access.roles.items() if Role.CO_LEADER in roles}
    return all(networks and networks <= led for networks in school_networks.values())


def can_change_school(person, school) -> bool:
    """A school's lead keeps its profile up to date; site admins too."""
    access = access_for(person)
    return access.is_site_admin or school.pk in access.led_school_ids


def can_manage_sign_in(person, school) -> bool:
    """A school's lead says which email domains are the school's, whether its staff must use
    single sign-on, and answers its join queue; site admins too."""
    return can_change_school(person, school)


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


def group_scope(person) -> Q:
    access = access_for(person)
    if access.is_site_admin:
        return Q()
    return Q(network_id__in=access.network_ids)


def can_manage_group(person, group) -> bool:
    access = access_for(person)
    return access.is_site_admin or access.holds(Role.CO_LEADER, in_network=group.network_id)


def is_sensitive_role(role: str) -> bool:
    """Roles that take two people to give (docs: threat model, "two people")."""
    return role in SENSITIVE_ROLES or role == SITE_ADMIN


def can_propose_role(person, role: str, network=None) -> bool:
    """Co-leaders propose sensitive roles in their network; site admins propose site admins."""
    access = access_for(person)
    if role == SITE_ADMIN:
        return access.is_site_admin
    return network is not None and can_manage_network(person, network)


def can_decide_proposal(person, proposal) -> bool:
    """A second person decides: never who proposed it, never who would receive it.

    Another co-leader of the network or a site admin decides a network role; only another site
    admin decides a site admin.
    """
    access = access_for(person)
    if access.person_id is None:
        return False
    if access.person_id in (proposal.proposed_by_id, proposal.person_id):
        return False
    if proposal.role == SITE_ADMIN:
        return access.is_site_admin
    return access.is_site_admin or access.holds(Role.CO_LEADER, in_network=proposal.network_id)


def proposal_scope(person) -> Q:
    """Proposals a person may read: those of their networks, as the roles page is theirs to read.

    A proposed site admin belongs to no network: only site admins see it.
    """
    access = access_for(person)
    if access.is_site_admin:
        return Q()
    return Q(network_id__in=access.network_ids)


def can_answer_invitation(person, invitation) -> bool:
    access = access_for(person)
    return access.person_id is not None and access.person_id == invitation.person_id


def invitation_scope(person) -> Q:
    """An invitation is seen by the person invited and nobody else: it names their address."""
    access = access_for(person)
    if access.person_id is None:
        return Q(pk__in=[])
    return Q(person_id=access.person_id)


# The yes/no rules that have a scope, as (model, rule(person, obj), scope(person)): the policy
# agreement test (tests/test_policy_agreement.py) proves each pair agrees for every role of the
# test world. Every other scope is the only statement of its rule (SCOPES_ALONE).
AGREEMENTS = (
    (Network, can_view_network, network_scope),
    (StaffInvitation, can_answer_invitation, invitation_scope),
)
SCOPES_ALONE = (school_scope, people_scope, group_scope, proposal_scope)
