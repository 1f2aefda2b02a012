"""What a person did in professional learning (the contract: netlearn/accounts/personal_data.py).

Waves, relationships, enrolments, cascade and induction plans are the network's record of who
was trained and supported (a certificate rests on them), so erasure keeps their rows (the person
becomes the "Former member" tombstone) and scrubs the person's name from their text. What the
person wrote in confidence is theirs: the notes they wrote to their coach, mentor or pair are
deleted, and the evidence they gave for a course is cleared.
"""

from netlearn.accounts.personal_data import label, refers_to, rows, scrub_identifiers

from .models import (
    CascadeRecord,
    Course,
    Enrolment,
    InductionPlan,
    InductionTask,
    LearningProgramme,
    RelationshipNote,
    SupportRelationship,
    WavePlace,
)

MODELS = (
    LearningProgramme,
    WavePlace,
    SupportRelationship,
    RelationshipNote,
    Course,
    Enrolment,
    CascadeRecord,
    InductionPlan,
    InductionTask,
)


def export(person) -> dict[str, list[dict]]:
    return {
        label(model): rows(model.objects.filter(refers_to(model, person)), person)
        for model in MODELS
    }


def erase(person) -> None:
    RelationshipNote.objects.filter(author=person).delete()
    Enrolment.objects.filter(person=person).update(evidence="")
    for model in MODELS:
        scrub_identifiers(model.objects.filter(refers_to(model, person)), person)
