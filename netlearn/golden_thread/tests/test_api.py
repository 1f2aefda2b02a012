"""The golden thread through the API: the page's structure and figures, the page's scope."""

import pytest
from django.test import Client

from netlearn.accounts import services as account_services

from .thread_factories import (
    add_activity,
    add_pdsa,
    endorsed_resource,
    focus_with_goal,
    publish_account,
    value_added,
)


def api_url(focus) -> str:
    return f"/api/v1/networks/{focus.charter.network.slug}/charter/foci/{focus.pk}/thread"


def client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_the_thread_answers_with_every_part_and_figures_through_disclosure(world):
    focus, goal = focus_with_goal(world)
    add_activity(world, focus)
    enquiry = add_pdsa(world, focus, goal)
    publish_account(world, enquiry)
    endorsed_resource(world, focus)
    run = value_added(world, goal)

    answer = client_for(world.co_leader).get(api_url(focus))

    assert answer.status_code == 200
    thread = answer.json()
    assert thread["focus"] == {"id": focus.pk, "title": focus.title}
    [goal_out] = thread["goals"]
    assert goal_out["baseline_value"] == "60.000" and goal_out["target_value"] == "75.000"
    assert "64.000" in [p["value"] for p in goal_out["progress"]]
    assert thread["commitments"][0]["attendance_threshold"] == 67
    assert thread["attendance"]["threshold"] == "67"
    assert {row["school"] for row in thread["attendance"]["schools"]} >= {"Cedar Academy"}
    assert [a["title"] for a in thread["activities"]] == ["Writing moderation meeting"]
    [enquiry_out] = thread["enquiries"]
    assert enquiry_out["goal_id"] == goal.pk and enquiry_out["schools"] == ["Cedar Academy"]
    assert enquiry_out["run_chart"]["points"] == 9 and enquiry_out["run_chart"]["signals"]
    assert [a["title"] for a in thread["accounts"]] == ["Drafting starters"]
    assert [r["title"] for r in thread["resources"]] == ["Drafting starter cards"]
    [outcome] = thread["outcomes"]
    assert outcome["run_id"] == run.pk
    # Cedar's 3 pupils are too few: its effect and its count are "c", never the number.
    assert outcome["effects"] == [
        {"school": "Cedar Academy", "estimate": "c", "lower": "c", "upper": "c", "pupils": "c"}
    ]
    assert thread["gaps"] == []


def test_a_token_of_another_network_gets_404_like_a_missing_focus(world):
    focus, _goal = focus_with_goal(world)
    _, token = account_services.create_access_token(
        person=world.foreign_teacher, name="t", by=world.foreign_teacher
    )
    client = Client()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(api_url(focus), headers=headers).status_code == 404
    missing = f"/api/v1/networks/{world.network.slug}/charter/foci/999999/thread"
    assert client_for(world.teacher).get(missing).status_code == 404


@pytest.mark.parametrize("role", ["pupil"])
def test_pupils_get_404(world, role):
    focus, _goal = focus_with_goal(world)
    assert client_for(world.pupil).get(api_url(focus)).status_code == 404


def test_gaps_come_with_where_to_fill_them(world):
    focus, _goal = focus_with_goal(world)
    gaps = client_for(world.co_leader).get(api_url(focus)).json()["gaps"]
    parts = {gap["part"] for gap in gaps}
    assert {"activities", "enquiries", "accounts", "resources", "outcomes"} <= parts
    enquiry_gap = next(gap for gap in gaps if gap["part"] == "enquiries")
    assert enquiry_gap["url"] == f"/n/{world.network.slug}/enquiry/new/"
