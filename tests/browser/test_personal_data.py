import json
import zipfile

import pytest
from playwright.sync_api import expect

from .sign_in import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_teacher_downloads_their_data_from_their_profile(browser, live_server, world, tmp_path):
    page = signed_in(browser, live_server, "teacher")
    page.goto(f"{live_server.url}/accounts/me/")
    page.get_by_role("link", name="Download my data").click()
    expect(page.get_by_role("heading", name="Your data")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my data").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".zip"
    document = json.loads(zipfile.ZipFile(saved).read("data.json"))
    assert document["data"]["accounts.person"][0]["name"] == "Tia Teacher"
    page.context.close()


def test_a_site_admin_erases_a_person_after_typing_their_username(
    browser, live_server, world, artifacts
):
    page = signed_in(browser, live_server, "admin")
    page.goto(f"{live_server.url}/accounts/people/{world.partner.pk}/erase/")
    expect(page.get_by_role("heading", name="What happens")).to_be_visible()
    page.get_by_label("Type their username to confirm").fill("partner")
    page.screenshot(path=artifacts / "erase-person.png", full_page=True)
    page.get_by_role("button", name="Erase Pat Partner").click()
    expect(page.get_by_text("This person’s data was erased")).to_be_visible()
    world.partner.refresh_from_db()
    assert world.partner.name == "Former member" and not world.partner.is_active
    page.context.close()
