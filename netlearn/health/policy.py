"""Who may see, answer and run the network's surveys and self-evaluation.

docs/health.md#who-sees-what: the network's staff (and partners with a role) see its surveys and
the leaders' judgements; co-leaders run surveys and judge; results for the whole network are for
co-leaders, site admins and a programme's evaluators of a network that consented (read only,
through `access.evaluated_network_ids`); a school's lead sees their own school's results.
Pupils see only surveys for pupils of their school's networks, parents and whānau only surveys
for parents of their child's school's networks, and each answers only those. A respondent reads
their own answers back only in a confidential survey: an anonymous answer cannot be found again.

Checks read preloaded reach and cost no queries; a pupil's or parent's networks are loaded once
per person object (`reach_for`).
"""

from dataclasses import dataclass

from django.db.models import Q

from netlearn.core.policy import is_staff, nothing
from netlearn.discussions import selectors as discussion_selectors
from netlearn.networks import selectors as network_selectors
from netlearn.networks.access import access_for
from netlearn.networks.models import Role

from .models import Survey, SurveyAudience

NETWORK = "network"
SCHOOL = "school"


@dataclass(frozen=True)
class HealthReach:
    """The networks in which a pupil or parent may answer surveys, and their school."""

    school_id: int | None = None
    pupil_network_ids: frozenset[int] = frozenset()
    parent_network_ids: frozenset[int] = frozenset()


NO_REACH = HealthReach()


def reach_for(person) -> HealthReach:
    access = access_for(person)
    if access.person_id is None or not (access.is_pupil or access.is_parent):
        return NO_REACH
    cached = getattr(person, "_netlearn_health", None)
    if cached is None:
        if access.is_pupil:
            school_id = person.pupil_school_id
            networks = network_selectors.network_ids_of_schools(
                school_ids=[school_id] if school_id else []
            )
            cached = HealthReach(school_id=school_id, pupil_network_ids=networks)
        else:
            school_id = discussion_selectors.parent_school_ids(person_ids=[person.pk]).get(
                person.pk
            )
            networks = network_selectors.network_ids_of_schools(
                school_ids=[school_id] if school_id else []
            )
            cached = HealthReach(school_id=school_id, parent_network_ids=networks)
        person._netlearn_health = cached
    return cached


def survey_scope(person) -> Q:
    access = access_for(person)
    if access.is_site_admin:
        return Q()
    if access.is_pupil:
        return Q(audience=SurveyAudience.PUPILS, network_id__in=reach_for(person).pupil_network_ids)
    if access.is_parent:
        return Q(
            audience=SurveyAudience.PARENTS, network_id__in=reach_for(person).parent_network_ids
        )
    if not is_staff(access):
        return nothing()
    return Q(network_id__in=access.network_ids)


def can_view_survey(person, survey) -> bool:
    access = access_for(person)
    if access.is_site_admin:
        return True
    if access.is_pupil:
        return (
            survey.audience == SurveyAudience.PUPILS
            and survey.network_id in reach_for(person).pupil_network_ids
        )
    if access.is_parent:
        return (
            survey.audience == SurveyAudience.PARENTS
            and survey.network_id in reach_for(person).parent_network_ids
        )
    return is_staff(access) and survey.network_id in access.network_ids


def can_view_health(person, network) -> bool:
    """The network's health page: its staff, site admins and its consented evaluators."""
    access = access_for(person)
    if access.is_site_admin:
        return True
    if is_staff(access) and network.pk in access.network_ids:
        return True
    return network.pk in access.evaluated_network_ids


def can_manage(person, network) -> bool:
    """Co-leaders (and site admins) build, close and remind about surveys, and judge."""
    access = access_for(person)
    return access.is_site_admin or (
        is_staff(access) and access.holds(Role.CO_LEADER, in_network=network.pk)
    )


def results_level(person, network) -> str | None:
    """How far the person sees results: the whole network, their own school's, or none."""
    access = access_for(person)
    if access.is_site_admin or network.pk in access.evaluated_network_ids:
        return NETWORK
    if not is_staff(access) or network.pk not in access.network_ids:
        return None
    if access.holds(Role.CO_LEADER, in_network=network.pk):
        return NETWORK
    if access.led_school_ids:
        return SCHOOL
    return None


def can_view_engagement(person, network) -> bool:
    """Engagement against outcomes: whoever sees results; a school's lead sees their own school's
    row only (`results_level` is SCHOOL)."""
    return results_level(person, network) is not None


def can_view_map(person, network) -> bool:
    """The collaboration map's schools: whoever sees the network's results."""
    return results_level(person, network) == NETWORK


def can_view_map_people(person, network) -> bool:
    """Its people, by name: the network's co-leaders and site admins (not an evaluator, who
    reads nothing personal)."""
    access = access_for(person)
    return access.is_site_admin or (
        is_staff(access) and access.holds(Role.CO_LEADER, in_network=network.pk)
    )


def is_in_audience(person, survey) -> bool:
    access = access_for(person)
    if access.is_pupil:
        return (
            survey.audience == SurveyAudience.PUPILS
            and survey.network_id in reach_for(person).pupil_network_ids
        )
    if access.is_parent:
        return (
            survey.audience == SurveyAudience.PARENTS
            and survey.network_id in reach_for(person).parent_network_ids
        )
    return (
        is_staff(access)
        and survey.audience in (SurveyAudience.STAFF, SurveyAudience.GOVERNORS)
        and survey.network_id in access.network_ids
    )


def can_respond(person, survey) -> bool:
    return survey.is_open and is_in_audience(person, survey)


def can_read_own_answers(person, survey) -> bool:
    """Only a confidential survey keeps an answer with its respondent."""
    return not survey.is_anonymous and can_view_survey(person, survey)


# (model, rule(person, obj), scope(person)): tests/test_policy_agreement.py proves each pair agrees
# for every role of the test world.
AGREEMENTS = ((Survey, can_view_survey, survey_scope),)
SCOPES_ALONE = ()
