"""Code and docs cite only what the repository holds.

A cited document is a path from the repository's root, such as `docs/safety.md#suppression`: the
file must exist and, when a section is named, one of its headings must give that anchor. The
standards the project was first written from, and the published accounts of the seed networks,
are not in the repository; their statement in our words is under `docs/`, so naming them (or a
path on one machine) is refused.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = (
    "netlearn/**/*.py",
    "netlearn/**/*.html",
    "netlearn/**/*.txt",
    "bench/**/*.py",
    "tests/**/*.py",
    "conftest.py",
    "Makefile",
    "pyproject.toml",
    "*.md",
    "docs/**/*.md",
)
# A document named by a path: `docs/safety.md`, `README.md`, `docs/benchmarks.md#targets`.
DOCUMENT = re.compile(r"(?<![\w/.-])([\w][\w./-]*\.md)(?:#([\w-]+))?\b")
# The seed accounts by number ("seed 004", "seeds 001, 003") or by their folder.
SEED_ACCOUNT = re.compile(r"\bseeds? ?0\d\d\b|\bseeds/", re.IGNORECASE)
# Paths of the machine the project was first built on.
MACHINE_PATH = re.compile(r"/work/shared\b")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")


def _files():
    seen = set()
    for pattern in SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            if path in seen or not path.is_file() or path == Path(__file__).resolve():
                continue
            if any(part in {".venv", "node_modules", "test-artifacts"} for part in path.parts):
                continue
            seen.add(path)
            yield path


def _lines():
    for path in _files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            yield path, number, line


def anchor(heading: str) -> str:
    """The anchor a Markdown renderer (GitHub's rules) gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors_of(path: Path) -> set[str]:
    found, fenced = set(), False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (match := HEADING.match(line)):
            found.add(anchor(match.group(1)))
    return found


def _where(path: Path, number: int) -> str:
    return f"{path.relative_to(ROOT)}:{number}"


def test_every_cited_document_is_in_the_repository():
    offenders = []
    for path, number, line in _lines():
        for match in DOCUMENT.finditer(line):
            name, section = match.groups()
            target = ROOT / name
            if not target.is_file() and path.suffix == ".md":
                target = path.parent / name  # a Markdown page may link to its neighbour
            if not target.is_file():
                offenders.append(f"{_where(path, number)}: {name} is not in the repository")
            elif section and section not in anchors_of(target):
                offenders.append(f"{_where(path, number)}: {name} has no section #{section}")
    assert offenders == [], "\n".join(offenders)


def test_nothing_cites_the_seed_accounts_or_a_machines_paths():
    offenders = [
        f"{_where(path, number)}: {line.strip()}"
        for path, number, line in _lines()
        if SEED_ACCOUNT.search(line) or MACHINE_PATH.search(line)
    ]
    assert offenders == [], (
        "cite docs/seed-practices.md, docs/safety.md or docs/benchmarks.md instead:\n"
        + "\n".join(offenders)
    )


def test_anchors_follow_the_headings_of_the_page():
    assert anchor("Who may see what") == "who-may-see-what"
    assert anchor("Commitments and protocols") == "commitments-and-protocols"
    assert anchor("Value-added fit") == "value-added-fit"
    assert "suppression" in anchors_of(ROOT / "docs" / "safety.md")
