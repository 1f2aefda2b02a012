"""Library files keep no location or other metadata: every image and video kind accepted is
cleaned before it is stored (library/cleaning.py, library/mp4.py); one that cannot be cleaned
is refused with a message and nothing is stored."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from netlearn.library import services
from netlearn.library.errors import BadUpload
from netlearn.library.models import Resource, ResourceFile

from . import media_files
from .conftest import stored_files
from .factories import add_resource


def _stored(resource) -> tuple[ResourceFile, bytes]:
    stored = resource.files.get()
    with stored.file.open("rb") as handle:
        return stored, handle.read()


def _upload(world, name: str, data: bytes, sharing="public"):
    return add_resource(
        world.network,
        by=world.teacher,
        sharing=sharing,
        upload=SimpleUploadedFile(name, data),
    )


def assert_image_clean(data: bytes) -> None:
    assert media_files.MARK not in data
    assert b"xmpmeta" not in data and b"XMP DataXMP" not in data
    assert b"PhoneMaker" not in data and b"Exif\x00\x00" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif()
        assert not {"comment", "xmp", "exif", "Comment", "Location"} & set(image.info)
        # A GIF keeps one application extension: NETSCAPE2.0, which says how often it loops.
        assert image.info.get("extension", (b"NETSCAPE2.0",))[0].startswith(b"NETSCAPE2.0")


def test_a_public_photo_loses_its_location_and_stays_upright(world):
    raw = media_files.jpeg()
    assert media_files.has_location(raw)  # the test can fail
    stored, data = _stored(_upload(world, "trip.jpg", raw))
    assert_image_clean(data)
    assert Image.open(io.BytesIO(data)).size == (30, 40)  # orientation 6 applied to the pixels
    assert stored.size == len(data)


def test_a_png_loses_its_exif_text_and_xmp_chunks(world):
    raw = media_files.png()
    assert media_files.has_location(raw) and media_files.MARK in raw
    _, data = _stored(_upload(world, "map.png", raw))
    assert_image_clean(data)
    for chunk in (b"tEXt", b"zTXt", b"iTXt", b"eXIf"):
        assert chunk not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.mode == "RGBA" and image.getpixel((0, 0)) == (0, 0, 255, 128)


def test_an_animated_png_stays_animated_without_its_metadata(world):
    _, data = _stored(_upload(world, "steps.png", media_files.animated_png()))
    assert_image_clean(data)
    with Image.open(io.BytesIO(data)) as image:
        assert image.n_frames == 3


def test_a_gif_loses_its_comment_and_xmp_and_stays_animated(world):
    raw = media_files.gif()
    assert b"XMP DataXMP" in raw and media_files.MARK in raw
    _, data = _stored(_upload(world, "dance.gif", raw))
    assert_image_clean(data)
    with Image.open(io.BytesIO(data)) as image:
        assert image.n_frames == 3 and image.info.get("loop") == 0
        assert image.info.get("duration") == 150


@pytest.mark.parametrize(
    "form, options",
    [
        ("mov", None),  # ©xyz in moov/udta
        ("mp4", None),  # 3GPP loci
        ("mov", {"movflags": "use_metadata_tags"}),  # iPhone keys in moov/meta
    ],
)
def test_a_video_loses_its_location_and_still_plays(world, form, options):
    raw = media_files.video(form=form, options=options)
    assert media_files.MARK in raw  # the test can fail
    stored, data = _stored(_upload(world, "trip.mp4", raw))
    assert media_files.MARK not in data and media_files.LATITUDE not in data
    for box in (b"\xa9xyz", b"loci", b"udta", b"meta", b"keys", b"ilst"):
        assert box not in data
    assert media_files.streams(data) == {"video": 10, "audio": 10}
    assert stored.size == len(data) and stored.content_type == "video/mp4"


def test_a_gps_track_and_its_samples_are_removed_from_a_video(world):
    raw = media_files.with_a_gps_track(media_files.video())
    assert raw.count(media_files.MARK) > 0
    _, data = _stored(_upload(world, "ride.mp4", raw))
    assert media_files.MARK not in data
    assert media_files.streams(data) == {"video": 10}


def test_a_fragmented_video_is_refused_and_nothing_is_stored(world, media):
    raw = media_files.video(form="mp4", options={"movflags": "frag_keyframe+empty_moov"})
    with pytest.raises(BadUpload, match="fragmented"):
        services.create_resource(
            network=world.network,
            by=world.teacher,
            title="Clip",
            upload=SimpleUploadedFile("clip.mp4", raw),
        )
    assert not Resource.objects.exists() and stored_files(media) == []


def test_a_new_version_of_a_file_is_cleaned_too(world):
    resource = _upload(world, "trip.jpg", media_files.jpeg())
    first = resource.files.get()
    services.add_file(
        resource=resource,
        by=world.teacher,
        upload=SimpleUploadedFile("trip.gif", media_files.gif()),
        replaces=first,
    )
    newest = resource.files.get(superseded_at__isnull=True)
    with newest.file.open("rb") as handle:
        assert_image_clean(handle.read())


def test_an_image_too_large_to_redraw_is_refused(world, media):
    out = io.BytesIO()
    Image.new("1", (8000, 8000)).save(out, format="PNG")
    with pytest.raises(BadUpload, match="million pixels"):
        services.create_resource(
            network=world.network,
            by=world.teacher,
            title="Huge",
            upload=SimpleUploadedFile("huge.png", out.getvalue()),
        )
    assert stored_files(media) == []


def test_an_mp3_loses_its_id3_tags_and_still_plays(world):
    raw = media_files.mp3()
    assert raw.startswith(b"ID3") and media_files.MARK in raw
    stored, data = _stored(_upload(world, "song.mp3", raw))
    assert media_files.MARK not in data and b"ID3" not in data[:10] and b"TAG" not in data[-128:]
    assert media_files.streams(data)["audio"] > 10
    assert stored.content_type == "audio/mpeg"


def test_an_mp3_that_is_only_tags_is_refused(world, media):
    tag_only = b"ID3\x04\x00\x00\x00\x00\x00\x10" + bytes(16)
    with pytest.raises(BadUpload, match="no MP3 audio"):
        _upload(world, "empty.mp3", tag_only)
    assert stored_files(media) == []
