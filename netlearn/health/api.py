"""Network health in the JSON API: surveys, responses, results and the self-evaluation.

Reads go through selectors scoped to the viewer (another network's survey answers 404); writes go
through services, which check the policy (403) and the rules of surveys (400, 409). Every figure
of a result passes the disclosure module: a hidden one reads "c".
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from netlearn.core.api import Id, Pages, Text
from netlearn.core.policy import is_staff
from netlearn.networks.access import access_for

from . import collaboration, engagement, policy, results, selectors, self_evaluation, services
from .errors import HealthError
from .models import JudgementLevel, NameTarget, QuestionKind, SurveyAudience, SurveyMode

router = Router(tags=["health"])


def _aware(moment):
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


class SurveyQuestionOut(Schema):
    id: int
    kind: QuestionKind
    text: str
    dimension: str | None
    options: list[str]
    names: str


class SurveyOut(Schema):
    id: int
    title: str
    audience: SurveyAudience
    mode: SurveyMode
    wave: str
    framework: str | None
    threshold: int
    closes_at: datetime.datetime
    closed_at: datetime.datetime | None
    is_open: bool

    @staticmethod
    def resolve_framework(survey) -> str | None:
        if isinstance(survey, dict):
            return survey["framework"]
        return survey.framework.slug if survey.framework_id else None


class SurveyChoiceOut(Schema):
    id: int
    name: str


class SurveyDetailOut(SurveyOut):
    questions: list[SurveyQuestionOut]
    people: list[SurveyChoiceOut] = Field(..., description="Choices of people questions.")
    schools: list[SurveyChoiceOut] = Field(..., description="Choices of schools questions.")
    responded: int = Field(..., description="How many have responded so far.")
    invited: int
    has_responded: bool
    can_respond: bool
    own_answers: dict | None = Field(
        None, description="Your own answers: confidential surveys only."
    )


class SurveyQuestionIn(Schema):
    kind: QuestionKind
    text: Text = Field(..., min_length=1, max_length=300)
    options: list[Text] = Field([], max_length=8, description="Ordering questions: the options.")
    names: NameTarget | None = Field(None, description="People or schools questions.")


class SurveyIn(Schema):
    title: Text = Field(..., min_length=1, max_length=200)
    audience: SurveyAudience
    mode: SurveyMode = SurveyMode.ANONYMOUS
    wave: Text = Field("", max_length=60)
    threshold: int = Field(6, ge=3, le=50)
    closes_at: datetime.datetime
    framework: Text | None = Field(None, max_length=60, description="A framework's slug.")
    items: list[Id] = Field([], max_length=60, description="Bank item ids.")
    questions: list[SurveyQuestionIn] = Field([], max_length=60)


class SurveyAnswerIn(Schema):
    question: Id
    likert: int | None = Field(None, ge=1, le=5)
    ranking: list[int] = Field(
        [], max_length=8, description="Each option's place (1 is first), in the options' order."
    )
    text: Text = Field("", max_length=2000)
    chosen: list[Id] = Field([], max_length=15, description="Ids of people or schools.")


class SurveyResponseIn(Schema):
    answers: list[SurveyAnswerIn] = Field(..., max_length=60)


class SurveyRowOut(Schema):
    group: str
    n: float | str | None
    mean: float | str | None
    lower: float | str | None
    upper: float | str | None


class SurveyQuestionResultOut(Schema):
    question_id: int
    text: str
    kind: str
    dimension: str
    overall: SurveyRowOut | None
    by_school: list[SurveyRowOut]
    by_role: list[SurveyRowOut]
    options: list[SurveyRowOut]
    texts: list[str]


class SurveyResultsOut(Schema):
    survey_id: int
    level: str | None = Field(
        None, description="network, school (your school's alone) or none (no results for you)."
    )
    threshold: int
    questions: list[SurveyQuestionResultOut]


class HealthTableOut(Schema):
    columns: list[str]
    rows: list[dict]


class HealthFrameworkOut(Schema):
    framework: str
    by_wave: HealthTableOut
    by_school: HealthTableOut | None
    by_role: HealthTableOut | None


class HealthJudgementOut(Schema):
    dimension: str
    wave: str
    level: JudgementLevel
    summary: str
    evidence: list[str]
    next_step: str
    next_target: str | None = Field(
        None, description='Where the next step went: "focus:ID", "goal:ID" or "activity:ID".'
    )


class HealthOverviewOut(Schema):
    level: str | None
    frameworks: list[HealthFrameworkOut]
    judgements: list[HealthJudgementOut]


class HealthJudgementIn(Schema):
    dimension: Text = Field(
        ..., max_length=130, description="framework-slug/dimension-slug, e.g. partnership/trust."
    )
    wave: Text = Field(..., min_length=1, max_length=60)
    level: JudgementLevel
    summary: Text = Field(..., min_length=1, max_length=5000)
    evidence: list[Text] = Field([], max_length=20)
    next_step: Text = Field("", max_length=500)
    next_target: Text = Field(
        "",
        max_length=40,
        description='The network\'s own "focus:ID", "goal:ID" or "activity:ID" the next step '
        "goes into (optional).",
    )


class HealthItemOut(Schema):
    id: int
    framework: str
    dimension: str
    kind: QuestionKind
    text: str
    pupil_text: str
    options: list[str]
    names: str
    citation: str


def _detail(request, survey) -> dict:
    viewer = request.auth
    labels = selectors.name_choice_labels(survey=survey)
    is_child = access_for(viewer).is_pupil or access_for(viewer).is_parent
    return {
        "id": survey.pk,
        "title": survey.title,
        "audience": survey.audience,
        "mode": survey.mode,
        "wave": survey.wave,
        "framework": survey.framework.slug if survey.framework_id else None,
        "threshold": survey.threshold,
        "closes_at": survey.closes_at,
        "closed_at": survey.closed_at,
        "is_open": survey.is_open,
        "questions": [
            {
                "id": question.pk,
                "kind": question.kind,
                "text": question.text,
                "dimension": question.dimension.name if question.dimension else None,
                "options": question.options,
                "names": question.names,
            }
            for question in selectors.questions_of(survey=survey)
        ],
        "people": [] if is_child else [{"id": pk, "name": n} for pk, n in labels["people"]],
        "schools": [] if is_child else [{"id": pk, "name": n} for pk, n in labels["schools"]],
        "responded": selectors.response_count(survey=survey),
        "invited": len(selectors.audience_of(survey=survey)),
        "has_responded": selectors.has_responded(survey=survey, person=viewer),
        "can_respond": policy.can_respond(viewer, survey),
        "own_answers": selectors.own_answers(survey=survey, person=viewer),
    }


def _network_surveys(request, slug):
    viewer = request.auth
    found = selectors.surveys_of_viewer(viewer=viewer, network_slug=slug)
    if not found.exists():
        network = selectors.network_for(viewer=viewer, network_slug=slug)
        access = access_for(viewer)
        if not access.is_site_admin and network.pk not in access.network_ids:
            raise Http404
    return found


@router.get("/networks/{slug:slug}/surveys", response=list[SurveyOut])
@paginate(Pages)
def list_surveys(request, slug: str):
    return _network_surveys(request, slug)


@router.post("/networks/{slug:slug}/surveys", response={201: SurveyDetailOut})
def create_survey(request, slug: str, payload: SurveyIn):
    viewer = request.auth
    network = selectors.network_for(viewer=viewer, network_slug=slug)
    if not policy.can_manage(viewer, network):
        raise PermissionDenied
    framework = None
    if payload.framework:
        framework = selectors.framework_with_slug(payload.framework)
        if framework is None:
            raise HealthError(_("No framework has that name."))
    items = selectors.bank_items_with_ids(payload.items)
    if len(items) != len(set(payload.items)):
        raise HealthError(_("Choose items from the question banks."))
    survey = services.create_survey(
        network=network,
        by=viewer,
        title=payload.title,
        audience=payload.audience,
        mode=payload.mode,
        wave=payload.wave,
        threshold=payload.threshold,
        closes_at=_aware(payload.closes_at),
        framework=framework,
        items=items,
        questions=[
            {
                "kind": question.kind,
                "text": question.text,
                "options": question.options,
                "names": question.names or "",
            }
            for question in payload.questions
        ],
    )
    return Status(201, _detail(request, survey))


@router.get("/surveys/{survey_id}", response=SurveyDetailOut)
def get_survey(request, survey_id: Id):
    return _detail(request, selectors.survey_by_id(viewer=request.auth, survey_id=survey_id))


@router.post("/surveys/{survey_id}/responses", response={201: SurveyDetailOut})
def respond(request, survey_id: Id, payload: SurveyResponseIn):
    """One response per person. An anonymous survey keeps no link from the answers to you."""
    survey = selectors.survey_by_id(viewer=request.auth, survey_id=survey_id)
    questions = {question.pk: question for question in selectors.questions_of(survey=survey)}
    answers = {}
    for answer in payload.answers:
        question = questions.get(answer.question)
        if question is None:
            raise HealthError(_("Answer the survey's own questions."))
        if str(answer.question) in answers:
            raise HealthError(_("Answer each question once."))
        answers[str(answer.question)] = {
            QuestionKind.LIKERT: answer.likert,
            QuestionKind.RANKING: answer.ranking,
            QuestionKind.FREE_TEXT: answer.text,
            QuestionKind.NAME_GENERATOR: answer.chosen,
        }[question.kind]
    services.respond(survey=survey, by=request.auth, answers=answers)
    return Status(201, _detail(request, survey))


@router.post("/surveys/{survey_id}/close", response=SurveyDetailOut)
def close_survey(request, survey_id: Id):
    survey = selectors.survey_by_id(viewer=request.auth, survey_id=survey_id)
    services.close_survey(survey=survey, by=request.auth)
    survey.refresh_from_db()
    return _detail(request, survey)


def _rows(rows) -> list[dict]:
    return [row.as_json() for row in rows]


@router.get("/surveys/{survey_id}/results", response=SurveyResultsOut)
def survey_results(request, survey_id: Id):
    """As the viewer may see them: the whole network's (co-leaders), their school's (a school's
    lead) or none. Groups under the threshold read "c"."""
    viewer = request.auth
    survey = selectors.survey_by_id(viewer=viewer, survey_id=survey_id)
    level = policy.results_level(viewer, survey.network)
    found = []
    if level is not None and is_staff(access_for(viewer)):
        only = access_for(viewer).led_school_ids if level == policy.SCHOOL else None
        found = results.survey_results(
            survey,
            questions=selectors.questions_of(survey=survey),
            sheets=selectors.sheets_of(survey=survey),
            school_names=selectors.schools_of(network=survey.network),
            only_school_ids=only,
            with_texts=level == policy.NETWORK,
        )
    return {
        "survey_id": survey.pk,
        "level": level,
        "threshold": survey.threshold,
        "questions": [
            {
                "question_id": result.question_id,
                "text": result.text,
                "kind": result.kind,
                "dimension": result.dimension,
                "overall": result.overall.as_json() if result.overall else None,
                "by_school": _rows(result.by_school),
                "by_role": _rows(result.by_role),
                "options": _rows(result.options),
                "texts": result.texts,
            }
            for result in found
        ],
    }


def _table(table) -> dict | None:
    if table is None:
        return None
    return {
        "columns": table.columns,
        "rows": [
            {"dimension": name, "cells": [cell.as_json() for cell in cells]}
            for name, cells in table.lines
        ],
    }


def _target_key(judgement) -> str | None:
    target = selectors.target_of(judgement)
    return target.key if target else None


@router.get("/networks/{slug:slug}/health", response=HealthOverviewOut)
def health_overview(request, slug: str):
    """Each framework's dimensions by wave (and by school and role in the latest wave), as the
    viewer may see them, and the leaders' judgements."""
    viewer = request.auth
    network = selectors.network_for(viewer=viewer, network_slug=slug)
    views = self_evaluation.overview_of(network=network, viewer=viewer)
    return {
        "level": policy.results_level(viewer, network),
        "frameworks": [
            {
                "framework": view.framework.slug,
                "by_wave": _table(view.by_wave),
                "by_school": _table(view.by_school),
                "by_role": _table(view.by_role),
            }
            for view in views
        ],
        "judgements": [
            {
                "dimension": f"{j.dimension.framework.slug}/{j.dimension.slug}",
                "wave": j.wave,
                "level": j.level,
                "summary": j.summary,
                "evidence": j.evidence,
                "next_step": j.next_step,
                "next_target": _target_key(j),
            }
            for j in selectors.judgements_of(network=network)
        ],
    }


@router.post("/networks/{slug:slug}/health/judgements", response={201: HealthJudgementOut})
def record_judgement(request, slug: str, payload: HealthJudgementIn):
    viewer = request.auth
    network = selectors.network_for(viewer=viewer, network_slug=slug)
    if not policy.can_manage(viewer, network):
        raise PermissionDenied
    dimension = selectors.dimension_with_key(payload.dimension)
    if dimension is None:
        raise HealthError(_("Name a dimension as framework/dimension, e.g. partnership/trust."))
    judgement = services.record_judgement(
        network=network,
        by=viewer,
        dimension=dimension,
        wave=payload.wave,
        level=payload.level,
        summary=payload.summary,
        evidence=payload.evidence,
        next_step=payload.next_step,
        next_target=payload.next_target,
    )
    judgement = selectors.judgements_of(network=network).get(pk=judgement.pk)
    return Status(
        201,
        {
            "dimension": payload.dimension,
            "wave": judgement.wave,
            "level": judgement.level,
            "summary": judgement.summary,
            "evidence": judgement.evidence,
            "next_step": judgement.next_step,
            "next_target": _target_key(judgement),
        },
    )


@router.get("/health/items", response=list[HealthItemOut])
@paginate(Pages)
def bank_items(request):
    """The question banks: each framework's items, citing where they come from."""
    if not is_staff(access_for(request.auth)):
        raise Http404
    return [
        {
            "id": item.pk,
            "framework": item.framework.slug,
            "dimension": item.dimension.slug,
            "kind": item.kind,
            "text": item.text,
            "pupil_text": item.pupil_text,
            "options": item.options,
            "names": item.names,
            "citation": item.citation,
        }
        for item in selectors.bank_items()
    ]


class HealthMapNodeOut(Schema):
    id: int
    name: str
    school: str
    degree: int
    betweenness: float
    broker: bool
    isolated: bool


class HealthMapMeasuresOut(Schema):
    nodes: int
    ties: int
    density: float
    across_share: float | None
    reciprocity: float | None
    density_year_before: float


class HealthMapOut(Schema):
    level: str | None = Field(None, description="network when the map is yours to see, else none.")
    schools: list[HealthMapNodeOut]
    school_measures: HealthMapMeasuresOut | None
    people: list[HealthMapNodeOut] = Field(..., description="Co-leaders only.")
    people_measures: HealthMapMeasuresOut | None


def _measures(measures, before) -> dict:
    return {
        "nodes": measures.nodes,
        "ties": measures.ties,
        "density": measures.density,
        "across_share": measures.across_share,
        "reciprocity": measures.reciprocity,
        "density_year_before": before.density,
    }


def _nodes(measures, named: dict) -> list[dict]:
    brokers = dict(measures.brokers)
    return [
        {
            "id": pk,
            "name": name,
            "school": school,
            "degree": measures.degree.get(pk, 0),
            "betweenness": measures.betweenness.get(pk, 0.0),
            "broker": pk in brokers,
            "isolated": pk in measures.isolates,
        }
        for pk, (name, school) in sorted(named.items(), key=lambda item: item[1][0])
    ]


@router.get("/networks/{slug:slug}/health/map", response=HealthMapOut)
def collaboration_map(request, slug: str):
    """Who learns with whom: schools (and, for co-leaders, people) with networkx's measures."""
    viewer = request.auth
    network = selectors.network_for(viewer=viewer, network_slug=slug)
    if not policy.can_view_map(viewer, network):
        return {
            "level": None,
            "schools": [],
            "school_measures": None,
            "people": [],
            "people_measures": None,
        }
    found = collaboration.map_of(
        network=network, with_people=policy.can_view_map_people(viewer, network)
    )
    people = {
        pk: (name, found.schools.get(school, "")) for pk, (name, school) in found.people.items()
    }
    return {
        "level": policy.NETWORK,
        "schools": _nodes(
            found.school_measures, {pk: (name, name) for pk, name in found.schools.items()}
        ),
        "school_measures": _measures(found.school_measures, found.previous_schools),
        "people": _nodes(found.people_measures, people) if found.with_people else [],
        "people_measures": _measures(found.people_measures, found.previous_people)
        if found.with_people
        else None,
    }


class HealthEngagementRowOut(Schema):
    school_id: int
    school: str
    attendance: int = Field(..., description="Times its people were present at activities.")
    enquiries: int = Field(..., description="The network's enquiries it takes part in.")
    trials: int = Field(..., description="Its teachers' trials of another school's resources.")
    ties: int = Field(..., description="Schools it is tied to on the collaboration map.")
    value_added: float | str | None = Field(
        ..., description='The school\'s effect; "c" when it rests on too few pupils.'
    )
    lower: float | str | None
    upper: float | str | None
    against_peers: float | str | None


class HealthAssociationOut(Schema):
    engagement: str
    schools: int
    rho: float | None = Field(..., description="Spearman's rank correlation, published figures.")


class HealthEngagementOut(Schema):
    caution: str
    level: str | None = Field(
        None, description="network, school (your school's row only), or none when not yours."
    )
    since: datetime.datetime | None
    measure: str
    years: str
    problem: str
    schools: list[HealthEngagementRowOut]
    associations: list[HealthAssociationOut]


@router.get("/networks/{slug:slug}/health/engagement", response=HealthEngagementOut)
def engagement_against_outcomes(request, slug: str):
    """Each school's engagement against its value added (association, not cause): for those who
    see the network's results; a school's lead gets their own school only."""
    viewer = request.auth
    network = selectors.network_for(viewer=viewer, network_slug=slug)
    if not policy.can_view_engagement(viewer, network):
        # As the map: the network's staff read an empty answer, not a refusal.
        return {
            "caution": str(engagement.CAUTION),
            "level": None,
            "since": None,
            "measure": "",
            "years": "",
            "problem": "",
            "schools": [],
            "associations": [],
        }
    level = policy.results_level(viewer, network)
    only = access_for(viewer).led_school_ids if level == policy.SCHOOL else None
    found = engagement.engagement_of(network=network, only_school_ids=only)
    return {
        "caution": str(engagement.CAUTION),
        "level": level,
        "since": found.since,
        "measure": found.measure,
        "years": found.years,
        "problem": found.problem,
        "schools": [
            {
                "school_id": row.school_id,
                "school": row.school,
                "attendance": row.attendance,
                "enquiries": row.enquiries,
                "trials": row.trials,
                "ties": row.ties,
                "value_added": row.value_added.as_json(),
                "lower": row.lower.as_json(),
                "upper": row.upper.as_json(),
                "against_peers": row.against_peers.as_json(),
            }
            for row in found.rows
        ],
        "associations": [
            {"engagement": line.key, "schools": line.schools, "rho": line.rho}
            for line in found.associations
        ],
    }
