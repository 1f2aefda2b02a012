"""New Zealand's Equity Index is an index, not a percentage (issue 17, item 2): in a Kāhui Ako the
labels, the against-the-odds band and the peers follow it."""

import csv
import io

from django.test import Client
from django.urls import reverse

from netlearn.impact import selectors
from netlearn.networks.models import Country, School

from .factories import import_csv, school_csv


def _kahui_ako(world):
    world.network.country = Country.NEW_ZEALAND
    world.network.save()
    School.objects.filter(
        pk__in=[s.pk for s in (world.school_a, world.school_b, world.school_c)]
    ).update(country=Country.NEW_ZEALAND)
    a, b, c = (s.reference for s in (world.school_a, world.school_b, world.school_c))
    # Equity Index 500 and 520: more socio-economic barriers; 400: fewer.
    rows = [(a, 2024, 80.0, 42, 500, None, None), (b, 2024, 50.0, 42, 400, None, None)]
    rows.append((c, 2024, 70.0, 42, 520, None, None))
    return import_csv(world.network, by=world.data_lead, text=school_csv(rows))


def test_schools_against_the_odds_of_a_kahui_ako_are_in_an_equity_index_band(world):
    dataset = _kahui_ako(world)
    report = selectors.school_report(dataset=dataset)
    assert report.scale.is_index and report.band == (470.0, 569.0)
    # Alder (EQI 500, quartile 1) and Cedar (EQI 520, quartile 2); under the FSM band of 35 to
    # 50 (a percentage) no index value would ever fall in it.
    assert report.against_the_odds == ["Alder Primary", "Cedar Academy"]
    england = selectors.school_report(dataset=dataset, band=(35.0, 50.0))
    assert england.against_the_odds == []


def test_an_english_networks_band_is_still_a_percentage_of_fsm(world):
    rows = [(world.school_a.reference, 2024, 80.0, 42, 40.0, None, None)]
    dataset = import_csv(world.network, by=world.data_lead, text=school_csv(rows))
    report = selectors.school_report(dataset=dataset)
    assert not report.scale.is_index and report.band == (35.0, 50.0)


def test_the_page_chart_csv_and_api_call_it_an_index(world):
    dataset = _kahui_ako(world)
    client = Client()
    client.force_login(world.teacher)
    page = client.get(reverse("impact:dataset", args=[dataset.pk])).content.decode()
    assert "Equity Index 470.0–569.0" in page
    assert "Disadvantage %" not in page and "569.0%" not in page
    assert '<th scope="col">Equity Index</th>' in page
    svg = client.get(reverse("impact:scatter_svg", args=[dataset.pk])).content.decode()
    assert "Equity Index</text>" in svg and "470 to 569 on the Equity Index" in svg
    assert "% disadvantaged" not in svg
    csv_text = client.get(reverse("impact:schools_csv", args=[dataset.pk])).content.decode()
    assert next(csv.reader(io.StringIO(csv_text)))[4] == "Equity Index"
    body = client.get(f"/api/v1/impact/datasets/{dataset.pk}/schools").json()
    assert body["disadvantage"] == "Equity Index" and body["disadvantage_is_index"] is True
    assert body["band"] == [470.0, 569.0]
