"""What an uploaded file is, judged by its content, never by its name (docs/safety.md#uploads).

The library's rules over `netlearn.core.intake`: its size ceiling (LIBRARY_MAX_UPLOAD_BYTES) and
the kinds people may share. `inspect_upload` answers with one of the allowed kinds, or raises
`BadUpload` with a message for the person. HTML and SVG are never allowed, whatever they are
called.
"""

from netlearn.core.intake import (
    KINDS,
    CheckedUpload,
    FileKind,
    FileRefused,
    allowed_kinds,
    allowed_labels,
    library_max_bytes,
)
from netlearn.core.intake import inspect_upload as inspect_file

from .errors import BadUpload

__all__ = [
    "KINDS",
    "CheckedUpload",
    "FileKind",
    "allowed_kinds",
    "allowed_labels",
    "inspect_upload",
    "max_bytes",
]


def max_bytes() -> int:
    return library_max_bytes()


def inspect_upload(upload) -> CheckedUpload:
    """Refuses an empty, oversized or disallowed file with a message; changes nothing."""
    try:
        return inspect_file(upload, max_bytes=max_bytes(), taken_by="the library")
    except FileRefused as refused:
        raise BadUpload(str(refused)) from None
