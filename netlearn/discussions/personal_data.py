"""What discussions hold about a person, for export and erasure
(docs/safety.md#retention-and-erasure).

Choices are not here and cannot be: no row holds one person's choice, only each option's
tally (models.py), so nobody's choice can be exported or found to erase. `Voter` says only that
someone voted in a poll; it is exported and erased with the person. The moderation log is a
safeguarding record kept under its own policy (append-only,
docs/safety.md#reporting-and-moderation): it is exported, and erasure keeps every entry, only
replacing the person's name in it with "Former member" (the person row's own tombstone).
"""

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from netlearn.accounts.personal_data import YOU, label, rows, scrub_identifiers

from .models import (
    Attachment,
    ModerationLogEntry,
    ParentProfile,
    Poll,
    Post,
    PostRevision,
    PupilProfile,
    Report,
    Space,
    Subscription,
    Thread,
    Voter,
)

MODELS: tuple = (
    Space,
    Thread,
    Post,
    PostRevision,
    Report,
    Poll,
    Voter,
    PupilProfile,
    ParentProfile,
    Attachment,
    Subscription,
    ModerationLogEntry,
)
REMOVED_BODY = "This post was removed at its author's request."
REMOVED_TITLE = "A thread whose author asked for it to be removed"


def export(person) -> dict[str, list[dict]]:
    made_or_moderated = Q(created_by=person) | Q(moderators=person)
    own_reports = Report.objects.filter(reporter=person)
    handled_reports = Report.objects.filter(
        Q(resolved_by=person) | Q(acknowledged_by=person)
    ).exclude(reporter=person)
    own_revisions = PostRevision.objects.filter(post__author=person)
    others_revised = PostRevision.objects.filter(edited_by=person).exclude(post__author=person)
    return {
        label(Space): rows(
            Space.objects.filter(made_or_moderated).distinct().order_by("pk"),
            person,
            extra=lambda space: {"you_created_it": space.created_by_id == person.pk},
        ),
        label(Thread): rows(Thread.objects.filter(author=person).order_by("pk"), person),
        label(Post): rows(
            Post.objects.filter(author=person).order_by("pk"), person, exclude=("body_html",)
        ),
        # Earlier versions of their own posts; of others' posts they edited, only that they did
        # (the words were someone else's).
        label(PostRevision): rows(own_revisions.order_by("pk"), person)
        + rows(others_revised.order_by("pk"), person, exclude=("body",)),
        # Reports they made, whole; reports they handled, without the reporter's words.
        label(Report): rows(own_reports.order_by("pk"), person)
        + rows(handled_reports.order_by("pk"), person, exclude=("details",)),
        label(Poll): rows(Poll.objects.filter(created_by=person).order_by("pk"), person),
        # That they voted in a poll; never what they chose (nothing links a ballot to them).
        label(Voter): [
            {"id": str(voter_id), "poll": poll_id, "person": YOU}
            for voter_id, poll_id in Voter.objects.filter(person=person)
            .order_by("poll_id")
            .values_list("pk", "poll_id")
        ],
        label(PupilProfile): rows(PupilProfile.objects.filter(person=person), person),
        label(ParentProfile): rows(
            ParentProfile.objects.filter(Q(person=person) | Q(invited_by=person)), person
        ),
        label(Attachment): rows(
            Attachment.objects.filter(uploaded_by=person).order_by("pk"), person
        ),
        label(Subscription): rows(
            Subscription.objects.filter(person=person).order_by("pk"), person
        ),
        label(ModerationLogEntry): rows(
            ModerationLogEntry.objects.filter(actor_id=person.pk).order_by("pk"),
            person,
            exclude=("actor_id", "actor_name"),
        ),
    }


@transaction.atomic
def erase(person) -> None:
    """Removes the person's words and links; other people's posts, threads and polls stay whole.

    A thread of theirs that others replied to keeps its replies, with its title and opening post
    replaced by a notice; one nobody else wrote in goes entirely.
    """
    own_posts = Post.objects.filter(author=person)
    Attachment.objects.filter(post__in=own_posts).delete()  # files go after the commit
    PostRevision.objects.filter(post__in=own_posts).delete()
    others_wrote = Post.objects.filter(thread=OuterRef("pk")).exclude(author=person)
    lonely = Thread.objects.filter(author=person).exclude(Exists(others_wrote))
    lonely.delete()
    Thread.objects.filter(author=person).update(author=None, title=REMOVED_TITLE)
    own_posts.update(author=None, body=REMOVED_BODY, body_html=f"<p>{REMOVED_BODY}</p>")
    PostRevision.objects.filter(edited_by=person).update(edited_by=None)
    # Files they put on others' posts go too (the post stays): a file cannot be cleared of a
    # name. signals.py deletes the stored file once this commits.
    Attachment.objects.filter(uploaded_by=person).delete()
    Report.objects.filter(reporter=person).update(reporter=None, details="")
    Report.objects.filter(resolved_by=person).update(resolved_by=None)
    Report.objects.filter(acknowledged_by=person).update(acknowledged_by=None)
    # Their name out of what stays: spaces and polls they made (then unlinked from them).
    scrub_identifiers(Space.objects.filter(created_by=person), person)
    scrub_identifiers(Poll.objects.filter(created_by=person), person)
    Poll.objects.filter(created_by=person).update(created_by=None)
    Space.objects.filter(created_by=person).update(created_by=None)
    for space in Space.objects.filter(moderators=person):
        space.moderators.remove(person)
    Voter.objects.filter(person=person).delete()
    PupilProfile.objects.filter(person=person).delete()
    ParentProfile.objects.filter(person=person).delete()
    ParentProfile.objects.filter(invited_by=person).update(invited_by=None)
    Subscription.objects.filter(person=person).delete()
    # The moderation log keeps the record of each action (what, when, which post); the name
    # becomes "Former member" like the person row itself. Its own manager refuses updates: this
    # is the one sanctioned rewrite (docs/safety.md#retention-and-erasure).
    named = Q(actor_id=person.pk)
    for word in (person.name.strip(), person.username.strip()):
        if len(word) >= 3:
            named |= Q(note__icontains=word)
    scrub_identifiers(ModerationLogEntry._base_manager.filter(named), person)
