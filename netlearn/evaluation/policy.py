"""Who may create programmes, appoint evaluators, invite networks, consent and read.

Site admins create programmes and appoint their evaluators. A programme's current evaluators (and
site admins) see it and invite networks to it. Only a co-leader of a network consents to its
joining or withdraws it: which networks a programme evaluates is theirs to decide. Evaluators read
what the consenting networks' apps let them (the charter, through `access.evaluated_network_ids`)
and nothing personal. Checks read preloaded reach (`reach_for`, `networks.access`) and cost no
queries.
"""

from dataclasses import dataclass

from django.db.models import Q

from netlearn.networks.access import access_for
from netlearn.networks.models import Role

from .models import Evaluator, NetworkProgramme


@dataclass(frozen=True)
class ProgrammeReach:
    programme_ids: frozenset[int] = frozenset()


NO_REACH = ProgrammeReach()


def reach_for(person) -> ProgrammeReach:
    """The programmes the person evaluates today; loaded once per person object (one query)."""
    access = access_for(person)
    if access.person_id is None or access.is_pupil:
        return NO_REACH
    cached = getattr(person, "_netlearn_programmes", None)
    if cached is None:
        cached = ProgrammeReach(
            frozenset(
                Evaluator.objects.current()
                .filter(person_id=access.person_id)
                .values_list("programme_id", flat=True)
            )
        )
        person._netlearn_programmes = cached
    return cached


def can_create_programme(person) -> bool:
    return access_for(person).is_site_admin


def can_appoint_evaluator(person, programme) -> bool:
    return access_for(person).is_site_admin


def programme_scope(person) -> Q:
    if access_for(person).is_site_admin:
        return Q()
    return Q(pk__in=reach_for(person).programme_ids)


def can_view_programme(person, programme) -> bool:
    return access_for(person).is_site_admin or programme.pk in reach_for(person).programme_ids


def can_invite(person, programme) -> bool:
    """A programme's evaluators (and site admins) ask networks to join it."""
    return can_view_programme(person, programme)


def can_view_invitations(person, programme) -> bool:
    """Which networks were asked and have not consented: a site admin's to see. An evaluator sees
    a network only once it consents; seeing the networks asked would tell them which short names
    exist (and that a network has not consented)."""
    return access_for(person).is_site_admin


def can_consent(person, network) -> bool:
    """Only a co-leader decides whether their network is evaluated; not even a site admin may
    consent for a network (the consent is the network's)."""
    return access_for(person).holds(Role.CO_LEADER, in_network=network.pk)


def can_withdraw(person, network) -> bool:
    return can_consent(person, network)


def co_led_network_ids(person) -> list[int]:
    access = access_for(person)
    return [network_id for network_id, roles in access.roles.items() if Role.CO_LEADER in roles]


def membership_scope(person) -> Q:
    """The memberships a person sees from the network's side: its co-leaders'."""
    if access_for(person).is_site_admin:
        return Q()
    return Q(network_id__in=co_led_network_ids(person))


def can_view_memberships(person, network) -> bool:
    return access_for(person).is_site_admin or can_consent(person, network)


def can_evaluate_network(person, network) -> bool:
    """Reads a consenting network's figures beside the others' (as a programme's evaluator)."""
    access = access_for(person)
    return access.is_site_admin or network.pk in access.evaluated_network_ids


AGREEMENTS = ((NetworkProgramme, can_view_programme, programme_scope),)
SCOPES_ALONE = (membership_scope,)
