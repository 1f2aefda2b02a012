import re

import pytest
from playwright.sync_api import expect

from netlearn.networks.tests.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My networks")).to_be_visible()


def test_co_leader_adds_a_school_to_a_group_from_the_network_home(
    page, live_server, world, artifacts
):
    sign_in(page, live_server, world.co_leader.email)
    page.get_by_role("link", name="Riverside NLC").click()
    expect(page.get_by_role("heading", name="Riverside NLC", level=1)).to_be_visible()
    expect(page.get_by_text("People leading something")).to_be_visible()

    page.get_by_role("link", name="Writing development group").click()
    members = page.locator("#group-members")
    expect(members.get_by_role("link", name="Birch Primary")).to_have_count(0)
    page.get_by_label("or a whole school").select_option(label="Birch Primary")
    page.get_by_role("button", name="Add to group").click()
    # htmx swaps the members list in place, without a full page load.
    expect(members.get_by_role("link", name="Birch Primary")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/groups/\d+/$"))
    page.screenshot(path=artifacts / "group-with-new-school.png", full_page=True)

    page.reload()
    expect(page.locator("#group-members").get_by_role("link", name="Birch Primary")).to_be_visible()
    assert world.group.members.filter(school=world.school_b).exists()


def test_co_leader_finds_a_person_by_typing_and_adds_them_to_a_group(
    page, live_server, world, artifacts
):
    sign_in(page, live_server, world.co_leader.email)
    page.goto(f"{live_server.url}/n/riverside/groups/{world.group.pk}/")
    members = page.locator("#group-members")
    expect(members.get_by_role("link", name="Sam Head")).to_have_count(0)
    # No list of everyone: a search box fetches the few people who match.
    expect(page.locator("select[name=person]")).to_have_count(0)
    page.get_by_label("A person").fill("Sam")
    choice = page.get_by_role("radio", name=re.compile("Sam Head"))
    expect(choice).to_be_visible()
    expect(page.get_by_role("radio", name=re.compile("Tia Teacher"))).to_have_count(0)
    choice.check()
    page.screenshot(path=artifacts / "group-person-picker.png", full_page=True)
    page.get_by_role("button", name="Add to group").click()
    expect(members.get_by_role("link", name="Sam Head")).to_be_visible()
    assert world.group.members.filter(person=world.school_lead).exists()


def test_a_wrong_password_is_refused_with_a_clear_message(page, live_server, world):
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email or username").fill("teacher")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("correct username and password")


def test_people_directory_filters_as_you_type_on_a_phone(browser, live_server, world, artifacts):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server, "teacher")
    page.goto(f"{live_server.url}/n/riverside/people/")
    page.get_by_label("Name").fill("Cora")
    expect(page.locator("#results")).not_to_contain_text("Tia Teacher")
    expect(page.locator("#results")).to_contain_text("Cora Leader")
    page.screenshot(path=artifacts / "people-directory-phone.png", full_page=True)
    context.close()
