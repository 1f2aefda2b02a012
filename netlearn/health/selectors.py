"""Reads, always through the viewer's scope: another network's survey 404s like a missing one."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from netlearn.accounts import selectors as account_selectors
from netlearn.discussions import selectors as discussion_selectors
from netlearn.networks import selectors as network_selectors
from netlearn.networks.access import access_for
from netlearn.networks.models import Network

from . import policy
from .models import (
    AnswerBox,
    BankItem,
    ConfidentialResponse,
    Dimension,
    Framework,
    Judgement,
    NameTarget,
    Participation,
    Survey,
    SurveyAudience,
)


def network_for(*, viewer, network_slug: str) -> Network:
    """The network whose health page the viewer may open (its staff, evaluators, site admins)."""
    network = network_selectors.network_with_slug(slug=network_slug)
    if network is None or not policy.can_view_health(viewer, network):
        raise Http404
    return network


def frameworks() -> QuerySet[Framework]:
    return Framework.objects.prefetch_related("dimensions")


def framework_with_slug(slug: str) -> Framework | None:
    return Framework.objects.filter(slug=slug).first()


def bank_items(*, framework: Framework | None = None) -> QuerySet[BankItem]:
    items = BankItem.objects.select_related("framework", "dimension")
    return items if framework is None else items.filter(framework=framework)


def bank_items_with_ids(ids) -> list[BankItem]:
    return list(bank_items().filter(pk__in=list(ids)))


def dimension_for(*, dimension_id: int) -> Dimension:
    return get_object_or_404(Dimension.objects.select_related("framework"), pk=dimension_id)


def surveys_for(*, viewer, network: Network) -> QuerySet[Survey]:
    return (
        Survey.objects.filter(policy.survey_scope(viewer))
        .filter(network=network)
        .select_related("network", "framework")
    )


def surveys_of_viewer(*, viewer, network_slug: str) -> QuerySet[Survey]:
    """Surveys the viewer may see in the network named by its slug: pupils and parents, who do
    not see the network itself, reach their surveys this way."""
    return (
        Survey.objects.filter(policy.survey_scope(viewer))
        .filter(network__slug=network_slug)
        .select_related("network", "framework")
    )


def survey_for(*, viewer, network_slug: str, survey_id: int) -> Survey:
    return get_object_or_404(
        surveys_of_viewer(viewer=viewer, network_slug=network_slug), pk=survey_id
    )


def survey_by_id(*, viewer, survey_id: int) -> Survey:
    return get_object_or_404(
        Survey.objects.filter(policy.survey_scope(viewer)).select_related("network", "framework"),
        pk=survey_id,
    )


def questions_of(*, survey: Survey):
    return list(survey.questions.select_related("dimension"))


def audience_of(*, survey: Survey) -> list:
    """Everyone the survey is for, today."""
    network = survey.network
    if survey.audience in (SurveyAudience.STAFF, SurveyAudience.GOVERNORS):
        return list(network_selectors.people_of_network(network=network).filter(is_active=True))
    people = []
    for school in network_selectors.schools_in_network(network=network):
        if survey.audience == SurveyAudience.PUPILS:
            people += list(account_selectors.pupils_of_school(school=school))
        else:
            people += list(discussion_selectors.parents_of_school(school=school))
    return people


def respondent_ids(*, survey: Survey) -> set[int]:
    return set(Participation.objects.filter(survey=survey).values_list("person_id", flat=True))


def has_responded(*, survey: Survey, person) -> bool:
    if person is None or not person.is_authenticated:
        return False
    return Participation.objects.filter(survey=survey, person=person).exists()


def response_count(*, survey: Survey) -> int:
    return Participation.objects.filter(survey=survey).count()


def own_answers(*, survey: Survey, person) -> dict | None:
    """A respondent's own answers: only a confidential survey keeps them."""
    if survey.is_anonymous or person is None or not person.is_authenticated:
        return None
    response = ConfidentialResponse.objects.filter(survey=survey, person=person).first()
    return None if response is None else response.answers


def name_choices(*, survey: Survey) -> dict[str, set[int]]:
    network = survey.network
    return {
        NameTarget.PEOPLE: set(
            network_selectors.people_of_network(network=network).values_list("pk", flat=True)
        ),
        NameTarget.SCHOOLS: set(
            network_selectors.schools_in_network(network=network).values_list("pk", flat=True)
        ),
    }


def name_choice_labels(*, survey: Survey) -> dict[str, list[tuple[int, str]]]:
    network = survey.network
    return {
        NameTarget.PEOPLE: list(
            network_selectors.people_of_network(network=network)
            .order_by("name", "pk")
            .values_list("pk", "name")
        ),
        NameTarget.SCHOOLS: list(
            network_selectors.schools_in_network(network=network)
            .order_by("name", "pk")
            .values_list("pk", "name")
        ),
    }


def school_of_respondent(*, person, survey: Survey) -> int | None:
    access = access_for(person)
    if access.is_pupil or access.is_parent:
        return policy.reach_for(person).school_id
    return network_selectors.home_schools(network=survey.network, person_ids=[person.pk]).get(
        person.pk
    )


def sheets_of(*, survey: Survey) -> list[dict]:
    """Every answer sheet as {"school", "role", "answers"}, however the survey keeps them."""
    if survey.is_anonymous:
        box = AnswerBox.objects.filter(survey=survey).first()
        return list(box.sheets) if box else []
    return [
        {"school": school, "role": role, "answers": answers}
        for school, role, answers in ConfidentialResponse.objects.filter(survey=survey)
        .order_by("pk")
        .values_list("school_id", "role", "answers")
    ]


def judgements_of(*, network: Network) -> QuerySet[Judgement]:
    return Judgement.objects.filter(network=network).select_related(
        "dimension", "dimension__framework", "made_by"
    )


def schools_of(*, network: Network) -> dict[int, str]:
    return dict(network_selectors.schools_in_network(network=network).values_list("pk", "name"))


def surveys_with_framework(*, network: Network) -> QuerySet[Survey]:
    return (
        Survey.objects.filter(network=network, framework__isnull=False)
        .select_related("framework")
        .order_by("created_at", "pk")
    )


def dimensions() -> QuerySet[Dimension]:
    return Dimension.objects.select_related("framework").order_by("framework__position", "position")


def dimension_with_key(key: str) -> Dimension | None:
    """A dimension named as `framework-slug/dimension-slug`."""
    framework, _, slug = (key or "").partition("/")
    return dimensions().filter(framework__slug=framework, slug=slug).first()


def confidential_sheets_of(*, survey: Survey) -> list[tuple[int, dict]]:
    """(respondent id, answers) of a confidential survey: only its collaboration map reads who
    named whom, and shows it aggregated."""
    if survey.is_anonymous:
        return []
    return list(
        ConfidentialResponse.objects.filter(survey=survey)
        .order_by("pk")
        .values_list("person_id", "answers")
    )
