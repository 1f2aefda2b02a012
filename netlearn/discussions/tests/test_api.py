import re

from django.test import Client, override_settings

from netlearn.discussions import services
from netlearn.discussions.models import Moderation, ModerationLogEntry, Report, Thread

from .factories import make_pupil, pupil_space, staff_space


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def test_a_pupils_api_reaches_only_their_pupil_spaces(world):
    space = pupil_space(world)
    staff = staff_space(world)
    pupil_space(world, school=world.school_b, title="Birch council")
    client = client_for(world.pupil)
    listed = client.get("/api/v1/discussions/spaces").json()
    assert [item["id"] for item in listed["items"]] == [space.pk]
    assert client.get(f"/api/v1/discussions/spaces/{staff.pk}").status_code == 404
    response = client.post(
        f"/api/v1/discussions/spaces/{staff.pk}/threads",
        {"title": "x", "body": "y"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_a_thread_posted_through_the_api_waits_for_a_moderator(world):
    space = pupil_space(world)
    client = client_for(world.pupil)
    response = client.post(
        f"/api/v1/discussions/spaces/{space.pk}/threads",
        {"title": "Ideas", "body": "<script>alert(1)</script>**hi**"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["status"] == "held"
    thread = Thread.objects.get()
    posts = client.get(f"/api/v1/discussions/threads/{thread.pk}/posts").json()["items"]
    assert "<script" not in posts[0]["body_html"] and "<strong>hi</strong>" in posts[0]["body_html"]
    other = client_for(make_pupil(world.school_a, username="ola"))
    assert other.get(f"/api/v1/discussions/threads/{thread.pk}").status_code == 404


def test_an_empty_api_post_is_refused(world):
    space = staff_space(world)
    response = client_for(world.teacher).post(
        f"/api/v1/discussions/spaces/{space.pk}/threads",
        {"title": "Hi", "body": "   "},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Thread.objects.exists()


@override_settings(DISCUSSION_STAFF_POST_LIMIT=1)
def test_the_api_answers_429_when_posting_too_fast(world):
    space = staff_space(world)
    client = client_for(world.teacher)
    url = f"/api/v1/discussions/spaces/{space.pk}/threads"
    body = {"title": "Hi", "body": "there"}
    assert client.post(url, body, content_type="application/json").status_code == 201
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 429 and "Wait a few minutes" in response.json()["detail"]


def test_a_report_through_the_api_reaches_the_queue(world):
    space = pupil_space(world, moderation=Moderation.NONE)
    thread = services.start_thread(space=space, by=world.pupil, title="Hi", body="mean")
    post = thread.posts.get()
    other = client_for(make_pupil(world.school_a, username="ola"))
    response = other.post(
        f"/api/v1/discussions/posts/{post.pk}/report",
        {"reason": "unkind"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Report.objects.get().reason == "unkind"


def test_the_schools_safeguarding_lead_acknowledges_and_resolves_a_report_through_the_api(world):
    space = pupil_space(world, moderation=Moderation.NONE)
    thread = services.start_thread(space=space, by=world.pupil, title="Hi", body="mean")
    report = services.report(by=world.pupil, post=thread.posts.get(), reason="unkind")
    url = f"/api/v1/discussions/reports/{report.pk}"
    # The pupil who reported it is no moderator: the report is not theirs to act on.
    refused = client_for(world.pupil).post(f"{url}/acknowledge", {}, "application/json")
    assert refused.status_code == 404
    lead = client_for(world.safeguarding_lead)
    seen = lead.post(f"{url}/acknowledge", {"note": "Talking to both"}, "application/json")
    assert seen.status_code == 200 and seen.json()["acknowledged_at"]
    again = lead.post(f"{url}/acknowledge", {}, "application/json")
    assert again.status_code == 400 and "acknowledged already" in again.json()["detail"]
    empty = lead.post(f"{url}/resolve", {"resolution": ""}, "application/json")
    assert empty.status_code == 422
    done = lead.post(f"{url}/resolve", {"resolution": "Apologised"}, "application/json")
    assert done.status_code == 200 and done.json()["resolution"] == "Apologised"
    actions = set(
        ModerationLogEntry.objects.filter(report_id=report.pk).values_list("action", flat=True)
    )
    assert {"acknowledged", "resolved"} <= actions


def test_the_api_list_costs_the_same_with_more_spaces(world, django_assert_max_num_queries):
    client = client_for(world.co_leader)
    staff_space(world, title="One")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/discussions/spaces")
    for n in range(15):
        staff_space(world, title=f"Space {n}")
    with django_assert_max_num_queries(len(few)):
        assert client.get("/api/v1/discussions/spaces").json()["count"] == 16


def test_no_api_path_carries_a_ballot_or_a_voter():
    """Polls stay off the API: no discussions operation, nor any schema it uses, can hold a vote.
    (Group decisions have secret ballots of their own, kept apart from voters and proved so in
    netlearn/decisions/tests/test_ballot_secrecy.py.)"""
    document = Client().get("/api/v1/openapi.json").json()
    operations = {path: item for path, item in document["paths"].items() if "/discussions" in path}
    assert operations
    used = set(re.findall(r"#/components/schemas/([\w.-]+)", str(operations)))
    schemas = document["components"]["schemas"]
    # Schemas refer to others: follow them all.
    while True:
        more = set(re.findall(r"#/components/schemas/([\w.-]+)", str([schemas[n] for n in used])))
        if more <= used:
            break
        used |= more
    text = (str(operations) + str([schemas[name] for name in used])).lower()
    assert "ballot" not in text and "voter" not in text
