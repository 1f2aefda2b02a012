"""Issue 14, item 6, done when: a teacher schedules their triad's research lesson from the page;
an external partner sees no "New activity" and is refused posting in the staff room."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from netlearn.activities.models import Activity, Audience
from netlearn.discussions import services as discussion_services
from netlearn.discussions.models import Thread

from .sign_in import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POST_AS_PAGE = """async (url) => {
  const token = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
  const body = new URLSearchParams({title: "From the partner", body: "Hello"});
  const answer = await fetch(url, {method: "POST", headers: {"X-CSRFToken": token}, body});
  return [answer.status, await answer.text()];
}"""


def local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_first_week_teacher_schedules_a_research_lesson_partner_only_reads(
    browser, live_server, world
):
    # A teacher of the writing group (a triad: docs/seed-practices.md#lesson-study) plans its
    # research lesson.
    teacher = signed_in(browser, live_server, "teacher")
    teacher.goto(f"{live_server.url}/n/riverside/")
    teacher.get_by_role("link", name="Calendar").click()
    teacher.get_by_role("link", name="New activity").click()
    start = timezone.now() + datetime.timedelta(days=6)
    teacher.get_by_label("Title").fill("Research lesson: persuasive writing")
    teacher.get_by_label("Kind").select_option(label="Learning meeting")
    teacher.get_by_label("Starts").fill(local(start))
    teacher.get_by_label("Ends").fill(local(start + datetime.timedelta(hours=1)))
    # Inviting the whole network is for the co-leaders: the form says so and keeps the input.
    teacher.get_by_role("button", name="Create activity").click()
    expect(teacher.get_by_role("alert")).to_contain_text("Only the co-leaders invite the whole")
    assert not Activity.objects.exists()
    teacher.get_by_label("Audience").select_option(label="Chosen groups, roles and people")
    teacher.get_by_label("Writing development group").check()
    teacher.get_by_role("button", name="Create activity").click()
    expect(
        teacher.get_by_role("heading", name="Research lesson: persuasive writing")
    ).to_be_visible()
    lesson = Activity.objects.get()
    assert lesson.organiser == world.teacher and lesson.audience == Audience.SELECTED
    assert list(lesson.audience_groups.all()) == [world.group]
    teacher.context.close()

    # The external partner supports the network: no "New activity", no posting in the staff room.
    room = discussion_services.open_space(network=world.network, by=world.co_leader, title="Staff")
    partner = signed_in(browser, live_server, "partner")
    partner.goto(f"{live_server.url}/n/riverside/")
    partner.get_by_role("link", name="Calendar").click()
    expect(partner.get_by_role("link", name="Month", exact=True)).to_be_visible()
    expect(partner.get_by_role("link", name="New activity")).to_have_count(0)
    assert partner.goto(f"{live_server.url}/n/riverside/activities/new/").status == 403
    partner.goto(f"{live_server.url}{room.get_absolute_url()}")
    expect(partner.get_by_role("heading", name="Staff")).to_be_visible()
    expect(partner.get_by_label("Title")).to_have_count(0)
    status, text = partner.evaluate(
        POST_AS_PAGE, f"{live_server.url}/discussions/spaces/{room.pk}/threads/"
    )
    # Refused by the policy, not by the CSRF check (whose page says the form had expired).
    assert status in (403, 404) and "Your form had expired" not in text
    assert "You cannot open this page" in text or "Page not found" in text
    assert not Thread.objects.filter(space=room).exists()
    partner.context.close()
