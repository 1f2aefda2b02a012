"""The retention command, and the export and erasure contract of personal_data."""

import datetime
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from netlearn.discussions import personal_data, services
from netlearn.discussions.models import (
    Attachment,
    Moderation,
    ModerationAction,
    ModerationLogEntry,
    Post,
    PupilProfile,
    Space,
    Subscription,
    Thread,
    Voter,
)

from .factories import in_days, make_pupil, pupil_space, staff_space


def _age(thread, days):
    then = timezone.now() - datetime.timedelta(days=days)
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=then, created_at=then)


def test_the_retention_command_deletes_old_pupil_threads_and_archives_idle_spaces(world, capsys):
    space = pupil_space(world, moderation=Moderation.NONE)
    old = services.start_thread(space=space, by=world.pupil, title="Old", body="b")
    recent = pupil_space(world, moderation=Moderation.NONE, title="Recent")
    services.start_thread(space=recent, by=world.pupil, title="New", body="b")
    staff = staff_space(world)
    staff_thread = services.start_thread(space=staff, by=world.teacher, title="Staff", body="b")
    _age(old, 400)
    _age(staff_thread, 400)
    Space.objects.filter(pk=space.pk).update(created_at=timezone.now() - datetime.timedelta(400))
    call_command("discussions_retention")
    assert "Deleted 1 pupil threads and polls; archived 1 pupil spaces." in capsys.readouterr().out
    assert not Thread.objects.filter(pk=old.pk).exists()
    assert Thread.objects.filter(pk=staff_thread.pk).exists()  # staff discussion is kept
    space.refresh_from_db()
    recent.refresh_from_db()
    assert space.is_archived and not recent.is_archived
    assert ModerationLogEntry.objects.filter(action=ModerationAction.EXPIRED).count() == 2
    call_command("discussions_retention")  # idempotent
    assert "Deleted 0 pupil threads and polls; archived 0 pupil spaces." in capsys.readouterr().out


def test_a_networks_retention_period_is_its_own(world):
    services.set_network_settings(
        network=world.network, by=world.co_leader, blocked_words="", retention_days=60
    )
    space = pupil_space(world, moderation=Moderation.NONE)
    thread = services.start_thread(space=space, by=world.pupil, title="Old", body="b")
    _age(thread, 61)
    assert services.apply_retention() == (1, 0)


def _busy_pupil(world):
    space = pupil_space(world, moderation=Moderation.NONE)
    pupil = make_pupil(world.school_a, username="erin", name="Erin")
    own = services.start_thread(
        space=space, by=pupil, title="Mine alone", body="my words",
        attachments=[SimpleUploadedFile("a.txt", b"my file")],
    )  # fmt: skip
    shared = services.start_thread(space=space, by=pupil, title="Shared", body="my opener")
    services.reply(thread=shared, by=world.co_leader, body="teacher's words")
    other = services.start_thread(space=space, by=world.co_leader, title="Teacher's", body="t")
    services.reply(thread=other, by=pupil, body="my reply")
    services.edit_post(post=other.posts.last(), by=pupil, body="my reply, edited")
    services.report(by=pupil, post=other.posts.first(), reason="other", details="my worry")
    poll = services.create_poll(
        space=space, by=world.co_leader, question="Which?", options=["A", "B"],
        closes_at=in_days(3),
    )  # fmt: skip
    services.vote(poll=poll, by=pupil, option=poll.options.first())
    return pupil, space, own, shared, other, poll


def test_the_export_holds_a_pupils_words_and_never_a_ballot(world):
    pupil, *_ = _busy_pupil(world)
    exported = personal_data.export(pupil)
    json.dumps(exported)  # JSON-ready
    assert {row["title"] for row in exported["discussions.thread"]} == {"Mine alone", "Shared"}
    bodies = {row["body"] for row in exported["discussions.post"]}
    assert {"my words", "my opener", "my reply, edited"} <= bodies
    assert {row["author"] for row in exported["discussions.post"]} == {"you"}
    assert exported["discussions.postrevision"][0]["body"] == "my reply"
    assert exported["discussions.report"][0]["details"] == "my worry"
    (voter,) = exported["discussions.voter"]
    assert voter["poll"] == Voter.objects.get().poll_id and voter["person"] == "you"
    assert exported["discussions.pupilprofile"][0]["year_group"] == 7
    assert exported["discussions.attachment"][0]["original_name"] == "a.txt"
    assert len(exported["discussions.subscription"]) == 3
    assert "teacher's words" not in json.dumps(exported)
    # No key, row or value of the export can name a choice: ballots are not linked to people.
    assert "discussions.ballot" not in exported
    assert "option" not in json.dumps(exported)
    assert set(exported) >= {f"discussions.{m._meta.model_name}" for m in personal_data.MODELS}


def test_erasure_removes_the_pupils_words_and_keeps_everyone_elses(
    world, django_capture_on_commit_callbacks
):
    pupil, space, own, shared, other, poll = _busy_pupil(world)
    stored = Attachment.objects.get()
    storage, name = stored.file.storage, stored.file.name
    with django_capture_on_commit_callbacks(execute=True):
        personal_data.erase(pupil)
    assert not Thread.objects.filter(pk=own.pk).exists()  # nobody else wrote in it
    assert not storage.exists(name)
    shared.refresh_from_db()
    assert shared.author is None and "asked for it to be removed" in shared.title
    assert shared.posts.filter(body="teacher's words").exists()
    assert not Post.objects.filter(author=pupil).exists()
    assert not Post.objects.filter(body__startswith="my").exists()
    assert other.posts.get(pk=other.posts.first().pk).body == "t"
    assert not Voter.objects.exists()
    assert sum(poll.options.values_list("votes", flat=True)) == 1  # the vote still counts
    assert not PupilProfile.objects.filter(person=pupil).exists()
    assert not Subscription.objects.filter(person=pupil).exists()
    report = space.reports.get()
    assert report.reporter is None and report.details == ""
    leftover = personal_data.export(pupil)
    assert all(
        not rows for key, rows in leftover.items() if key != "discussions.moderationlogentry"
    )


def test_erasure_keeps_the_moderation_log_and_clears_the_name_in_it(world):
    space = pupil_space(world)
    thread = services.start_thread(space=space, by=world.pupil, title="Hi", body="b")
    services.moderate_post(post=thread.posts.get(), by=world.co_leader, decision="approve")
    services.add_moderator(space=space, person=world.safeguarding_lead, by=world.co_leader)
    before = ModerationLogEntry.objects.count()
    personal_data.erase(world.co_leader)
    assert ModerationLogEntry.objects.count() == before
    approved = ModerationLogEntry.objects.get(action=ModerationAction.APPROVED)
    assert approved.actor_name == "Former member" and approved.post_id == thread.posts.get().pk
    personal_data.erase(world.safeguarding_lead)
    added = ModerationLogEntry.objects.get(action=ModerationAction.MODERATOR_ADDED)
    assert added.note == "Former member"
