"""Writes: spaces, threads, posts, moderation, reports, polls, pupils' and parents' school
records (their accounts are made in accounts.pupils and accounts.services), retention.

Every service checks the policy itself (PermissionDenied), raises a DiscussionError with a message
for the person when a rule refuses, and writes each moderation action to the append-only log.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from netlearn.accounts import pupils
from netlearn.accounts import services as account_services
from netlearn.accounts.errors import AccountError
from netlearn.accounts.models import Kind, Person
from netlearn.accounts.pupils import SignInSlip
from netlearn.core.intake import (
    FileRefused,
    attachment_max_bytes,
    inspect_upload,
    library_max_bytes,
)
from netlearn.core.rate_limits import Limit
from netlearn.library.cleaning import CleanedUpload
from netlearn.networks import selectors as network_selectors
from netlearn.networks.models import Country, Group, Network, School

from . import announcements, images, policy
from .errors import (
    AlreadyVoted,
    AttachmentRefused,
    DiscussionError,
    EmptyPost,
    InvalidPupilFile,
    NotInAudience,
    PollClosed,
    PostingTooFast,
    SpaceClosed,
)
from .models import (
    SCHOOL_AUDIENCES,
    Attachment,
    Audience,
    HeldBecause,
    Moderation,
    ModerationAction,
    ModerationLogEntry,
    NetworkDiscussionSettings,
    ParentProfile,
    Poll,
    PollOption,
    Post,
    PostRevision,
    PupilProfile,
    Report,
    ReportReason,
    Space,
    SpaceKind,
    Status,
    Subscription,
    Thread,
    Voter,
)
from .rendering import render_markdown

MAX_BODY = 10000
MAX_TITLE = 200
MAX_ATTACHMENTS = 5
# New Zealand, Harmful Digital Communications Act: complaints are acted on within 48 hours.
NZ_RESPONSE_HOURS = 48


def write_log(
    *,
    action: str,
    by: Person | None,
    network_id: int | None,
    space: Space | None = None,
    thread_id: int | None = None,
    post_id: int | None = None,
    report_id: int | None = None,
    school_id: int | None = None,
    note: str = "",
) -> ModerationLogEntry:
    return ModerationLogEntry.objects.create(
        network_id=network_id,
        space_id=space.pk if space else None,
        thread_id=thread_id,
        post_id=post_id,
        report_id=report_id,
        school_id=school_id,
        actor_id=by.pk if by else None,
        actor_name=(by.name or by.username) if by else "Netlearn",
        action=action,
        note=note[:500],
    )


def settings_for(network: Network) -> NetworkDiscussionSettings:
    found = NetworkDiscussionSettings.objects.filter(network=network).first()
    return found or NetworkDiscussionSettings(network=network)


# Spaces -------------------------------------------------------------------------------------


@transaction.atomic
def open_space(
    *,
    network: Network,
    by: Person,
    title: str,
    description: str = "",
    audience: str = Audience.STAFF,
    kind: str = SpaceKind.TOPIC,
    group: Group | None = None,
    school: School | None = None,
    moderation: str | None = None,
) -> Space:
    title = title.strip()
    if not title:
        raise DiscussionError("Give the space a title.")
    if audience in SCHOOL_AUDIENCES:
        if not policy.can_open_pupil_space(by, network, school):
            raise PermissionDenied
        if school is None and not policy.can_change_network_settings(by, network):
            raise PermissionDenied  # only co-leaders open a space for every school's community
        if school is not None and not network_selectors.is_member_school(
            network=network, school=school
        ):
            raise DiscussionError("That school is not in this network.")
        # Pupil spaces start pre-moderated, the safest default (docs/safety.md#pupil-spaces).
        # Parents' spaces hold each person's first post, then trust them.
        default = Moderation.ALL_POSTS if audience == Audience.PUPILS else Moderation.FIRST_POSTS
        moderation = moderation or default
    else:
        if not policy.can_open_staff_space(by, network):
            raise PermissionDenied
        school = None
        moderation = moderation or Moderation.NONE
    if group is not None and group.network_id != network.pk:
        raise DiscussionError("That group is not in this network.")
    space = Space(
        network=network,
        title=title,
        description=description.strip(),
        audience=audience,
        kind=SpaceKind.GROUP if group is not None else kind,
        group=group,
        school=school,
        moderation=moderation,
        created_by=by,
    )
    space.full_clean()
    space.save()
    if not by.is_superuser:
        space.moderators.add(by)
        policy.forget_reach(by)
    return space


@transaction.atomic
def set_moderation(*, space: Space, by: Person, moderation: str) -> Space:
    if not policy.can_manage_space(by, space):
        raise PermissionDenied
    if moderation not in Moderation.values:
        raise DiscussionError("Choose a moderation mode.")
    if space.moderation != moderation:
        space.moderation = moderation
        space.save(update_fields=["moderation"])
        write_log(
            action=ModerationAction.MODE_CHANGED,
            by=by,
            network_id=space.network_id,
            space=space,
            note=Moderation(moderation).label,
        )
    return space


def _can_be_moderator(person: Person, space: Space) -> bool:
    # The same rule that keeps an appointment standing later (policy), so nobody is appointed
    # who would lose it at once.
    if person.kind != Kind.STAFF or not person.is_active:
        return False
    return policy.moderator_appointment_holds(person, space)


@transaction.atomic
def add_moderator(*, space: Space, person: Person, by: Person) -> Space:
    if not policy.can_manage_space(by, space):
        raise PermissionDenied
    if not _can_be_moderator(person, space):
        raise DiscussionError(
            "Moderators are staff of the space's school (or of the network's schools)."
        )
    space.moderators.add(person)
    policy.forget_reach(person)
    write_log(
        action=ModerationAction.MODERATOR_ADDED,
        by=by,
        network_id=space.network_id,
        space=space,
        note=person.name,
    )
    return space


@transaction.atomic
def archive_space(*, space: Space, by: Person) -> Space:
    if not policy.can_manage_space(by, space):
        raise PermissionDenied
    if space.archived_at is None:
        space.archived_at = timezone.now()
        space.save(update_fields=["archived_at"])
    return space


@transaction.atomic
def set_network_settings(
    *, network: Network, by: Person, blocked_words: str, retention_days: int
) -> NetworkDiscussionSettings:
    if not policy.can_change_network_settings(by, network):
        raise PermissionDenied
    if not 30 <= retention_days <= 3650:
        raise DiscussionError("Keep pupil discussion between 30 and 3650 days.")
    found = settings_for(network)
    words = "\n".join(line.strip() for line in blocked_words.splitlines() if line.strip())
    changed = found.blocked_words != words
    found.blocked_words, found.retention_days = words, retention_days
    found.save()
    if changed:
        write_log(
            action=ModerationAction.BLOCKED_WORDS_CHANGED,
            by=by,
            network_id=network.pk,
            note=f"{len(found.blocked_list())} blocked words",
        )
    return found


# Threads and posts --------------------------------------------------------------------------


def _blocked_word_in(network: Network, *texts: str) -> str | None:
    words = settings_for(network).blocked_list()
    for word in words:
        pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)
        if any(pattern.search(text) for text in texts):
            return word
    return None


def _hold_reason(*, space: Space, author: Person, texts: tuple[str, ...], editing=False) -> str:
    """Why a post waits for a moderator, or "" to publish it. Moderators are trusted."""
    if policy.can_moderate(author, space):
        return HeldBecause.NOTHING
    if _blocked_word_in(space.network, *texts):
        return HeldBecause.BLOCKED_WORD
    if space.moderation == Moderation.ALL_POSTS:
        return HeldBecause.EDITED if editing else HeldBecause.PRE_MODERATION
    if space.moderation == Moderation.FIRST_POSTS and not (
        Post.objects.filter(thread__space=space, author=author, status=Status.PUBLISHED).exists()
    ):
        return HeldBecause.FIRST_POST
    return HeldBecause.NOTHING


def _clean_body(body: str) -> str:
    body = (body or "").replace("\x00", "").strip()
    if not body:
        raise EmptyPost("Write something before you post.")
    if len(body) > MAX_BODY:
        raise DiscussionError(f"A post can be at most {MAX_BODY} characters long.")
    return body


# Each person's posts, counted where every web process sees them (docs/safety.md#rate-limits:
# pupils get a lower limit than staff).
PUPIL_POSTS = Limit(
    "discussion-posts-pupil", "DISCUSSION_PUPIL_POST_LIMIT", "DISCUSSION_POST_WINDOW"
)
STAFF_POSTS = Limit(
    "discussion-posts-staff", "DISCUSSION_STAFF_POST_LIMIT", "DISCUSSION_POST_WINDOW"
)


def _check_rate(by: Person) -> None:
    # One atomic count that refuses at the limit, whichever web process takes the post. Counted
    # inside the post's transaction where the counts live in the database: a post that fails is
    # not counted.
    limit = PUPIL_POSTS if by.kind == Kind.PUPIL else STAFF_POSTS
    if not limit.attempt(f"person:{by.pk}"):
        raise PostingTooFast(
            "You have posted a lot in a short time. Wait a few minutes, then post again."
        )


def _new_post(*, thread: Thread, by: Person, body: str, quote_of: Post | None, held: str) -> Post:
    post = Post.objects.create(
        thread=thread,
        author=by,
        body=body,
        body_html=render_markdown(body),
        quote_of=quote_of,
        status=Status.HELD if held else Status.PUBLISHED,
        held_because=held,
    )
    if held:
        write_log(
            action=ModerationAction.HELD,
            by=by,
            network_id=thread.space.network_id,
            space=thread.space,
            thread_id=thread.pk,
            post_id=post.pk,
            note=HeldBecause(held).label,
        )
    return post


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def check_attachments(uploads) -> list[CleanedUpload]:
    """Every file is checked before anything is written: one bad file refuses the whole post.

    The content decides the kind (core.intake: never HTML or SVG, whatever the name)."""
    uploads = [upload for upload in (uploads or []) if upload]
    if len(uploads) > MAX_ATTACHMENTS:
        raise AttachmentRefused(f"Attach at most {MAX_ATTACHMENTS} files to a post.")
    limit = attachment_max_bytes()
    checked = []
    for upload in uploads:
        name = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1][:100]
        if (upload.size or 0) > limit:
            raise AttachmentRefused(
                f"“{name}” is {_megabytes(upload.size)}; a post takes files up to "
                f"{_megabytes(limit)}. Nothing was posted."
            )
        try:
            # The kinds a post takes are the library's, and so is the wording.
            found = inspect_upload(upload, max_bytes=library_max_bytes(), taken_by="the library")
        except FileRefused as error:
            raise AttachmentRefused(f"“{name}”: {error} Nothing was posted.") from None
        # Images and video are cleaned of their metadata here, before any row is written, so
        # one that cannot be cleaned refuses the post cleanly.
        checked.append(images.cleaned(upload, found))
    return checked


def _store_attachments(post: Post, checked, *, by: Person) -> list[Attachment]:
    stored = []
    for cleaned in checked:
        found = cleaned.checked
        attachment = Attachment(
            post=post,
            original_name=found.original_name,
            content_type=found.kind.content_type,
            type_label=found.kind.label,
            size=found.size,
            sha256=found.sha256,
            uploaded_by=by,
        )
        attachment._detected_extension = found.kind.extension
        attachment.file.save("upload", cleaned.content, save=False)  # the name is generated
        attachment.save()
        stored.append(attachment)
    return stored


@transaction.atomic
def start_thread(*, space: Space, by: Person, title: str, body: str, attachments=()) -> Thread:
    if not policy.can_view_space(by, space):
        raise PermissionDenied
    if space.archived_at is not None:
        raise SpaceClosed("This space is archived: nothing new can be posted.")
    if not policy.can_post(by, space):
        raise PermissionDenied
    title = (title or "").replace("\x00", "").strip()
    if not title:
        raise EmptyPost("Give the thread a title.")
    if len(title) > MAX_TITLE:
        raise DiscussionError(f"A title can be at most {MAX_TITLE} characters long.")
    body = _clean_body(body)
    checked = check_attachments(attachments)
    _check_rate(by)
    held = _hold_reason(space=space, author=by, texts=(title, body))
    thread = Thread.objects.create(
        space=space, title=title, author=by, status=Status.HELD if held else Status.PUBLISHED
    )
    post = _new_post(thread=thread, by=by, body=body, quote_of=None, held=held)
    _store_attachments(post, checked, by=by)
    announcements.follow(by, thread=thread)
    if not held:
        announcements.post_published(post)
    return thread


@transaction.atomic
def reply(
    *, thread: Thread, by: Person, body: str, quote_of: Post | None = None, attachments=()
) -> Post:
    space = thread.space
    if not policy.can_view_thread(by, thread):
        raise PermissionDenied
    if space.archived_at is not None:
        raise SpaceClosed("This space is archived: nothing new can be posted.")
    if not policy.can_post(by, space):
        raise PermissionDenied
    if thread.status != Status.PUBLISHED:
        raise DiscussionError("Replies open once a moderator has published the thread.")
    if quote_of is not None and (
        quote_of.thread_id != thread.pk or quote_of.status != Status.PUBLISHED
    ):
        raise DiscussionError("Quote a published post of this thread.")
    body = _clean_body(body)
    checked = check_attachments(attachments)
    _check_rate(by)
    held = _hold_reason(space=space, author=by, texts=(body,))
    post = _new_post(thread=thread, by=by, body=body, quote_of=quote_of, held=held)
    _store_attachments(post, checked, by=by)
    announcements.follow(by, thread=thread)
    if not held:
        Thread.objects.filter(pk=thread.pk).update(last_activity_at=post.created_at)
        announcements.post_published(post)
    return post


def _opening_post_id(thread: Thread) -> int | None:
    return thread.posts.order_by("created_at", "pk").values_list("pk", flat=True).first()


@transaction.atomic
def edit_post(*, post: Post, by: Person, body: str) -> Post:
    if not policy.can_edit_post(by, post):
        raise PermissionDenied
    body = _clean_body(body)
    if body == post.body:
        return post
    PostRevision.objects.create(post=post, body=post.body, edited_by=by)
    space = post.thread.space
    post.body, post.body_html, post.edited_at = body, render_markdown(body), timezone.now()
    fields = ["body", "body_html", "edited_at"]
    # An edit must not slip past moderation: the new words are checked like a new post.
    held = _hold_reason(space=space, author=by, texts=(body,), editing=True)
    if held and post.status == Status.PUBLISHED:
        post.status, post.held_because = Status.HELD, held
        fields += ["status", "held_because"]
        if _opening_post_id(post.thread) == post.pk:
            Thread.objects.filter(pk=post.thread_id).update(status=Status.HELD)
    post.save(update_fields=fields)
    write_log(
        action=ModerationAction.EDITED,
        by=by,
        network_id=space.network_id,
        space=space,
        thread_id=post.thread_id,
        post_id=post.pk,
        note="held for review" if held else "",
    )
    return post


DECISIONS = {
    "approve": (Status.PUBLISHED, ModerationAction.APPROVED),
    "reject": (Status.REJECTED, ModerationAction.REJECTED),
    "remove": (Status.REMOVED, ModerationAction.REMOVED),
    "restore": (Status.PUBLISHED, ModerationAction.RESTORED),
}


@transaction.atomic
def moderate_post(*, post: Post, by: Person, decision: str, note: str = "") -> Post:
    """Approve or reject a held post; remove a published one; restore a removed one."""
    space = post.thread.space
    if not policy.can_moderate(by, space):
        raise PermissionDenied
    if decision not in DECISIONS:
        raise DiscussionError("Choose approve, reject, remove or restore.")
    allowed_from = {
        "approve": {Status.HELD, Status.REJECTED},
        "reject": {Status.HELD},
        "remove": {Status.PUBLISHED, Status.HELD},
        "restore": {Status.REMOVED},
    }[decision]
    if post.status not in allowed_from:
        raise DiscussionError(f"This post is {post.get_status_display().lower()} already.")
    status, action = DECISIONS[decision]
    post.status = status
    post.held_because = HeldBecause.NOTHING if status == Status.PUBLISHED else post.held_because
    post.save(update_fields=["status", "held_because"])
    thread_fields = {}
    if _opening_post_id(post.thread) == post.pk:
        thread_fields["status"] = status
    if status == Status.PUBLISHED:
        thread_fields["last_activity_at"] = timezone.now()
    if thread_fields:
        Thread.objects.filter(pk=post.thread_id).update(**thread_fields)
        for name, value in thread_fields.items():
            setattr(post.thread, name, value)
    write_log(
        action=action,
        by=by,
        network_id=space.network_id,
        space=space,
        thread_id=post.thread_id,
        post_id=post.pk,
        note=note.strip(),
    )
    if decision == "approve":
        announcements.post_published(post)
    announcements.moderation_decided(post, decision)
    return post


# Subscriptions ------------------------------------------------------------------------------


@transaction.atomic
def subscribe(*, by: Person, space: Space | None = None, thread: Thread | None = None):
    target = space if space is not None else thread
    if target is None or not policy.can_subscribe(by, target):
        raise PermissionDenied
    return announcements.follow(by, space=space, thread=thread)


@transaction.atomic
def unsubscribe(*, by: Person, space: Space | None = None, thread: Thread | None = None) -> None:
    if space is None and thread is None:
        raise DiscussionError("Say what to stop following.")
    Subscription.objects.filter(person=by, space=space, thread=thread).delete()


# Reports ------------------------------------------------------------------------------------


@transaction.atomic
def report(
    *,
    by: Person,
    reason: str,
    details: str = "",
    post: Post | None = None,
    poll: Poll | None = None,
) -> Report:
    """A report reaches the moderators' safeguarding queue at once (it is the queue's row)."""
    target = post if post is not None else poll
    if target is None:
        raise DiscussionError("Say what you are reporting.")
    if not policy.can_report(by, target):
        raise PermissionDenied
    if reason not in ReportReason.values:
        raise DiscussionError("Choose why you are reporting this.")
    space = post.thread.space if post is not None else poll.space
    now = timezone.now()
    made = Report.objects.create(
        space=space,
        post=post,
        poll=poll,
        reporter=by,
        reason=reason,
        details=(details or "").replace("\x00", "").strip()[:2000],
        created_at=now,
        respond_by=(
            now + datetime.timedelta(hours=NZ_RESPONSE_HOURS)
            if space.network.country == Country.NEW_ZEALAND
            else None
        ),
    )
    write_log(
        action=ModerationAction.REPORTED,
        by=by,
        network_id=space.network_id,
        space=space,
        thread_id=post.thread_id if post else None,
        post_id=post.pk if post else None,
        report_id=made.pk,
        note=ReportReason(reason).label,
    )
    announcements.report_made(made)
    return made


@transaction.atomic
def acknowledge_report(*, report: Report, by: Person, note: str = "") -> Report:
    """The first step of a complaint: a moderator has seen it (logged, with the time)."""
    if not policy.can_moderate(by, report.space):
        raise PermissionDenied
    if report.resolved_at is not None:
        raise DiscussionError("This report is resolved already.")
    if report.acknowledged_at is not None:
        raise DiscussionError("This report is acknowledged already.")
    report.acknowledged_at, report.acknowledged_by = timezone.now(), by
    report.save(update_fields=["acknowledged_at", "acknowledged_by"])
    left = report.time_left(report.acknowledged_at)
    timing = ""
    if left is not None:
        hours = abs(left.total_seconds()) / 3600
        timing = (
            f"{hours:.0f} h before the 48-hour step"
            if left.total_seconds() >= 0
            else (f"{hours:.0f} h after the 48-hour step")
        )
    write_log(
        action=ModerationAction.ACKNOWLEDGED,
        by=by,
        network_id=report.space.network_id,
        space=report.space,
        post_id=report.post_id,
        report_id=report.pk,
        note="; ".join(part for part in (timing, (note or "").strip()) if part),
    )
    return report


@transaction.atomic
def resolve_report(*, report: Report, by: Person, resolution: str) -> Report:
    if not policy.can_moderate(by, report.space):
        raise PermissionDenied
    resolution = (resolution or "").replace("\x00", "").strip()
    if not resolution:
        raise DiscussionError("Say what was done about the report.")
    if report.resolved_at is not None:
        raise DiscussionError("This report is resolved already.")
    report.resolved_at, report.resolved_by, report.resolution = timezone.now(), by, resolution
    if report.acknowledged_at is None:
        # Resolving acknowledges too: the log then shows both steps of the complaint.
        report.acknowledged_at, report.acknowledged_by = report.resolved_at, by
    report.save(
        update_fields=[
            "resolved_at",
            "resolved_by",
            "resolution",
            "acknowledged_at",
            "acknowledged_by",
        ]
    )
    write_log(
        action=ModerationAction.RESOLVED,
        by=by,
        network_id=report.space.network_id,
        space=report.space,
        post_id=report.post_id,
        report_id=report.pk,
        note=resolution,
    )
    return report


# Polls --------------------------------------------------------------------------------------


def _year_groups(text: str) -> str:
    parts = [part.strip() for part in (text or "").replace(";", ",").split(",") if part.strip()]
    try:
        numbers = sorted({int(part) for part in parts})
    except ValueError:
        raise DiscussionError("Give year groups as numbers, e.g. 7, 8.") from None
    if any(not 0 <= number <= 13 for number in numbers):
        raise DiscussionError("Year groups run from 0 (Reception) to 13.")
    return ", ".join(str(number) for number in numbers)


@transaction.atomic
def create_poll(
    *,
    space: Space,
    by: Person,
    question: str,
    options: list[str],
    closes_at: datetime.datetime,
    year_groups: str = "",
) -> Poll:
    if not policy.can_create_poll(by, space):
        raise PermissionDenied
    question = (question or "").replace("\x00", "").strip()
    if not question:
        raise DiscussionError("Ask a question.")
    labels = [label.replace("\x00", "").strip() for label in options if label.strip()]
    if len(labels) < 2:
        raise DiscussionError("Give at least two options.")
    if len(set(label.lower() for label in labels)) != len(labels):
        raise DiscussionError("Each option must be different.")
    if closes_at <= timezone.now():
        raise DiscussionError("A poll must close in the future.")
    poll = Poll(
        space=space,
        question=question,
        year_groups=_year_groups(year_groups),
        created_by=by,
        closes_at=closes_at,
    )
    poll.full_clean()
    poll.save()
    for position, label in enumerate(labels[:20]):
        PollOption.objects.create(poll=poll, label=label[:200], position=position)
    return poll


@transaction.atomic
def vote(*, poll: Poll, by: Person, option: PollOption) -> None:
    """Records that `by` voted, and adds one to `option`'s tally.

    Returns nothing: a vote must never be handed back alongside the person who cast it.
    """
    if not policy.can_view_space(by, poll.space):
        raise PermissionDenied
    if poll.is_closed():
        raise PollClosed("This poll has closed.")
    if not policy.can_vote(by, poll):
        raise NotInAudience("This poll is for other year groups.")
    if option.poll_id != poll.pk:
        raise DiscussionError("Choose one of the poll's options.")
    try:
        with transaction.atomic():
            Voter.objects.create(poll=poll, person=by)
    except IntegrityError:
        raise AlreadyVoted("You have voted in this poll already.") from None
    # Every option row is rewritten by the same statement, chosen or not, so the rows' place and
    # transaction stamps (rowid, xmin, ctid) are alike whatever was chosen: only the counts differ.
    # No ballot row exists to sit next to the Voter row and give the choice away.
    PollOption.objects.filter(poll_id=poll.pk).update(
        votes=F("votes") + Case(When(pk=option.pk, then=Value(1)), default=Value(0))
    )


@transaction.atomic
def close_poll(*, poll: Poll, by: Person) -> Poll:
    if not policy.can_close_poll(by, poll):
        raise PermissionDenied
    if poll.closed_at is None:
        poll.closed_at = timezone.now()
        poll.save(update_fields=["closed_at"])
        write_log(
            action=ModerationAction.POLL_CLOSED,
            by=by,
            network_id=poll.space.network_id,
            space=poll.space,
            note=poll.question[:200],
        )
    return poll


# Pupil accounts -----------------------------------------------------------------------------


@transaction.atomic
def import_pupils(*, school: School, by: Person, text: str) -> list[SignInSlip]:
    """Creates pupil accounts (accounts.pupils), all or none, records each pupil's year group and
    class, and returns their sign-in slips.

    The passwords are on the slips only: they are stored hashed and never shown again.
    """
    if not policy.can_manage_pupils(by, school):
        raise PermissionDenied
    try:
        rows = pupils.parse_pupil_file(text)
    except AccountError as error:  # the same list of problems, as this app's error
        raise InvalidPupilFile(*error.args) from None
    slips = pupils.create_pupils(school=school, rows=rows)
    for slip in slips:
        PupilProfile.objects.create(
            person=slip.person,
            school=school,
            year_group=slip.year_group,
            class_name=slip.class_name,
        )
    write_log(
        action=ModerationAction.PUPILS_IMPORTED,
        by=by,
        network_id=None,
        school_id=school.pk,
        note=f"{len(slips)} pupil accounts",
    )
    return slips


@transaction.atomic
def reset_pupil_password(*, pupil: Person, by: Person) -> SignInSlip:
    school = pupil.pupil_school
    if pupil.kind != Kind.PUPIL or school is None or not policy.can_manage_pupils(by, school):
        raise PermissionDenied
    password = pupils.reset_password(pupil=pupil)
    profile = PupilProfile.objects.filter(person=pupil).first()
    write_log(
        action=ModerationAction.PASSWORD_RESET,
        by=by,
        network_id=None,
        school_id=school.pk,
        note=pupil.username,
    )
    return SignInSlip(
        pupil,
        profile.year_group if profile else 0,
        profile.class_name if profile else "",
        password,
    )


@transaction.atomic
def set_pupil_public_name(*, pupil: Person, by: Person, public_name: str) -> PupilProfile:
    """Sets the name that everyone outside the pupil's school sees. Only the school's staff do
    this; the pupil cannot (their name is not theirs to change: accounts.services)."""
    school = pupil.pupil_school
    if pupil.kind != Kind.PUPIL or school is None or not policy.can_manage_pupils(by, school):
        raise PermissionDenied
    if pupil.pk == by.pk:
        raise PermissionDenied
    try:
        cleaned = pupils.clean_public_name(pupil=pupil, public_name=public_name)
    except AccountError as error:
        raise DiscussionError(str(error)) from None
    profile = PupilProfile.objects.select_for_update().filter(person=pupil).first()
    if profile is None:
        raise DiscussionError(
            "This pupil has no pupil profile yet: import them with their year group first."
        )
    profile.public_name = cleaned
    profile.save(update_fields=["public_name"])
    write_log(
        action=ModerationAction.PUPIL_RENAMED,
        by=by,
        network_id=None,
        school_id=school.pk,
        note=pupil.username,
    )
    return profile


# Parents and whānau -------------------------------------------------------------------------


@transaction.atomic
def invite_parent(*, school: School, by: Person, name: str, email: str) -> Person:
    """Creates a parent or whānau account for the school and emails them a link to choose a
    password (after the commit). They see only the school's parent spaces."""
    if not policy.can_invite_parents(by, school):
        raise PermissionDenied
    name = (name or "").replace("\x00", "").strip()
    email = (email or "").replace("\x00", "").strip()
    try:
        person = account_services.invite_person(
            name=name, email=email, kind=Kind.PARENT, invited_by=by
        )
    except AccountError as error:
        raise DiscussionError(str(error)) from None
    ParentProfile.objects.create(person=person, school=school, invited_by=by)
    return person


# Retention ----------------------------------------------------------------------------------


@transaction.atomic
def delete_expired_pupil_discussion(*, now: datetime.datetime | None = None) -> int:
    """Deletes pupil threads and polls older than their network's retention period
    (docs/safety.md#retention-and-erasure: default 365 days). The moderation log, a safeguarding
    record, keeps its rows. Safe to run twice. Returns how many threads and polls went."""
    now = now or timezone.now()
    removed = 0
    network_ids = Space.objects.filter(audience=Audience.PUPILS).values_list(
        "network_id", flat=True
    )
    for network in network_selectors.networks_with_ids(network_ids=network_ids):
        cutoff = now - datetime.timedelta(days=settings_for(network).retention_days)
        threads = Thread.objects.filter(
            space__network=network, space__audience=Audience.PUPILS, last_activity_at__lt=cutoff
        ).select_related("space")
        for thread in threads:
            write_log(
                action=ModerationAction.EXPIRED,
                by=None,
                network_id=network.pk,
                space=thread.space,
                thread_id=thread.pk,
                note="thread deleted after the retention period",
            )
            removed += 1
        threads.delete()
        polls = Poll.objects.filter(
            space__network=network, space__audience=Audience.PUPILS, closes_at__lt=cutoff
        )
        removed += polls.count()
        polls.delete()
    return removed


@transaction.atomic
def archive_idle_pupil_spaces(*, now: datetime.datetime | None = None) -> int:
    """Archives pupil spaces older than their network's retention period with nothing left in
    them (their threads and polls expired). Logged; safe to run twice."""
    now = now or timezone.now()
    archived = 0
    spaces = Space.objects.filter(
        audience=Audience.PUPILS, archived_at__isnull=True
    ).select_related("network")
    for space in spaces:
        cutoff = now - datetime.timedelta(days=settings_for(space.network).retention_days)
        if space.created_at >= cutoff or space.threads.exists() or space.polls.exists():
            continue
        Space.objects.filter(pk=space.pk).update(archived_at=now)
        write_log(
            action=ModerationAction.EXPIRED,
            by=None,
            network_id=space.network_id,
            space=space,
            note="space archived: idle past the retention period",
        )
        archived += 1
    return archived


def apply_retention(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """The retention run (command `discussions_retention`): (deleted, archived)."""
    now = now or timezone.now()
    deleted = delete_expired_pupil_discussion(now=now)
    return deleted, archive_idle_pupil_spaces(now=now)
