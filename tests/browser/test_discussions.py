"""Issue 8, done when: a pupil's post waits for a moderator, is approved, reported and logged; a
poll voted by six pupils shows its results only once it closes. In Chromium."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from netlearn.discussions import services
from netlearn.discussions.models import Audience, Moderation, Poll
from netlearn.discussions.tests.factories import make_pupil
from netlearn.networks.tests.world import PASSWORD

from .sign_in import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pre_moderated_pupil_space_reports_and_an_anonymous_poll(
    browser, live_server, world, artifacts
):
    space = services.open_space(
        network=world.network,
        by=world.co_leader,
        title="Year 7 homework project",
        audience=Audience.PUPILS,
        school=world.school_a,
        moderation=Moderation.ALL_POSTS,
    )
    services.set_network_settings(
        network=world.network, by=world.co_leader, blocked_words="idiot", retention_days=365
    )
    classmates = [
        make_pupil(world.school_a, username=f"pupil{n}", name=f"Pupil {n}") for n in range(1, 6)
    ]
    for person in [*classmates]:
        person.set_password(PASSWORD)
        person.save()

    # A pupil posts: it waits for a moderator, and a classmate cannot see it.
    pip = signed_in(browser, live_server, "pupil")
    pip.goto(f"{live_server.url}/discussions/")
    pip.get_by_role("link", name="Year 7 homework project").click()
    expect(pip.get_by_role("note")).to_contain_text("Staff moderate this space")
    pip.get_by_label("Title").fill("Interviewing a grandparent")
    pip.get_by_label("Message").fill("I asked my gran about her **first school**.")
    pip.get_by_role("button", name="Post", exact=True).click()
    expect(pip.get_by_text("waiting for a moderator").first).to_be_visible()
    thread_url = pip.url

    ola = signed_in(browser, live_server, "pupil1")
    response = ola.goto(thread_url)
    assert response.status == 404

    # A post with a blocked word is held too.
    pip.goto(f"{live_server.url}{space.get_absolute_url()}")
    pip.get_by_label("Title").fill("Rude")
    pip.get_by_label("Message").fill("You idiot")
    pip.get_by_role("button", name="Post", exact=True).click()
    expect(pip.get_by_text("waiting for a moderator").first).to_be_visible()

    # The staff moderator approves the first post from the queue.
    moderator = signed_in(browser, live_server, "coleader")
    moderator.goto(f"{live_server.url}/n/riverside/discussions/moderation/")
    expect(moderator.get_by_text("Contains a word on the network's blocked list")).to_be_visible()
    moderator.get_by_role("button", name="Approve the post by Pip").first.click()
    expect(moderator.get_by_role("status")).to_contain_text("moderation log records it")

    # The pupil sees it published; a classmate sees it and reports it.
    pip.goto(thread_url)
    expect(pip.get_by_text("first school")).to_be_visible()
    expect(pip.get_by_text("waiting for a moderator")).to_have_count(0)
    ola.goto(thread_url)
    expect(ola.get_by_text("first school")).to_be_visible()
    ola.get_by_role("link", name="Report this post by Pip").click()
    ola.get_by_label("It is unkind or bullying").check()
    ola.get_by_role("button", name="Send report").click()
    expect(ola.get_by_role("status")).to_contain_text("A member of staff will look at it")

    # The report is in the safeguarding queue; the log shows every action.
    moderator.goto(f"{live_server.url}/n/riverside/discussions/moderation/")
    expect(moderator.get_by_role("heading", name="Reports (1)")).to_be_visible()
    expect(moderator.get_by_text("It is unkind or bullying")).to_be_visible()
    moderator.goto(f"{live_server.url}/n/riverside/discussions/moderation/log/")
    log = moderator.get_by_role("table")
    for action in ("Held for review", "Approved", "Reported"):
        expect(log.get_by_text(action).first).to_be_visible()
    moderator.screenshot(path=str(artifacts / "discussions-moderation-log.png"), full_page=True)

    # A school council poll: six pupils vote; results appear only after it closes.
    poll = services.create_poll(
        space=space,
        by=world.co_leader,
        question="What should the School Council discuss first?",
        options=["Lunchtime clubs", "Homework timetable"],
        closes_at=timezone.now() + datetime.timedelta(days=2),
    )
    voters = [pip, ola] + [signed_in(browser, live_server, f"pupil{n}") for n in range(2, 6)]
    for voter in voters:
        voter.goto(f"{live_server.url}{poll.get_absolute_url()}")
        voter.get_by_label("Lunchtime clubs").check()
        voter.get_by_role("button", name="Vote").click()
        expect(voter.get_by_role("status").first).to_contain_text("nobody can see")
    expect(pip.get_by_text("Results appear when the poll closes")).to_be_visible()
    moderator.goto(f"{live_server.url}{poll.get_absolute_url()}")
    expect(moderator.get_by_text("Results appear when the poll closes")).to_be_visible()
    moderator.get_by_role("button", name="Close the poll now").click()
    results = moderator.get_by_role("table")
    expect(results.get_by_role("row", name="Lunchtime clubs 6")).to_be_visible()
    expect(results.get_by_role("row", name="Everyone who voted 6")).to_be_visible()
    assert Poll.objects.get().closed_at is not None
    pip.goto(f"{live_server.url}{poll.get_absolute_url()}")
    expect(pip.get_by_role("row", name="Lunchtime clubs 6")).to_be_visible()
    pip.screenshot(path=str(artifacts / "discussions-poll-results.png"), full_page=True)


def test_a_teacher_mentions_a_colleague_who_sees_the_notification(
    browser, live_server, world, artifacts, tmp_path
):
    space = services.open_space(network=world.network, by=world.co_leader, title="Staffroom")
    notes = tmp_path / "rubric.txt"
    notes.write_text("Marking rubric, draft 2")

    tia = signed_in(browser, live_server, "teacher")
    tia.goto(f"{live_server.url}{space.get_absolute_url()}")
    tia.get_by_label("Title").fill("Marking across schools")
    tia.get_by_label("Message").fill("What do you think, @coleader? Rubric attached.")
    tia.get_by_label("Attach files").set_input_files(str(notes))
    tia.get_by_role("button", name="Post", exact=True).click()
    expect(tia.get_by_role("heading", name="Marking across schools")).to_be_visible()
    expect(tia.get_by_role("link", name="rubric.txt")).to_be_visible()

    cole = signed_in(browser, live_server, "coleader")
    nav = cole.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Notifications 1 unread")).to_be_visible()
    nav.get_by_role("link", name="Notifications").click()
    expect(cole.locator(".notification-list")).to_contain_text(
        "Tia Teacher mentioned you in “Marking across schools”"
    )
    cole.screenshot(path=artifacts / "discussions-notification.png", full_page=True)
    cole.get_by_role("button", name="Open").click()
    expect(cole.get_by_role("heading", name="Marking across schools")).to_be_visible()
    with cole.expect_download() as download:
        cole.get_by_role("link", name="rubric.txt").click()
    assert download.value.suggested_filename == "rubric.txt"
    cole.goto(f"{live_server.url}/notifications/")
    expect(cole.get_by_text("Nothing unread.")).to_be_visible()
    tia.context.close()
    cole.context.close()
