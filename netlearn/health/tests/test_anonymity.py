"""An anonymous survey's tables hold no link from an answer to its respondent, as stored.

The same four people respond in the same order to two anonymous surveys, each time giving the
answers in a different assignment with the same totals. Everything stored about the answers must
then be the same for both: what was stored cannot depend on who answered what.
"""

import json

import pytest

from netlearn.health import services
from netlearn.health.models import (
    AnswerBox,
    ConfidentialResponse,
    Participation,
)

from .factories import survey

pytestmark = pytest.mark.django_db(transaction=True)

ANSWERS = [1, 5, 2, 4]


def _stored(made, likert) -> list:
    """The box as stored, with the survey's own question id taken out."""
    return [
        (sheet["school"], sheet["role"], sheet["answers"][str(likert.pk)])
        for sheet in AnswerBox.objects.get(survey=made).sheets
    ]


def test_the_stored_answers_do_not_depend_on_the_order_people_answered_in(world):
    people = [world.co_leader, world.school_lead, world.teacher, world.data_lead]
    stored = []
    for order in (people, list(reversed(people))):
        made = survey(world)
        likert = made.questions.get(kind="likert")
        for person in order:
            point = ANSWERS[people.index(person)]
            services.respond(survey=made, by=person, answers={str(likert.pk): point})
        stored.append(_stored(made, likert))
        assert Participation.objects.filter(survey=made).count() == 4
    # Whoever answered first, the box is the same: its order is that of its content.
    assert stored[0] == stored[1]
    assert not ConfidentialResponse.objects.exists()


def test_the_schema_has_no_path_from_an_answer_to_a_person():
    # The box has no column but its survey and its sheets: no time, no person, no order.
    assert {field.column for field in AnswerBox._meta.concrete_fields} == {
        "id",
        "survey_id",
        "sheets",
    }
    # Who responded carries a random id and no time, and no key to the box.
    assert {field.column for field in Participation._meta.concrete_fields} == {
        "id",
        "survey_id",
        "person_id",
    }
    assert Participation._meta.pk.get_internal_type() == "UUIDField"


def test_the_box_is_sorted_by_content_not_by_arrival(world):
    made = survey(world)
    likert = made.questions.get(kind="likert")
    for person, point in ((world.teacher, 5), (world.co_leader, 1), (world.data_lead, 3)):
        services.respond(survey=made, by=person, answers={str(likert.pk): point})
    sheets = AnswerBox.objects.get(survey=made).sheets
    keys = [json.dumps(sheet, sort_keys=True) for sheet in sheets]
    assert keys == sorted(keys)
    assert not any("person" in sheet or "at" in sheet for sheet in sheets)
