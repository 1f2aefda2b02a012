"""Location data out of uploaded photos (SAFETY.md: "location data stripped from uploaded
images"). JPEG and PNG are decoded and written again without their EXIF, XMP or text chunks;
the EXIF orientation is applied to the pixels first, so photos stay the right way up."""

import io

from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import AttachmentRefused

FORMATS = {"jpeg": "JPEG", "png": "PNG"}
# Kept: how the pixels look. Dropped: everything else (exif, xmp, comments, text, icc maker notes).
KEPT_INFO = ("transparency", "gamma", "dpi")


def needs_cleaning(kind_code: str) -> bool:
    return kind_code in FORMATS


def without_metadata(upload, kind_code: str) -> bytes:
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.load()
            upright = ImageOps.exif_transpose(image) or image
            upright.info = {key: upright.info[key] for key in KEPT_INFO if key in upright.info}
            options = {}
            if kind_code == "jpeg":
                if upright.mode not in ("RGB", "L", "CMYK"):
                    upright = upright.convert("RGB")
                options = {"quality": 90, "exif": b""}
            out = io.BytesIO()
            upright.save(out, format=FORMATS[kind_code], **options)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise AttachmentRefused("The image is damaged or too large to be read safely.") from None
    finally:
        upload.seek(0)
    return out.getvalue()
