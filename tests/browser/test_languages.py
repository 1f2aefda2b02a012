"""Te reo Māori (issue 21): a person in a Kāhui Ako switches their pages to te reo; the frame,
the network's navigation and New Zealand's education terms appear in te reo, `lang="mi"`; they
switch back to English."""

import re

import pytest
from playwright.sync_api import expect

from netlearn.networks import services
from netlearn.networks.models import Country, GroupKind

from .sign_in import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_person_switches_to_te_reo_maori_and_back(browser, live_server, world, artifacts):
    world.network.country = Country.NEW_ZEALAND
    world.network.save(update_fields=["country"])
    services.create_group(
        network=world.network, name="Tumuaki hui", kind=GroupKind.HEADTEACHER, by=world.admin
    )
    page = signed_in(browser, live_server, "teacher")
    page.goto(f"{live_server.url}/n/{world.network.slug}/")
    html = page.locator("html")
    # A Kāhui Ako's own English first: its principals, never headteachers.
    expect(html).to_have_attribute("lang", "en-NZ")
    expect(page.get_by_text("Principals' group").first).to_be_visible()

    page.get_by_label("Language").select_option("mi")
    page.get_by_role("button", name="Change language").click()
    expect(html).to_have_attribute("lang", "mi")
    main_nav = page.get_by_role("navigation", name="Matua")
    expect(main_nav.get_by_role("link", name="Kōrerorero")).to_be_visible()
    expect(main_nav.get_by_role("button", name="Takiputa")).to_be_visible()
    subnav = page.locator("nav.subnav")
    current = subnav.get_by_role("link", name="Tirohanga whānui")
    expect(current).to_have_attribute("aria-current", "page")
    expect(subnav.get_by_role("link", name="Ngā kura")).to_be_visible()
    expect(page.get_by_text("Rōpū tumuaki").first).to_be_visible()
    page.screenshot(path=artifacts / "network-home-te-reo.png", full_page=True)

    # The choice follows the person to their next page, and back to English it goes.
    page.goto(f"{live_server.url}/n/{world.network.slug}/schools/")
    expect(html).to_have_attribute("lang", "mi")
    page.get_by_label("Reo").select_option("en-gb")
    page.get_by_role("button", name="Huri i te reo").click()
    expect(html).to_have_attribute("lang", "en-GB")
    expect(page).to_have_url(re.compile(r"/schools/$"))
    expect(page.locator("nav.subnav").get_by_role("link", name="Schools")).to_have_attribute(
        "aria-current", "page"
    )
    page.context.close()


NARROW = {"width": 320, "height": 640}


def test_no_page_is_wider_than_a_320_pixel_screen(browser, live_server, world):
    """WCAG 1.4.10 (reflow): at 320 CSS pixels nothing scrolls sideways, the frame, the network's
    navigation, tables and the error pages included, in te reo Māori's longer words too."""
    world.teacher.language = "mi"
    world.teacher.save(update_fields=["language"])
    page = signed_in(browser, live_server, "teacher")
    page.set_viewport_size(NARROW)
    slug = world.network.slug
    paths = ["/", f"/n/{slug}/", f"/n/{slug}/schools/", f"/n/{slug}/people/", "/no-such-page/"]
    wide = {}
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROW["width"]:
            wide[path] = width
    assert wide == {}
    page.context.close()
