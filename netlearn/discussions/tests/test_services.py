import datetime

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django.test import override_settings
from django.utils import timezone

from netlearn.accounts.models import Person
from netlearn.discussions import selectors, services
from netlearn.discussions.errors import (
    AlreadyVoted,
    AppendOnly,
    EmptyPost,
    InvalidPupilFile,
    NotInAudience,
    PollClosed,
    PostingTooFast,
)
from netlearn.discussions.models import (
    Moderation,
    ModerationAction,
    ModerationLogEntry,
    Poll,
    PollOption,
    Post,
    PupilProfile,
    Status,
    Thread,
    Voter,
)
from netlearn.discussions.rendering import render_markdown

from .factories import in_days, make_pupil, pupil_space, staff_space

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<svg onload="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '"><script>alert(document.cookie)</script>',
    "<body onload=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<a href='&#106;avascript:alert(1)'>x</a>",
    '<form action="javascript:alert(1)"><button>x</button></form>',
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markdown_never_renders_active_content(payload):
    html = render_markdown(payload).lower()
    for bad in ("<script", "onerror", "onload", "javascript:", "<iframe", "style=", "<svg",
                "<form", "<img"):  # fmt: skip
        assert bad not in html, (payload, html)


def test_markdown_keeps_simple_formatting():
    html = render_markdown("**bold** and [a link](https://example.org)\n\n- one\n- two")
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html and 'rel="nofollow noopener noreferrer ugc"' in html
    assert "<li>one</li>" in html


def test_a_pupils_post_in_a_pre_moderated_space_waits_for_a_moderator(world):
    space = pupil_space(world)
    other = make_pupil(world.school_a, username="ola")
    thread = services.start_thread(space=space, by=world.pupil, title="Ideas", body="Hello")
    assert thread.status == Status.HELD
    assert not selectors.threads_in_space(viewer=other, space=space).exists()
    assert selectors.threads_in_space(viewer=world.pupil, space=space).count() == 1
    post = thread.posts.get()
    services.moderate_post(post=post, by=world.co_leader, decision="approve")
    thread.refresh_from_db()
    assert thread.status == Status.PUBLISHED
    assert selectors.threads_in_space(viewer=other, space=space).count() == 1
    actions = list(ModerationLogEntry.objects.values_list("action", flat=True))
    assert actions == [ModerationAction.APPROVED, ModerationAction.HELD]


def test_only_a_moderator_approves(world):
    space = pupil_space(world)
    thread = services.start_thread(space=space, by=world.pupil, title="Ideas", body="Hello")
    with pytest.raises(PermissionDenied):
        services.moderate_post(post=thread.posts.get(), by=world.teacher, decision="approve")


def test_a_blocked_word_holds_a_post_even_without_pre_moderation(world):
    space = pupil_space(world, moderation=Moderation.NONE)
    services.set_network_settings(
        network=world.network,
        by=world.co_leader,
        blocked_words="stupid\nshut up",
        retention_days=365,
    )
    fine = services.start_thread(space=space, by=world.pupil, title="Clubs", body="More clubs")
    assert fine.status == Status.PUBLISHED
    post = services.reply(thread=fine, by=world.pupil, body="Shut up, that is STUPID")
    assert post.status == Status.HELD and post.held_because == "blocked_word"
    assert services.reply(thread=fine, by=world.pupil, body="stupidly good").status == "published"


def test_first_posts_mode_holds_only_the_first(world):
    space = pupil_space(world, moderation=Moderation.FIRST_POSTS)
    thread = services.start_thread(space=space, by=world.pupil, title="Hi", body="first")
    assert thread.status == Status.HELD
    services.moderate_post(post=thread.posts.get(), by=world.co_leader, decision="approve")
    assert services.reply(thread=thread, by=world.pupil, body="second").status == "published"


def test_an_edit_keeps_the_history_and_goes_back_to_the_moderator(world):
    space = pupil_space(world)
    thread = services.start_thread(space=space, by=world.pupil, title="Hi", body="kind words")
    post = thread.posts.get()
    services.moderate_post(post=post, by=world.co_leader, decision="approve")
    services.edit_post(post=post, by=world.pupil, body="unkind words")
    post.refresh_from_db()
    assert post.status == Status.HELD
    assert [revision.body for revision in selectors.revisions_of(post=post)] == ["kind words"]


@pytest.mark.parametrize("body", ["", "   ", "\x00"])
def test_an_empty_post_is_refused_and_changes_nothing(world, body):
    space = staff_space(world)
    with pytest.raises(EmptyPost, match="Write something"):
        services.start_thread(space=space, by=world.teacher, title="Hi", body=body)
    assert not Thread.objects.exists() and not Post.objects.exists()


def test_reports_reach_the_queue_at_once(world):
    space = pupil_space(world, moderation=Moderation.NONE)
    thread = services.start_thread(space=space, by=world.pupil, title="Hi", body="mean words")
    other = make_pupil(world.school_a, username="ola")
    services.report(by=other, post=thread.posts.get(), reason="unkind", details="it hurt")
    queue = list(selectors.open_reports(viewer=world.co_leader, network=world.network))
    assert [report.reason for report in queue] == ["unkind"]
    assert not selectors.open_reports(viewer=world.teacher, network=world.network).exists()
    services.resolve_report(report=queue[0], by=world.co_leader, resolution="Talked to them")
    assert not selectors.open_reports(viewer=world.co_leader, network=world.network).exists()


def test_the_moderation_log_is_append_only(world):
    space = pupil_space(world)
    services.start_thread(space=space, by=world.pupil, title="Hi", body="there")
    entry = ModerationLogEntry.objects.get()
    entry.note = "rewritten"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        ModerationLogEntry.objects.update(note="rewritten")
    with pytest.raises(AppendOnly):
        ModerationLogEntry.objects.all().delete()
    assert ModerationLogEntry.objects.get().note != "rewritten"


def test_deleting_a_thread_keeps_its_log(world):
    space = pupil_space(world)
    thread = services.start_thread(space=space, by=world.pupil, title="Hi", body="there")
    thread.delete()
    assert ModerationLogEntry.objects.count() == 1


@override_settings(DISCUSSION_PUPIL_POST_LIMIT=3)
def test_posting_too_fast_is_refused_with_a_clear_message(world):
    space = pupil_space(world, moderation=Moderation.NONE)
    thread = services.start_thread(space=space, by=world.pupil, title="Hi", body="1")
    services.reply(thread=thread, by=world.pupil, body="2")
    services.reply(thread=thread, by=world.pupil, body="3")
    with pytest.raises(PostingTooFast, match="Wait a few minutes"):
        services.reply(thread=thread, by=world.pupil, body="4")
    assert Post.objects.count() == 3


@override_settings(DISCUSSION_PUPIL_POST_LIMIT=3)
def test_the_posting_limit_is_counted_where_every_web_process_sees_it(world):
    """Not in one process's memory: the shared limiter's count (the database by default)."""
    from netlearn.core.models import LimitCount
    from netlearn.discussions.services import PUPIL_POSTS

    space = pupil_space(world, moderation=Moderation.NONE)
    services.start_thread(space=space, by=world.pupil, title="Hi", body="1")
    assert PUPIL_POSTS.count_of(f"person:{world.pupil.pk}") == 1
    assert LimitCount.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_posts_sent_at_once_on_postgresql_pass_exactly_the_limit(world, settings):
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    settings.DISCUSSION_PUPIL_POST_LIMIT = 3
    space = pupil_space(world, moderation=Moderation.NONE)
    start = threading.Barrier(8)
    results = []

    def post(n):
        try:
            start.wait()
            try:
                services.start_thread(space=space, by=world.pupil, title=f"T{n}", body="b")
                results.append(True)
            except PostingTooFast:
                results.append(False)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(8)]
    for each in threads:
        each.start()
    for each in threads:
        each.join()
    assert sorted(results) == [False] * 5 + [True] * 3


def test_pupils_cannot_post_in_a_staff_space(world):
    with pytest.raises(PermissionDenied):
        services.start_thread(space=staff_space(world), by=world.pupil, title="x", body="y")


def test_a_teacher_cannot_open_a_pupil_space_and_a_lead_only_for_their_school(world):
    with pytest.raises(PermissionDenied):
        pupil_space(world, by=world.teacher)
    with pytest.raises(PermissionDenied):
        pupil_space(world, by=world.school_lead, school=world.school_a)
    space = pupil_space(world, by=world.school_lead, school=world.school_b)
    assert space.moderation == Moderation.ALL_POSTS


# Polls -----------------------------------------------------------------------------------------


def _poll(world, space, **extra):
    values = {"question": "Which club?", "options": ["Chess", "Coding", "Choir"]}
    values.update(extra)
    return services.create_poll(space=space, by=world.co_leader, closes_at=in_days(3), **values)


def test_no_row_holds_one_persons_choice():
    """docs/safety.md#ballots: anonymous by construction, proved from the schema itself. A choice
    lives only in an option's tally; no model points at an option, so no row per ballot can
    exist."""
    pointing_at_options = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is PollOption
    ]
    assert pointing_at_options == []
    names = {field.name for field in PollOption._meta.concrete_fields}
    assert names == {"id", "poll", "label", "position", "votes"}
    assert not any(isinstance(field, models.DateTimeField | models.DateField)
                   for field in PollOption._meta.concrete_fields)  # fmt: skip
    voter_fields = {field.name for field in Voter._meta.concrete_fields}
    assert voter_fields == {"id", "poll", "person"}  # who voted, without the choice or a time
    assert isinstance(Voter._meta.pk, models.UUIDField)


def test_each_vote_adds_one_to_its_option_only(world):
    space = pupil_space(world)
    poll = _poll(world, space)
    chess, coding, choir = poll.options.all()
    for n, option in enumerate([chess, choir, choir]):
        services.vote(poll=poll, by=make_pupil(world.school_a, username=f"p{n}"), option=option)
    assert list(poll.options.values_list("label", "votes")) == [
        ("Chess", 1),
        ("Coding", 0),
        ("Choir", 2),
    ]


def test_the_vote_service_hands_back_nothing_to_link_a_vote(world):
    space = pupil_space(world)
    poll = _poll(world, space)
    assert services.vote(poll=poll, by=world.pupil, option=poll.options.first()) is None


def test_nobody_votes_twice(world):
    space = pupil_space(world)
    poll = _poll(world, space)
    services.vote(poll=poll, by=world.pupil, option=poll.options.first())
    with pytest.raises(AlreadyVoted):
        services.vote(poll=poll, by=world.pupil, option=poll.options.last())
    assert sum(poll.options.values_list("votes", flat=True)) == 1 and Voter.objects.count() == 1


def test_only_the_polls_year_groups_vote(world):
    space = pupil_space(world)
    poll = _poll(world, space, year_groups="8, 9")
    year7 = make_pupil(world.school_a, username="y7", year_group=7)
    with pytest.raises(NotInAudience):
        services.vote(poll=poll, by=year7, option=poll.options.first())
    year8 = make_pupil(world.school_a, username="y8", year_group=8)
    services.vote(poll=poll, by=year8, option=poll.options.first())


def test_results_stay_hidden_until_the_poll_closes_and_six_have_voted(world):
    space = pupil_space(world)
    poll = _poll(world, space)
    chess, coding, _choir = poll.options.all()
    pupils = [make_pupil(world.school_a, username=f"v{n}") for n in range(6)]
    for pupil in pupils[:5]:
        services.vote(poll=poll, by=pupil, option=chess)
    assert not selectors.poll_results(poll=poll).shown
    services.close_poll(poll=poll, by=world.co_leader)
    results = selectors.poll_results(poll=poll)
    assert not results.shown and "Fewer than 6" in results.reason
    with pytest.raises(PollClosed):
        services.vote(poll=poll, by=pupils[5], option=coding)
    Poll.objects.filter(pk=poll.pk).update(closed_at=None)
    poll.refresh_from_db()
    services.vote(poll=poll, by=pupils[5], option=chess)
    assert not selectors.poll_results(poll=poll).shown  # still open
    later = timezone.now() + datetime.timedelta(days=4)
    results = selectors.poll_results(poll=poll, now=later)
    assert results.shown and results.total == 6
    assert [(option.label, option.count) for option in results.options] == [
        ("Chess", 6), ("Coding", 0), ("Choir", 0)
    ]  # fmt: skip


@pytest.mark.parametrize(
    "counts, shown",
    [
        ([6, 0, 0], [6, 0, 0]),
        ([7, 3, 0], [None, None, 0]),  # a lone hidden 3 takes the next smallest with it
        ([4, 2], [None, None]),
        ([10, 8, 2, 1], [10, 8, None, None]),
        ([9, 8, 7], [9, 8, 7]),
    ],
)
def test_small_counts_are_suppressed_so_no_vote_can_be_worked_out(counts, shown):
    assert selectors.suppress(counts) == shown


# Pupil accounts -------------------------------------------------------------------------------


def test_pupils_are_imported_from_csv_with_sign_in_slips(world):
    text = "First name,Year group,Class\nAmara,7,7B\nBen,8,\n"
    slips = services.import_pupils(school=world.school_a, by=world.co_leader, text=text)
    assert [(slip.person.name, slip.year_group, slip.class_name) for slip in slips] == [
        ("Amara", 7, "7B"), ("Ben", 8, "")
    ]  # fmt: skip
    amara = slips[0].person
    assert amara.kind == "pupil" and amara.email == "" and amara.pupil_school == world.school_a
    assert amara.check_password(slips[0].password)
    assert amara.username.startswith("amara")


def test_a_missing_year_group_names_row_and_column_and_imports_nobody(world):
    before = Person.objects.count()
    text = "first name,year group,class\nAmara,7,7B\nBen,,8C\nCara,14,\n"
    with pytest.raises(InvalidPupilFile) as caught:
        services.import_pupils(school=world.school_a, by=world.co_leader, text=text)
    errors = caught.value.args[0]
    assert "Row 3, column “year group”: the year group is missing." in errors
    assert any(error.startswith("Row 4, column “year group”") for error in errors)
    assert Person.objects.count() == before and not PupilProfile.objects.exists()


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty"),
        ("first name,class\nAmara,7B\n", "no column “year group”"),
        ("first name,year group,class\n", "no pupils"),
        ("first name,year group,class\n,7,7B\n", "first name"),
        ("first name,year group,class\nA\x00,7,7B\n", "not a CSV"),
    ],
)
def test_bad_pupil_files_change_nothing(world, text, message):
    before = Person.objects.count()
    with pytest.raises(InvalidPupilFile) as caught:
        services.import_pupils(school=world.school_a, by=world.co_leader, text=text)
    assert any(message in error for error in caught.value.args[0])
    assert Person.objects.count() == before


def test_only_the_schools_staff_import_and_reset(world):
    with pytest.raises(PermissionDenied):
        services.import_pupils(school=world.school_a, by=world.school_lead, text="x")
    with pytest.raises(PermissionDenied):
        services.reset_pupil_password(pupil=world.pupil, by=world.teacher)  # Cedar, not Alder
    slip = services.reset_pupil_password(pupil=world.pupil, by=world.co_leader)  # post at Alder
    world.pupil.refresh_from_db()
    assert world.pupil.check_password(slip.password)
    assert ModerationLogEntry.objects.filter(action=ModerationAction.PASSWORD_RESET).exists()


# Retention ------------------------------------------------------------------------------------


def test_pupil_discussion_goes_after_the_retention_period(world):
    space = pupil_space(world, moderation=Moderation.NONE)
    old = services.start_thread(space=space, by=world.pupil, title="Old", body="old")
    services.start_thread(space=space, by=world.pupil, title="New", body="new")
    Thread.objects.filter(pk=old.pk).update(
        last_activity_at=timezone.now() - datetime.timedelta(days=400)
    )
    staff = services.start_thread(space=staff_space(world), by=world.teacher, title="S", body="s")
    Thread.objects.filter(pk=staff.pk).update(
        last_activity_at=timezone.now() - datetime.timedelta(days=400)
    )
    assert services.delete_expired_pupil_discussion() == 1
    assert set(Thread.objects.values_list("title", flat=True)) == {"New", "S"}
    assert services.delete_expired_pupil_discussion() == 0
    assert ModerationLogEntry.objects.filter(action=ModerationAction.EXPIRED).count() == 1
