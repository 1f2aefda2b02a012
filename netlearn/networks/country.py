"""A network's country profile: the one place that says how a country's schools speak and count.

Netlearn's networks are in England or in Aotearoa New Zealand (`Network.country`). What differs is
gathered here, never spread over templates as `{% if nz %}`: the education terms (headteacher or
principal/tumuaki, INSET or teacher-only day, year groups or year levels, Ofsted or ERO, local
authority or region, key stages or NCEA), the currency, the time zone and date formats, the
measure of disadvantage (the share of pupils eligible for free school meals, or the Ministry's
Equity Index with its bands), the rules of disclosure of pupil data, and the network's default
language (docs/languages.md).

The terms are marked for translation with the context "education term", so te reo Māori gives
its own words for New Zealand's terms ("tumuaki", "kura") in the `mi` catalogue, whose sources
netlearn/locale/glossary-mi.csv records.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import pgettext_lazy

from netlearn.analytics import disclosure
from netlearn.analytics.schools import AGAINST_THE_ODDS_BAND, EQUITY_INDEX_BAND
from netlearn.core.languages import ENGLISH_NZ, ENGLISH_UK, is_language
from netlearn.core.money import Currency

from .models import Country, GroupKind


@dataclass(frozen=True)
class Terms:
    head: str
    heads: str
    teacher_only_day: str
    year_groups: str
    year_group: str
    inspectorate: str
    authority: str
    qualifications: str
    pupils: str
    heads_group: str


@dataclass(frozen=True)
class Disadvantage:
    """How a school's disadvantage is measured: a share of pupils or an index, with its band of
    'schools against the odds' (netlearn/analytics/schools.py names the sources)."""

    field: str
    label: str
    is_index: bool
    band: tuple[float, float]
    bands: tuple[tuple[float, str], ...]
    """(lower bound, label) from the lowest, for a school's figure in words."""

    def band_of(self, value) -> str:
        if value is None:
            return ""
        label = ""
        for lower, name in self.bands:
            if float(value) >= lower:
                label = name
        return str(label)

    def shown(self, value) -> str:
        if value is None:
            return ""
        return (
            f"{float(value):.0f}" if self.is_index else f"{float(value):.1f}%".replace(".0%", "%")
        )


@dataclass(frozen=True)
class CountryProfile:
    country: str
    terms: Terms
    currency: str
    time_zone: str
    date_format: str
    short_date_format: str
    disadvantage: Disadvantage
    disclosure_mode: str
    language: str
    """The default language of the country's networks."""
    national_measures: tuple[str, ...]
    """Code prefixes of the shared impact measures of the country's national assessments."""
    other_country_terms: tuple[str, ...]
    """Words that belong to the *other* country: none may appear on this country's pages (the
    crawl in netlearn/networks/tests/test_country_pages.py checks every demo network)."""


ENGLAND = CountryProfile(
    country=Country.ENGLAND,
    terms=Terms(
        head=pgettext_lazy("education term", "headteacher"),
        heads=pgettext_lazy("education term", "headteachers"),
        teacher_only_day=pgettext_lazy("education term", "INSET day"),
        year_groups=pgettext_lazy("education term", "year groups"),
        year_group=pgettext_lazy("education term", "year group"),
        inspectorate=pgettext_lazy("education term", "Ofsted"),
        authority=pgettext_lazy("education term", "local authority"),
        qualifications=pgettext_lazy("education term", "Key Stages 2 to 4"),
        pupils=pgettext_lazy("education term", "pupils"),
        heads_group=pgettext_lazy("education term", "Headteachers' group"),
    ),
    currency=Currency.GBP,
    time_zone="Europe/London",
    date_format="j F Y",
    short_date_format="d/m/Y",
    disadvantage=Disadvantage(
        field="fsm_percent",
        label=pgettext_lazy("education term", "Free school meals (FSM %)"),
        is_index=False,
        band=AGAINST_THE_ODDS_BAND,
        bands=(
            (0.0, pgettext_lazy("education term", "below the national average")),
            (24.0, pgettext_lazy("education term", "above the national average")),
            (AGAINST_THE_ODDS_BAND[0], pgettext_lazy("education term", "high")),
        ),
    ),
    disclosure_mode=disclosure.ENGLAND,
    language=ENGLISH_UK,
    national_measures=("ks1-", "ks2-", "ks3-", "ks4-", "ks5-"),
    other_country_terms=(
        "tumuaki",
        "teacher-only day",
        "year level",
        "ERO",
        "Education Review Office",
        "NCEA",
        "NZ$",
        "Equity Index",
    ),
)

NEW_ZEALAND = CountryProfile(
    country=Country.NEW_ZEALAND,
    terms=Terms(
        head=pgettext_lazy("education term", "principal"),
        heads=pgettext_lazy("education term", "principals"),
        teacher_only_day=pgettext_lazy("education term", "teacher-only day"),
        year_groups=pgettext_lazy("education term", "year levels"),
        year_group=pgettext_lazy("education term", "year level"),
        inspectorate=pgettext_lazy("education term", "ERO"),
        authority=pgettext_lazy("education term", "region"),
        qualifications=pgettext_lazy("education term", "NCEA"),
        pupils=pgettext_lazy("education term", "students"),
        heads_group=pgettext_lazy("education term", "Principals' group"),
    ),
    currency=Currency.NZD,
    time_zone="Pacific/Auckland",
    date_format="j F Y",
    short_date_format="d/m/Y",
    disadvantage=Disadvantage(
        field="equity_index",
        label=pgettext_lazy("education term", "Equity Index (EQI)"),
        is_index=True,
        band=EQUITY_INDEX_BAND,
        # The Ministry of Education groups schools by their index into fewer, moderate and more
        # socio-economic barriers; Netlearn's cut points follow its published range (344 to 569).
        bands=(
            (0.0, pgettext_lazy("education term", "fewer socio-economic barriers")),
            (432.0, pgettext_lazy("education term", "moderate socio-economic barriers")),
            (EQUITY_INDEX_BAND[0], pgettext_lazy("education term", "more socio-economic barriers")),
        ),
    ),
    disclosure_mode=disclosure.NEW_ZEALAND,
    language=ENGLISH_NZ,
    national_measures=("ncea-",),
    other_country_terms=(
        "headteacher",
        "Headteacher",
        "INSET",
        "year group",
        "Year group",
        "Ofsted",
        "local authority",
        "Local authority",
        "Key Stage",
        "KS2",
        "KS3",
        "KS4",
        "£",
        "FSM",
        "free school meals",
    ),
)

PROFILES = {Country.ENGLAND: ENGLAND, Country.NEW_ZEALAND: NEW_ZEALAND}


def profile_of_country(country: str) -> CountryProfile:
    return PROFILES.get(country, ENGLAND)


def profile_of(network) -> CountryProfile:
    """The profile of a network (or of a school: anything with a `country`)."""
    return profile_of_country(network.country)


def language_of(network) -> str:
    """The network's default language: its own choice, else its country's."""
    chosen = getattr(network, "language", "")
    return chosen if chosen and is_language(chosen) else profile_of(network).language


def _term(country: str, name: str) -> str:
    return str(getattr(profile_of_country(country).terms, name))


term = lazy(_term, str)


def other_countries_measures(network) -> tuple[str, ...]:
    """Code prefixes of the shared measures of every other country's national assessments: a
    Kāhui Ako is not offered Key Stage 2, an English network not NCEA."""
    own = profile_of(network)
    return tuple(
        prefix
        for profile in PROFILES.values()
        if profile is not own
        for prefix in profile.national_measures
    )


def group_kind_label(group, network) -> str:
    """A group's kind in the network's country's words (the heads' group above all)."""
    if group.kind == GroupKind.HEADTEACHER:
        return str(profile_of(network).terms.heads_group)
    return group.get_kind_display()
