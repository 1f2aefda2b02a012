"""Threads and posts: starting, replying and editing, with their checks (blocked words,
moderation, posting limits, attachments)."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netlearn.accounts.models import Kind, Person
from netlearn.core.intake import (
    FileRefused,
    attachment_max_bytes,
    inspect_upload,
    library_max_bytes,
)
from netlearn.core.rate_limits import Limit
from netlearn.library.cleaning import CleanedUpload
from netlearn.networks.models import Network

from .. import announcements, images, policy
from ..errors import AttachmentRefused, DiscussionError, EmptyPost, PostingTooFast, SpaceClosed
from ..models import (
    Attachment,
    HeldBecause,
    Moderation,
    ModerationAction,
    Post,
    PostRevision,
    Space,
    Status,
    Thread,
)
from ..rendering import render_markdown
from .log import write_log
from .network_settings import settings_for

MAX_BODY = 10000
MAX_TITLE = 200
MAX_ATTACHMENTS = 5


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
        raise EmptyPost(_("Write something before you post."))
    if len(body) > MAX_BODY:
        raise DiscussionError(
            _("A post can be at most %(MAX_BODY)s characters long.") % {"MAX_BODY": MAX_BODY}
        )
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
            _("You have posted a lot in a short time. Wait a few minutes, then post again.")
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
        announcements.post_held(post)
    return post


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def check_attachments(uploads) -> list[CleanedUpload]:
    """Every file is checked before anything is written: one bad file refuses the whole post.

    The content decides the kind (core.intake: never HTML or SVG, whatever the name)."""
    uploads = [upload for upload in (uploads or []) if upload]
    if len(uploads) > MAX_ATTACHMENTS:
        raise AttachmentRefused(
            _("Attach at most %(MAX_ATTACHMENTS)s files to a post.")
            % {"MAX_ATTACHMENTS": MAX_ATTACHMENTS}
        )
    limit = attachment_max_bytes()
    checked = []
    for upload in uploads:
        name = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1][:100]
        if (upload.size or 0) > limit:
            raise AttachmentRefused(
                _(
                    "“%(name)s” is %(megabytes)s; a post takes files up to %(value)s. Nothing was "
                    "posted."
                )
                % {"name": name, "megabytes": _megabytes(upload.size), "value": _megabytes(limit)}
            )
        try:
            # The kinds a post takes are the library's, and so is the wording.
            found = inspect_upload(upload, max_bytes=library_max_bytes(), taken_by="the library")
        except FileRefused as error:
            raise AttachmentRefused(
                _("“%(name)s”: %(error)s Nothing was posted.") % {"name": name, "error": error}
            ) from None
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
        raise SpaceClosed(_("This space is archived: nothing new can be posted."))
    if not policy.can_post(by, space):
        raise PermissionDenied
    title = (title or "").replace("\x00", "").strip()
    if not title:
        raise EmptyPost(_("Give the thread a title."))
    if len(title) > MAX_TITLE:
        raise DiscussionError(
            _("A title can be at most %(MAX_TITLE)s characters long.") % {"MAX_TITLE": MAX_TITLE}
        )
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
        raise SpaceClosed(_("This space is archived: nothing new can be posted."))
    if not policy.can_post(by, space):
        raise PermissionDenied
    if thread.status != Status.PUBLISHED:
        raise DiscussionError(_("Replies open once a moderator has published the thread."))
    if quote_of is not None and (
        quote_of.thread_id != thread.pk or quote_of.status != Status.PUBLISHED
    ):
        raise DiscussionError(_("Quote a published post of this thread."))
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


def opening_post_id(thread: Thread) -> int | None:
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
        if opening_post_id(post.thread) == post.pk:
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
    if "status" in fields:
        announcements.post_held(post)
    return post
