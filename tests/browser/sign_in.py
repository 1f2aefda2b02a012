"""Signing in through the real form, as a person does, in a fresh browser context."""

import re

from playwright.sync_api import expect

from netlearn.networks.tests.world import PASSWORD

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def signed_in(browser, live_server, username, *, phone=False):
    """A page signed in as `username`, on a phone-sized screen if asked; close its .context."""
    context = browser.new_context(viewport=PHONE if phone else DESKTOP, is_mobile=phone)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/sign-in/"))
    return page
