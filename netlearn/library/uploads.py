"""What an uploaded file is, judged by its content, never by its name (docs/safety.md#uploads).

`inspect_upload` reads the first bytes (and, for the zip-based office formats, the zip's table of
contents) and answers with one of the allowed kinds, or raises `BadUpload` with a message for the
person. HTML and SVG are never allowed, whatever they are called.
"""

import hashlib
import zipfile
from dataclasses import dataclass

from django.conf import settings

from .errors import BadUpload


@dataclass(frozen=True)
class FileKind:
    code: str
    label: str
    extension: str
    content_type: str


KINDS = {
    kind.code: kind
    for kind in (
        FileKind("pdf", "PDF", "pdf", "application/pdf"),
        FileKind(
            "docx",
            "Word document",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        FileKind(
            "pptx",
            "PowerPoint presentation",
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        FileKind(
            "xlsx",
            "Excel spreadsheet",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        FileKind("odt", "OpenDocument text", "odt", "application/vnd.oasis.opendocument.text"),
        FileKind(
            "odp",
            "OpenDocument presentation",
            "odp",
            "application/vnd.oasis.opendocument.presentation",
        ),
        FileKind(
            "ods",
            "OpenDocument spreadsheet",
            "ods",
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
        FileKind("png", "PNG image", "png", "image/png"),
        FileKind("jpeg", "JPEG image", "jpg", "image/jpeg"),
        FileKind("gif", "GIF image", "gif", "image/gif"),
        FileKind("mp3", "MP3 audio", "mp3", "audio/mpeg"),
        FileKind("mp4", "MP4 video", "mp4", "video/mp4"),
        FileKind("txt", "Plain text", "txt", "text/plain; charset=utf-8"),
    )
}
ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.presentation": "odp",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
OOXML_PARTS = {
    "word/document.xml": "docx",
    "ppt/presentation.xml": "pptx",
    "xl/workbook.xml": "xlsx",
}
# Zip bombs: refuse a document whose parts would unpack to more than this, or hold too many parts.
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_ZIP_ENTRIES = 5000
# What a browser might run, if it were ever shown inline: never allowed as plain text.
ACTIVE_MARKERS = (b"<html", b"<!doctype", b"<script", b"<svg", b"<?xml", b"<iframe", b"<body")
# The EICAR anti-virus test file: refused, so the library never hands it out.
EICAR = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE"


def allowed_kinds() -> list[FileKind]:
    return [KINDS[code] for code in settings.LIBRARY_ALLOWED_FILE_TYPES if code in KINDS]


def allowed_labels() -> str:
    return ", ".join(kind.label for kind in allowed_kinds())


def max_bytes() -> int:
    return int(settings.LIBRARY_MAX_UPLOAD_BYTES)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def _zip_kind(upload) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise BadUpload("The document holds too many parts to be read safely.")
            if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
                raise BadUpload("The document would unpack to too much data to be read safely.")
            names = {entry.filename for entry in entries}
            if "mimetype" in names:
                return ODF_TYPES.get(archive.read("mimetype").strip())
            for part, code in OOXML_PARTS.items():
                if part in names:
                    return code
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError):
        raise BadUpload("The file looks like a document but is damaged.") from None
    finally:
        upload.seek(0)
    return None


def _is_plain_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the end of the sample is still text.
        if exc.start < len(head) - 4:
            return False
    lowered = head.lower()
    return not any(marker in lowered for marker in ACTIVE_MARKERS)


def detect_kind(upload) -> str | None:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if EICAR in head:
        raise BadUpload("The file carries a virus test signature (EICAR) and was refused.")
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "mp3"
    if head[4:8] == b"ftyp":
        return "mp4"
    if _is_plain_text(head.lstrip(b"\xef\xbb\xbf")):
        return "txt"
    return None


@dataclass(frozen=True)
class CheckedUpload:
    kind: FileKind
    size: int
    sha256: str
    original_name: str


def inspect_upload(upload) -> CheckedUpload:
    """Refuses an empty, oversized or disallowed file with a message; changes nothing."""
    if upload is None:
        raise BadUpload("Choose a file to upload.")
    size = upload.size or 0
    if size == 0:
        raise BadUpload("The file is empty.")
    if size > max_bytes():
        raise BadUpload(
            f"The file is {_megabytes(size)}; the library takes files up to "
            f"{_megabytes(max_bytes())}."
        )
    code = detect_kind(upload)
    allowed = {kind.code for kind in allowed_kinds()}
    if code is None or code not in allowed:
        what = KINDS[code].label if code in KINDS else "not a type the library accepts"
        raise BadUpload(
            f"Its content is {what}, whatever its name says. The library accepts: "
            f"{allowed_labels()}."
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1].replace("\x00", "")
    return CheckedUpload(KINDS[code], size, digest.hexdigest(), name[:200] or "file")
