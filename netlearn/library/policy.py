"""Who may see or do what in the library.

Each rule gives a yes/no for one object and, for lists, a queryset scope, so list pages, search,
exports, detail pages and the API agree. Checks read the person's preloaded access and what the
selectors loaded with the resource (`shared_network_ids`, `viewer_curates`), so they cost no
queries. A resource is seen by the members of its network, of the networks it is shared with,
and, once public, by anyone in the public catalogue. Pupils and parents see no staff resources.
"""

from django.db.models import Q

from netlearn.core.policy import in_networks, is_staff, nothing
from netlearn.networks.access import access_for
from netlearn.networks.models import Role

from .models import Resource, ResourceShare, Sharing

# Co-leaders run the network; a library group may curate too (LibrarySettings):
# docs/seed-practices.md#library.
CURATING_ROLES = (Role.CO_LEADER, Role.CO_ORDINATOR)


def resource_scope(person, *, prefix: str = "") -> Q:
    access = access_for(person)
    if access.is_site_admin:
        return Q()
    if not is_staff(access):
        return nothing()
    networks = list(access.network_ids)
    shared = ResourceShare.objects.filter(network_id__in=networks).values("resource_id")
    return (
        in_networks(networks, prefix=prefix)
        | Q(**{f"{prefix}pk__in": shared})
        | Q(**{f"{prefix}sharing": Sharing.PUBLIC})
    )


def resource_reach(person) -> tuple[frozenset[int] | None, bool]:
    """What `resource_scope` admits, said as search's index can ask it: the networks whose own
    and shared resources count (None: every network), and whether public ones do. Only narrows
    the index's candidates; `resource_scope` decides what is shown."""
    access = access_for(person)
    if access.is_site_admin:
        return None, True
    if not is_staff(access):
        return frozenset(), False
    return frozenset(access.network_ids), True


def public_scope(*, prefix: str = "") -> Q:
    """The anonymous public catalogue: public resources that are not retired."""
    return Q(**{f"{prefix}sharing": Sharing.PUBLIC, f"{prefix}retired_at__isnull": True})


def _shared_network_ids(resource) -> set[int]:
    ids = getattr(resource, "shared_network_ids", None)
    if ids is None:
        raise AttributeError("Load the resource through the library's selectors.")
    return set(ids)


def can_view_resource(person, resource) -> bool:
    access = access_for(person)
    if access.is_site_admin:
        return True
    if not is_staff(access):
        return False
    return (
        resource.sharing == Sharing.PUBLIC
        or resource.network_id in access.network_ids
        or bool(_shared_network_ids(resource) & access.network_ids)
    )


def can_add_resource(person, network) -> bool:
    """Staff of a school in the network post their own materials."""
    access = access_for(person)
    return is_staff(access) and bool(access.school_ids) and network.pk in access.network_ids


def can_curate(person, resource) -> bool:
    """Co-leaders and co-ordinators of the resource's network, and its library group."""
    access = access_for(person)
    if access.is_site_admin:
        return True
    if resource.network_id not in access.network_ids:
        return False
    return access.holds(*CURATING_ROLES, in_network=resource.network_id) or (
        getattr(resource, "curator_viewer_id", None) == access.person_id
        and bool(getattr(resource, "viewer_curates", False))
    )


def can_change_resource(person, resource) -> bool:
    """The author keeps a resource up to date; its curators too."""
    access = access_for(person)
    return (
        (access.person_id is not None and resource.author_id == access.person_id)
        and not access.is_pupil
        and can_view_resource(person, resource)
    ) or can_curate(person, resource)


def can_trial(person, resource) -> bool:
    """A teacher of a school other than the author's, who can see it, while it is not retired."""
    access = access_for(person)
    if not is_staff(access) or resource.is_retired or not can_view_resource(person, resource):
        return False
    return bool(access.school_ids - {resource.school_id})


def can_view_trials(person, resource) -> bool:
    """Trial reports name teachers, schools and classes: they stay inside the resource's network.

    Anyone else who sees the resource (a shared or public one) sees only how many schools
    trialled it and how many trials there were (`trial_scope` still shows them their own)."""
    access = access_for(person)
    return access.is_site_admin or (is_staff(access) and resource.network_id in access.network_ids)


def trial_scope(person, resource) -> Q:
    """The trial reports of `resource` the person may read: all of them, or only their own."""
    if can_view_trials(person, resource):
        return Q()
    access = access_for(person)
    if not is_staff(access):
        return nothing()
    return Q(teacher_id=access.person_id)


def can_change_settings(person, network) -> bool:
    access = access_for(person)
    return access.is_site_admin or access.holds(Role.CO_LEADER, in_network=network.pk)


def can_view_library(person, network) -> bool:
    access = access_for(person)
    return access.is_site_admin or (is_staff(access) and network.pk in access.network_ids)


# The yes/no rules that have a scope, as (model, rule(person, obj), scope(person)): the policy
# agreement test (tests/test_policy_agreement.py) proves each pair agrees for every role of the
# test world. Every other scope is the only statement of its rule (SCOPES_ALONE).
AGREEMENTS = ((Resource, can_view_resource, resource_scope),)
# public_scope takes no person; trial_scope is per resource (`can_view_trials` decides it).
SCOPES_ALONE = (public_scope, trial_scope)
