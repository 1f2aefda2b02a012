"""What a person did in the impact app (the contract: netlearn/accounts/personal_data.py).

Pupil records (`PupilRecord`) are pseudonymous: keyed by an id only the school can link to a
pupil, never linked to a `Person`, so they are not any account holder's personal data here and
neither export nor erasure touches them. What is a person's: the datasets they imported, the
model runs they asked for, the charter links they made (the network's record: kept, with the
person's name gone) and the uploads they left unconfirmed (theirs alone: deleted on erasure).
"""

from netlearn.accounts.personal_data import label, refers_to, rows, scrub_identifiers

from .models import Dataset, GoalLink, ModelRun, PendingImport

MODELS = (Dataset, ModelRun, GoalLink, PendingImport)


def export(person) -> dict[str, list[dict]]:
    return {
        label(Dataset): rows(
            Dataset.objects.filter(created_by=person).select_related("network"),
            person,
            extra=lambda dataset: {"network_name": dataset.network.name},
        ),
        # The results are about schools, not the person: the row says what they asked for.
        label(ModelRun): rows(
            ModelRun.objects.filter(created_by=person), person, exclude=("results", "school_names")
        ),
        label(GoalLink): rows(GoalLink.objects.filter(linked_by=person), person),
        # An unconfirmed upload's file is theirs (it may hold the rows they brought).
        label(PendingImport): rows(PendingImport.objects.filter(created_by=person), person),
    }


def erase(person) -> None:
    PendingImport.objects.filter(created_by=person).delete()
    for model in (Dataset, ModelRun, GoalLink):
        queryset = model.objects.filter(refers_to(model, person))
        scrub_identifiers(queryset, person)
        field = "linked_by" if model is GoalLink else "created_by"
        queryset.update(**{field: None})
