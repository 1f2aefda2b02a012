"""Reads, always through the viewer's scope: another network's survey 404s like a missing one."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from netlearn.accounts import selectors as account_selectors
from netlearn.activities import selectors as activity_selectors
from netlearn.charter import selectors as charter_selectors
from netlearn.core.related import RelatedLink
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
        "dimension",
        "dimension__framework",
        "made_by",
        "network",
        "next_focus",
        "next_goal__focus",
        "next_activity",
    )


# Where a judgement's next step goes: the network's charter (a focus or a goal) or an activity --

FOCUS, GOAL, ACTIVITY = "focus", "goal", "activity"
# The most recent activities offered in the form; an older one may still be named by its key.
ACTIVITIES_OFFERED = 100


@dataclass(frozen=True)
class NextStepTarget:
    key: str  # "focus:12", "goal:5", "activity:7"
    kind: str
    obj: object
    label: str
    url: str


def _focus_target(focus, network) -> NextStepTarget:
    return NextStepTarget(
        f"{FOCUS}:{focus.pk}",
        FOCUS,
        focus,
        _("Learning focus: %(title)s") % {"title": focus.title},
        reverse("charter:focus", args=[network.slug, focus.pk]),
    )


def _goal_target(goal, network) -> NextStepTarget:
    return NextStepTarget(
        f"{GOAL}:{goal.pk}",
        GOAL,
        goal,
        _("Goal: %(goal)s (%(focus)s)") % {"goal": goal.measure, "focus": goal.focus.title},
        reverse("charter:focus", args=[network.slug, goal.focus_id]),
    )


def _activity_target(activity, network) -> NextStepTarget:
    return NextStepTarget(
        f"{ACTIVITY}:{activity.pk}",
        ACTIVITY,
        activity,
        _("Activity: %(title)s (%(day)s)")
        % {
            "title": activity.title,
            "day": date_format(timezone.localtime(activity.starts_at), "j M Y"),
        },
        reverse("activities:activity", args=[network.slug, activity.pk]),
    )


def next_step_targets(*, viewer, network: Network) -> list[NextStepTarget]:
    """The network's own foci and goals (not dropped) and its latest activities (not cancelled)
    that the viewer may see: where a judgement's next step may go. Three queries."""
    foci = charter_selectors.foci_of_network(network=network).filter(dropped_at__isnull=True)
    goals = (
        charter_selectors.goals_of_network(network=network)
        .filter(dropped_at__isnull=True, focus__dropped_at__isnull=True)
        .select_related("focus")
    )
    activities = activity_selectors.activities_in_network(viewer=viewer, network=network).filter(
        cancelled_at__isnull=True
    )
    return (
        [_focus_target(focus, network) for focus in foci.order_by("title", "pk")]
        + [_goal_target(goal, network) for goal in goals.order_by("focus__title", "pk")]
        + [
            _activity_target(activity, network)
            for activity in activities.order_by("-starts_at", "-pk")[:ACTIVITIES_OFFERED]
        ]
    )


def next_step_target(*, viewer, network: Network, key: str) -> NextStepTarget | None:
    """The target named `kind:id`, only when it is the network's own (and visible to the viewer);
    None for anything else: another network's focus, a dropped goal, a cancelled activity."""
    kind, _, raw_id = (key or "").partition(":")
    if not raw_id.isdigit():
        return None
    pk = int(raw_id)
    if kind == FOCUS:
        focus = (
            charter_selectors.foci_of_network(network=network)
            .filter(pk=pk, dropped_at__isnull=True)
            .first()
        )
        return _focus_target(focus, network) if focus else None
    if kind == GOAL:
        goal = (
            charter_selectors.goals_of_network(network=network)
            .filter(pk=pk, dropped_at__isnull=True, focus__dropped_at__isnull=True)
            .select_related("focus")
            .first()
        )
        return _goal_target(goal, network) if goal else None
    if kind == ACTIVITY:
        activity = (
            activity_selectors.activities_in_network(viewer=viewer, network=network)
            .filter(pk=pk, cancelled_at__isnull=True)
            .first()
        )
        return _activity_target(activity, network) if activity else None
    return None


def target_of(judgement: Judgement) -> NextStepTarget | None:
    """Where the judgement's next step went (expects `judgements_of`'s joins)."""
    network = judgement.network
    if judgement.next_focus_id:
        return _focus_target(judgement.next_focus, network)
    if judgement.next_goal_id:
        return _goal_target(judgement.next_goal, network)
    if judgement.next_activity_id:
        return _activity_target(judgement.next_activity, network)
    return None


def judgements_following_into_charter(*, viewer, obj) -> list:
    """On the charter of network `obj`: the judgements whose next step is one of its foci or
    goals, for those who see the network's health. One query."""
    if not policy.can_view_health(viewer, obj):
        return []
    # Only what the links show: no maker, no activity (the next step is a focus or a goal), and
    # the network is `obj`.
    judgements = (
        Judgement.objects.filter(network=obj)
        .filter(Q(next_focus__isnull=False) | Q(next_goal__isnull=False))
        .select_related("dimension__framework", "next_focus", "next_goal__focus")
        .only(
            "wave",
            "level",
            "next_step",
            "next_activity",
            "dimension__name",
            "dimension__framework__name",
            "next_focus__title",
            "next_goal__measure",
            "next_goal__focus__title",
        )
    )
    for judgement in judgements:
        judgement.network = obj
    return [_related(judgement) for judgement in judgements]


def judgements_following_into_activity(*, viewer, obj) -> list:
    """On an activity's page: the judgements whose next step it is. One query."""
    if not policy.can_view_health(viewer, obj.network):
        return []
    judgements = judgements_of(network=obj.network).filter(next_activity_id=obj.pk)
    return [_related(judgement) for judgement in judgements]


def _related(judgement: Judgement) -> RelatedLink:
    target = target_of(judgement)
    return RelatedLink(
        heading=str(_("Network health: what follows from a judgement")),
        title=f"{judgement.dimension.framework.name}: {judgement.dimension.name} "
        f"({judgement.wave}, {judgement.get_level_display()})",
        url=reverse("health:overview", args=[judgement.network.slug]) + "#judgements-heading",
        detail=f"{judgement.next_step} → {target.label}" if target else judgement.next_step,
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
