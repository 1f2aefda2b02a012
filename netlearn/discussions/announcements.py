"""Who hears about what happens in a space: mentions, replies to followed threads, new threads in
followed spaces, moderators' decisions for authors, and reports for moderators and safeguarding
leads. Services call these after their writes, in the same transaction.

A notification goes only to people who can see what it points at (policy.can_view_post): a
mention of someone outside the space does nothing, and the author learns nothing from it.
"""

from __future__ import annotations

import re

from django.db.models import Q
from django.urls import reverse

from netlearn.accounts import selectors as account_selectors
from netlearn.accounts.models import Person
from netlearn.networks import selectors as network_selectors
from netlearn.networks.models import Role
from netlearn.notifications import services as notifications
from netlearn.notifications.models import NotificationKind

from . import policy
from .models import SCHOOL_AUDIENCES, Audience, Post, ReportReason, Subscription

# @username, as Django usernames are spelled (letters, digits and @.+-_), not inside an email
# address or a word. A trailing full stop ends the sentence, not the name.
MENTION = re.compile(r"(?<![\w@.+-])@([\w.+-]{1,150})")
MAX_MENTIONS = 20


def mentioned_usernames(text: str) -> list[str]:
    names = []
    for match in MENTION.finditer(text or ""):
        name = match.group(1).rstrip(".")
        if name and name not in names:
            names.append(name)
    return names[:MAX_MENTIONS]


def _readers(people, post: Post) -> list[Person]:
    # Fresh objects: each person's reach is loaded for them, never borrowed from the author.
    # Loaded for all of them at once, so a reply costs the same few queries for 5 followers or
    # 500.
    people = [person for person in people if person.is_active]
    policy.load_reaches(people)
    return [person for person in people if policy.can_view_post(person, post)]


def _notify_by_name(*, recipients, author, kind, text, url) -> None:
    """One notification per recipient, naming the author as that recipient may see them: a pupil
    of another school reads the author's public name, never their full name."""
    by_name: dict[str, list] = {}
    for person in recipients:
        name = policy.name_seen_by(person, author) if author is not None else "Someone"
        by_name.setdefault(name, []).append(person)
    for name, people in by_name.items():
        notifications.notify(recipients=people, kind=kind, text=text(name), url=url)


def post_published(post: Post) -> None:
    """A post became visible to readers: created published, or approved by a moderator."""
    thread = post.thread
    author_id = post.author_id
    author = post.author
    url = post.get_absolute_url()
    texts = [post.body] + ([thread.title] if _is_opening(post) else [])
    usernames = {name for text in texts for name in mentioned_usernames(text)}
    mentioned = _readers(
        account_selectors.people_with_usernames(usernames).exclude(pk=author_id), post
    )
    _notify_by_name(
        recipients=mentioned,
        author=author,
        kind=NotificationKind.MENTION,
        text=lambda by: f"{by} mentioned you in “{thread.title}”",
        url=url,
    )
    told = {person.pk for person in mentioned} | {author_id}
    if _is_opening(post):
        followers = (
            account_selectors.people()
            .filter(discussion_subscriptions__space_id=thread.space_id)
            .exclude(pk__in=told)
        )
        _notify_by_name(
            recipients=_readers(followers, post),
            author=author,
            kind=NotificationKind.NEW_THREAD,
            text=lambda by: f"{by} started “{thread.title}” in {thread.space.title}",
            url=url,
        )
    else:
        followers = (
            account_selectors.people()
            .filter(discussion_subscriptions__thread_id=thread.pk)
            .exclude(pk__in=told)
        )
        _notify_by_name(
            recipients=_readers(followers, post),
            author=author,
            kind=NotificationKind.REPLY,
            text=lambda by: f"{by} replied in “{thread.title}”",
            url=url,
        )


def _is_opening(post: Post) -> bool:
    first = post.thread.posts.order_by("created_at", "pk").values_list("pk", flat=True).first()
    return first == post.pk


def moderation_decided(post: Post, decision: str) -> None:
    """Tells the author that their held post was published or not."""
    if post.author is None or decision not in ("approve", "reject"):
        return
    title = post.thread.title
    text = (
        f"A moderator published your post in “{title}”"
        if decision == "approve"
        else f"A moderator did not publish your post in “{title}”"
    )
    notifications.notify(
        recipients=[post.author],
        kind=NotificationKind.MODERATION,
        text=text,
        url=post.get_absolute_url(),
    )


def safeguarding_leads(space) -> list[Person]:
    """The safeguarding leads of a pupil space: of its school, and network-wide ones."""
    if space.audience != Audience.PUPILS:
        return []
    holders = network_selectors.role_holder_ids(
        network_id=space.network_id,
        roles=[Role.SAFEGUARDING_LEAD],
        for_school=True,
        school_id=space.school_id,
    )
    return list(account_selectors.active_people(ids=holders))


def moderators_of(space) -> list[Person]:
    """Everyone who moderates the space: a report reaches them at once.

    docs/safety.md#reporting-and-moderation."""
    found = Q(moderated_spaces=space) | Q(
        pk__in=network_selectors.role_holder_ids(
            network_id=space.network_id, roles=[Role.CO_LEADER]
        )
    )
    if space.audience in SCHOOL_AUDIENCES and space.school_id is not None:
        found |= Q(pk__in=network_selectors.school_lead_ids(school_ids=[space.school_id]))
    candidates = account_selectors.people().filter(found, is_active=True).distinct()
    # An appointment or a leader's post may have ended: only who moderates today is told.
    return [person for person in candidates if policy.can_moderate(person, space)]


def post_held(post: Post) -> None:
    """A post waits for moderation: its space's moderators of today are told, once the hold
    commits. The text names the space, never the author (a pupil's name stays in the queue)."""
    space = post.thread.space
    notifications.notify_on_commit(
        recipients=moderators_of(space),
        kind=NotificationKind.POST_HELD,
        text=f"A post in {space.title} is waiting for moderation",
        url=reverse("discussions:moderation", args=[space.network.slug]),
        exclude=post.author_id,
    )


def report_made(report) -> None:
    space = report.space
    url = reverse("discussions:moderation", args=[space.network.slug])
    text = f"New report in {space.title}: {ReportReason(report.reason).label}"
    leads = [person for person in safeguarding_leads(space) if person.pk != report.reporter_id]
    lead_ids = {person.pk for person in leads}
    # Safeguarding leads are mailed at once whatever their digest choice
    # (docs/safety.md#reporting-and-moderation).
    notifications.notify(
        recipients=leads, kind=NotificationKind.REPORT, text=text, url=url, urgent=True
    )
    others = [
        person
        for person in moderators_of(space)
        if person.pk not in lead_ids and person.pk != report.reporter_id
    ]
    notifications.notify(recipients=others, kind=NotificationKind.REPORT, text=text, url=url)


def follow(person, *, space=None, thread=None) -> Subscription:
    found, _ = Subscription.objects.get_or_create(person=person, space=space, thread=thread)
    return found
