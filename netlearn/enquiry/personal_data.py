"""A person's part in enquiries (the contract: netlearn/accounts/personal_data.py).

Enquiries, lessons, observations, spiral entries, data points, evidence and accounts are the
group's shared record; accounts travel across the network (docs/seed-practices.md#writing-days).
Erasure keeps every row but the evidence files they uploaded; its author becomes the "Former
member" tombstone and its text loses the person's name. Case pupils are pseudonymous by
construction and hold nothing of the person.
"""

from netlearn.accounts.personal_data import (
    delete_files_on_commit,
    label,
    refers_to,
    rows,
    scrub_identifiers,
)

from .models import (
    Account,
    Attachment,
    DataPoint,
    Enquiry,
    Observation,
    ResearchLesson,
    SpiralEntry,
)

MODELS = (Enquiry, ResearchLesson, Observation, SpiralEntry, DataPoint, Attachment, Account)


def _enquiry(row) -> dict:
    return {"enquiry_question": row.enquiry.question}


def export(person) -> dict[str, list[dict]]:
    return {
        label(Enquiry): rows(
            Enquiry.objects.filter(created_by=person).select_related("network"),
            person,
            extra=lambda enquiry: {"network_name": enquiry.network.name},
        ),
        label(ResearchLesson): rows(
            ResearchLesson.objects.filter(teacher=person).select_related("enquiry"),
            person,
            extra=_enquiry,
        ),
        label(Observation): rows(
            Observation.objects.filter(observer=person).select_related("case_pupil"),
            person,
            extra=lambda observation: {"case_pupil_code": observation.case_pupil.code},
        ),
        label(SpiralEntry): rows(
            SpiralEntry.objects.filter(author=person).select_related("enquiry"),
            person,
            extra=_enquiry,
        ),
        label(DataPoint): rows(
            DataPoint.objects.filter(recorded_by=person).select_related("enquiry"),
            person,
            extra=_enquiry,
        ),
        label(Attachment): rows(
            Attachment.objects.filter(uploaded_by=person).select_related("enquiry"),
            person,
            extra=_enquiry,
        ),
        label(Account): rows(
            Account.objects.filter(refers_to(Account, person)).select_related("enquiry"),
            person,
            extra=_enquiry,
        ),
    }


def erase(person) -> None:
    # Evidence files they uploaded go, row and file: a file cannot be cleared of a name. A
    # pupil's work they uploaded is the pupil's (as in the export) and stays.
    theirs = Attachment.objects.filter(uploaded_by=person, is_pupil_work=False)
    delete_files_on_commit([attachment.file for attachment in theirs])
    theirs.delete()
    for model in MODELS:
        scrub_identifiers(model.objects.filter(refers_to(model, person)), person)
