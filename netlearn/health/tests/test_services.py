"""Surveys: what is refused changes nothing, and results keep small groups hidden."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from netlearn.health import policy, results, selectors, services
from netlearn.health.errors import AlreadyResponded, HealthError, SurveyClosed
from netlearn.health.models import AnswerBox, Participation, Question, Survey

from .factories import framework, soon, survey

pytestmark = pytest.mark.django_db


def _likert(made):
    return made.questions.get(kind="likert")


def test_a_survey_with_no_question_is_refused_and_nothing_is_made(world):
    with pytest.raises(HealthError, match="at least one question"):
        survey(world, questions=[])
    assert not Survey.objects.exists() and not Question.objects.exists()


def test_a_framework_survey_asks_every_item_of_the_framework(world):
    made = survey(world, framework=framework(), questions=[])
    assert made.questions.count() == framework().items.count()
    assert all(question.dimension_id for question in made.questions.all())


def test_a_pupil_survey_takes_only_items_worded_for_pupils_and_no_free_text(world):
    made = survey(world, audience="pupils", framework=framework(), questions=[])
    items = framework().items.exclude(pupil_text="")
    assert sorted(made.questions.values_list("text", flat=True)) == sorted(
        items.values_list("pupil_text", flat=True)
    )
    with pytest.raises(HealthError, match="no free text"):
        survey(world, audience="pupils", questions=[{"kind": "free_text", "text": "Who?"}])
    with pytest.raises(HealthError, match="anonymous"):
        survey(world, audience="pupils", mode="confidential")


def test_only_co_leaders_open_surveys(world):
    with pytest.raises(PermissionDenied):
        survey(world, by=world.teacher)


def test_a_ranking_with_duplicates_is_refused_and_changes_nothing(world):
    made = survey(world)
    ranking = made.questions.get(kind="ranking")
    with pytest.raises(HealthError, match="different place"):
        services.respond(survey=made, by=world.teacher, answers={str(ranking.pk): [1, 1, 2]})
    assert not Participation.objects.exists()
    assert AnswerBox.objects.get(survey=made).sheets == []


def test_a_second_response_is_refused_and_changes_nothing(world):
    made = survey(world)
    services.respond(survey=made, by=world.teacher, answers={str(_likert(made).pk): 4})
    with pytest.raises(AlreadyResponded):
        services.respond(survey=made, by=world.teacher, answers={str(_likert(made).pk): 1})
    assert Participation.objects.count() == 1
    assert [sheet["answers"] for sheet in AnswerBox.objects.get(survey=made).sheets] == [
        {str(_likert(made).pk): 4}
    ]


def test_a_response_after_closing_is_refused_and_changes_nothing(world):
    made = survey(world)
    services.close_survey(survey=made, by=world.co_leader)
    with pytest.raises(SurveyClosed):
        services.respond(survey=made, by=world.teacher, answers={str(_likert(made).pk): 4})
    Survey.objects.filter(pk=made.pk).update(
        closed_at=None, closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    made.refresh_from_db()
    with pytest.raises(SurveyClosed):
        services.respond(survey=made, by=world.teacher, answers={str(_likert(made).pk): 4})
    assert not Participation.objects.exists()


def test_an_empty_response_and_a_point_off_the_scale_are_refused(world):
    made = survey(world)
    with pytest.raises(HealthError, match="at least one"):
        services.respond(survey=made, by=world.teacher, answers={})
    with pytest.raises(HealthError, match="1 to 5"):
        services.respond(survey=made, by=world.teacher, answers={str(_likert(made).pk): 9})
    assert not Participation.objects.exists()


def test_name_generators_choose_only_from_the_network(world):
    made = survey(world, questions=[{"kind": "name_generator", "text": "Whom?", "names": "people"}])
    question = made.questions.get()
    with pytest.raises(HealthError, match="network's own list"):
        services.respond(
            survey=made, by=world.teacher, answers={str(question.pk): [world.foreign_teacher.pk]}
        )
    services.respond(
        survey=made, by=world.teacher, answers={str(question.pk): [world.co_leader.pk]}
    )


def test_pupils_answer_only_pupil_surveys_of_their_schools_networks(world):
    staff = survey(world)
    pupils = survey(world, audience="pupils", framework=framework(), questions=[])
    assert not policy.can_view_survey(world.pupil, staff)
    assert policy.can_respond(world.pupil, pupils)
    assert not policy.can_respond(world.teacher, pupils)
    foreign = survey(
        world,
        network=world.foreign_network,
        by=world.foreign_co_leader,
        audience="pupils",
        framework=framework(),
        questions=[],
    )
    assert not policy.can_view_survey(world.pupil, foreign)


def test_results_of_a_group_under_the_threshold_show_c_with_secondary_suppression(world):
    made = survey(world, threshold=3)
    likert = str(_likert(made).pk)
    # Seven sheets: five from Alder, two from Birch; Birch is under the threshold, and since the
    # network's figure is published, Alder must be hidden too (or Birch = total - Alder).
    box = AnswerBox.objects.get(survey=made)
    box.sheets = [
        {"school": world.school_a.pk, "role": "staff", "answers": {likert: 4}} for _ in range(5)
    ] + [{"school": world.school_b.pk, "role": "leader", "answers": {likert: 2}} for _ in range(2)]
    box.save()
    found = results.survey_results(
        made,
        questions=selectors.questions_of(survey=made),
        sheets=selectors.sheets_of(survey=made),
        school_names=selectors.schools_of(network=made.network),
    )[0]
    assert found.overall.mean.shown == "3.43"
    assert [row.mean.shown for row in found.by_school] == ["c", "c"]
    assert [row.n.shown for row in found.by_role] == ["c", "c"]


def test_a_school_lead_sees_their_schools_results_and_a_teacher_none(world):
    assert policy.results_level(world.co_leader, world.network) == policy.NETWORK
    assert policy.results_level(world.school_lead, world.network) == policy.SCHOOL
    assert policy.results_level(world.teacher, world.network) is None
    assert policy.results_level(world.foreign_co_leader, world.network) is None


def test_confidential_answers_are_read_back_by_their_respondent_alone(world):
    made = survey(world, mode="confidential")
    services.respond(survey=made, by=world.teacher, answers={str(_likert(made).pk): 5})
    assert selectors.own_answers(survey=made, person=world.teacher) == {str(_likert(made).pk): 5}
    assert selectors.own_answers(survey=made, person=world.co_leader) is None


def test_judgement_evidence_must_be_the_networks_own_pages(world):
    dimension = selectors.dimension_with_key("nlc-characteristics/enquiry")
    with pytest.raises(HealthError, match="own pages"):
        services.record_judgement(
            network=world.network,
            by=world.co_leader,
            dimension=dimension,
            wave="Summer 2027",
            level="developing",
            summary="Enquiry grows.",
            evidence=["https://evil.example/"],
        )
    made = services.record_judgement(
        network=world.network,
        by=world.co_leader,
        dimension=dimension,
        wave="Summer 2027",
        level="developing",
        summary="Enquiry grows.",
        evidence=["/n/riverside/enquiry/"],
    )
    assert made.evidence == ["/n/riverside/enquiry/"]


def test_a_reminder_goes_to_who_has_not_answered(world):
    made = survey(world, closes_at=soon())
    services.respond(survey=made, by=world.teacher, answers={str(_likert(made).pk): 3})
    reminded = services.remind(survey=made, by=world.co_leader)
    assert reminded == len(selectors.audience_of(survey=made)) - 1
