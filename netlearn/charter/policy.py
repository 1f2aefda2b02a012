"""Who may read, edit and sign off a network's charter.

Members (anyone who can view the network) read it; co-leaders edit it and propose versions; each
member school's lead signs a proposed version off for their school; pupils and people of other
networks see nothing (404). The evaluators of a programme the network consented to read it too,
and change nothing (`netlearn.evaluation`, through `access.evaluated_network_ids`). Site admins
may do everything. Checks read the person's preloaded
access (`networks.access`) and cost no queries.
"""

from django.db.models import Q

from netlearn.networks.access import access_for
from netlearn.networks.models import Role

from .models import Charter


def network_scope(person, *, field: str = "network_id") -> Q:
    """Rows whose charter the person can read; `field` names the path to the network's id."""
    access = access_for(person)
    if access.is_site_admin:
        return Q()
    if access.is_pupil:
        return Q(pk__in=[])
    return Q(**{f"{field}__in": access.network_ids | access.evaluated_network_ids})


def charter_scope(person) -> Q:
    return network_scope(person, field="network_id")


def focus_scope(person) -> Q:
    return network_scope(person, field="charter__network_id")


def goal_scope(person) -> Q:
    return network_scope(person, field="focus__charter__network_id")


def can_view_charter(person, network) -> bool:
    access = access_for(person)
    if access.is_site_admin:
        return True
    if access.is_pupil:
        return False
    return network.pk in access.network_ids or network.pk in access.evaluated_network_ids


def can_edit_charter(person, network) -> bool:
    """Co-leaders write the charter: its purpose, foci, goals, commitments and proposals."""
    access = access_for(person)
    return access.is_site_admin or access.holds(Role.CO_LEADER, in_network=network.pk)


def can_record_progress(person, network) -> bool:
    return can_edit_charter(person, network)


def can_propose(person, network) -> bool:
    return can_edit_charter(person, network)


def can_sign_off(person, network, school) -> bool:
    """A school's lead signs off for that school, in a network they belong to.

    Whether the school is a current member of the network is the service's check (a query).
    """
    access = access_for(person)
    if access.is_site_admin:
        return True
    return network.pk in access.network_ids and school.pk in access.led_school_ids


def led_school_ids(person) -> frozenset[int] | None:
    """Schools the person may sign off for; None means any school (site admin)."""
    access = access_for(person)
    return None if access.is_site_admin else access.led_school_ids


# The yes/no rules that have a scope, as (model, rule(person, obj), scope(person)): the policy
# agreement test (tests/test_policy_agreement.py) proves each pair agrees for every role of the
# test world. Every other scope is the only statement of its rule (SCOPES_ALONE).
AGREEMENTS = (
    (Charter, lambda person, charter: can_view_charter(person, charter.network), charter_scope),
)
SCOPES_ALONE = (network_scope, focus_scope, goal_scope)
