"""The golden thread page: every link a relation in the data, gaps shown, scoped, bounded."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from netlearn.charter import services as charter_services
from netlearn.enquiry import services as enquiry_services
from netlearn.enquiry.models import Method
from netlearn.impact import services as impact_services

from .thread_factories import (
    add_activity,
    add_pdsa,
    endorsed_resource,
    focus_with_goal,
    publish_account,
    value_added,
)


def client_for(person) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def thread_url(focus) -> str:
    return reverse("golden_thread:focus", args=[focus.charter.network.slug, focus.pk])


def test_the_thread_joins_goal_commitment_activity_enquiry_account_resource_and_value_added(
    world,
):
    focus, goal = focus_with_goal(world)
    add_activity(world, focus)
    enquiry = add_pdsa(world, focus, goal)
    publish_account(world, enquiry)
    endorsed_resource(world, focus)
    value_added(world, goal)

    response = client_for(world.co_leader).get(thread_url(focus))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Pupils at the expected standard in writing" in page  # the goal
    assert "Baseline <strong>60</strong>" in page and "target <strong>75</strong>" in page
    assert "attend at least 67% of network meetings" in page  # the commitment, its threshold
    assert "Writing moderation meeting" in page  # the activity serving the focus
    assert "Do daily drafting starters raise stamina?" in page  # the enquiry
    assert 'class="run-chart"' in page and "Signal." in page  # its run chart and a signal
    assert "Drafting starters" in page  # the published account
    assert "Drafting starter cards" in page  # the endorsed resource
    # Value added for the schools the enquiry involves (Cedar), its 3 pupils suppressed.
    assert "Cedar Academy</th><td>c</td>" in page
    assert "Alder Primary</th>" not in page.split("thread-outcomes")[1]
    assert "0.387" not in page
    assert "Gap to fill" not in page


def test_missing_links_show_as_gaps_with_where_to_fill_them_for_who_may(world):
    focus, _goal = focus_with_goal(world)

    page = client_for(world.co_leader).get(thread_url(focus)).content.decode()
    assert "No enquiry serves this focus yet." in page
    assert "No enquiry serves the goal “Pupils at the expected standard in writing” yet." in page
    assert "No activity serves this focus yet." in page
    assert "No endorsed library resource is filed under this focus yet." in page
    assert "No goal of this focus takes its figures from an outcome measure yet." in page
    assert reverse("enquiry:start", args=[world.network.slug]) in page
    assert reverse("impact:goals", args=[world.network.slug]) in page

    # A partner (no school) may not start an enquiry nor link goals: the gap shows, no link.
    page = client_for(world.partner).get(thread_url(focus)).content.decode()
    assert "No enquiry serves this focus yet." in page
    assert reverse("impact:goals", args=[world.network.slug]) not in page


@pytest.mark.parametrize("role", ["anonymous", "pupil", "foreign_teacher", "foreign_co_leader"])
def test_who_may_not_see_the_focus_does_not_see_the_thread(world, role):
    focus, _goal = focus_with_goal(world)
    person = None if role == "anonymous" else getattr(world, role)
    response = client_for(person).get(thread_url(focus))
    assert response.status_code == (302 if role == "anonymous" else 404)


def test_a_teacher_sees_only_what_they_may_of_enquiries_and_accounts(world):
    focus, goal = focus_with_goal(world)
    enquiry = add_pdsa(world, focus, goal)
    enquiry_services.write_account(
        enquiry=enquiry,
        by=world.teacher,
        title="Draft only the group reads",
        question="Q",
        what_we_tried="T",
        what_we_learned="L",
    )
    # The school lead is of the network but not of the group: no draft.
    page = client_for(world.school_lead).get(thread_url(focus)).content.decode()
    assert "Do daily drafting starters raise stamina?" in page
    assert "Draft only the group reads" not in page
    assert "No published account of an enquiry serving this focus yet." in page


def test_the_focus_page_links_to_its_thread(world):
    focus, _goal = focus_with_goal(world)
    page = client_for(world.teacher).get(focus.get_absolute_url()).content.decode()
    assert thread_url(focus) in page


def _grow(world, focus, goal, n):
    for i in range(n):
        add_activity(world, focus, title=f"Meeting {i}")
        enquiry = add_pdsa(world, focus, goal, question=f"Question {i}?")
        publish_account(world, enquiry, title=f"Account {i}")
        endorsed_resource(world, focus, title=f"Resource {i}")
    # A lesson study too: an enquiry with no run chart.
    enquiry_services.start_enquiry(
        network=world.network,
        by=world.teacher,
        question=f"Lesson study {n}?",
        method=Method.LESSON_STUDY,
        group=world.group,
        focus=focus,
    )


def _queries(world, focus) -> int:
    client = client_for(world.co_leader)
    client.get(thread_url(focus))  # warm the session and caches alike
    with CaptureQueriesContext(connection) as queries:
        response = client.get(thread_url(focus))
    assert response.status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_for_2_and_for_40_linked_items(world):
    small, small_goal = focus_with_goal(world)
    _grow(world, small, small_goal, 2)
    run = value_added(world, small_goal)
    few = _queries(world, small)

    large = charter_services.add_focus(
        charter=small.charter, by=world.admin, title="Reading for pleasure"
    )
    large_goal = charter_services.add_goal(
        focus=large,
        by=world.admin,
        measure="Pupils who read daily",
        unit="%",
        baseline_value=10,
        baseline_date=small_goal.baseline_date,
        target_value=20,
        target_date=small_goal.target_date,
    )
    _grow(world, large, large_goal, 40)
    impact_services.link_goal(goal=large_goal, measure=run.dataset.measure, by=world.co_leader)
    page = client_for(world.co_leader).get(thread_url(large)).content.decode()
    assert page.count("Question ") >= 40 and page.count("Resource ") >= 40
    assert _queries(world, large) == few
