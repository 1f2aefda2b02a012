"""The country profile: one place says how each country's schools speak and count."""

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from netlearn.analytics import disclosure
from netlearn.core.money import Currency
from netlearn.networks.country import (
    ENGLAND,
    NEW_ZEALAND,
    language_of,
    other_countries_measures,
    profile_of,
)
from netlearn.networks.models import Country, Network


def test_each_country_has_its_words_money_zone_measure_rules_and_language():
    assert (str(ENGLAND.terms.head), str(NEW_ZEALAND.terms.head)) == ("headteacher", "principal")
    assert (str(ENGLAND.terms.inspectorate), str(NEW_ZEALAND.terms.inspectorate)) == (
        "Ofsted",
        "ERO",
    )
    assert (ENGLAND.currency, NEW_ZEALAND.currency) == (Currency.GBP, Currency.NZD)
    assert (ENGLAND.time_zone, NEW_ZEALAND.time_zone) == ("Europe/London", "Pacific/Auckland")
    assert (ENGLAND.disclosure_mode, NEW_ZEALAND.disclosure_mode) == (
        disclosure.ENGLAND,
        disclosure.NEW_ZEALAND,
    )
    assert not ENGLAND.disadvantage.is_index and NEW_ZEALAND.disadvantage.is_index


def test_the_equity_index_is_banded_as_an_index_not_a_percentage():
    measure = NEW_ZEALAND.disadvantage
    assert measure.shown(Decimal(487)) == "487"
    assert measure.band_of(400) == "fewer socio-economic barriers"
    assert measure.band_of(450) == "moderate socio-economic barriers"
    assert measure.band_of(520) == "more socio-economic barriers"
    assert ENGLAND.disadvantage.shown(Decimal("42.0")) == "42%"
    assert ENGLAND.disadvantage.band_of(42) == "high"


def test_a_networks_language_is_its_own_choice_else_its_countrys():
    kahui_ako = Network(country=Country.NEW_ZEALAND)
    assert language_of(kahui_ako) == "en-nz"
    kahui_ako.language = "mi"
    assert language_of(kahui_ako) == "mi"
    assert language_of(Network(country=Country.ENGLAND)) == "en-gb"


def test_each_country_is_offered_only_its_own_national_measures():
    assert (
        other_countries_measures(Network(country=Country.NEW_ZEALAND)) == ENGLAND.national_measures
    )
    assert other_countries_measures(Network(country=Country.ENGLAND)) == ("ncea-",)
    assert profile_of(Network(country=Country.NEW_ZEALAND)) is NEW_ZEALAND


def test_a_school_page_names_its_countrys_measure_and_authority(world):
    school = world.school_a
    school.country, school.equity_index, school.authority = Country.NEW_ZEALAND, 520, "Waikato"
    school.save()
    client = Client()
    client.force_login(world.co_leader)
    page = client.get(reverse("networks:school", args=[school.pk])).content.decode()
    assert "Equity Index (EQI)" in page and "520 (more socio-economic barriers)" in page
    assert "<dt>Region</dt>" in page and "FSM" not in page and "Local authority" not in page


def test_a_co_leader_sets_the_networks_language_and_a_teacher_cannot(world):
    url = reverse("networks:language", args=[world.network.slug])
    teacher = Client()
    teacher.force_login(world.teacher)
    assert teacher.post(url, {"language": "mi"}).status_code == 403
    co_leader = Client()
    co_leader.force_login(world.co_leader)
    assert co_leader.post(url, {"language": "xx"}).status_code == 302
    assert Network.objects.get(pk=world.network.pk).language == ""
    co_leader.post(url, {"language": "mi"})
    assert Network.objects.get(pk=world.network.pk).language == "mi"
    answer = co_leader.put(
        f"/api/v1/networks/{world.network.slug}/language",
        {"language": "en-nz"},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["language"] == "en-nz"
    refused = teacher.put(
        f"/api/v1/networks/{world.network.slug}/language",
        {"language": "mi"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert Network.objects.get(pk=world.network.pk).language == "en-nz"
