"""Taking files in: how large an upload may be, what it is, how its text reads, and its CSV rows.

Every app that takes a file uses this module, so one rule holds everywhere: a file is judged by its
content, never by its name; it is refused before it is read when it is too large; its text is read
in the one encoding it shows; a CSV's problems name the row as a spreadsheet counts it (the header
is row 1) and the column as the file spells it. Refusals raise `FileRefused` listing `Problem`s;
each app turns them into its own error, and its import stays all or nothing.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# --- how large an upload may be -------------------------------------------------------------

MEGABYTE = 1024 * 1024
# Every upload's ceiling, in one table. The library's and the discussions' ceilings are settings
# (LIBRARY_MAX_UPLOAD_BYTES, DISCUSSION_MAX_ATTACHMENT_BYTES), since a deployment's storage
# decides them; `library_max_bytes` and `attachment_max_bytes` read them.
MAX_FILE_BYTES = 50 * MEGABYTE
"""A data file: a school list (GIAS, NZ directory) or outcome data."""
MAX_EVIDENCE_BYTES = 10 * MEGABYTE
"""Evidence for a charter, an attachment to an enquiry."""
MAX_PUPIL_FILE_BYTES = 200 * 1024
"""A school's list of pupils."""


def library_max_bytes() -> int:
    return int(settings.LIBRARY_MAX_UPLOAD_BYTES)


def attachment_max_bytes() -> int:
    return int(settings.DISCUSSION_MAX_ATTACHMENT_BYTES)


# --- refusals -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("Row %(row)s") % {"row": self.row})
        if self.column is not None:
            where.append(_("column %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


class FileRefused(Exception):
    """The file was refused as a whole.

    `problems` is what is listed, a closing "…and N more problems." line included when the list
    was cut short; `total` counts every problem found.
    """

    def __init__(self, problems: list[Problem], *, total: int | None = None):
        self.problems = list(problems)
        self.total = len(self.problems) if total is None else total
        first = str(self.problems[0]) if self.problems else _("The file was refused.")
        more = self.total - 1
        super().__init__(
            first
            if more < 1
            else _("%(first)s (and %(more)s more problems)") % {"first": first, "more": more}
        )


def refuse(message: str, row: int | None = None, column: str | None = None) -> FileRefused:
    return FileRefused([Problem(row, column, message)])


# --- reading bytes --------------------------------------------------------------------------


def read_limited(file, *, limit: int | None = None) -> bytes:
    """Reads an upload or an open binary file, refusing one over `limit` (a data file's ceiling,
    MAX_FILE_BYTES, unless given) before reading it when its size is known."""
    limit = MAX_FILE_BYTES if limit is None else limit
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    else:
        size = getattr(file, "size", None)
        if size is not None and size > limit:
            raise _too_large(limit)
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(limit + 1)
        if isinstance(data, str):
            raise refuse(_("The file was opened as text; open it in binary mode."))
    if len(data) > limit:
        raise _too_large(limit)
    return data


def _too_large(limit: int) -> FileRefused:
    return refuse(_("The file is larger than %(size)s MB.") % {"size": limit // MEGABYTE})


# --- decoding text --------------------------------------------------------------------------

# Formats people upload by mistake, refused before anything tries to open them (zip bombs too).
_NOT_TEXT = (
    (b"PK\x03\x04", "zip archive or Excel workbook"),
    (b"PK\x05\x06", "zip archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ", "xz archive"),
    (b"7z\xbc\xaf", "7-Zip archive"),
    (b"Rar!", "RAR archive"),
    (b"\xd0\xcf\x11\xe0", "Excel 97-2003 workbook"),
    (b"%PDF", "PDF document"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"<?xml", "XML document"),
)
_UTF16_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Text never holds C0/C1 control characters other than tab and line ends; binary junk does.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_END = re.compile(r"\r\n|\r|\n")
_SAVE_AS_CSV = gettext_lazy(
    "Save it from your spreadsheet as “CSV UTF-8 (comma delimited)” and try again."
)


def _line_of(data: bytes | str, offset: int) -> int:
    return data.count(b"\n" if isinstance(data, bytes) else "\n", 0, offset) + 1


def decode(data: bytes) -> str:
    """The file's text, read in the one encoding it shows; never guessed line by line.

    A byte order mark, or a file that is UTF-8 throughout, is UTF-8. A file whose first
    non-ASCII byte cannot be UTF-8 is Windows-1252, as GIAS publishes its extracts; it must then
    be Windows-1252 throughout and hold nothing that reads as UTF-8. Anything else mixes two
    encodings: it is refused naming the line, because reading it one way or the other would
    rewrite every accented name of one part with mojibake (docs/architecture.md, imports).
    """
    if not data.strip():
        raise refuse(_("The file is empty."))
    for magic, what in _NOT_TEXT:
        if data.startswith(magic):
            raise refuse(
                _("This is a %(what)s, not a CSV file. %(advice)s")
                % {"what": what, "advice": _SAVE_AS_CSV}
            )
    if data.startswith(_UTF16_BOMS):
        raise refuse(
            _("The file is saved as UTF-16 or UTF-32 text. %(advice)s") % {"advice": _SAVE_AS_CSV}
        )
    if b"\x00" in data:
        raise refuse(
            _("The file holds binary data, not text. %(advice)s") % {"advice": _SAVE_AS_CSV}
        )
    if data.startswith(codecs.BOM_UTF8):
        try:
            text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError as exc:
            line = _line_of(data, exc.start + len(codecs.BOM_UTF8))
            raise refuse(
                _("The file says it is UTF-8, but line %(line)s is not. %(advice)s")
                % {"line": line, "advice": _SAVE_AS_CSV}
            ) from None
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = _windows_1252(data, exc.start)
    control = _CONTROL.search(text)
    if control:
        line = _line_of(text, control.start())
        raise refuse(
            _("Line %(line)s holds control characters: this does not look like a text CSV file.")
            % {"line": line}
        )
    return text


# A character of two to four bytes as UTF-8 writes it (RFC 3629, section 4). Windows-1252 text
# almost never holds one: it would take a capital or accented letter followed directly by
# symbols such as "©" or "–".
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]"
    rb"|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_NON_ASCII = re.compile(rb"[\x80-\xff]")


def _windows_1252(data: bytes, bad: int) -> str:
    """Reads a file that is not UTF-8 as Windows-1252, if that is what it is from its start.

    `bad` is the offset of the first byte that is not UTF-8.
    """
    first = _NON_ASCII.search(data)
    if first is not None and first.start() < bad:
        # Its first accented letters are UTF-8, so the file is UTF-8 with a stray byte.
        raise refuse(
            _(
                "The file is UTF-8 up to line %(line)s, which is not: the file mixes two "
                "encodings. %(advice)s"
            )
            % {"line": _line_of(data, bad), "advice": _SAVE_AS_CSV}
        )
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise refuse(
            _("Line %(line)s is neither UTF-8 nor Windows-1252 text. %(advice)s")
            % {"line": _line_of(data, exc.start), "advice": _SAVE_AS_CSV}
        ) from None
    mixed = _UTF8_SEQUENCE.search(data)
    if mixed is not None:
        raise refuse(
            _(
                "The file is Windows-1252 text from line %(line)s, but line %(other_line)s holds "
                "UTF-8: the file mixes two encodings. %(advice)s"
            )
            % {
                "line": _line_of(data, bad),
                "other_line": _line_of(data, mixed.start()),
                "advice": _SAVE_AS_CSV,
            }
        )
    return text


# --- CSV rows -------------------------------------------------------------------------------

# GIAS and the Ministry publish suppressed or missing figures with these markers.
NOT_PUBLISHED = frozenset({"supp", "suppressed", "c", "x", "..", "-", "n/a", "na", "null"})


def normalise_header(name: str) -> str:
    """'TypeOfEstablishment (name)' → 'typeofestablishmentname'; 'School_Id' → 'schoolid'."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _lines(text: str) -> Iterator[str]:
    # csv wants lines with their endings; io.StringIO would hold the text at 4 bytes a character.
    start = 0
    for match in _LINE_END.finditer(text):
        yield text[start : match.end()]
        start = match.end()
    if start < len(text):
        yield text[start:]


class CsvRows:
    """A CSV text read row by row, each row numbered as a spreadsheet counts it.

    `header()` reads row 1; iterating yields `(row number, cells)` for each later row that holds
    anything. A file the csv module cannot read stops the rows: `broken` is then the problem to
    report, on the row after the last one read. With `strict`, a quoted field left open (a
    download cut short) is such a problem rather than the rest of the file.
    """

    def __init__(self, text: str, *, strict: bool = True):
        self._reader = csv.reader(_lines(text), strict=strict)
        self.row = 0
        self.broken: Problem | None = None

    def header(self) -> list[str]:
        """Row 1 as written, or FileRefused: it cannot be read or names no column."""
        try:
            header = next(self._reader, None)
        except csv.Error as exc:
            raise refuse(_("the CSV cannot be read (%(exc)s).") % {"exc": exc}, row=1) from None
        self.row = 1
        if not header or not any(cell.strip() for cell in header):
            raise refuse(_("The first row should name the columns, but it is empty."), row=1)
        return header

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        try:
            for cells in self._reader:
                self.row += 1
                if any(cell.strip() for cell in cells):
                    yield self.row, cells
                # Spreadsheets leave blank rows at the end.
        except csv.Error as exc:
            self.broken = Problem(
                self.row + 1, None, _("the CSV cannot be read (%(exc)s).") % {"exc": exc}
            )


# --- what a file is -------------------------------------------------------------------------


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
MAX_UNPACKED_BYTES = 300 * MEGABYTE
MAX_ZIP_ENTRIES = 5000
# What a browser might run, if it were ever shown inline: never allowed as plain text.
ACTIVE_MARKERS = (b"<html", b"<!doctype", b"<script", b"<svg", b"<?xml", b"<iframe", b"<body")
# The EICAR anti-virus test file: refused, so Netlearn never hands it out.
EICAR = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE"


def allowed_kinds() -> list[FileKind]:
    """The kinds of file people may share (LIBRARY_ALLOWED_FILE_TYPES)."""
    return [KINDS[code] for code in settings.LIBRARY_ALLOWED_FILE_TYPES if code in KINDS]


def allowed_labels() -> str:
    return ", ".join(kind.label for kind in allowed_kinds())


def _megabytes(size: int) -> str:
    return f"{size / MEGABYTE:.0f} MB"


def _zip_kind(upload) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise refuse(_("The document holds too many parts to be read safely."))
            if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
                raise refuse(_("The document would unpack to too much data to be read safely."))
            names = {entry.filename for entry in entries}
            if "mimetype" in names:
                return ODF_TYPES.get(archive.read("mimetype").strip())
            for part, code in OOXML_PARTS.items():
                if part in names:
                    return code
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError):
        raise refuse(_("The file looks like a document but is damaged.")) from None
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
    """The code of the kind the upload's content shows (see KINDS), or None for any other.

    Reads the first bytes and, for the zip-based office formats, the zip's table of contents.
    HTML and SVG are never a kind, whatever they are called. Raises FileRefused for the EICAR
    test signature and for a damaged or oversized document.
    """
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if EICAR in head:
        raise refuse(_("The file carries a virus test signature (EICAR) and was refused."))
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


def inspect_upload(upload, *, max_bytes: int, taken_by: str) -> CheckedUpload:
    """Refuses an empty, oversized or disallowed file with a message; changes nothing.

    `taken_by` names, in the messages, what takes the file ("the library").
    """
    if upload is None:
        raise refuse(_("Choose a file to upload."))
    size = upload.size or 0
    if size == 0:
        raise refuse(_("The file is empty."))
    if size > max_bytes:
        raise refuse(
            _("The file is %(size)s; %(taken_by)s takes files up to %(limit)s.")
            % {"size": _megabytes(size), "taken_by": taken_by, "limit": _megabytes(max_bytes)}
        )
    code = detect_kind(upload)
    allowed = {kind.code for kind in allowed_kinds()}
    if code is None or code not in allowed:
        what = KINDS[code].label if code in KINDS else f"not a type {taken_by} accepts"
        raise refuse(
            _(
                "Its content is %(what)s, whatever its name says. %(taken_by)s accepts: "
                "%(allowed_labels)s."
            )
            % {
                "what": what,
                "taken_by": taken_by[:1].upper() + taken_by[1:],
                "allowed_labels": allowed_labels(),
            }
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1].replace("\x00", "")
    return CheckedUpload(KINDS[code], size, digest.hexdigest(), name[:200] or "file")
