"""Reads, always through the viewer's scope: a space out of reach 404s like a missing one."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Min, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from netlearn.accounts import selectors as account_selectors
from netlearn.accounts.models import Kind, Person
from netlearn.core.home import WAITING, HomeContext, HomeItem
from netlearn.networks import selectors as network_selectors
from netlearn.networks.access import access_for
from netlearn.networks.models import Network, School

from . import policy
from .models import (
    POLL_MIN_BALLOTS,
    Attachment,
    Audience,
    ModerationLogEntry,
    ParentProfile,
    Poll,
    Post,
    PostRevision,
    PupilProfile,
    Report,
    Space,
    Status,
    Subscription,
    Thread,
    Voter,
)


def spaces_for(*, viewer) -> QuerySet[Space]:
    return (
        Space.objects.filter(policy.space_scope(viewer))
        .select_related("network", "school", "group")
        .order_by("network__name", "audience", "title")
    )


def spaces_in_network(*, viewer, network: Network) -> QuerySet[Space]:
    return spaces_for(viewer=viewer).filter(network=network)


def space_for(*, viewer, space_id: int) -> Space:
    return get_object_or_404(spaces_for(viewer=viewer), pk=space_id)


def threads_in_space(*, viewer, space: Space, search: str = "") -> QuerySet[Thread]:
    threads = Thread.objects.filter(space=space)
    if not policy.can_moderate(viewer, space):
        person_id = access_for(viewer).person_id
        threads = threads.filter(Q(status=Status.PUBLISHED) | Q(author_id=person_id))
    search = search.strip()
    if search:
        matching_posts = posts_visible_in(viewer=viewer, space=space).filter(body__icontains=search)
        threads = threads.filter(
            Q(title__icontains=search) | Q(pk__in=matching_posts.values("thread_id"))
        )
    return (
        threads.select_related(*_with_name("author"))
        .annotate(published_posts=Count("posts", filter=Q(posts__status=Status.PUBLISHED)))
        .order_by("-last_activity_at", "-pk")
    )


def _with_name(person: str) -> tuple[str, ...]:
    """A person with what policy.name_seen_by reads, so showing names costs no extra queries."""
    return (person, f"{person}__pupil_profile", f"{person}__pupil_school")


def posts_visible_in(*, viewer, space: Space) -> QuerySet[Post]:
    posts = Post.objects.filter(thread__space=space)
    if policy.can_moderate(viewer, space):
        return posts
    person_id = access_for(viewer).person_id
    return posts.filter(
        Q(status=Status.PUBLISHED, thread__status=Status.PUBLISHED) | Q(author_id=person_id)
    )


def thread_for(*, viewer, thread_id: int) -> Thread:
    # The row by its key, then the yes/no that agrees with thread_scope (the policy agreement
    # test): compiling the scope's Q for one row costs more than the check. Hidden 404s as missing.
    thread = (
        Thread.objects.select_related(
            "space", "space__network", "space__school", *_with_name("author")
        )
        .filter(pk=thread_id)
        .first()
    )
    if thread is None or not policy.can_view_thread(viewer, thread):
        raise Http404(f"No {Thread._meta.object_name} matches the given query.")
    return thread


def posts_of_thread(*, viewer, thread: Thread) -> QuerySet[Post]:
    posts = thread.posts.all()
    if not policy.can_moderate(viewer, thread.space):
        person_id = access_for(viewer).person_id
        posts = posts.filter(Q(status=Status.PUBLISHED) | Q(author_id=person_id))
    return (
        posts.select_related(*_with_name("author"), "quote_of", *_with_name("quote_of__author"))
        .prefetch_related("attachments")
        .annotate(revision_count=Count("revisions"))
        .order_by("created_at", "pk")
    )


def posts_shown_in_thread(*, viewer, thread: Thread) -> QuerySet[Post]:
    """posts_of_thread with only the columns the thread page reads (discussions/_post.html and
    policy.name_seen_by): the joined people, schools and quoted posts are most of the rows."""
    return posts_of_thread(viewer=viewer, thread=thread).only(
        "thread",
        "author",
        "body_html",
        "quote_of",
        "status",
        "held_because",
        "created_at",
        "edited_at",
        *_name_columns("author"),
        "quote_of__status",
        "quote_of__body_html",
        "quote_of__author",
        *_name_columns("quote_of__author"),
    )


def _name_columns(person: str) -> tuple[str, ...]:
    """What policy.name_seen_by reads of a person loaded with _with_name."""
    return (
        f"{person}__name",
        f"{person}__kind",
        f"{person}__pupil_school",
        f"{person}__pupil_school__name",
        f"{person}__pupil_profile__public_name",
    )


def posts_before(posts: QuerySet[Post], *, post_id: int) -> int | None:
    """How many of `posts` (a thread's, in its order) come before the post; None if it is not
    among them. Two queries, whatever the thread's length."""
    found = posts.filter(pk=post_id).values_list("created_at", flat=True).first()
    if found is None:
        return None
    return posts.filter(Q(created_at__lt=found) | Q(created_at=found, pk__lt=post_id)).count()


def post_for(*, viewer, post_id: int) -> Post:
    posts = Post.objects.filter(policy.post_scope(viewer)).select_related(
        "thread", "thread__space", "thread__space__network", *_with_name("author")
    )
    return get_object_or_404(posts, pk=post_id)


def attachments_of(*, viewer, post: Post) -> QuerySet[Attachment]:
    """The caller reached `post` through post_for (the viewer may read it)."""
    return post.attachments.order_by("pk")


def attachment_for(*, viewer, attachment_id: int) -> Attachment:
    attachments = Attachment.objects.filter(policy.post_scope(viewer, prefix="post__"))
    return get_object_or_404(attachments, pk=attachment_id)


def follows(*, viewer, space: Space | None = None, thread: Thread | None = None) -> bool:
    person_id = access_for(viewer).person_id
    if person_id is None:
        return False
    return Subscription.objects.filter(person_id=person_id, space=space, thread=thread).exists()


def subscriptions_for(*, viewer) -> QuerySet[Subscription]:
    """The viewer's follows, limited to what they can still see."""
    person_id = access_for(viewer).person_id
    visible = Q(space__isnull=False) & policy.space_scope(viewer, prefix="space__")
    visible |= Q(thread__isnull=False) & policy.thread_scope(viewer, prefix="thread__")
    return (
        Subscription.objects.filter(visible, person_id=person_id)
        .select_related("space", "thread")
        .order_by("-created_at", "-pk")
    )


def revisions_of(*, post: Post) -> QuerySet[PostRevision]:
    return post.revisions.select_related(*_with_name("edited_by"))


# Moderation ---------------------------------------------------------------------------------


def held_posts(*, viewer, network: Network) -> QuerySet[Post]:
    return (
        Post.objects.filter(
            policy.moderation_scope(viewer, prefix="thread__space__"),
            thread__space__network=network,
            status=Status.HELD,
        )
        .select_related("thread", "thread__space", *_with_name("author"))
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )


def open_reports(*, viewer, network: Network) -> QuerySet[Report]:
    return (
        Report.objects.filter(
            policy.moderation_scope(viewer, prefix="space__"),
            space__network=network,
            resolved_at__isnull=True,
        )
        .select_related(
            "space",
            "post",
            "post__thread",
            *_with_name("post__author"),
            "poll",
            *_with_name("reporter"),
            "acknowledged_by",
        )
        .order_by("created_at", "pk")
    )


def report_for(*, viewer, report_id: int) -> Report:
    reports = Report.objects.filter(policy.moderation_scope(viewer, prefix="space__"))
    return get_object_or_404(reports.select_related("space", "space__network"), pk=report_id)


def moderation_log(*, viewer, network: Network) -> QuerySet[ModerationLogEntry]:
    moderated = Space.objects.filter(policy.moderation_scope(viewer), network=network)
    visible = Q(space_id__in=moderated.values("pk"))
    if policy.can_change_network_settings(viewer, network):
        visible |= Q(space_id__isnull=True)
    return ModerationLogEntry.objects.filter(visible, network_id=network.pk)


def space_titles(*, ids) -> dict[int, str]:
    return dict(Space.objects.filter(pk__in=set(ids)).values_list("pk", "title"))


# Polls --------------------------------------------------------------------------------------


def polls_in_space(*, viewer, space: Space) -> QuerySet[Poll]:
    return space.polls.prefetch_related("options")


def poll_for(*, viewer, poll_id: int) -> Poll:
    polls = Poll.objects.filter(policy.space_scope(viewer, prefix="space__")).select_related(
        "space", "space__network", "space__school"
    )
    return get_object_or_404(polls.prefetch_related("options"), pk=poll_id)


def has_voted(*, viewer, poll: Poll) -> bool:
    person_id = access_for(viewer).person_id
    return person_id is not None and Voter.objects.filter(poll=poll, person_id=person_id).exists()


@dataclass(frozen=True)
class OptionResult:
    label: str
    count: int | None  # None: suppressed ("c")


@dataclass(frozen=True)
class PollResults:
    shown: bool
    reason: str
    total: int | None
    options: list[OptionResult]


def suppress(counts: list[int], threshold: int = POLL_MIN_BALLOTS) -> list[int | None]:
    """England's rule: a count of 1 to threshold-1 is hidden ("c"). A lone hidden count is
    protected by hiding the next smallest non-zero one too, so the total cannot recover it."""
    shown: list[int | None] = [None if 0 < count < threshold else count for count in counts]
    hidden = [index for index, value in enumerate(shown) if value is None]
    if len(hidden) == 1:
        others = [(count, index) for index, count in enumerate(counts) if shown[index]]
        if others:
            shown[min(others)[1]] = None
    return shown


def poll_results(*, poll: Poll, now=None) -> PollResults:
    """Counts appear only once the poll has closed and only from POLL_MIN_BALLOTS ballots."""
    if not poll.is_closed(now or timezone.now()):
        return PollResults(False, "Results appear when the poll closes.", None, [])
    options = list(poll.options.all())
    total = sum(option.votes for option in options)
    if total < POLL_MIN_BALLOTS:
        return PollResults(
            False,
            f"Fewer than {POLL_MIN_BALLOTS} people voted, so the results stay hidden to keep "
            "every vote anonymous.",
            None,
            [],
        )
    shown = suppress([option.votes for option in options])
    return PollResults(
        True,
        "",
        total,
        [OptionResult(option.label, value) for option, value in zip(options, shown, strict=True)],
    )


# Pupil accounts -----------------------------------------------------------------------------


def school_for_pupils(*, viewer, school_id: int) -> School:
    """A school whose pupil accounts the viewer manages; any other answers 404."""
    school = get_object_or_404(network_selectors.schools_with_ids(school_ids=[school_id]))
    if not policy.can_manage_pupils(viewer, school):
        raise Http404
    return school


def pupils_of_school(*, school: School) -> QuerySet[Person]:
    return (
        account_selectors.pupils_of_school(school=school)
        .select_related("pupil_profile")
        .order_by("pupil_profile__year_group", "pupil_profile__class_name", "name", "pk")
    )


def pupil_for(*, school: School, pupil_id: int) -> Person:
    return get_object_or_404(pupils_of_school(school=school), pk=pupil_id)


def schools_for_pupil_accounts(*, viewer) -> QuerySet[School]:
    access = access_for(viewer)
    school_ids = () if access.is_site_admin else access.school_ids
    return network_selectors.schools_with_ids(school_ids=school_ids).order_by("name")


def profile_year_groups(*, school: School) -> list[int]:
    return list(
        PupilProfile.objects.filter(school=school)
        .values_list("year_group", flat=True)
        .distinct()
        .order_by("year_group")
    )


def pupil_space_audience_label(space: Space) -> str:
    if space.audience == Audience.PARENTS:
        where = space.school.name if space.school else "the network's schools"
        return f"Parents and whānau of {where}"
    if space.audience != Audience.PUPILS:
        return "Staff of the network"
    return f"Pupils of {space.school.name}" if space.school else "Pupils of the network's schools"


def parent_school_ids(*, person_ids) -> dict[int, int]:
    """Each parent or whānau account's school, as recorded when they were invited."""
    return dict(
        ParentProfile.objects.filter(person_id__in=list(person_ids)).values_list(
            "person_id", "school_id"
        )
    )


def parents_of_school(*, school: School) -> QuerySet[Person]:
    return (
        account_selectors.people()
        .filter(kind=Kind.PARENT, parent_profile__school=school)
        .select_related("parent_profile")
        .order_by("name", "pk")
    )


def current_moderators(*, space: Space) -> list[Person]:
    """The space's appointed moderators whose appointment still holds today (see policy).

    The caller has checked that the viewer manages the space.
    """
    return [
        person
        for person in space.moderators.filter(is_active=True).order_by("name")
        if policy.moderator_appointment_holds(person, space)
    ]


# The home ("what needs me") ---------------------------------------------------------------------


def home_items(context: HomeContext) -> list[HomeItem]:
    """Posts held for the person's moderation, one item per space (how many wait there). One
    query, grouped in the database."""
    access = access_for(context.person)
    if context.network is not None or access.person_id is None or access.is_pupil:
        return []
    held = (
        Post.objects.filter(
            policy.moderation_scope(context.person, prefix="thread__space__"),
            thread__space__network_id__in=list(access.network_ids),
            status=Status.HELD,
        )
        .values(
            "thread__space_id",
            "thread__space__title",
            "thread__space__network__slug",
            "thread__space__network__name",
        )
        .annotate(count=Count("pk"), oldest=Min("created_at"))
        .order_by("oldest")[: context.limit]
    )
    return [
        HomeItem(
            section=WAITING,
            kind="Moderation",
            title=(
                f"{row['count']} post{'s' if row['count'] != 1 else ''} held for moderation in "
                f"{row['thread__space__title']}"
            ),
            url=reverse("discussions:moderation", args=[row["thread__space__network__slug"]]),
            when=row["oldest"],
            network=row["thread__space__network__name"],
        )
        for row in held
    ]


def pupil_records_of(*, school: School, person_ids: list[int]) -> dict[int, PupilProfile]:
    """The school records of these pupils of `school`, by person id (for a roster import, which
    has checked the caller's right)."""
    records: dict[int, PupilProfile] = {}
    for start in range(0, len(person_ids), 900):
        for profile in PupilProfile.objects.filter(
            school=school, person_id__in=person_ids[start : start + 900]
        ):
            records[profile.person_id] = profile
    return records


def reply_pairs_of(*, network: Network, since=None, until=None) -> list[tuple[int, int]]:
    """(who replied, whose thread) for each published reply by one person to another's thread in
    the network's staff spaces, written between `since` and `until` when given: who talks with
    whom, for the network's collaboration map. Pupils' and parents' spaces are left out. One
    query; ids only."""
    replies = Post.objects.filter(
        thread__space__network=network,
        thread__space__audience=Audience.STAFF,
        status=Status.PUBLISHED,
        author__isnull=False,
        thread__author__isnull=False,
    ).exclude(author_id=F("thread__author_id"))
    if since is not None:
        replies = replies.filter(created_at__gte=since)
    if until is not None:
        replies = replies.filter(created_at__lt=until)
    return list(replies.order_by("pk").values_list("author_id", "thread__author_id"))
