"""Issue 4, done when: a learning walk from purpose to feedback and attendance, in Chromium."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from netlearn.activities import services as activity_services
from netlearn.activities.models import Activity
from netlearn.activities.tests.factories import move_into_past
from netlearn.networks import services as network_services
from netlearn.networks.models import Country, NetworkKind, PostLevel
from netlearn.networks.tests.factories import PersonFactory

from .sign_in import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_learning_walk_from_purpose_to_feedback_and_attendance(
    browser, live_server, world, artifacts
):
    alex = PersonFactory(username="alex", name="Alex Alder")
    network_services.add_staff_post(
        person=alex, school=world.school_a, job_title="Teacher", level=PostLevel.TEACHER
    )

    # The organiser plans a learning walk at Birch; without a purpose it is refused.
    organiser = signed_in(browser, live_server, "coleader")
    organiser.goto(f"{live_server.url}/n/riverside/")
    organiser.get_by_role("link", name="Calendar").click()
    organiser.get_by_role("link", name="New activity").click()
    start = timezone.now() + datetime.timedelta(days=3)
    organiser.get_by_label("Title").fill("Learning walk at Birch")
    organiser.get_by_label("Kind").select_option(label="Learning walk")
    organiser.get_by_label("Starts").fill(local(start))
    organiser.get_by_label("Ends").fill(local(start + datetime.timedelta(hours=2)))
    organiser.get_by_label("Host school").select_option(label="Birch Primary")
    organiser.get_by_role("button", name="Create activity").click()
    expect(organiser.get_by_role("alert")).to_contain_text("needs a purpose")
    assert not Activity.objects.exists()
    organiser.get_by_label("Purpose").fill("How does Birch make transitions calm?")
    organiser.get_by_role("button", name="Create activity").click()
    expect(organiser.get_by_role("heading", name="Learning walk at Birch")).to_be_visible()
    walk = Activity.objects.get()

    # Two members from different schools say they are going.
    for username in ("teacher", "alex"):
        member = signed_in(browser, live_server, username)
        member.goto(f"{live_server.url}{walk.get_absolute_url()}")
        member.get_by_role("button", name=re.compile(r"^Going")).click()
        expect(member.get_by_role("status")).to_contain_text("You are going")
        member.context.close()

    # The day of the walk: the organiser takes the register.
    move_into_past(walk)
    organiser.goto(f"{live_server.url}{walk.get_absolute_url()}")
    organiser.get_by_role("link", name="Register").click()
    expect(organiser.get_by_label("Tia Teacher")).to_be_checked()
    expect(organiser.get_by_label("Alex Alder")).to_be_checked()
    organiser.get_by_role("button", name="Save register").click()
    expect(organiser.get_by_role("status")).to_contain_text("2 present")

    # A visitor records what they saw, learned and will try, and what Birch heard.
    teacher = signed_in(browser, live_server, "teacher")
    teacher.goto(f"{live_server.url}{walk.get_absolute_url()}")
    teacher.get_by_role("link", name="Record feedback").click()
    teacher.get_by_label("What we saw").fill("A calm meet-and-greet at every door")
    teacher.get_by_label("What we learned").fill("Routines are taught, not assumed")
    teacher.get_by_label("What we will try").fill("A shared entry routine in Year 5")
    teacher.get_by_label("Feedback the host school received").fill("Reading corners praised")
    teacher.get_by_role("button", name="Save feedback").click()
    expect(teacher.get_by_role("status")).to_contain_text("feedback is recorded")

    # Birch's head sees the feedback about their school.
    head = signed_in(browser, live_server, "schoollead")
    head.goto(f"{live_server.url}{walk.get_absolute_url()}")
    expect(head.get_by_text("Reading corners praised")).to_be_visible()

    # The attendance rates follow the register: Birch, invited and absent, is flagged.
    organiser.get_by_role("link", name="Attendance").click()
    schools = organiser.locator("#school-attendance")
    expect(schools.get_by_role("row", name="Cedar Academy")).to_contain_text("100.0%")
    expect(schools.get_by_role("row", name="Alder Primary")).to_contain_text("100.0%")
    expect(schools.get_by_role("row", name="Birch Primary")).to_contain_text("Below commitment")
    organiser.screenshot(path=artifacts / "activities-attendance.png", full_page=True)


def test_kahui_ako_meeting_at_1530_reads_1530_in_auckland_everywhere(browser, live_server, world):
    """Issue 14: page, invitation email, iCalendar and API all say 15:30 Pacific/Auckland, though
    the server keeps London time."""
    network = world.network
    network.country, network.kind = Country.NEW_ZEALAND, NetworkKind.KAHUI_AKO
    network.save(update_fields=["country", "kind"])
    day = datetime.date.today() + datetime.timedelta(days=10)

    organiser = signed_in(browser, live_server, "coleader")
    organiser.goto(f"{live_server.url}/n/riverside/activities/new/")
    # The form offers the network's own zone; the co-leader does not touch it.
    expect(organiser.get_by_label("Time zone")).to_have_value("Pacific/Auckland")
    organiser.get_by_label("Title").fill("Kāhui Ako leads")
    organiser.get_by_label("Starts").fill(f"{day.isoformat()}T15:30")
    organiser.get_by_label("Ends").fill(f"{day.isoformat()}T17:00")
    organiser.get_by_role("button", name="Create activity").click()
    expect(organiser.get_by_role("heading", name="Kāhui Ako leads")).to_be_visible()
    expect(organiser.get_by_text("15:30–17:00")).to_be_visible()
    expect(organiser.get_by_text("Pacific/Auckland").first).to_be_visible()
    meeting = Activity.objects.get()

    invitation = next(message for message in mail.outbox if "Kāhui Ako leads" in message.subject)
    assert "15:30 to 17:00 (Pacific/Auckland)" in invitation.body
    ics = Calendar.from_ical(invitation.attachments[0][1])
    event = next(iter(ics.walk("VEVENT")))
    assert event["DTSTART"].params["TZID"] == "Pacific/Auckland"
    assert event.decoded("DTSTART").strftime("%H:%M") == "15:30"

    _, secret = activity_services.create_feed_token(person=world.teacher)
    feed = Client().get("/calendar/feed.ics", {"key": secret})
    assert f"DTSTART;TZID=Pacific/Auckland:{day:%Y%m%d}T153000" in feed.content.decode()

    api = organiser.request.get(f"{live_server.url}/api/v1/activities/{meeting.pk}")
    assert api.ok
    assert api.json()["time_zone"] == "Pacific/Auckland"
    assert api.json()["local_start"][11:16] == "15:30"
