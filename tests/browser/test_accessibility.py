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


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const active = document.activeElement;
            return {
                tag: active.tagName.toLowerCase(),
                id: active.id,
                role: active.getAttribute("role"),
                invalid: active.getAttribute("aria-invalid"),
                inRegion: !!document.querySelector("#group-members").contains(active),
            };
        }"""
    )


def test_focus_stays_where_the_person_acted_after_a_partial_update(browser, live_server, world):
    """WCAG 2.4.3: the button pressed is swapped away with its row; the keyboard is not sent back
    to the top of the page (web/static/web/focus.js)."""
    page = signed_in(browser, live_server, world.co_leader.email)
    page.goto(f"{live_server.url}/n/{world.network.slug}/groups/{world.group.pk}/")
    members = page.locator("#group-members .member-list > li")
    before = members.count()
    assert before >= 1
    page.locator("#group-members .member-list button").first.focus()
    page.keyboard.press("Enter")
    expect(members).to_have_count(before - 1)
    page.wait_for_function("() => document.activeElement !== document.body")
    assert focused(page)["inRegion"]

    # The server's answer to a form with nothing chosen (the browser's own check is skipped).
    page.evaluate(
        "document.querySelectorAll('#group-members [required]')"
        ".forEach(field => field.removeAttribute('required'))"
    )
    page.get_by_role("button", name="Add to group").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#group-members [role=alert], #group-members .error").first).to_be_visible()
    page.wait_for_function("() => document.activeElement !== document.body")
    now = focused(page)
    assert now["inRegion"] and (now["invalid"] == "true" or now["role"] == "alert"), now
    page.context.close()


def test_the_api_documentation_loads_under_the_policy_and_passes_the_audit(
    browser, live_server, world
):
    """django-ninja's Swagger UI page, served from our own static files under the strict CSP:
    audited once it has drawn the operations, with a read and a write open (it draws after the
    page's load, when the automatic audit has already run)."""
    page = signed_in(browser, live_server, world.co_leader.email)
    refused = []
    page.on("console", lambda message: message.type == "error" and refused.append(message.text))
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".opblock").first).to_be_visible()
    page.locator(".opblock-get .opblock-summary").first.click()
    page.locator(".opblock-post .opblock-summary").first.click()
    expect(page.locator(".opblock-post .opblock-body").first).to_be_visible()
    expect(page.locator(".try-out__btn")).to_have_count(0)
    found = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: "tag", values: tags},
                                       resultTypes: ["violations"]})
            .then(results => results.violations.map(v =>
                v.id + " at " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")))""",
        conftest.WCAG_TAGS,
    )
    assert found == []
    assert refused == []
    page.context.close()
