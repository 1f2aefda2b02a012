"""The collaboration map in a browser (issue 18): a co-leader sees which school brokers between
the others and which school has no tie, in the listing, the table and the drawing."""

import pytest
from playwright.sync_api import expect

from netlearn.networks import services as network_services
from netlearn.networks.models import GroupKind
from netlearn.networks.tests.factories import SchoolFactory

from .sign_in import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _schools_group(world, name, *schools):
    group = network_services.create_group(
        network=world.network, name=name, kind=GroupKind.DEVELOPMENT, by=world.admin
    )
    for school in schools:
        network_services.add_group_member(group=group, school=school, by=world.admin)


def test_the_map_shows_the_broker_school_and_the_isolated_one(browser, live_server, world):
    # Alder–Birch and Birch–Cedar work together: Birch is the only path between the two (a third
    # of the pairs among four schools, so a betweenness of 0.333).
    _schools_group(world, "Alder and Birch visits", world.school_a, world.school_b)
    _schools_group(world, "Birch and Cedar planning", world.school_b, world.school_c)
    elm = SchoolFactory(name="Elm Primary", reference="900010")
    network_services.add_school_to_network(network=world.network, school=elm, by=world.admin)

    page = signed_in(browser, live_server, "coleader")
    page.goto(f"{live_server.url}/n/riverside/health/map/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Who learns with whom")
    expect(page.locator("#broker-schools")).to_have_text("Birch Primary")
    expect(page.locator("#isolated-schools")).to_have_text("Elm Primary")

    table = page.get_by_role("table", name="Each school's ties (the figures of the map)")
    birch = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Birch Primary"))
    expect(birch.locator("td")).to_have_text(["2", "0.333", "broker", ""])
    elm_row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Elm Primary"))
    expect(elm_row.locator("td")).to_have_text(["0", "0.0", "", "isolated"])
    alder = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Alder Primary"))
    expect(alder.locator("td")).to_have_text(["1", "0.0", "", ""])

    drawing = page.locator("#schools-heading ~ figure svg")
    expect(drawing).to_have_count(1)
    expect(drawing.locator("title").first).to_contain_text("Ties between the schools of")
    page.context.close()
