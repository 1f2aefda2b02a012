"""The languages: a person's choice, their network's default, the switcher, the API, `lang`."""

import csv
import json
import re
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.urls import reverse

from netlearn.accounts.models import Person
from netlearn.core import catalogues
from netlearn.networks.models import Country

API = "/api/v1"
LOCALE_DIR = Path(settings.LOCALE_PATHS[0])


def client_for(person, **kwargs) -> Client:
    client = Client(**kwargs)
    if person is not None:
        client.force_login(person)
    return client


def lang_of(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_a_visitor_gets_english_of_the_united_kingdom(db):
    page = Client().get(reverse("accounts:login"))
    assert lang_of(page) == "en-GB"


def test_a_visitor_whose_browser_asks_for_te_reo_gets_it(db):
    page = Client(HTTP_ACCEPT_LANGUAGE="mi").get(reverse("accounts:login"))
    assert lang_of(page) == "mi"


def test_a_person_in_a_new_zealand_network_gets_its_english(world):
    world.network.country = Country.NEW_ZEALAND
    world.network.save(update_fields=["country"])
    page = client_for(world.teacher).get(reverse("web:home"))
    assert lang_of(page) == "en-NZ"


def test_a_network_chooses_te_reo_for_its_people(world):
    world.network.language = "mi"
    world.network.save(update_fields=["language"])
    page = client_for(world.teacher).get(reverse("networks:home", args=[world.network.slug]))
    assert lang_of(page) == "mi"
    html = page.content.decode()
    assert "Kōrerorero" in html and "Ngā kura" in html and "Takiputa" in html


def test_a_persons_choice_wins_over_the_network_and_switching_back_works(world):
    client = client_for(world.teacher)
    home = reverse("networks:home", args=[world.network.slug])
    answer = client.post(reverse("accounts:set_language"), {"language": "mi", "next": home})
    assert answer.status_code == 302 and answer["Location"] == home
    world.teacher.refresh_from_db()
    assert world.teacher.language == "mi"
    page = client.get(home)
    assert lang_of(page) == "mi"
    assert 'aria-current="page">Tirohanga whānui</a>' in page.content.decode()
    client.post(reverse("accounts:set_language"), {"language": "en-gb", "next": home})
    page = client.get(home)
    assert lang_of(page) == "en-GB"
    assert "Overview" in page.content.decode()


def test_an_unknown_language_changes_nothing(world):
    client = client_for(world.teacher)
    answer = client.post(reverse("accounts:set_language"), {"language": "xx", "next": "/"})
    assert answer.status_code == 302
    world.teacher.refresh_from_db()
    assert world.teacher.language == ""


def test_the_switcher_never_sends_a_person_to_another_site(world):
    answer = client_for(world.teacher).post(
        reverse("accounts:set_language"), {"language": "mi", "next": "https://evil.example/"}
    )
    assert answer["Location"] == reverse("web:home")


def test_a_visitors_choice_is_kept_in_the_language_cookie(db):
    client = Client()
    client.post(reverse("accounts:set_language"), {"language": "mi", "next": "/"})
    assert lang_of(client.get(reverse("accounts:login"))) == "mi"


def test_the_api_sets_and_shows_the_language(world):
    client = client_for(world.teacher)
    answer = client.put(f"{API}/me/language", {"language": "mi"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["language"] == "mi"
    assert Person.objects.get(pk=world.teacher.pk).language == "mi"
    refused = client.put(f"{API}/me/language", {"language": "fr"}, content_type="application/json")
    assert refused.status_code == 422
    assert Person.objects.get(pk=world.teacher.pk).language == "mi"


def test_the_committed_catalogues_are_compiled_from_their_po_files():
    for language in catalogues.languages_in(LOCALE_DIR):
        mo = catalogues.catalogue_path(LOCALE_DIR, language).with_suffix(".mo")
        assert mo.read_bytes() == catalogues.compiled(LOCALE_DIR, language), (
            f"{mo} is stale: run `netlearn compile_catalogues` and commit it"
        )


def test_te_reo_falls_back_to_new_zealand_english():
    entries = [catalogues.Entry(msgid="colour"), catalogues.Entry(msgid="school", strings=["kura"])]
    fallback = [catalogues.Entry(msgid="colour", strings=["colour (NZ)"])]
    filled = {entry.msgid: entry.strings for entry in catalogues.with_fallback(entries, fallback)}
    assert filled == {"colour": ["colour (NZ)"], "school": ["kura"]}


def test_the_translations_page_lists_coverage_per_language(db):
    page = Client().get(reverse("web:translations"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Te reo Māori" in html and "English (New Zealand)" in html
    cover = catalogues.coverage(LOCALE_DIR, "mi")
    assert 0 < cover.translated < cover.total  # the rest falls back to New Zealand English
    assert f"{cover.translated} ({cover.percent}%)" in html


def test_coverage_is_read_again_only_when_a_catalogue_changes(tmp_path, monkeypatch):
    for code in ("mi", "en_NZ"):
        copy = catalogues.catalogue_path(tmp_path, code)
        copy.parent.mkdir(parents=True)
        copy.write_bytes(catalogues.catalogue_path(LOCALE_DIR, code).read_bytes())
    read = []
    real_read_po = catalogues.read_po
    monkeypatch.setattr(catalogues, "read_po", lambda path: read.append(path) or real_read_po(path))

    first = catalogues.coverage(tmp_path, "mi")
    assert len(read) == 2  # the catalogue and its fallback
    assert catalogues.coverage(tmp_path, "mi") == first
    assert len(read) == 2

    # A translator finishes one more entry: the page counts it at once.
    path = catalogues.catalogue_path(tmp_path, "mi")
    text = path.read_text(encoding="utf-8")
    # An untranslated entry written on one line (a long one is wrapped over several).
    source = next(
        single
        for entry in first.missing
        for single in [f'msgid {json.dumps(entry.msgid, ensure_ascii=False)}\nmsgstr ""\n']
        if entry.plural is None and single in text
    )
    path.write_text(
        text.replace(source, source.replace('msgstr ""', 'msgstr "whakamātautau"')),
        encoding="utf-8",
    )
    again = catalogues.coverage(tmp_path, "mi")
    assert len(read) == 4
    assert again.translated == first.translated + 1


def test_every_glossary_term_is_the_catalogues_translation():
    entries = {
        entry.key: entry
        for entry in catalogues.read_po(catalogues.catalogue_path(LOCALE_DIR, "mi"))
    }
    with (LOCALE_DIR / "glossary-mi.csv").open(encoding="utf-8") as glossary:
        rows = list(csv.DictReader(glossary))
    assert rows
    for row in rows:
        key = f"{row['context']}\x04{row['english']}" if row["context"] else row["english"]
        assert key in entries, f"{row['english']!r} is no longer a message"
        assert entries[key].strings == [row["te_reo"]] and entries[key].translated, row
        assert row["source"].strip(), row
