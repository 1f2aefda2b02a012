"""Location and other metadata out of every image and video the platform accepts (docs: threat
model, uploads). Used by the library and by discussion attachments alike.

Images (JPEG, PNG and animated PNG, GIF and animated GIF) are decoded with Pillow and drawn again
from their pixels alone: no EXIF (GPS), XMP, ICC maker data, PNG text chunks, GIF comments or
application extensions survive, because nothing but pixels, frame timings and transparency is
handed to the encoder. EXIF orientation is applied to the pixels first, so photos stay upright.
Video (MP4, QuickTime) is cleaned by `mp4.without_metadata`; MP3 sound loses its ID3 tags (which
can hold comments, places and whole photos with their own EXIF). A file that cannot be read, or is
too large to redraw safely, is refused with a message: nothing is stored uncleaned.
"""

import hashlib
import io
from dataclasses import dataclass, replace

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from netlearn.core.intake import CheckedUpload

from . import mp4
from .errors import BadUpload

IMAGE_FORMATS = {"jpeg": "JPEG", "png": "PNG", "gif": "GIF"}
CLEANED_KINDS = (*IMAGE_FORMATS, "mp4", "mp3")
# Redrawing holds every frame in memory (4 bytes a pixel): an animation may have this many
# pixels over all its frames (about 160 MB), and this many frames.
MAX_ANIMATION_PIXELS = 40_000_000
# A still photo up to 50 megapixels (a phone's largest); decoding one takes about 150 MB.
MAX_STILL_PIXELS = 50_000_000
MAX_FRAMES = 1000
DEFAULT_FRAME_MS = 100

DAMAGED = "The image is damaged or too large to be read safely."


def needs_cleaning(kind_code: str) -> bool:
    return kind_code in CLEANED_KINDS


def _bare(image: Image.Image) -> Image.Image:
    image.info = {}
    return image


def _still(image: Image.Image, code: str) -> bytes:
    upright = ImageOps.exif_transpose(image) or image
    upright = upright.copy()
    options: dict = {}
    transparency = upright.info.get("transparency")
    _bare(upright)
    if code == "jpeg":
        if upright.mode not in ("RGB", "L", "CMYK"):
            upright = upright.convert("RGB")
        options = {"quality": 90}
    elif transparency is not None and upright.mode in ("P", "L", "RGB"):
        options = {"transparency": transparency}
    out = io.BytesIO()
    upright.save(out, format=IMAGE_FORMATS[code], **options)
    return out.getvalue()


def _animation(image: Image.Image, code: str) -> bytes:
    frames_count = getattr(image, "n_frames", 1)
    if frames_count > MAX_FRAMES or frames_count * image.width * image.height > (
        MAX_ANIMATION_PIXELS
    ):
        raise BadUpload(
            _(
                "The animation has too many frames or pixels to be cleaned safely (at most "
                "%(MAX_FRAMES)s frames and %(number)s million pixels in all)."
            )
            % {"MAX_FRAMES": MAX_FRAMES, "number": MAX_ANIMATION_PIXELS // 1000000}
        )
    frames, durations = [], []
    for frame in ImageSequence.Iterator(image):
        durations.append(int(frame.info.get("duration") or DEFAULT_FRAME_MS))
        frames.append(_bare(frame.convert("RGBA")))
    loop = image.info.get("loop", 0)
    out = io.BytesIO()
    options = {"save_all": True, "append_images": frames[1:], "duration": durations}
    options["loop"] = int(loop or 0)
    frames[0].save(out, format=IMAGE_FORMATS[code], **options)
    return out.getvalue()


def image_without_metadata(upload, code: str) -> bytes:
    """The image redrawn from its pixels; raises BadUpload when it cannot be read."""
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            if image.format not in IMAGE_FORMATS.values() and image.format != "MPO":
                raise BadUpload(DAMAGED)
            if getattr(image, "is_animated", False) and code in ("gif", "png"):
                return _animation(image, code)
            if image.width * image.height > MAX_STILL_PIXELS:
                raise BadUpload(
                    _(
                        "The image has more than %(number)s million pixels; make it smaller and "
                        "upload it again."
                    )
                    % {"number": MAX_STILL_PIXELS // 1000000}
                )
            image.load()
            return _still(image, code)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise BadUpload(DAMAGED) from None
    except MemoryError:
        raise BadUpload(DAMAGED) from None
    finally:
        upload.seek(0)


def _syncsafe(four: bytes) -> int:
    return (four[0] << 21) | (four[1] << 14) | (four[2] << 7) | four[3]


def mp3_without_tags(data: bytes) -> bytes:
    """The MPEG audio frames alone: ID3v2 tags at the start (id3.org, ID3v2.4 section 3.1)
    and an ID3v1 tag at the end are cut off."""
    start = 0
    while data[start : start + 3] == b"ID3" and len(data) >= start + 10:
        footer = 10 if data[start + 5] & 0x10 else 0
        start += 10 + footer + _syncsafe(data[start + 6 : start + 10])
    end = len(data)
    if end - start >= 128 and data[end - 128 : end - 125] == b"TAG":
        end -= 128
    audio = data[start:end]
    if len(audio) < 4 or audio[0] != 0xFF or audio[1] & 0xE0 != 0xE0:
        raise BadUpload(_("The sound file is damaged or holds no MP3 audio after its tags."))
    return audio


def without_metadata(upload, code: str) -> bytes:
    """The cleaned bytes of an image, video or sound file of kind `code` (uploads.KINDS)."""
    if code in ("mp4", "mp3"):
        upload.seek(0)
        try:
            data = upload.read()
        finally:
            upload.seek(0)
        return mp4.without_metadata(data) if code == "mp4" else mp3_without_tags(data)
    return image_without_metadata(upload, code)


@dataclass(frozen=True)
class CleanedUpload:
    content: object  # what to store: the upload itself, or a ContentFile of the cleaned bytes
    checked: CheckedUpload  # size and digest of what is stored


def clean_upload(upload, checked: CheckedUpload) -> CleanedUpload:
    """What to store for a checked upload: images, video and sound without their metadata,
    other kinds as they came. Raises BadUpload, before anything is written, when a file cannot
    be cleaned."""
    if not needs_cleaning(checked.kind.code):
        upload.seek(0)
        return CleanedUpload(upload, checked)
    data = without_metadata(upload, checked.kind.code)
    cleaned = replace(checked, size=len(data), sha256=hashlib.sha256(data).hexdigest())
    return CleanedUpload(ContentFile(data), cleaned)
