"""A person's part in activities (the contract: netlearn/accounts/personal_data.py).

Erasure deletes what is only theirs (invitations, RSVPs, calendar feed tokens) and keeps what the
network's history rests on: the activities they organised, the registers (a school's attendance
against its commitment), visit feedback, notes, actions and release requests (the budget), whose
author becomes the "Former member" tombstone and whose text loses their name. The reason they gave
for a release request is about their own circumstances, so it is blanked.
"""

from netlearn.accounts.personal_data import label, refers_to, rows, scrub_identifiers

from .models import (
    Action,
    Activity,
    Attendance,
    FeedToken,
    Invitation,
    Note,
    ReleaseRequest,
    Rsvp,
    VisitFeedback,
)

MODELS = (
    Activity,
    Invitation,
    Rsvp,
    Attendance,
    VisitFeedback,
    Note,
    Action,
    ReleaseRequest,
    FeedToken,
)
# Kept for the network, with the person's name scrubbed from their text.
KEPT = (Activity, Attendance, VisitFeedback, Note, Action, ReleaseRequest)


def _activity(row) -> dict:
    return {"activity_title": row.activity.title}


def _occurrence(row) -> dict:
    return {
        "activity_title": row.occurrence.activity.title,
        "occurrence_starts_at": row.occurrence.starts_at,
    }


def export(person) -> dict[str, list[dict]]:
    by_occurrence = ("occurrence__activity",)
    attended = Attendance.objects.filter(person=person).select_related(*by_occurrence)
    # Lines they recorded for others: the other person's presence and school are not theirs.
    recorded = (
        Attendance.objects.filter(recorded_by=person)
        .exclude(person=person)
        .select_related(*by_occurrence)
    )
    requested = ReleaseRequest.objects.filter(person=person).select_related("activity")
    # Requests they decided: the requester's reason and cover are the requester's.
    decided = (
        ReleaseRequest.objects.filter(decided_by=person)
        .exclude(person=person)
        .select_related("activity")
    )
    return {
        label(Activity): rows(
            Activity.objects.filter(organiser=person).select_related("network"),
            person,
            extra=lambda activity: {"network_name": activity.network.name},
        ),
        label(Invitation): rows(
            Invitation.objects.filter(person=person).select_related("activity"),
            person,
            extra=_activity,
        ),
        label(Rsvp): rows(
            Rsvp.objects.filter(person=person).select_related(*by_occurrence),
            person,
            extra=_occurrence,
        ),
        label(Attendance): rows(attended, person, extra=_occurrence)
        + rows(recorded, person, exclude=("person", "school", "present"), extra=_occurrence),
        label(VisitFeedback): rows(
            VisitFeedback.objects.filter(author=person).select_related("activity"),
            person,
            extra=_activity,
        ),
        label(Note): rows(
            Note.objects.filter(author=person).select_related("activity"), person, extra=_activity
        ),
        label(Action): rows(
            Action.objects.filter(refers_to(Action, person)).select_related("activity"),
            person,
            extra=_activity,
        ),
        label(ReleaseRequest): rows(requested, person, extra=_activity)
        + rows(
            decided, person, exclude=("person", "school", "sessions", "reason"), extra=_activity
        ),
        label(FeedToken): rows(FeedToken.objects.filter(person=person), person),
    }


def erase(person) -> None:
    Invitation.objects.filter(person=person).delete()
    Rsvp.objects.filter(person=person).delete()
    FeedToken.objects.filter(person=person).delete()
    ReleaseRequest.objects.filter(person=person).update(reason="")
    for model in KEPT:
        scrub_identifiers(model.objects.filter(refers_to(model, person)), person)
