"""What needs me (issue 19): a co-leader proposes a charter version; each school lead finds it on
their home and in their notifications and signs off; the co-leader is told it is adopted."""

import re

import pytest
from playwright.sync_api import expect

from netlearn.charter.models import Charter
from netlearn.charter.tests.factories import build_charter
from netlearn.networks import services
from netlearn.networks.models import PostLevel
from netlearn.networks.tests.factories import PersonFactory

from .sign_in import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_each_school_lead_finds_the_proposal_on_their_home_and_the_co_leader_hears_it_is_adopted(
    browser, live_server, world, artifacts
):
    # Every member school has a lead: Birch's is in the world; Alder and Cedar get one.
    leads = {"schoollead": "Birch Primary"}
    for username, school in (("leada", world.school_a), ("leadc", world.school_c)):
        lead = PersonFactory(username=username, name=f"Head of {school.name}")
        services.add_staff_post(
            person=lead, school=school, job_title="Head", level=PostLevel.HEAD, leads_school=True
        )
        leads[username] = school.name
    *_, draft = build_charter(world.network, by=world.co_leader)

    page = signed_in(browser, live_server, "coleader")
    page.goto(f"{live_server.url}/n/riverside/charter/")
    page.get_by_role("button", name=f"Propose version {draft.number} for adoption").click()
    expect(
        page.get_by_text(f"Version {draft.number} is proposed for adoption.", exact=True)
    ).to_be_visible()
    page.context.close()

    for index, (username, school) in enumerate(leads.items()):
        page = signed_in(browser, live_server, username)
        page.goto(f"{live_server.url}/")
        waiting = page.locator("[data-home-section=waiting]")
        link = waiting.get_by_role("link", name=f"Sign off Version {draft.number} of the charter")
        expect(link).to_be_visible()
        if index == 0:
            page.screenshot(path=artifacts / "home-waiting-sign-off.png", full_page=True)
        # The same proposal waits in the notification centre.
        page.goto(f"{live_server.url}/notifications/")
        expect(
            page.get_by_text(
                f"Version {draft.number} of the charter of Riverside NLC awaits your "
                "school's sign-off"
            ).first
        ).to_be_visible()
        page.goto(f"{live_server.url}/")
        link.click()
        page.get_by_label(
            f"I have read version {draft.number} and sign it off for {school}"
        ).check()
        page.get_by_role("button", name=f"Sign off for {school}").click()
        expect(page.locator("#sign-offs")).to_contain_text(f"{school} has signed off")
        # Signed: nothing waits on their home any more.
        page.goto(f"{live_server.url}/")
        expect(page.get_by_role("link", name=re.compile("Sign off Version"))).to_have_count(0)
        page.context.close()

    assert Charter.objects.get(network=world.network).in_force_id == draft.pk
    page = signed_in(browser, live_server, "coleader")
    page.goto(f"{live_server.url}/")
    expect(
        page.locator("[data-home-section=new]").get_by_role(
            "link", name=f"Version {draft.number} of the charter came into force"
        )
    ).to_be_visible()
    page.goto(f"{live_server.url}/notifications/")
    expect(
        page.get_by_text(
            f"Version {draft.number} of the charter of Riverside NLC is adopted: every school "
            "signed it off"
        ).first
    ).to_be_visible()
    page.screenshot(path=artifacts / "home-told-adopted.png", full_page=True)
    page.context.close()
