"""The languages Netlearn speaks, and which one a request is answered in (docs/languages.md).

English of the United Kingdom, English of New Zealand and te reo Māori. A request is answered in:
1. the language the person chose (`Person.language`, set with the switcher in the frame or the API);
2. else their network's default language (`Network.language`, or its country's), looked up once a
   session and kept in it, so pages cost no query more;
3. else what Django's own negotiation finds (the language cookie a signed-out visitor's switcher
   set, then the browser's Accept-Language), else `LANGUAGE_CODE`.

Django's locale data knows neither `en-nz` nor `mi`; `extend_django_locale_data` adds them when the
core app is ready, so `get_language_info` and `{% get_language_info %}` answer for them.
"""

from __future__ import annotations

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.utils import translation

ENGLISH_UK = "en-gb"
ENGLISH_NZ = "en-nz"
MAORI = "mi"

# What a language's name is in that language, for the switcher (and for Django's locale data).
EXTRA_LANG_INFO = {
    ENGLISH_NZ: {
        "bidi": False,
        "code": ENGLISH_NZ,
        "name": "New Zealand English",
        "name_local": "English (New Zealand)",
    },
    MAORI: {"bidi": False, "code": MAORI, "name": "Māori", "name_local": "Te reo Māori"},
}

# The tag a page's `lang` attribute carries (BCP 47 case: region upper-case).
HTML_TAGS = {ENGLISH_UK: "en-GB", ENGLISH_NZ: "en-NZ", MAORI: "mi"}


def extend_django_locale_data() -> None:
    for code, info in EXTRA_LANG_INFO.items():
        LANG_INFO.setdefault(code, info)


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def is_language(code: str) -> bool:
    return code in language_codes()


def html_tag(code: str | None = None) -> str:
    code = code or translation.get_language() or settings.LANGUAGE_CODE
    return HTML_TAGS.get(code, code)


def choices() -> list[tuple[str, str]]:
    """(code, the language's own name) for the switcher: each language named in itself."""
    return [
        (code, LANG_INFO.get(code, {}).get("name_local", name)) for code, name in settings.LANGUAGES
    ]


def context(request) -> dict:
    """The page's language and the switcher's choices, for base.html."""
    return {
        "page_language": html_tag(),
        "language_choices": choices(),
        "current_language": translation.get_language(),
    }
