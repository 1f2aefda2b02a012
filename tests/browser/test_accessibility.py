"""Accessibility beyond each flow's own pages (issue 21, item 5): the axe-core audit that every
browser test runs is shown to catch a broken page; the error pages pass it; no page is wider than
a 320 px screen (WCAG 1.4.10 reflow)."""

import pytest
from playwright.sync_api import expect

from netlearn.networks.tests.world import PASSWORD
from tests.browser import conftest
from tests.browser.sign_in import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROWEST = {"width": 320, "height": 640}


def wait_for_audit(page, path):
    for _ in range(50):
        found = [each for seen, each in conftest.audited if seen == path]
        if found:
            return found[0]
        page.wait_for_timeout(100)
    raise AssertionError(f"axe-core never reported on {path}")


def test_the_audit_catches_a_page_that_breaks_a_rule(browser):
    context = browser.new_context()
    page = context.new_page()
    page.route(
        "http://audit.test/broken",
        lambda route: route.fulfill(
            content_type="text/html",
            body='<!doctype html><html><body><img src="x.png"><input></body></html>',
        ),
    )
    page.goto("http://audit.test/broken")
    rules = {each["rule"] for each in wait_for_audit(page, "/broken")}
    assert {"image-alt", "html-has-lang", "label"} <= rules
    conftest.audited.clear()  # the failure was the point
    context.close()


def test_error_pages_have_the_frame_a_way_back_and_pass_the_audit(browser, live_server, world):
    page = signed_in(browser, live_server, world.teacher.email)
    page.goto(f"{live_server.url}/n/{world.foreign_network.slug}/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    assert wait_for_audit(page, f"/n/{world.foreign_network.slug}/") == []
    page.goto(f"{live_server.url}/accounts/me/tokens/")  # a form's action, opened as a page
    expect(page.get_by_role("heading", name="This page cannot be opened this way")).to_be_visible()
    assert wait_for_audit(page, "/accounts/me/tokens/") == []
    page.get_by_role("link", name="Go to your home page").click()
    expect(page.get_by_role("heading", name="My networks")).to_be_visible()
    page.context.close()


def test_no_page_is_wider_than_a_320_pixel_screen(browser, live_server, world):
    context = browser.new_context(viewport=NARROWEST, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email or username").fill(world.co_leader.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My networks")).to_be_visible()
    slug = world.network.slug
    paths = [
        "/",
        f"/n/{slug}/",
        f"/n/{slug}/schools/",
        f"/n/{slug}/people/",
        f"/n/{slug}/roles/",
        f"/n/{slug}/groups/{world.group.pk}/",
        f"/n/{slug}/calendar/",
        f"/n/{slug}/calendar/week/",
        f"/n/{slug}/charter/",
        f"/n/{slug}/library/",
        f"/n/{slug}/discussions/",
        f"/n/{slug}/exchange/",
        f"/n/{slug}/impact/",
        "/notifications/",
        "/accounts/me/",
        "/n/no-such-network/",
    ]
    too_wide = {}
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROWEST["width"]:
            too_wide[path] = width
    assert not too_wide, f"wider than {NARROWEST['width']} px: {too_wide}"
    context.close()
