"""What a person did in network health (the contract: netlearn/accounts/personal_data.py).

An anonymous answer holds no person at all (models.AnswerBox): nothing of it can be exported or
erased as theirs. `Participation` says only that they responded, and stays, so that the response
rate still counts them. A confidential answer sheet is theirs: exported, and deleted on erasure.
Surveys opened and judgements made stay as the network's record, their texts scrubbed of the name.
"""

from netlearn.accounts.personal_data import label, refers_to, rows, scrub_identifiers

from .models import ConfidentialResponse, Judgement, Participation, Survey

MODELS = (Survey, Participation, ConfidentialResponse, Judgement)


def export(person) -> dict[str, list[dict]]:
    return {
        label(Survey): rows(Survey.objects.filter(created_by=person), person),
        label(Participation): rows(
            Participation.objects.filter(person=person).select_related("survey"),
            person,
            extra=lambda participation: {"survey_title": participation.survey.title},
        ),
        label(ConfidentialResponse): rows(
            ConfidentialResponse.objects.filter(person=person).select_related("survey"),
            person,
            extra=lambda response: {"survey_title": response.survey.title},
        ),
        label(Judgement): rows(Judgement.objects.filter(made_by=person), person),
    }


def erase(person) -> None:
    ConfidentialResponse.objects.filter(person=person).delete()
    for model in (Survey, Participation, Judgement):
        scrub_identifiers(model.objects.filter(refers_to(model, person)), person)
