"""What a person did to a charter (the contract: netlearn/accounts/personal_data.py).

Everything here is the network's record: versions are never edited, sign-offs are a school's
word, progress and digressions chart the network's course (docs/seed-practices.md#charter).
Erasure keeps every row, but not the evidence files they attached; its author becomes the
"Former member" tombstone and its text loses the person's name.
"""

from netlearn.accounts.personal_data import (
    delete_files_on_commit,
    label,
    refers_to,
    rows,
    scrub_identifiers,
)

from .models import CharterVersion, Digression, ProgressEntry, SignOff

MODELS = (CharterVersion, SignOff, ProgressEntry, Digression)


def export(person) -> dict[str, list[dict]]:
    versions = CharterVersion.objects.filter(refers_to(CharterVersion, person)).select_related(
        "charter__network"
    )
    return {
        # A version's content is the network's charter, not this person's: the row says what
        # they did (made or proposed it) and when.
        label(CharterVersion): rows(
            versions,
            person,
            exclude=("content",),
            extra=lambda version: {"network_name": version.charter.network.name},
        ),
        label(SignOff): rows(
            SignOff.objects.filter(signed_by=person).select_related("school"),
            person,
            extra=lambda sign_off: {"school_name": sign_off.school.name},
        ),
        label(ProgressEntry): rows(
            ProgressEntry.objects.filter(recorded_by=person).select_related("goal"),
            person,
            extra=lambda entry: {"goal_measure": entry.goal.measure},
        ),
        label(Digression): rows(Digression.objects.filter(recorded_by=person), person),
    }


def erase(person) -> None:
    # The figure they recorded stays; the evidence file they attached goes (a file cannot be
    # cleared of a name).
    with_evidence = ProgressEntry.objects.filter(recorded_by=person).exclude(evidence="")
    delete_files_on_commit([entry.evidence for entry in with_evidence])
    with_evidence.update(evidence="", evidence_name="")
    for model in MODELS:
        scrub_identifiers(model.objects.filter(refers_to(model, person)), person)
