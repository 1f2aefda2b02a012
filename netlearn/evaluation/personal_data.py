"""What a person did in programmes (the contract: netlearn/accounts/personal_data.py).

Who created a programme, who was appointed its evaluator, and which co-leader invited, consented
or withdrew a network are the programme's record of consent, so erasure keeps every row (the
person becomes the "Former member" tombstone) and only scrubs their name from the text.
"""

from netlearn.accounts.personal_data import label, refers_to, rows, scrub_identifiers

from .models import Evaluator, NetworkProgramme, ProgrammeMembership

MODELS = (NetworkProgramme, Evaluator, ProgrammeMembership)


def export(person) -> dict[str, list[dict]]:
    return {
        label(model): rows(model.objects.filter(refers_to(model, person)), person)
        for model in MODELS
    }


def erase(person) -> None:
    for model in MODELS:
        scrub_identifiers(model.objects.filter(refers_to(model, person)), person)
