"""A co-leader follows a focus's golden thread from the charter (issue 17)."""

import re

import pytest
from playwright.sync_api import expect

from netlearn.golden_thread.tests.thread_factories import (
    add_activity,
    add_pdsa,
    focus_with_goal,
    publish_account,
    value_added,
)

from .sign_in import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_co_leader_follows_the_golden_thread_from_the_focus(browser, live_server, world):
    focus, goal = focus_with_goal(world)
    add_activity(world, focus)
    enquiry = add_pdsa(world, focus, goal)
    publish_account(world, enquiry)
    value_added(world, goal)

    page = signed_in(browser, live_server, "coleader")
    page.goto(f"{live_server.url}{focus.get_absolute_url()}")
    page.get_by_role("link", name=re.compile("^Golden thread")).click()

    expect(page.get_by_role("heading", name=re.compile("Goals: baseline"))).to_be_visible()
    expect(
        page.get_by_role("heading", name="Pupils at the expected standard in writing (% of pupils)")
    ).to_be_visible()
    expect(page.get_by_text("attend at least 67% of network meetings")).to_be_visible()
    expect(page.get_by_role("link", name="Writing moderation meeting")).to_be_visible()
    expect(
        page.get_by_role("link", name="Do daily drafting starters raise stamina?")
    ).to_be_visible()
    expect(page.locator("figure.run-chart svg")).to_be_visible()
    expect(page.get_by_role("link", name="Drafting starters", exact=True)).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("^Cedar Academy c"))).to_be_visible()
    page.context.close()
