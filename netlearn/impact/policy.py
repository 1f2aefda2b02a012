"""Who may see or do what with a network's outcome data.

- Staff of the network (anyone who can view it, partners included) see its measures, datasets,
  model runs and school results, always through disclosure control (suppressed aggregates).
- Pupil-level records are seen only by the network's data lead (`Role.DATA_LEAD` without a
  school: the whole network; with a school: that school's records) and site admins
  (docs/safety.md#suppression: pupil-level rows stay with the data lead).
- Data leads (network-wide), co-leaders and site admins import data, define measures and run
  models; co-leaders link charter goals to measures (the charter's own rule).
- Pupils and people of other networks see nothing (404).

Checks read the person's preloaded access (`networks.access`), which knows for which schools a
data lead holds the role; so checks cost no queries.
"""

from django.db.models import Q

from netlearn.core.policy import is_staff, nothing
from netlearn.networks.access import access_for
from netlearn.networks.models import Role

from .models import Dataset

IMPORTING_ROLES = (Role.DATA_LEAD, Role.CO_LEADER)
NETWORK_WIDE = None


def data_roles(person) -> dict[int, frozenset[int] | None]:
    """network id → the schools whose pupil records the person may see (None: all of them)."""
    access = access_for(person)
    if not is_staff(access):
        return {}
    return access.schools_by_network(Role.DATA_LEAD)


def network_scope(person, *, field: str = "network_id") -> Q:
    access = access_for(person)
    if access.is_site_admin:
        return Q()
    if not is_staff(access):
        return nothing()
    return Q(**{f"{field}__in": access.network_ids})


def dataset_scope(person) -> Q:
    return network_scope(person, field="network_id")


def run_scope(person) -> Q:
    return network_scope(person, field="dataset__network_id")


def measure_scope(person) -> Q:
    access = access_for(person)
    if access.is_site_admin:
        return Q()
    if not is_staff(access):
        return nothing()
    return Q(network__isnull=True) | Q(network_id__in=access.network_ids)


def pupil_record_scope(person) -> Q:
    access = access_for(person)
    if access.is_site_admin:
        return Q()
    if not is_staff(access):
        return nothing()
    scope = nothing()
    for network_id, schools in data_roles(person).items():
        if network_id not in access.network_ids:
            continue
        if schools is NETWORK_WIDE:
            scope |= Q(dataset__network_id=network_id)
        else:
            scope |= Q(dataset__network_id=network_id, school_id__in=schools)
    return scope


def can_view_impact(person, network) -> bool:
    access = access_for(person)
    return access.is_site_admin or (is_staff(access) and network.pk in access.network_ids)


def can_import(person, network) -> bool:
    """The network's data lead, its co-leaders and site admins bring data in."""
    return _imports_in(person, network.pk)


def _imports_in(person, network_id: int) -> bool:
    access = access_for(person)
    if access.is_site_admin:
        return True
    if not is_staff(access) or network_id not in access.network_ids:
        return False
    if access.holds(Role.CO_LEADER, in_network=network_id):
        return True
    return data_roles(person).get(network_id, frozenset()) is NETWORK_WIDE and access.holds(
        Role.DATA_LEAD, in_network=network_id
    )


def can_define_measure(person, network) -> bool:
    return can_import(person, network)


def can_run_model(person, network) -> bool:
    return can_import(person, network)


def can_view_pupil_records(person, network, school=None) -> bool:
    """The data role of the network (all its schools) or of `school`, and site admins.

    Without `school`: whether the person may see any pupil records of the network.
    """
    access = access_for(person)
    if access.is_site_admin:
        return True
    if not is_staff(access) or network.pk not in access.network_ids:
        return False
    if not access.holds(Role.DATA_LEAD, in_network=network.pk):
        return False
    scope = data_roles(person).get(network.pk, frozenset())
    if scope is NETWORK_WIDE:
        return True
    return bool(scope) if school is None else school.pk in scope


def can_link_goal(person, network) -> bool:
    """Co-leaders write the charter, so they choose where a goal's figures come from."""
    access = access_for(person)
    return access.is_site_admin or access.holds(Role.CO_LEADER, in_network=network.pk)


def can_continue_import(person, pending) -> bool:
    """Only whoever uploaded a file maps and confirms it (it may hold pupil-level rows), and
    only while they still may import: an upload does not outlive the role that allowed it."""
    access = access_for(person)
    return access.is_site_admin or (
        pending.created_by_id == access.person_id and _imports_in(person, pending.network_id)
    )


# The yes/no rules that have a scope, as (model, rule(person, obj), scope(person)): the policy
# agreement test (tests/test_policy_agreement.py) proves each pair agrees for every role of the
# test world. Every other scope is the only statement of its rule (SCOPES_ALONE).
AGREEMENTS = (
    (Dataset, lambda person, dataset: can_view_impact(person, dataset.network), dataset_scope),
)
SCOPES_ALONE = (network_scope, run_scope, measure_scope, pupil_record_scope)
