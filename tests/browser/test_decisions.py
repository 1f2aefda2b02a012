"""Group decisions end to end (issue 19): Pendle's seven heads decide by consent, through a block
and a revision, and by ranked choice; the network reads the log; another school's teacher sees
nothing."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from netlearn.networks import services
from netlearn.networks.models import GroupKind, PostLevel, Role
from netlearn.networks.tests.factories import NetworkFactory, PersonFactory, SchoolFactory

from .sign_in import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCHOOLS = ["Barley", "Black Moss", "Downham", "Fence", "Higham", "Newchurch", "Roughlee"]


def pendle(admin):
    network = NetworkFactory(name="Pendle Small Schools NLC", slug="pendle")
    heads = []
    for index, place in enumerate(SCHOOLS):
        school = SchoolFactory(name=f"{place} Primary", reference=f"9905{index:02d}")
        services.add_school_to_network(network=network, school=school, by=admin)
        head = PersonFactory(username=f"head{index}", name=f"{place} Head")
        services.add_staff_post(
            person=head,
            school=school,
            job_title="Headteacher",
            level=PostLevel.HEAD,
            leads_school=True,
        )
        heads.append(head)
    services.assign_role(network=network, person=heads[1], role=Role.CO_LEADER, by=None)
    group = services.create_group(
        network=network, name="Headteacher group", kind=GroupKind.HEADTEACHER, by=admin
    )
    for head in heads:
        services.add_group_member(group=group, person=head, by=admin)
    teacher = PersonFactory(username="pendleteacher", name="Fence Teacher")
    services.add_staff_post(
        person=teacher,
        school=network.schools.get(name="Fence Primary"),
        job_title="Class teacher",
        level=PostLevel.TEACHER,
    )
    return network, heads


def closes_in_a_week() -> str:
    return (timezone.localtime() + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")


def propose(page, live_server, *, title, text, method, options=""):
    page.goto(f"{live_server.url}/n/pendle/decisions/")
    page.get_by_role("link", name="New proposal").click()
    page.get_by_label("Deciding group").select_option(label="Headteacher group")
    page.get_by_label("Title").fill(title)
    page.get_by_label(re.compile(r"^Proposal:?$")).fill(text)
    page.get_by_label("How the group decides").select_option(label=method)
    if options:
        page.get_by_label("Options").fill(options)
    page.get_by_label("Closes").fill(closes_in_a_week())
    page.get_by_role("button", name="Propose").click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    return page.url


def give_position(page, url, stance, reason=""):
    page.goto(url)
    page.get_by_label(stance, exact=True).check()
    if reason:
        page.get_by_label("Reason").fill(reason)
    page.get_by_role("button", name="Record my position").click()
    expect(page.get_by_text("Your position is recorded.")).to_be_visible()


def test_pendles_heads_decide_by_consent_and_by_ranked_choice(
    browser, live_server, world, artifacts
):
    network, heads = pendle(world.admin)

    page = signed_in(browser, live_server, "head1")
    page.goto(f"{live_server.url}/n/pendle/")
    page.get_by_role("link", name="Decisions").first.click()
    expect(
        page.get_by_role("heading", name="Decisions of Pendle Small Schools NLC")
    ).to_be_visible()
    inset = propose(
        page,
        live_server,
        title="Shared INSET day",
        text="All seven schools close on 3 March for a shared INSET day on mixed-age teaching.",
        method="Consent",
    )
    ranked = propose(
        page,
        live_server,
        title="Next year's shared focus",
        text="Rank the foci for next year's joint work.",
        method="Ranked choice (instant-runoff)",
        options="Outdoor learning\nReading for pleasure\nMixed-age planning",
    )
    page.context.close()

    # Round one: Roughlee's head blocks, with a reason; the others agree.
    for index, head in enumerate(heads):
        page = signed_in(browser, live_server, head.username)
        if index == 6:
            give_position(page, inset, "Block", "3 March is our moderation day: any other date.")
        else:
            give_position(page, inset, "Agree")
        page.context.close()

    page = signed_in(browser, live_server, "head1")
    page.goto(inset)
    positions = page.locator("section[aria-labelledby=positions-heading]")
    expect(positions).to_contain_text("Roughlee Head")
    expect(positions).to_contain_text("3 March is our moderation day")
    page.get_by_role("link", name="Revise the proposal").click()
    page.get_by_label("Revised proposal").fill(
        "All seven schools close on 10 March for a shared INSET day on mixed-age teaching."
    )
    page.get_by_label("What changed").fill("Moved to 10 March, after Roughlee's moderation day.")
    page.get_by_label("Closes").fill(closes_in_a_week())
    page.get_by_role("button", name="Revise").click()
    expect(page.get_by_text("Revised: positions start again")).to_be_visible()
    expect(page.get_by_role("heading", name="The proposal (revision 2)")).to_be_visible()
    page.context.close()

    # Round two, and the ranked choice: 3 outdoor, 2 reading, 2 mixed-age first; mixed-age
    # (listed last among the fewest) goes, and its ballots pass to reading: 4 to 3.
    rankings = [
        ("Outdoor learning", "Reading for pleasure"),
        ("Outdoor learning", "Mixed-age planning"),
        ("Outdoor learning",),
        ("Reading for pleasure", "Outdoor learning"),
        ("Reading for pleasure",),
        ("Mixed-age planning", "Reading for pleasure"),
        ("Mixed-age planning", "Reading for pleasure"),
    ]
    for head, ranking in zip(heads, rankings, strict=True):
        page = signed_in(browser, live_server, head.username)
        give_position(page, inset, "Agree")
        page.goto(ranked)
        for rank, option in enumerate(ranking, start=1):
            page.get_by_label(f"Rank for {option}").select_option(str(rank))
        page.get_by_role("button", name="Record my position").click()
        expect(page.get_by_text("Your position is recorded.")).to_be_visible()
        page.context.close()

    page = signed_in(browser, live_server, "head1")
    for url in (inset, ranked):
        page.goto(url)
        page.get_by_role("button", name="Close and count now").click()
    expect(page.get_by_text("Decided: Reading for pleasure.")).to_be_visible()
    page.context.close()

    # Anyone in the network reads the log, with each head's position.
    page = signed_in(browser, live_server, "pendleteacher")
    page.goto(f"{live_server.url}/n/pendle/decisions/")
    log = page.locator("section[aria-labelledby=log-heading]")
    expect(log).to_contain_text("Outcome: Consented.")
    expect(log).to_contain_text("Outcome: Decided.")
    expect(log).to_contain_text("Decided: Reading for pleasure.")
    entry = log.locator("article", has_text="Shared INSET day")
    for head in heads:
        expect(entry.get_by_role("row", name=re.compile(f"{head.name} Agree"))).to_be_visible()
    page.screenshot(path=artifacts / "decisions-log.png", full_page=True)
    page.context.close()

    # A teacher of another network's school gets nothing.
    page = signed_in(browser, live_server, "foreignteacher")
    response = page.goto(f"{live_server.url}/n/pendle/decisions/")
    assert response.status == 404
    response = page.goto(inset)
    assert response.status == 404
    page.context.close()
