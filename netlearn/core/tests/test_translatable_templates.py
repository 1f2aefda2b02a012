"""No template holds a user-facing string that is not marked for translation (issue 21).

Django's `makemessages` collects only what `{% translate %}` and `{% blocktranslate %}` mark; text
written straight into a template is silently left English. This test reads every template's text
with Django's own lexer and counts the words outside template tags and variables: in the text
between HTML tags, and in the attributes people read (`aria-label`, `title`, `alt`,
`placeholder`). No template may hold any: a new unmarked string fails the suite, naming the
template and the words.
"""

import re
from pathlib import Path

from django.template.base import Lexer, TokenType

PACKAGE = Path(__file__).resolve().parents[2]
READ_ATTRIBUTES = re.compile(r'\b(?:aria-label|title|alt|placeholder)="([^"]*)"')
PLACEHOLDER = "\x00"
TAG = re.compile(r"(?s)<!--.*?-->|<(script|style)\b.*?</\1>|<[^>]*>")
ENTITY = re.compile(r"&[#\w]+;")
WORD = re.compile(r"[^\W\d_]{2,}")
# Plain-text templates (emails, subjects) are marked too, but the brand is a name, not a word.
NAMES = {"Netlearn"}


def templates() -> list[Path]:
    """Every page and partial, and the plain-text templates of emails."""
    pages = PACKAGE.rglob("*.html")
    emails = (path for path in PACKAGE.rglob("*.txt") if "templates" in path.parts)
    return sorted(
        path for path in (*pages, *emails) if "tests" not in path.relative_to(PACKAGE).parts
    )


def unmarked_strings(source: str) -> list[str]:
    """The user-facing text of a template outside translation tags, one string per run.

    Template tags and variables become a placeholder first, so HTML tags are whole again."""
    parts = []
    inside_translation = 0
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if name in ("blocktranslate", "blocktrans"):
                inside_translation += 1
            elif name in ("endblocktranslate", "endblocktrans"):
                inside_translation -= 1
            parts.append(PLACEHOLDER)
        elif token.token_type == TokenType.VAR:
            parts.append(PLACEHOLDER)
        elif token.token_type == TokenType.TEXT and not inside_translation:
            parts.append(token.contents)
    text = "".join(parts)
    found = [
        value.strip()
        for tag in TAG.finditer(text)
        for value in READ_ATTRIBUTES.findall(tag.group(0))
        if WORD.search(value) and PLACEHOLDER not in value
    ]
    for run in re.split(rf"[\n{PLACEHOLDER}]", ENTITY.sub(" ", TAG.sub("\n", text))):
        if [word for word in WORD.findall(run) if word not in NAMES]:
            found.append(run.strip())
    return found


def unmarked_by_template() -> dict[str, list[str]]:
    found = {}
    for path in templates():
        strings = unmarked_strings(path.read_text(encoding="utf-8"))
        if strings:
            found[str(path.relative_to(PACKAGE))] = strings
    return found


def test_the_scanner_finds_text_and_read_attributes_but_not_marked_strings():
    source = (
        '{% load i18n %}<p>{% translate "Marked" %}</p><p>Plain words</p>'
        '<nav aria-label="Pages">{{ value }}</nav><img alt="{{ picture.alt }}">'
        "{% blocktranslate %}Also marked {{ name }}{% endblocktranslate %} · 12 ·"
    )
    assert unmarked_strings(source) == ["Pages", "Plain words"]


def test_no_template_holds_an_unmarked_string():
    found = unmarked_by_template()
    assert not found, (
        "Mark these with {% translate %} or {% blocktranslate trimmed %}: "
        + "; ".join(f"{name}: {strings}" for name, strings in found.items())
    )
