"""Attachments: checked by content through library.uploads, stored under generated names,
downloaded as sandboxed attachments, photos without their location, a bad file posts nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.html import escape
from PIL import Image

from netlearn.discussions import services
from netlearn.discussions.errors import AttachmentRefused
from netlearn.discussions.models import Attachment, Moderation, ModerationLogEntry, Post, Thread
from netlearn.library.tests import media_files
from netlearn.library.tests.test_cleaning import assert_image_clean

from .factories import make_pupil, pupil_space, staff_space
from .test_services import XSS_PAYLOADS

GPS_TAG = 0x8825  # EXIF GPSInfo


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def _text(name="notes.txt", content=b"Plain notes for the meeting."):
    return SimpleUploadedFile(name, content)


def _photo_with_location(fmt="JPEG") -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[GPS_TAG] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif.tobytes())
    return out.getvalue()


def test_an_attachment_is_stored_under_a_generated_name_and_downloads_sandboxed(world):
    space = staff_space(world)
    thread = services.start_thread(
        space=space, by=world.teacher, title="Rubric", body="See file",
        attachments=[_text("../../etc/passwd.txt")],
    )  # fmt: skip
    attachment = Attachment.objects.get()
    assert attachment.post == thread.posts.get()
    assert attachment.original_name == "passwd.txt"
    assert "passwd" not in attachment.file.name and attachment.file.name.endswith(".txt")
    response = client_for(world.co_leader).get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response.content == b"Plain notes for the meeting."
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Content-Type"] == "text/plain; charset=utf-8"


@pytest.mark.parametrize(
    "name, content",
    [
        ("page.txt", b"<html><script>alert(1)</script></html>"),
        ("drawing.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("report.pdf.html", b"<!doctype html><p>hi</p>"),
        ("eicar.txt", b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"),
    ],
)
def test_active_content_is_refused_whatever_its_name_and_nothing_is_posted(world, name, content):
    space = staff_space(world)
    with pytest.raises(AttachmentRefused):
        services.start_thread(
            space=space, by=world.teacher, title="T", body="b",
            attachments=[SimpleUploadedFile(name, content)],
        )  # fmt: skip
    assert not Thread.objects.exists() and not Post.objects.exists()
    assert not Attachment.objects.exists()


@override_settings(DISCUSSION_MAX_ATTACHMENT_BYTES=1000)
def test_an_oversize_attachment_gets_a_clear_message_and_changes_nothing(world):
    space = staff_space(world)
    client = client_for(world.teacher)
    big = SimpleUploadedFile("minutes.txt", b"a" * 5000)
    response = client.post(
        reverse("discussions:start_thread", args=[space.pk]),
        {"title": "Minutes", "body": "Attached", "attachments": [big]},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "“minutes.txt” is 0.0 MB; a post takes files up to 0.0 MB. Nothing was posted." in page
    assert not Thread.objects.exists() and not Post.objects.exists()
    assert not Attachment.objects.exists()
    # A reply too: the thread keeps its one post.
    thread = services.start_thread(space=space, by=world.teacher, title="T", body="b")
    response = client.post(
        reverse("discussions:reply", args=[thread.pk]),
        {"body": "More", "attachments": [SimpleUploadedFile("big.txt", b"b" * 5000)]},
    )
    assert response.status_code == 400 and "Nothing was posted" in response.content.decode()
    assert thread.posts.count() == 1


def test_too_many_attachments_are_refused(world):
    files = [_text(f"n{n}.txt") for n in range(services.MAX_ATTACHMENTS + 1)]
    with pytest.raises(AttachmentRefused, match="at most 5 files"):
        services.start_thread(
            space=staff_space(world), by=world.teacher, title="T", body="b", attachments=files
        )
    assert not Thread.objects.exists()


@pytest.mark.parametrize("fmt, code", [("JPEG", "jpg"), ("PNG", "png")])
def test_photos_lose_their_location_data(world, fmt, code):
    raw = _photo_with_location(fmt)
    assert Image.open(io.BytesIO(raw)).getexif().get(GPS_TAG) is not None  # the test can fail
    space = staff_space(world)
    services.start_thread(
        space=space, by=world.teacher, title="Trip", body="Photo",
        attachments=[SimpleUploadedFile(f"trip.{code}", raw)],
    )  # fmt: skip
    attachment = Attachment.objects.get()
    with attachment.file.open("rb") as handle:
        stored = handle.read()
    assert b"PhoneMaker" not in stored
    cleaned = Image.open(io.BytesIO(stored))
    assert not cleaned.getexif()
    assert cleaned.size == (40, 30)
    assert attachment.size == len(stored)


def test_a_damaged_image_is_refused_and_nothing_is_posted(world):
    damaged = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    with pytest.raises(AttachmentRefused, match="damaged"):
        services.start_thread(
            space=staff_space(world), by=world.teacher, title="T", body="b",
            attachments=[SimpleUploadedFile("x.png", damaged)],
        )  # fmt: skip
    assert not Thread.objects.exists()


def test_a_pupil_reaches_attachments_only_in_spaces_they_see(world):
    staff = staff_space(world)
    services.start_thread(
        space=staff, by=world.teacher, title="Staff", body="b", attachments=[_text()]
    )
    space = pupil_space(world, moderation=Moderation.NONE)
    services.start_thread(
        space=space, by=world.co_leader, title="Homework", body="b", attachments=[_text("hw.txt")]
    )
    staff_file, pupil_file = Attachment.objects.order_by("pk")
    pupil = client_for(world.pupil)
    assert pupil.get(staff_file.get_absolute_url()).status_code == 404
    assert pupil.get(pupil_file.get_absolute_url()).status_code == 200
    other_school = client_for(make_pupil(world.school_b, username="birchpupil"))
    assert other_school.get(pupil_file.get_absolute_url()).status_code == 404


def test_a_held_posts_attachment_is_hidden_until_approved(world):
    space = pupil_space(world)  # pre-moderated
    thread = services.start_thread(
        space=space, by=world.pupil, title="Mine", body="b", attachments=[_text("mine.txt")]
    )
    attachment = Attachment.objects.get()
    classmate = client_for(make_pupil(world.school_a, username="classmate"))
    assert classmate.get(attachment.get_absolute_url()).status_code == 404
    assert client_for(world.pupil).get(attachment.get_absolute_url()).status_code == 200
    services.moderate_post(post=thread.posts.get(), by=world.co_leader, decision="approve")
    assert classmate.get(attachment.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_attachment_names_are_shown_as_text(world, payload):
    space = staff_space(world)
    name = f"{payload}.txt".replace("/", "_")
    thread = services.start_thread(
        space=space, by=world.teacher, title="T", body="b", attachments=[_text(name)]
    )
    html = client_for(world.co_leader).get(thread.get_absolute_url()).content.decode()
    assert escape(name) in html
    if escape(name) != name:  # markup in the name: never there as markup
        assert name not in html


def test_deleted_posts_take_their_files_with_them(world, django_capture_on_commit_callbacks):
    space = pupil_space(world, moderation=Moderation.NONE)
    services.start_thread(space=space, by=world.pupil, title="Old", body="b", attachments=[_text()])
    attachment = Attachment.objects.get()
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        Thread.objects.all().delete()
    assert not storage.exists(name)


def test_the_api_lists_a_posts_attachments(world):
    space = staff_space(world)
    thread = services.start_thread(
        space=space, by=world.teacher, title="T", body="b", attachments=[_text()]
    )
    post = thread.posts.get()
    client = client_for(world.co_leader)
    listed = client.get(f"/api/v1/discussions/posts/{post.pk}/attachments").json()
    (item,) = listed["items"]
    assert item["name"] == "notes.txt" and item["type"] == "Plain text"
    assert client.get(item["url"]).status_code == 200
    assert client.get(f"/api/v1/discussions/posts/{post.pk}").json()["attachments"][0]["id"]
    pupil = client_for(world.pupil)
    assert pupil.get(f"/api/v1/discussions/posts/{post.pk}/attachments").status_code == 404
    assert not ModerationLogEntry.objects.filter(post_id=post.pk).exists()


def test_a_thread_with_attachments_costs_the_same_at_3_and_30_posts(world):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    space = staff_space(world)
    thread = services.start_thread(space=space, by=world.co_leader, title="Files", body="b")

    def add(count):
        for number in range(count):
            cache.clear()  # the posting limit is not what this test is about
            services.reply(
                thread=thread, by=world.co_leader, body=f"r{number}",
                attachments=[_text(f"f{number}.txt")],
            )  # fmt: skip

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(thread.get_absolute_url()).status_code == 200
        return len(captured)

    client = client_for(world.teacher)
    add(2)
    few = queries()
    add(27)
    assert queries() == few


CLEANED_KINDS = [
    ("trip.jpg", media_files.jpeg),
    ("map.png", media_files.png),
    ("steps.png", media_files.animated_png),
    ("dance.gif", media_files.gif),
]


@pytest.mark.parametrize("name, make", CLEANED_KINDS)
def test_every_image_kind_loses_exif_xmp_text_and_comments(world, name, make):
    raw = make()
    assert media_files.MARK in raw  # the test can fail
    space = pupil_space(world)
    services.start_thread(
        space=space, by=world.co_leader, title="Trip", body="Photo",
        attachments=[SimpleUploadedFile(name, raw)],
    )  # fmt: skip
    attachment = Attachment.objects.get()
    with attachment.file.open("rb") as handle:
        stored = handle.read()
    assert_image_clean(stored)
    assert attachment.size == len(stored)


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(lambda: media_files.video(form="mov"), id="xyz-atom"),
        pytest.param(lambda: media_files.video(form="mp4"), id="loci-box"),
        pytest.param(lambda: media_files.with_a_gps_track(media_files.video()), id="gps-track"),
    ],
)
def test_a_pupils_video_loses_its_location(world, raw):
    pupil = make_pupil(world.school_a, username="filmmaker")
    space = pupil_space(world)
    raw = raw()
    assert media_files.MARK in raw
    services.start_thread(
        space=space, by=pupil, title="Our trip", body="A video",
        attachments=[SimpleUploadedFile("trip.mp4", raw)],
    )  # fmt: skip
    attachment = Attachment.objects.get()
    with attachment.file.open("rb") as handle:
        stored = handle.read()
    assert media_files.MARK not in stored and media_files.LATITUDE not in stored
    assert b"\xa9xyz" not in stored and b"loci" not in stored
    assert media_files.streams(stored)["video"] == 10


def test_a_video_that_cannot_be_cleaned_refuses_the_post(world):
    raw = media_files.video(form="mp4", options={"movflags": "frag_keyframe+empty_moov"})
    with pytest.raises(AttachmentRefused, match="fragmented"):
        services.start_thread(
            space=staff_space(world), by=world.teacher, title="T", body="b",
            attachments=[SimpleUploadedFile("clip.mp4", raw)],
        )  # fmt: skip
    assert not Thread.objects.exists() and not Attachment.objects.exists()
