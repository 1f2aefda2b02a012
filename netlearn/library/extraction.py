"""Reads the text inside uploaded files, for search. Pure Python: pypdf and the standard library.

PDF through pypdf; Word (DOCX), PowerPoint (PPTX) and OpenDocument (ODT, ODP, ODS) files are zips
of XML, read with `zipfile` and `xml.etree` after their kind and size were checked on upload
(`uploads.inspect_upload`). XML with a DOCTYPE is skipped, so entity tricks never expand.

A hostile file can still ask for a lot (a small zip of a huge XML part, a PDF of endless pages),
so the library never calls `extract_text` in a web or task worker: `sandbox.extract_in_child`
runs this module as its own process (`main`), which caps its own CPU time and address space
before it reads a byte, and is killed if it overruns its time.
"""

import io
import re
import resource
import sys
import zipfile
from xml.etree import ElementTree

# Search indexes this much of a file's text; the rest is kept out of the index.
MAX_TEXT_CHARS = 200_000
MAX_PART_BYTES = 50 * 1024 * 1024


class ExtractionFailed(Exception):
    pass


def _xml_text(data: bytes, *, paragraph_tags: tuple[str, ...]) -> str:
    if b"<!DOCTYPE" in data[:4096].upper():
        return ""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise ExtractionFailed(f"Its XML is damaged ({exc}).") from None
    parts: list[str] = []

    def walk(element, depth: int) -> None:
        if depth > 200:
            return
        if element.text:
            parts.append(element.text)
        for child in element:
            walk(child, depth + 1)
        if element.tag.rsplit("}", 1)[-1] in paragraph_tags:
            parts.append("\n")
        elif element.tail:
            parts.append(element.tail)

    walk(root, 0)
    return "".join(parts)


def _zip_parts(data: bytes, pattern: str) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(
            (name for name in archive.namelist() if re.fullmatch(pattern, name)),
            key=lambda name: [int(n) if n.isdigit() else n for n in re.split(r"(\d+)", name)],
        )
        parts = []
        for name in names:
            if archive.getinfo(name).file_size > MAX_PART_BYTES:
                raise ExtractionFailed("A part of the document is too large to read.")
            parts.append(archive.read(name))
        return parts


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ExtractionFailed("The PDF is encrypted.")
        texts = []
        total = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            texts.append(text)
            total += len(text)
            if total > MAX_TEXT_CHARS:
                break
        return "\n".join(texts)
    except PdfReadError as exc:
        raise ExtractionFailed(f"The PDF could not be read ({exc}).") from None


def _ooxml(data: bytes, pattern: str) -> str:
    return "\n".join(
        _xml_text(part, paragraph_tags=("p", "br")) for part in _zip_parts(data, pattern)
    )


def _odf(data: bytes) -> str:
    return "\n".join(
        _xml_text(part, paragraph_tags=("p", "h", "line-break"))
        for part in _zip_parts(data, r"content\.xml")
    )


def extract_text(data: bytes, code: str) -> str:
    """The text of a file of the given kind (uploads.KINDS), tidied; '' for kinds without text."""
    try:
        if code == "pdf":
            text = _pdf(data)
        elif code == "docx":
            text = _ooxml(data, r"word/(document|header\d*|footer\d*|footnotes)\.xml")
        elif code == "pptx":
            text = _ooxml(data, r"ppt/slides/slide\d+\.xml")
        elif code == "xlsx":
            text = _ooxml(data, r"xl/sharedStrings\.xml")
        elif code in ("odt", "odp", "ods"):
            text = _odf(data)
        elif code == "txt":
            text = data.decode("utf-8", errors="replace")
        else:
            return ""
    except ExtractionFailed:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, RecursionError) as exc:
        raise ExtractionFailed(f"The file could not be read ({type(exc).__name__}).") from None
    # PostgreSQL text holds no NUL; runs of blank space say nothing to search.
    text = text.replace("\x00", " ")
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r"\n\s*\n+", "\n", text)
    return text.strip()[:MAX_TEXT_CHARS]


# Exit codes of `main`, read by `sandbox.extract_in_child`.
EXIT_FAILED = 3
EXIT_OUT_OF_MEMORY = 4


def limit_self(*, cpu_seconds: int, memory_bytes: int) -> None:
    """Hard limits on this process: SIGXCPU after `cpu_seconds` of CPU, MemoryError past
    `memory_bytes` of address space, no files written, no core dumps."""
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main(argv: list[str]) -> int:
    """`python -m netlearn.library.extraction CODE CPU_SECONDS MEMORY_BYTES`: the file on
    standard input, its text (UTF-8) on standard output, a reason on standard error."""
    code, cpu_seconds, memory_bytes = argv[0], int(argv[1]), int(argv[2])
    limit_self(cpu_seconds=cpu_seconds, memory_bytes=memory_bytes)
    try:
        text = extract_text(sys.stdin.buffer.read(), code)
    except ExtractionFailed as exc:
        sys.stderr.write(str(exc))
        return EXIT_FAILED
    except MemoryError:
        return EXIT_OUT_OF_MEMORY
    sys.stdout.buffer.write(text.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
