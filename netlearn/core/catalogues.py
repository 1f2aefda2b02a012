"""Translation catalogues: .po files read, and compiled to the .mo files Django loads.

Why our own compiler rather than Django's `compilemessages`: that one calls GNU gettext's `msgfmt`,
which a fresh machine (and CI's clean clone) may lack, and a catalogue's fallback is ours to
choose: te reo Māori falls back to New Zealand English, not to Django's `LANGUAGE_CODE` (English
of the United Kingdom). So `compile_catalogues` writes each `mi` entry that has no translation
from its en_NZ translation, if any; the English source stays the last resort. The compiled files
are committed beside their .po files (a test compiles again and compares), so installing
Netlearn needs no tool. Translators still use Django's `makemessages` (which needs GNU gettext)
to collect new strings: docs/languages.md.

The .mo layout is GNU gettext's (https://www.gnu.org/software/gettext/manual/html_node/MO-Files.html):
a header of seven 32-bit words, then the tables of original and translated strings (length,
offset), then the strings, each ending in NUL. Contexts join their message with EOT (\\x04),
plural forms join with NUL.
"""

from __future__ import annotations

import ast
import functools
import struct
from dataclasses import dataclass, field
from pathlib import Path

MAGIC = 0x950412DE
# Which catalogue fills the gaps of which (docs/languages.md).
FALLBACKS = {"mi": "en_NZ"}


@dataclass
class Entry:
    msgid: str
    context: str | None = None
    plural: str | None = None
    strings: list[str] = field(default_factory=list)
    fuzzy: bool = False
    references: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.context}\x04{self.msgid}" if self.context is not None else self.msgid

    @property
    def translated(self) -> bool:
        return not self.fuzzy and bool(self.strings) and all(self.strings)


def _unquote(text: str) -> str:
    return ast.literal_eval(text.strip())


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file, its header (msgid "") first; obsolete entries (#~) left out."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None
    flags: set[str] = set()
    references: list[str] = []

    def finish():
        nonlocal current, flags, references
        if current is not None:
            entries.append(current)
        current, flags, references = None, set(), []

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            target = None
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#:"):
            references.extend(line[2:].split())
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            if current is None or target is None:
                raise ValueError(f"{path}: a continued string with nothing before it: {raw!r}")
            name, index = target
            if name == "msgid":
                current.msgid += _unquote(line)
            elif name == "msgctxt":
                current.context = (current.context or "") + _unquote(line)
            elif name == "msgid_plural":
                current.plural = (current.plural or "") + _unquote(line)
            else:
                current.strings[index] += _unquote(line)
            continue
        keyword, _space, value = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and current is not None and current.strings:
            finish()  # two entries with no blank line between them
        if current is None:
            current = Entry(msgid="", fuzzy="fuzzy" in flags, references=references)
        if keyword == "msgctxt":
            current.context = _unquote(value)
            target = ("msgctxt", 0)
        elif keyword == "msgid":
            current.msgid = _unquote(value)
            target = ("msgid", 0)
        elif keyword == "msgid_plural":
            current.plural = _unquote(value)
            target = ("msgid_plural", 0)
        elif keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            while len(current.strings) <= index:
                current.strings.append("")
            current.strings[index] = _unquote(value)
            target = ("msgstr", index)
        else:
            raise ValueError(f"{path}: cannot read {raw!r}")
    finish()
    return entries


def mo_bytes(entries: list[Entry]) -> bytes:
    """The .mo file of the translated entries (and the header), keys sorted as msgfmt sorts."""
    pairs = {}
    for entry in entries:
        if entry.msgid == "" and entry.context is None:
            pairs[""] = entry.strings[0] if entry.strings else ""
        elif entry.translated:
            original = entry.key + (f"\x00{entry.plural}" if entry.plural is not None else "")
            pairs[original] = "\x00".join(entry.strings)
    keys = sorted(pairs, key=lambda key: key.encode("utf-8"))
    originals = [key.encode("utf-8") for key in keys]
    translations = [pairs[key].encode("utf-8") for key in keys]
    count = len(keys)
    header_size = 7 * 4
    originals_table = header_size
    translations_table = originals_table + count * 8
    data_start = translations_table + count * 8
    data = b""
    original_index, translation_index = [], []
    for text in originals:
        original_index.append((len(text), data_start + len(data)))
        data += text + b"\x00"
    for text in translations:
        translation_index.append((len(text), data_start + len(data)))
        data += text + b"\x00"
    output = struct.pack("<7I", MAGIC, 0, count, originals_table, translations_table, 0, 0)
    for length, offset in original_index + translation_index:
        output += struct.pack("<2I", length, offset)
    return output + data


def with_fallback(entries: list[Entry], fallback: list[Entry]) -> list[Entry]:
    """The entries, each untranslated one taking the fallback catalogue's translation."""
    known = {entry.key: entry for entry in fallback if entry.translated and entry.msgid}
    filled = []
    for entry in entries:
        if not entry.translated and entry.key in known:
            entry = Entry(
                msgid=entry.msgid,
                context=entry.context,
                plural=entry.plural,
                strings=list(known[entry.key].strings),
                references=entry.references,
            )
        filled.append(entry)
    return filled


def catalogue_path(locale_dir: Path, language: str) -> Path:
    return locale_dir / language / "LC_MESSAGES" / "django.po"


def compiled(locale_dir: Path, language: str) -> bytes:
    """The .mo bytes of one language's catalogue, its fallback's translations filling its gaps."""
    entries = read_po(catalogue_path(locale_dir, language))
    fallback = FALLBACKS.get(language)
    if fallback and catalogue_path(locale_dir, fallback).exists():
        entries = with_fallback(entries, read_po(catalogue_path(locale_dir, fallback)))
    return mo_bytes(entries)


def languages_in(locale_dir: Path) -> list[str]:
    return sorted(path.parent.parent.name for path in locale_dir.glob("*/LC_MESSAGES/django.po"))


def compile_all(locale_dir: Path) -> list[Path]:
    """Writes every catalogue's .mo file; returns those it wrote."""
    written = []
    for language in languages_in(locale_dir):
        target = catalogue_path(locale_dir, language).with_suffix(".mo")
        target.write_bytes(compiled(locale_dir, language))
        written.append(target)
    return written


@dataclass(frozen=True)
class Coverage:
    language: str
    total: int
    translated: int
    by_fallback: int
    missing: tuple[Entry, ...]

    @property
    def percent(self) -> int:
        return round(100 * self.translated / self.total) if self.total else 100


def coverage(locale_dir: Path, language: str) -> Coverage:
    """How much of a catalogue is translated, how much its fallback fills, and what is left.

    Remembered until either .po file changes: parsing one takes about 35 ms, and the translators'
    page, open to every visitor, reads every catalogue."""
    path = catalogue_path(locale_dir, language)
    fallback_name = FALLBACKS.get(language)
    fallback = catalogue_path(locale_dir, fallback_name) if fallback_name else None
    return _coverage(language, path, fallback, _version(path), _version(fallback))


def _version(path: Path | None) -> tuple[int, int] | None:
    """The file's modification time and size, so that an edited catalogue is read again."""
    if path is None:
        return None
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    return (found.st_mtime_ns, found.st_size)


@functools.lru_cache(maxsize=32)
def _coverage(language, path, fallback, version, fallback_version) -> Coverage:
    entries = [entry for entry in read_po(path) if entry.msgid]
    fallback_keys: set[str] = set()
    if fallback_version is not None:
        fallback_keys = {
            entry.key for entry in read_po(fallback) if entry.translated and entry.msgid
        }
    missing = tuple(entry for entry in entries if not entry.translated)
    return Coverage(
        language=language,
        total=len(entries),
        translated=len(entries) - len(missing),
        by_fallback=sum(1 for entry in missing if entry.key in fallback_keys),
        missing=missing,
    )
