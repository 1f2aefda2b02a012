"""Issue 14: a repeat is picked (every week, fortnight, month on the second Wednesday; a number
of dates or a last day) rather than typed as an RRULE."""

import datetime

import pytest
from django.test import Client

from netlearn.activities.errors import InvalidRecurrence
from netlearn.activities.models import Activity
from netlearn.activities.recurrence import rule_for

from .test_views import walk_form

WEDNESDAY = datetime.datetime(2030, 5, 8, 16)  # the second Wednesday of May 2030


@pytest.mark.parametrize(
    "repeat, count, until, rule",
    [
        ("weekly", 10, None, "FREQ=WEEKLY;COUNT=10"),
        (
            "fortnightly",
            None,
            datetime.date(2030, 7, 17),
            "FREQ=WEEKLY;INTERVAL=2;UNTIL=20300717T235959",
        ),
        ("monthly", 6, None, "FREQ=MONTHLY;BYDAY=2WE;COUNT=6"),
    ],
)
def test_a_picked_repeat_is_written_as_a_rule(repeat, count, until, rule):
    assert rule_for(repeat, local_start=WEDNESDAY, count=count, until=until) == rule


def test_the_fifth_weekday_means_the_last_one():
    fifth = datetime.datetime(2030, 5, 29, 16)
    assert rule_for("monthly", local_start=fifth, count=3) == "FREQ=MONTHLY;BYDAY=-1WE;COUNT=3"


@pytest.mark.parametrize(
    "count, until",
    [(None, None), (3, datetime.date(2030, 9, 1)), (0, None), (None, datetime.date(2030, 5, 1))],
)
def test_a_repeat_needs_one_end_after_its_start(count, until):
    with pytest.raises(InvalidRecurrence):
        rule_for("weekly", local_start=WEDNESDAY, count=count, until=until)


def picked(world, **overrides):
    return walk_form(
        world,
        kind="learning_meeting",
        purpose="",
        starts_at="2030-05-08T16:00",
        ends_at="2030-05-08T17:00",
        **overrides,
    )


def test_the_form_makes_a_monthly_series_on_the_second_wednesday(world):
    client = Client()
    client.force_login(world.co_leader)
    page = client.get(f"/n/{world.network.slug}/activities/new/").content.decode()
    assert "Every month on the same weekday" in page
    response = client.post(
        f"/n/{world.network.slug}/activities/new/",
        picked(world, repeats="monthly", repeat_count="3"),
    )
    assert response.status_code == 302, response.content.decode()
    activity = Activity.objects.get()
    assert activity.recurrence == "FREQ=MONTHLY;BYDAY=2WE;COUNT=3"
    days = [o.local_start.date() for o in activity.occurrences.order_by("starts_at")]
    assert days == [
        datetime.date(2030, 5, 8),
        datetime.date(2030, 6, 12),
        datetime.date(2030, 7, 10),
    ]


def test_the_form_makes_a_fortnightly_series_until_a_day(world):
    client = Client()
    client.force_login(world.co_leader)
    response = client.post(
        f"/n/{world.network.slug}/activities/new/",
        picked(world, repeats="fortnightly", repeat_until="2030-06-05"),
    )
    assert response.status_code == 302, response.content.decode()
    activity = Activity.objects.get()
    assert [o.local_start.day for o in activity.occurrences.order_by("starts_at")] == [8, 22, 5]


def test_a_repeat_without_an_end_is_refused_and_changes_nothing(world):
    client = Client()
    client.force_login(world.co_leader)
    response = client.post(
        f"/n/{world.network.slug}/activities/new/", picked(world, repeats="weekly")
    )
    assert response.status_code == 400
    assert "Say when the series ends" in response.content.decode()
    assert not Activity.objects.exists()
