"""Demo network health: two waves of self-evaluation in Tweedmouth (the seven characteristics,
with a pupil survey) and Pendle (the three dimensions of sustaining a network), a Kāhui Ako
survey on the review office's indicators, and the leaders' judgements. Every seed network's
collaboration map is drawn from its own groups, registers and surveys (Pendle's steering group
and sub-groups, North Hartlepool's triads across schools). Idempotent: a network that has
surveys already is left alone."""

import datetime
import random

from django.utils import timezone

from netlearn.accounts import selectors as account_selectors
from netlearn.networks import selectors as network_selectors

from . import selectors, services
from .models import QuestionKind, Survey

WAVES = (("Autumn 2025", 200, 0.0), ("Summer 2026", 20, 0.45))
PLANS = (
    ("tweedmouth", "nlc-characteristics", "Thinking for learning: how the network is doing"),
    ("pendle-small-schools", "sustaining-network", "Is our network built to last?"),
)


def _answers(survey, rng, lift: float, chosen_people, chosen_schools) -> dict:
    answers = {}
    for question in survey.questions.all():
        if question.kind == QuestionKind.LIKERT:
            point = round(rng.gauss(3.2 + lift, 0.9))
            answers[str(question.pk)] = min(5, max(1, point))
        elif question.kind == QuestionKind.RANKING:
            places = list(range(1, len(question.options) + 1))
            rng.shuffle(places)
            answers[str(question.pk)] = places
        elif question.kind == QuestionKind.NAME_GENERATOR:
            pool = chosen_people if question.names == "people" else chosen_schools
            answers[str(question.pk)] = sorted(rng.sample(pool, min(2, len(pool))))
    return answers


def _run_survey(*, network, admin, framework, title, wave, days_ago, lift, audience, people):
    rng = random.Random(f"{network.slug}-{framework.slug}-{wave}-{audience}")
    survey = services.create_survey(
        network=network,
        by=admin,
        title=f"{title} ({wave})",
        audience=audience,
        mode="anonymous",
        wave=wave,
        closes_at=timezone.now() + datetime.timedelta(days=14),
        framework=framework,
    )
    staff_ids = [person.pk for person in people]
    school_ids = list(selectors.schools_of(network=network))
    for person in people:
        others = [pk for pk in staff_ids if pk != person.pk]
        answers = _answers(survey, rng, lift, others, school_ids)
        if answers and rng.random() < 0.85:
            services.respond(survey=survey, by=person, answers=answers)
    if days_ago > 60:
        services.close_survey(survey=survey, by=admin)
        Survey.objects.filter(pk=survey.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=days_ago)
        )
    return survey


def _pupils(network) -> list:
    pupils = []
    for school in network_selectors.schools_in_network(network=network):
        pupils += list(account_selectors.pupils_of_school(school=school))
    return pupils


def _first_target(admin, network, kind: str) -> str:
    """The network's first focus (or activity) for a judgement's next step, if it has one."""
    targets = selectors.next_step_targets(viewer=admin, network=network)
    return next((target.key for target in targets if target.kind == kind), "")


def load(*, admin) -> None:
    for slug, framework_slug, title in PLANS:
        network = network_selectors.network_with_slug(slug=slug)
        framework = selectors.framework_with_slug(framework_slug)
        if network is None or framework is None or Survey.objects.filter(network=network).exists():
            continue
        staff = list(network_selectors.people_of_network(network=network).filter(is_active=True))
        for wave, days_ago, lift in WAVES:
            _run_survey(
                network=network,
                admin=admin,
                framework=framework,
                title=title,
                wave=wave,
                days_ago=days_ago,
                lift=lift,
                audience="staff",
                people=staff,
            )
        if slug == "tweedmouth":
            _run_survey(
                network=network,
                admin=admin,
                framework=framework,
                title="Pupil voice: learning across our schools",
                wave=WAVES[-1][0],
                days_ago=20,
                lift=0.3,
                audience="pupils",
                people=_pupils(network),
            )
            _run_survey(
                network=network,
                admin=admin,
                framework=selectors.framework_with_slug("partnership"),
                title="Who we work with",
                wave=WAVES[-1][0],
                days_ago=20,
                lift=0.2,
                audience="staff",
                people=staff,
            )
        dimensions = list(framework.dimensions.all())
        services.record_judgement(
            network=network,
            by=admin,
            dimension=dimensions[0],
            wave=WAVES[-1][0],
            level="established",
            summary="Staff in every school now name the network's focus in the same words, and "
            "the summer responses are higher than the autumn's in every school shown.",
            evidence=[f"/n/{network.slug}/", f"/n/{network.slug}/health/"],
            next_step="Add a shared measure of the focus to the charter's goals.",
            next_target=_first_target(admin, network, selectors.FOCUS),
        )
        services.record_judgement(
            network=network,
            by=admin,
            dimension=dimensions[-1],
            wave=WAVES[-1][0],
            level="developing",
            summary="Fewer staff than we hoped say others would carry the work on; leadership "
            "still rests on a few people.",
            evidence=[f"/n/{network.slug}/health/"],
            next_step="Plan a lead-learner meeting on sharing each school's network role.",
        )
    kahui = network_selectors.network_with_slug(slug="matatahi-kahui-ako")
    ero = selectors.framework_with_slug("ero-indicators")
    if kahui is not None and ero is not None and not Survey.objects.filter(network=kahui).exists():
        _run_survey(
            network=kahui,
            admin=admin,
            framework=ero,
            title="Our Kāhui Ako on the evaluation indicators",
            wave="Term 2 2026",
            days_ago=30,
            lift=0.2,
            audience="staff",
            people=list(network_selectors.people_of_network(network=kahui).filter(is_active=True)),
        )
