"""Who may see or do what in collaborative enquiry.

Members of a network (not pupils) see its enquiries, their lessons, cycles and data, and its
published accounts. The enquiry's group edits it (the network's co-leaders may too); what the
group records about its case pupils (who they are, predictions, observations) is seen by the
group alone. An account is the group's draft until it is reviewed and published: then the network
reads it, or every network if the group chose so. Site admins may do everything.

Whether the viewer belongs to the enquiry's group is part of the enquiry (or account) as the
selectors load it (`viewer_in_group`, annotated together with `group_viewer_id`, the person it was
loaded for); an object loaded another way, or for someone else, counts as not in the group. So
checks read preloaded data and cost no queries.
"""

from django.db.models import Q

from netlearn.core.policy import in_networks, nothing
from netlearn.networks import selectors as network_selectors
from netlearn.networks.access import access_for
from netlearn.networks.models import Role

from .models import AccountStatus, Audience


def in_group(person, obj) -> bool:
    """`obj` is an enquiry or an account loaded by the selectors for `person`."""
    person_id = access_for(person).person_id
    return (
        person_id is not None
        and getattr(obj, "group_viewer_id", None) == person_id
        and bool(getattr(obj, "viewer_in_group", False))
    )


def _co_leads(access, network_id) -> bool:
    return access.holds(Role.CO_LEADER, in_network=network_id)


# Enquiries ------------------------------------------------------------------------------------


def enquiry_scope(person, *, prefix: str = "") -> Q:
    access = access_for(person)
    if access.is_site_admin:
        return Q()
    if access.person_id is None or access.is_pupil:
        return nothing()
    return in_networks(access.network_ids, prefix=prefix)


def can_view_network_enquiry(person, network) -> bool:
    access = access_for(person)
    if access.is_site_admin:
        return True
    return not access.is_pupil and network.pk in access.network_ids


def can_start_enquiry(person, network) -> bool:
    """Staff of the network start enquiries for a group they belong to (the service checks the
    membership); co-leaders for any group of their network."""
    access = access_for(person)
    if access.is_site_admin:
        return True
    return (
        not access.is_pupil
        and network.pk in access.network_ids
        and (bool(access.school_ids) or _co_leads(access, network.pk))
    )


def can_start_for_any_group(person, network) -> bool:
    access = access_for(person)
    return access.is_site_admin or _co_leads(access, network.pk)


def can_set_run_chart_rules(person, network) -> bool:
    """The network's default run-chart rules: its co-leaders choose them."""
    access = access_for(person)
    return access.is_site_admin or _co_leads(access, network.pk)


def can_edit_enquiry(person, enquiry) -> bool:
    access = access_for(person)
    if access.is_site_admin:
        return True
    if enquiry.network_id not in access.network_ids:
        return False
    return in_group(person, enquiry) or _co_leads(access, enquiry.network_id)


def can_see_case_pupils(person, enquiry) -> bool:
    """Case pupils, predictions and observations: the group only."""
    access = access_for(person)
    if access.is_site_admin:
        return True
    return enquiry.network_id in access.network_ids and in_group(person, enquiry)


def can_observe(person, enquiry) -> bool:
    return can_see_case_pupils(person, enquiry)


# Accounts -------------------------------------------------------------------------------------


def account_scope(person) -> Q:
    access = access_for(person)
    if access.is_site_admin:
        return Q()
    if access.person_id is None or access.is_pupil:
        return nothing()
    networks = list(access.network_ids)
    published = Q(status=AccountStatus.PUBLISHED)
    own_groups = network_selectors.own_group_places(person_id=access.person_id).values("group_id")
    co_led = [n for n, roles in access.roles.items() if Role.CO_LEADER in roles]
    if not networks:
        return nothing()
    return (
        (published & Q(enquiry__network_id__in=networks))
        | (published & Q(audience=Audience.ALL_NETWORKS))
        | Q(enquiry__network_id__in=networks, enquiry__group_id__in=own_groups)
        | Q(enquiry__network_id__in=co_led)
    )


def can_edit_account(person, account) -> bool:
    access = access_for(person)
    if access.is_site_admin:
        return True
    network_id = account.enquiry.network_id
    if network_id not in access.network_ids:
        return False
    return in_group(person, account) or _co_leads(access, network_id)


def can_review_account(person, account) -> bool:
    """The group reviews what one of them wrote: a member other than the writer."""
    return (
        can_edit_account(person, account)
        and account.written_by_id != access_for(person).person_id
        and account.status == AccountStatus.DRAFT
    )


def can_publish_account(person, account) -> bool:
    return can_edit_account(person, account) and account.status == AccountStatus.REVIEWED


# The yes/no rules that have a scope, as (model, rule(person, obj), scope(person)): the policy
# agreement test (tests/test_policy_agreement.py) proves each pair agrees for every role of the
# test world. Every other scope is the only statement of its rule (SCOPES_ALONE).
AGREEMENTS = ()
SCOPES_ALONE = (enquiry_scope, account_scope)
