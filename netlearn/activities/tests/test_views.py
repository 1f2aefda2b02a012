import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from netlearn.activities import services
from netlearn.activities.models import Activity, Attendance, Rsvp, VisitFeedback
from netlearn.charter import services as charter_services
from netlearn.charter.models import CommitmentKind

from .factories import in_days, make_activity, make_walk, move_into_past


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def walk_form(world, **overrides):
    start = in_days(5, hour=9)
    data = {
        "title": "Learning walk at Birch",
        "kind": "learning_walk",
        "purpose": "How does Birch use working walls?",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "time_zone": "Europe/London",
        "host_school": world.school_b.pk,
        "audience": "network",
        "paid_by": "free",
    }
    data.update(overrides)
    return data


def test_organiser_creates_a_walk(world):
    response = client_for(world.co_leader).post(
        reverse("activities:create", args=[world.network.slug]), walk_form(world)
    )
    activity = Activity.objects.get()
    assert response.status_code == 302 and response.url == activity.get_absolute_url()
    assert activity.local_start.hour == 9 and activity.host_school == world.school_b


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"purpose": ""}, "needs a purpose"),
        ({"ends_at": in_days(5, hour=8).strftime("%Y-%m-%dT%H:%M")}, "must end after it starts"),
        ({"rsvp_closes_at": in_days(6).strftime("%Y-%m-%dT%H:%M")}, "close before"),
        ({"recurrence": "FREQ=WEEKLY"}, "COUNT"),
        ({"host_school": "999999"}, "Select a valid choice"),
    ],
)
def test_bad_activity_gets_a_clear_message_and_changes_nothing(world, overrides, message):
    response = client_for(world.co_leader).post(
        reverse("activities:create", args=[world.network.slug]), walk_form(world, **overrides)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Activity.objects.exists()


def test_only_those_who_may_schedule_open_the_new_activity_page(world):
    url = reverse("activities:create", args=[world.network.slug])
    assert client_for(world.partner).get(url).status_code == 403  # no group of their own
    assert client_for(world.foreign_co_leader).get(url).status_code == 404
    form = client_for(world.teacher).get(url)  # issue 14
    assert form.status_code == 200
    assert "You schedule for a group you belong to" in form.content.decode()
    assert "You schedule for" not in client_for(world.co_leader).get(url).content.decode()


def test_a_teacher_is_told_what_they_may_schedule(world):
    url = reverse("activities:create", args=[world.network.slug])
    teacher = client_for(world.teacher)
    # Birch is not their school: they may not invite the whole network to its walk.
    refused = teacher.post(url, walk_form(world))
    assert refused.status_code == 400
    assert "Only the co-leaders invite the whole network" in refused.content.decode()
    assert not Activity.objects.exists()
    lesson = walk_form(
        world,
        title="Research lesson",
        kind="learning_meeting",
        host_school="",
        audience="selected",
        groups=[world.group.pk],
    )
    assert teacher.post(url, lesson).status_code == 302
    assert Activity.objects.get().organiser == world.teacher


def test_full_date_puts_the_member_on_the_waiting_list_and_says_so(world):
    activity = make_activity(world, capacity=1)
    occurrence = activity.occurrences.get()
    url = reverse("activities:rsvp", args=[world.network.slug, activity.pk, occurrence.pk])
    client_for(world.school_lead).post(url, {"response": "going"})
    response = client_for(world.teacher).post(url, {"response": "going"}, follow=True)
    assert "number 1 on the waiting list" in response.content.decode()
    assert Rsvp.objects.get(person=world.teacher).response == "waiting"


def test_rsvp_after_closing_says_so_and_changes_nothing(world):
    activity = make_activity(world)
    Activity.objects.filter(pk=activity.pk).update(rsvp_closes_at=in_days(-1))
    occurrence = activity.occurrences.get()
    url = reverse("activities:rsvp", args=[world.network.slug, activity.pk, occurrence.pk])
    response = client_for(world.teacher).post(url, {"response": "going"}, follow=True)
    assert "RSVPs for this date closed" in response.content.decode()
    assert not Rsvp.objects.exists()


def test_register_feedback_and_the_host_lead_sees_it(world):
    walk = make_walk(world)
    move_into_past(walk)
    occurrence = walk.occurrences.get()
    organiser = client_for(world.co_leader)
    url = reverse("activities:register", args=[world.network.slug, walk.pk, occurrence.pk])
    assert "Tia Teacher" in organiser.get(url).content.decode()
    assert client_for(world.teacher).get(url).status_code == 403
    organiser.post(url, {"present": [world.teacher.pk]})
    assert occurrence.attendances.filter(present=True).count() == 1

    feedback_url = reverse("activities:feedback", args=[world.network.slug, walk.pk])
    client_for(world.teacher).post(
        feedback_url,
        {
            "what_we_saw": "Working walls",
            "what_we_learned": "Co-constructed criteria",
            "what_we_will_try": "Walls in Y5",
            "feedback_to_host": "Strong modelling",
        },
    )
    assert VisitFeedback.objects.count() == 1
    detail = walk.get_absolute_url()
    assert "Strong modelling" in client_for(world.school_lead).get(detail).content.decode()
    assert "Strong modelling" not in client_for(world.partner).get(detail).content.decode()

    report = client_for(world.co_leader).get(
        reverse("activities:attendance", args=[world.network.slug])
    )
    assert "Cedar Academy" in report.content.decode()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["month", "week", "list", "attendance", "release_requests"])
def test_list_pages_cost_the_same_with_few_and_many_rows(world, name):
    client = client_for(world.co_leader)
    url = reverse(f"activities:{name}", args=[world.network.slug])

    def add(day):
        activity = make_activity(world, starts_at=in_days(day), title=f"Meeting {day}")
        services.request_release(activity=activity, by=world.teacher, sessions=1)
        if name == "attendance":
            move_into_past(activity, hours=24 * day)
            services.take_register(
                occurrence=activity.occurrences.get(),
                by=world.co_leader,
                present_ids=[world.teacher.pk],
            )

    add(1)
    few = count_queries(client, url)
    for day in range(2, 6):
        add(day)
    assert count_queries(client, url) == few


def test_my_actions_lists_only_mine(world):
    activity = make_activity(world)
    lead = world.co_leader
    services.add_action(activity=activity, by=lead, title="Book hall", owner=world.teacher)
    services.add_action(activity=activity, by=lead, title="Minutes", owner=lead)
    page = client_for(world.teacher).get(reverse("activities:my_actions")).content.decode()
    assert "Book hall" in page and "Minutes" not in page


def test_release_request_and_decision(world):
    activity = make_activity(world)
    url = reverse("activities:request_release", args=[world.network.slug, activity.pk])
    response = client_for(world.teacher).post(url, {"sessions": "2", "reason": "Cover Y5"})
    assert response.status_code == 302
    request = activity.release_requests.get()
    decide = reverse("activities:decide_release", args=[world.network.slug, request.pk])
    assert client_for(world.teacher).post(decide, {"decision": "approve"}).status_code == 403
    client_for(world.co_leader).post(decide, {"decision": "approve", "amount": "240"})
    request.refresh_from_db()
    assert request.status == "approved"


def test_feed_page_shows_the_link_once(world):
    client = client_for(world.teacher)
    page = client.post(reverse("activities:feeds"), {"action": "create"}).content.decode()
    assert "?key=cal_" in page
    assert "?key=cal_" not in client.get(reverse("activities:feeds")).content.decode()


def test_attendance_threshold_follows_the_charters_attendance_commitment(world, client):
    charter = charter_services.start_charter(network=world.network, by=world.co_leader)
    charter_services.add_commitment(
        charter=charter,
        by=world.co_leader,
        text="Each school attends four fifths of meetings",
        binds="every member school",
        how_checked="Registers",
        kind=CommitmentKind.ATTENDANCE,
        attendance_threshold=80,
    )
    client.force_login(world.co_leader)
    response = client.get(reverse("activities:attendance", args=[world.network.slug]))
    assert response.context["report"].threshold == 80
    page = response.content.decode()
    assert "four fifths" in page and "Save commitment" not in page


# Issue 14, item 7: what a network trips over in its first week --------------------------------


def test_the_register_is_offered_only_once_a_date_has_started(world):
    activity = make_activity(world, starts_at=in_days(3), time_zone="Pacific/Auckland")
    occurrence = activity.occurrences.get()
    organiser = client_for(world.co_leader)
    register = reverse("activities:register", args=[world.network.slug, activity.pk, occurrence.pk])
    page = organiser.get(activity.get_absolute_url()).content.decode()
    assert register not in page and "Register opens at the start" in page
    form = organiser.get(register)
    text = form.content.decode()
    assert form.status_code == 200
    assert "Save register" not in text and "has not started yet" in text
    assert "(Pacific/Auckland)" in text
    refused = organiser.post(register, {"present": [world.teacher.pk]})
    assert refused.status_code == 400 and not Attendance.objects.exists()

    move_into_past(activity, hours=1)
    assert register in organiser.get(activity.get_absolute_url()).content.decode()
    assert "Save register" in organiser.get(register).content.decode()


def _answer_cell(page: str) -> str:
    table = page.split('id="dates-heading"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<td>(.*?)</td>", table, flags=re.S)
    answer = next(cell for cell in cells if "rsvp" in cell)
    answer = re.sub(r'<span class="visually-hidden">.*?</span>', "", answer, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", answer).split())


def test_an_answer_is_said_once_beside_the_ways_to_change_it(world):
    activity = make_activity(world)
    teacher = client_for(world.teacher)
    assert _answer_cell(teacher.get(activity.get_absolute_url()).content.decode()) == (
        "Going Not going"
    )
    services.respond(occurrence=activity.occurrences.get(), person=world.teacher, response="going")
    cell = _answer_cell(teacher.get(activity.get_absolute_url()).content.decode())
    assert cell == "Going Change to not going"  # not "Going Going"


def test_the_release_page_links_only_activities_the_viewer_may_open(world):
    meeting = make_activity(
        world, title="Data leads' meeting", audience="selected", people=[world.data_lead]
    )
    services.request_release(
        activity=meeting, by=world.data_lead, sessions=Decimal("1"), reason="Cover"
    )
    page = reverse("activities:release_requests", args=[world.network.slug])
    head = client_for(world.school_lead)  # leads Birch, where the data lead works
    text = head.get(page).content.decode()
    assert "Data leads&#x27; meeting" in text  # they decide their staff's cover
    assert meeting.get_absolute_url() not in text
    assert head.get(meeting.get_absolute_url()).status_code == 404
    assert meeting.get_absolute_url() in client_for(world.co_leader).get(page).content.decode()


def test_release_funding_shows_in_the_networks_currency(world):
    # A Kāhui Ako counts in New Zealand dollars: no "£" on its release requests.
    world.network.currency = "NZD"
    world.network.save(update_fields=["currency"])
    activity = make_activity(world)
    request = services.request_release(activity=activity, by=world.teacher, sessions=Decimal(2))
    services.decide_release(
        release_request=request, by=world.co_leader, approve=True, amount=Decimal("240")
    )
    page = client_for(world.co_leader).get(
        reverse("activities:release_requests", args=[world.network.slug])
    )
    text = page.content.decode()
    assert "NZ$240.00" in text
    assert "£" not in text
