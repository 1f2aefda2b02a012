"""Who may see, propose, take part in and close group decisions.

Everyone on the staff side of a network (staff, partners with a role; not pupils or parents) sees
its decisions log and each proposal, with open positions by name: the seed asks for
"transparency of decisions" and for members to be "actively engaged in decision-making"
(docs/seed-practices.md), so a decision of the heads is the whole network's to read, not the
heads' alone. Only members of the deciding group take part. People of another network see
nothing (404). Site admins may see and close everything but take part only where they belong.

Checks read the person's preloaded access and cost no queries; who is in the deciding group is
loaded once by the caller (`selectors.decider_ids_of`) and passed in.
"""

from django.db.models import Q

from netlearn.core.policy import is_staff, nothing
from netlearn.networks.access import access_for
from netlearn.networks.models import Role

from .models import Proposal


def proposal_scope(person) -> Q:
    access = access_for(person)
    if access.is_site_admin:
        return Q()
    if not is_staff(access):
        return nothing()
    return Q(network_id__in=access.network_ids)


def can_view_decisions(person, network) -> bool:
    access = access_for(person)
    if access.is_site_admin:
        return True
    return is_staff(access) and network.pk in access.network_ids


def can_view_proposal(person, proposal) -> bool:
    return can_view_decisions(person, proposal.network)


def is_decider(person, proposal, *, decider_ids) -> bool:
    """A member of the deciding group, in person, who still belongs to the network today."""
    access = access_for(person)
    return (
        is_staff(access)
        and proposal.network_id in access.network_ids
        and access.person_id in decider_ids
    )


def can_take_part(person, proposal, *, decider_ids) -> bool:
    return proposal.is_open and is_decider(person, proposal, decider_ids=decider_ids)


def can_propose(person, network, *, group_member_ids) -> bool:
    """Members of the group propose to it; co-leaders propose to any group of their network."""
    access = access_for(person)
    if access.is_site_admin:
        return True
    if not is_staff(access) or network.pk not in access.network_ids:
        return False
    return access.holds(Role.CO_LEADER, in_network=network.pk) or (
        access.person_id in group_member_ids
    )


def can_manage(person, proposal) -> bool:
    """Who proposed it, the network's co-leaders and site admins revise and close a proposal."""
    access = access_for(person)
    if access.is_site_admin:
        return True
    if not is_staff(access) or proposal.network_id not in access.network_ids:
        return False
    return access.person_id == proposal.proposed_by_id or access.holds(
        Role.CO_LEADER, in_network=proposal.network_id
    )


def can_set_rules(person, network) -> bool:
    """Co-leaders set how each group's consent is decided."""
    access = access_for(person)
    return access.is_site_admin or access.holds(Role.CO_LEADER, in_network=network.pk)


def can_see_result(person, proposal) -> bool:
    """Secret ballots show their count only after closing; open ones show it as it stands."""
    return can_view_proposal(person, proposal) and (not proposal.is_secret or not proposal.is_open)


# (model, rule(person, obj), scope(person)): tests/test_policy_agreement.py proves each pair agrees
# for every role of the test world.
AGREEMENTS = ((Proposal, can_view_proposal, proposal_scope),)
SCOPES_ALONE = ()
