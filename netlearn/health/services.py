"""Writes: building a survey, responding, closing, reminding, judging.

Each service runs in one transaction, checks the policy (PermissionDenied) and the rules of
surveys (HealthError), and tells people after the commit. Bad input changes nothing.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Sequence

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from netlearn.core.policy import require
from netlearn.networks.access import access_for
from netlearn.networks.models import Role
from netlearn.notifications.models import NotificationKind
from netlearn.notifications.services import notify

from . import policy, selectors
from .errors import AlreadyResponded, HealthError, SurveyClosed
from .models import (
    LIKERT_POINTS,
    PUPIL_KINDS,
    RANKING_MAX_OPTIONS,
    AnswerBox,
    BankItem,
    ConfidentialResponse,
    Judgement,
    JudgementLevel,
    NameTarget,
    Participation,
    Question,
    QuestionKind,
    Survey,
    SurveyAudience,
    SurveyMode,
)

MAX_QUESTIONS = 60
MAX_FREE_TEXT = 2000
MAX_NAMES = 15
LONGEST_OPEN = datetime.timedelta(days=120)


def _clean(text) -> str:
    return str(text or "").replace("\x00", "").strip()


def _link(survey: Survey) -> str:
    return reverse("health:survey", args=[survey.network.slug, survey.pk])


def _question_from_item(item: BankItem, audience: str) -> dict:
    if audience == SurveyAudience.PUPILS:
        if not item.pupil_text:
            raise HealthError(
                _("“%(question)s” has no wording for pupils; choose another question.")
                % {"question": item.text}
            )
        text = item.pupil_text
    else:
        text = item.text
    return {
        "kind": item.kind,
        "text": text,
        "options": list(item.options),
        "names": item.names,
        "dimension_id": item.dimension_id,
        "bank_item_id": item.pk,
    }


def _check_question(question: dict, audience: str) -> dict:
    kind = question.get("kind")
    if kind not in QuestionKind.values:
        raise HealthError(_("Choose what kind of question each one is."))
    text = _clean(question.get("text"))
    if not text:
        raise HealthError(_("Every question needs its wording."))
    if len(text) > 300:
        raise HealthError(_("Keep each question under 300 characters."))
    if audience == SurveyAudience.PUPILS and kind not in PUPIL_KINDS:
        raise HealthError(
            _(
                "Pupils answer only agree-or-disagree and ordering questions: no free text and no "
                "choosing people."
            )
        )
    if audience == SurveyAudience.PARENTS and kind == QuestionKind.NAME_GENERATOR:
        raise HealthError(_("Parents and whānau are not asked to choose people or schools."))
    options = []
    if kind == QuestionKind.RANKING:
        options = [_clean(option) for option in question.get("options") or () if _clean(option)]
        if not 2 <= len(options) <= RANKING_MAX_OPTIONS:
            raise HealthError(
                _("An ordering question needs 2 to %(most)s options.")
                % {"most": RANKING_MAX_OPTIONS}
            )
        if len({option.casefold() for option in options}) != len(options):
            raise HealthError(_("Each option of an ordering question must be different."))
        if any(len(option) > 120 for option in options):
            raise HealthError(_("Keep each option under 120 characters."))
    names = question.get("names") or ""
    if kind == QuestionKind.NAME_GENERATOR:
        if names not in NameTarget.values:
            raise HealthError(_("Say whether the question chooses people or schools."))
    else:
        names = ""
    return {**question, "text": text, "options": options, "names": names}


@transaction.atomic
def create_survey(
    *,
    network,
    by,
    title: str,
    audience: str,
    mode: str,
    closes_at: datetime.datetime,
    wave: str = "",
    threshold: int = 6,
    framework=None,
    items: Sequence[BankItem] = (),
    questions: Sequence[dict] = (),
) -> Survey:
    """A survey of the framework's items (or of the chosen bank items) and any questions of the
    network's own. `items` come from `selectors.bank_items`; `questions` are dicts of kind, text,
    options (ordering) and names (people or schools)."""
    require(policy.can_manage(by, network))
    title, wave = _clean(title), _clean(wave)
    if not title:
        raise HealthError(_("Give the survey a title."))
    if len(title) > 200 or len(wave) > 60:
        raise HealthError(_("Keep the title under 200 characters and the wave under 60."))
    if audience not in SurveyAudience.values:
        raise HealthError(_("Choose whom the survey is for."))
    if mode not in SurveyMode.values:
        raise HealthError(_("Choose whether the survey is anonymous or confidential."))
    if not 3 <= int(threshold) <= 50:
        raise HealthError(_("The results threshold is from 3 to 50 responses."))
    if audience == SurveyAudience.PUPILS and mode != SurveyMode.ANONYMOUS:
        raise HealthError(_("Surveys of pupils are anonymous."))
    now = timezone.now()
    if closes_at is None or closes_at <= now:
        raise HealthError(_("Choose a closing time in the future."))
    if closes_at > now + LONGEST_OPEN:
        raise HealthError(_("A survey can stay open for at most 120 days."))
    chosen = list(items)
    if framework is not None and not chosen:
        chosen = list(selectors.bank_items(framework=framework))
        if audience == SurveyAudience.PUPILS:
            chosen = [item for item in chosen if item.pupil_text]
    specs = [_question_from_item(item, audience) for item in chosen]
    specs += [{**question, "dimension_id": None, "bank_item_id": None} for question in questions]
    if not specs:
        raise HealthError(_("A survey needs at least one question."))
    if len(specs) > MAX_QUESTIONS:
        raise HealthError(_("A survey has at most %(most)s questions.") % {"most": MAX_QUESTIONS})
    specs = [_check_question(spec, audience) for spec in specs]
    survey = Survey.objects.create(
        network=network,
        title=title,
        framework=framework,
        audience=audience,
        mode=mode,
        wave=wave,
        threshold=int(threshold),
        created_by=by,
        closes_at=closes_at,
    )
    Question.objects.bulk_create(
        [
            Question(
                survey=survey,
                position=position,
                kind=spec["kind"],
                text=spec["text"],
                options=spec["options"],
                names=spec["names"],
                dimension_id=spec["dimension_id"],
                bank_item_id=spec["bank_item_id"],
            )
            for position, spec in enumerate(specs)
        ]
    )
    if survey.is_anonymous:
        AnswerBox.objects.create(survey=survey)
    transaction.on_commit(lambda: _invite(survey))
    return survey


def _invite(survey: Survey, *, people: Iterable | None = None, reminder: bool = False) -> int:
    recipients = list(people if people is not None else selectors.audience_of(survey=survey))
    what = "Reminder: please answer" if reminder else "Please answer"
    notify(
        recipients=recipients,
        kind=NotificationKind.SURVEY_INVITATION,
        text=f"{what} “{survey.title}” by {timezone.localtime(survey.closes_at):%d %b %H:%M}.",
        url=_link(survey),
    )
    return len(recipients)


@transaction.atomic
def remind(*, survey: Survey, by) -> int:
    """Reminds who has not answered yet; returns how many were reminded."""
    require(policy.can_manage(by, survey.network))
    if not survey.is_open:
        raise SurveyClosed(_("This survey has closed; there is nobody left to remind."))
    answered = selectors.respondent_ids(survey=survey)
    waiting = [
        person for person in selectors.audience_of(survey=survey) if person.pk not in answered
    ]
    return _invite(survey, people=waiting, reminder=True)


@transaction.atomic
def close_survey(*, survey: Survey, by) -> Survey:
    require(policy.can_manage(by, survey.network))
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.closed_at is not None:
        raise SurveyClosed(_("This survey is closed already."))
    survey.closed_at = timezone.now()
    survey.save(update_fields=["closed_at"])
    return survey


def _check_answer(question: Question, value, *, choices: dict[str, set[int]], by) -> object:
    if question.kind == QuestionKind.LIKERT:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise HealthError(
                _("“%(question)s”: choose a point from 1 to %(points)s.")
                % {"question": question.text, "points": LIKERT_POINTS}
            )
        try:
            point = int(value)
        except ValueError:
            raise HealthError(
                _("“%(question)s”: choose a point from 1 to %(points)s.")
                % {"question": question.text, "points": LIKERT_POINTS}
            ) from None
        if not 1 <= point <= LIKERT_POINTS:
            raise HealthError(
                _("“%(question)s”: choose a point from 1 to %(points)s.")
                % {"question": question.text, "points": LIKERT_POINTS}
            )
        return point
    if question.kind == QuestionKind.RANKING:
        try:
            places = [int(place) for place in value]
        except (TypeError, ValueError):
            raise HealthError(
                _("“%(question)s”: give each option a place.") % {"question": question.text}
            ) from None
        count = len(question.options)
        if len(places) != count or any(not 1 <= place <= count for place in places):
            raise HealthError(
                _("“%(question)s”: give each option a place from 1 to %(count)s.")
                % {"question": question.text, "count": count}
            )
        if len(set(places)) != count:
            raise HealthError(
                _("“%(question)s”: put each option in a different place.")
                % {"question": question.text}
            )
        return places
    if question.kind == QuestionKind.FREE_TEXT:
        text = _clean(value)
        if len(text) > MAX_FREE_TEXT:
            raise HealthError(
                _("“%(question)s”: keep the answer under %(most)s characters.")
                % {"question": question.text, "most": MAX_FREE_TEXT}
            )
        return text
    try:
        ids = sorted({int(item) for item in value})
    except (TypeError, ValueError):
        raise HealthError(
            _("“%(question)s”: choose from the list.") % {"question": question.text}
        ) from None
    if len(ids) > MAX_NAMES:
        raise HealthError(
            _("“%(question)s”: choose at most %(most)s.")
            % {"question": question.text, "most": MAX_NAMES}
        )
    allowed = choices[question.names]
    if any(item not in allowed for item in ids):
        raise HealthError(
            _("“%(question)s”: choose from the network's own list.") % {"question": question.text}
        )
    if question.names == NameTarget.PEOPLE and by.pk in ids:
        raise HealthError(
            _("“%(question)s”: choose other people, not yourself.") % {"question": question.text}
        )
    return ids


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == ()


def _role_group(person, survey: Survey) -> str:
    if survey.audience != SurveyAudience.STAFF:
        return {"pupils": "pupil", "parents": "parent", "governors": "governor"}[survey.audience]
    access = access_for(person)
    if access.holds(Role.CO_LEADER, in_network=survey.network_id) or access.led_school_ids:
        return "leader"
    return "staff"


def _sheet_order(sheet: dict) -> str:
    return json.dumps(sheet, sort_keys=True)


@transaction.atomic
def respond(*, survey: Survey, by, answers: dict) -> None:
    """Records one response. In an anonymous survey returns nothing: an answer sheet must never
    be handed back alongside the person who gave it."""
    survey = Survey.objects.select_for_update().select_related("network").get(pk=survey.pk)
    require(policy.can_view_survey(by, survey))
    if not survey.is_open:
        raise SurveyClosed(_("This survey has closed; responses are no longer taken."))
    require(policy.is_in_audience(by, survey))
    questions = {question.pk: question for question in survey.questions.all()}
    choices = selectors.name_choices(survey=survey)
    given = {}
    for key, value in (answers or {}).items():
        try:
            question_id = int(key)
        except (TypeError, ValueError):
            raise HealthError(_("Answer the survey's own questions.")) from None
        question = questions.get(question_id)
        if question is None:
            raise HealthError(_("Answer the survey's own questions."))
        if _empty(value):
            continue
        checked = _check_answer(question, value, choices=choices, by=by)
        if not _empty(checked):
            given[str(question_id)] = checked
    if not given:
        raise HealthError(_("Answer at least one question before sending."))
    try:
        with transaction.atomic():
            Participation.objects.create(survey=survey, person=by)
    except IntegrityError:
        raise AlreadyResponded(_("You have responded to this survey already.")) from None
    school_id = selectors.school_of_respondent(person=by, survey=survey)
    role = _role_group(by, survey)
    if survey.is_anonymous:
        box = AnswerBox.objects.select_for_update().get(survey=survey)
        sheet = {"school": school_id, "role": role, "answers": given}
        # Sorted by content, so that the list says nothing of the order sheets came in.
        box.sheets = sorted([*box.sheets, sheet], key=_sheet_order)
        box.save(update_fields=["sheets"])
    else:
        ConfidentialResponse.objects.create(
            survey=survey, person=by, school_id=school_id, role=role, answers=given
        )


def _check_evidence(network, evidence: Sequence[str]) -> list[str]:
    links = []
    prefix = f"/n/{network.slug}/"
    for link in evidence or ():
        link = _clean(link)
        if not link:
            continue
        if not link.startswith(prefix) or len(link) > 300 or any(c in link for c in " <>\"'"):
            raise HealthError(
                "Evidence links point at the network's own pages (activities, enquiries, "
                "accounts, outcomes), starting with " + prefix
            )
        links.append(link)
    if len(links) > 20:
        raise HealthError(_("Give at most 20 pieces of evidence."))
    return links


@transaction.atomic
def record_judgement(
    *,
    network,
    by,
    dimension,
    wave: str,
    level: str,
    summary: str,
    evidence: Sequence[str] = (),
    next_step: str = "",
    next_target: str = "",
) -> Judgement:
    """The leaders' judgement on a dimension in a wave; judging again replaces it. `next_target`
    names where the next step goes (`selectors.next_step_target`: "focus:12", "goal:5",
    "activity:7"): only the network's own focus, goal or activity is taken."""
    require(policy.can_manage(by, network))
    wave, summary, next_step = _clean(wave), _clean(summary), _clean(next_step)
    if not wave or len(wave) > 60:
        raise HealthError(_("Name the wave the judgement is for (e.g. Summer 2027)."))
    if level not in JudgementLevel.values:
        raise HealthError(_("Choose a level."))
    if not summary:
        raise HealthError(_("Say what the evidence shows."))
    if len(summary) > 5000 or len(next_step) > 500:
        raise HealthError(_("Keep the summary under 5,000 characters and the next step under 500."))
    links = _check_evidence(network, evidence)
    target = None
    if next_target:
        target = selectors.next_step_target(viewer=by, network=network, key=next_target)
        if target is None:
            raise HealthError(
                _(
                    "Choose a learning focus, a goal or an activity of this network for what "
                    "follows."
                )
            )
        if not next_step:
            raise HealthError(_("Say what follows before choosing where it goes."))
    kind = target.kind if target else None
    judgement, _created = Judgement.objects.update_or_create(
        network=network,
        dimension=dimension,
        wave=wave,
        defaults={
            "level": level,
            "summary": summary,
            "evidence": links,
            "next_step": next_step,
            "next_focus": target.obj if kind == selectors.FOCUS else None,
            "next_goal": target.obj if kind == selectors.GOAL else None,
            "next_activity": target.obj if kind == selectors.ACTIVITY else None,
            "made_by": by,
            "made_at": timezone.now(),
        },
    )
    return judgement
