"""The authorization walks, for people whose post, role or school's membership has ended.

Access is derived from today's posts, roles and memberships, never remembered (issue 13):

- a teacher whose only post ended (once a moderator of a pupil space), an adviser whose
  co-leader, data lead and safeguarding lead roles ended, and the head of a school that left
  the network, reach nothing of the network: every page and API call
  refused to a teacher of a school in no network is refused to them, no page or answer names
  the network (beyond what the stranger is shown), and their API token lists no more than the
  stranger's;
- a teacher of the network whose co-leader, data lead and safeguarding lead roles ended
  answers every page and every API read exactly as a colleague with the same post who never
  held those roles, and is refused every change that colleague is refused.
"""

import pytest
from django.test import Client

from netlearn.accounts import services as account_services
from netlearn.networks import services as network_services
from netlearn.networks.models import PostLevel, Role
from netlearn.networks.tests.factories import PersonFactory

from . import test_api_authorization as api_walk
from .test_authorization import PUBLIC, urls_to_walk

# The walks' objects come built with the shared world (conftest.py).
pytestmark = pytest.mark.walk_objects

LEAVERS = ["post_ended", "role_ended", "membership_ended"]
REFUSED = (403, 404, 405)
# The network's name, which no page or answer may show a leaver.
HOME_NETWORK = "Riverside"


def _teacher_at_alder(world, username: str, name: str):
    person = PersonFactory(username=username, name=name)
    network_services.add_staff_post(
        person=person, school=world.school_a, job_title="Teacher", level=PostLevel.TEACHER
    )
    return person


@pytest.fixture
def stepped_down(world):
    """Still teaches at Alder; was the network's co-leader, data lead and safeguarding lead.

    Made here rather than in the world, so that the world's lists of the network's people stay
    as every other test knows them.
    """
    person = _teacher_at_alder(world, "steppeddown", "Sky Stepped-Down")
    for role in (Role.CO_LEADER, Role.DATA_LEAD, Role.SAFEGUARDING_LEAD):
        held = network_services.assign_role(
            network=world.network,
            person=person,
            role=role,
            by=None,  # trusted set-up
        )
        network_services.end_role(network_role=held, by=world.admin)
    person.refresh_from_db()
    return person


@pytest.fixture
def twin(world):
    """A colleague with the same post who never held a network role."""
    person = _teacher_at_alder(world, "twin", "Toni Twin")
    person.refresh_from_db()
    return person


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def token_client(person) -> tuple[Client, dict]:
    _, secret = account_services.create_access_token(person=person, name="walk", by=person)
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def stranger(world):
    """A teacher of a school in no network: what a leaver may still see, anybody may."""
    person = PersonFactory(username="stranger", name="Sol Stranger")
    network_services.add_staff_post(
        person=person, school=world.outside_school, job_title="Teacher", level=PostLevel.TEACHER
    )
    person.refresh_from_db()
    return person


@pytest.mark.parametrize("role", LEAVERS)
def test_a_leaver_reaches_no_page_of_the_network(world, role, stranger):
    leaver, outsider = signed_in(world.people_by_role()[role]), signed_in(stranger)
    for name, url, has_objects in urls_to_walk(world, foreign=False):
        if name in PUBLIC:
            continue
        theirs, strangers = leaver.get(url), outsider.get(url)
        where = (role, name, theirs.status_code, strangers.status_code)
        assert theirs.status_code < 500, where
        if strangers.status_code in REFUSED:
            assert theirs.status_code in REFUSED, where
        if theirs.status_code == 200 and HOME_NETWORK not in api_walk.walk.readable(strangers):
            # (A public library resource names its network to everybody.)
            assert HOME_NETWORK not in api_walk.walk.readable(theirs), where
        if has_objects:
            # The leaver first, so that nothing they wrongly change hides from the stranger.
            theirs, strangers = leaver.post(url), outsider.post(url)
            where = (role, name, "post", theirs.status_code, strangers.status_code)
            assert theirs.status_code < 500, where
            if strangers.status_code in REFUSED:
                assert theirs.status_code in REFUSED, where


@pytest.mark.parametrize("role", LEAVERS)
def test_a_leavers_token_reads_and_changes_nothing_of_the_network(world, openapi, role, stranger):
    leaver, leaver_headers = token_client(world.people_by_role()[role])
    outsider, outsider_headers = token_client(stranger)
    ids = api_walk.walk.object_ids(world, foreign=False)
    for path, method, operation in api_walk.operations(openapi):
        if path.startswith("/api/v1/me"):
            continue
        url = api_walk.fill_path(path, ids)
        body = api_walk.example_body(openapi, operation, ids) or {}
        if method == "get":
            theirs = leaver.get(url, **leaver_headers)
            strangers = outsider.get(url, **outsider_headers)
        else:
            theirs = getattr(leaver, method)(
                url, body, content_type="application/json", **leaver_headers
            )
            strangers = getattr(outsider, method)(
                url, body, content_type="application/json", **outsider_headers
            )
        where = (
            f"{role} {method.upper()} {path}: {theirs.status_code} {theirs.content[:300]} "
            f"(a stranger: {strangers.status_code})"
        )
        assert theirs.status_code < 500, where
        if not 200 <= strangers.status_code < 300:
            assert not 200 <= theirs.status_code < 300, where
        if method == "get" and theirs.status_code == 200:
            if HOME_NETWORK not in api_walk.walk.readable(strangers):
                assert HOME_NETWORK not in api_walk.walk.readable(theirs), where
            if theirs["Content-Type"].startswith("application/json") and "count" in theirs.json():
                # The stranger lists their own school; a leaver lists no more.
                assert theirs.json()["count"] <= strangers.json()["count"], where


def test_a_former_leader_sees_every_page_as_a_colleague_who_never_led(world, stepped_down, twin):
    former, never = signed_in(stepped_down), signed_in(twin)
    compared = 0
    for name, url, _ in urls_to_walk(world, foreign=False):
        if name in PUBLIC:
            continue
        theirs, colleagues = former.get(url), never.get(url)
        assert theirs.status_code < 500, (name, theirs.status_code)
        assert theirs.status_code == colleagues.status_code, (
            name,
            theirs.status_code,
            colleagues.status_code,
        )
        compared += 1
    assert compared > 50


def test_a_former_leader_is_refused_every_change_a_colleague_is_refused(world, stepped_down, twin):
    former, never = signed_in(stepped_down), signed_in(twin)
    for name, url, has_objects in urls_to_walk(world, foreign=False):
        if name in PUBLIC or not has_objects:
            continue
        # The former leader first, so that nothing they wrongly change hides from the colleague.
        theirs = former.post(url)
        colleagues = never.post(url)
        assert theirs.status_code < 500, (name, theirs.status_code)
        if colleagues.status_code in REFUSED:
            assert theirs.status_code in REFUSED, (name, theirs.status_code)


def test_a_former_leaders_token_reads_what_a_colleagues_reads(world, openapi, stepped_down, twin):
    former, former_headers = token_client(stepped_down)
    never, never_headers = token_client(twin)
    ids = api_walk.walk.object_ids(world, foreign=False)
    for path, method, _ in api_walk.operations(openapi):
        if method != "get" or path.startswith("/api/v1/me"):
            continue
        url = api_walk.fill_path(path, ids)
        theirs, colleagues = former.get(url, **former_headers), never.get(url, **never_headers)
        where = f"GET {path}: {theirs.status_code} vs {colleagues.status_code}"
        assert theirs.status_code < 500, where
        assert theirs.status_code == colleagues.status_code, where
        if theirs.status_code == 200 and theirs["Content-Type"].startswith("application/json"):
            if "count" in theirs.json():
                assert theirs.json()["count"] == colleagues.json()["count"], where


def test_a_former_leaders_token_is_refused_every_change_a_colleagues_is(
    world, openapi, stepped_down, twin
):
    former, former_headers = token_client(stepped_down)
    never, never_headers = token_client(twin)
    ids = api_walk.walk.object_ids(world, foreign=False)
    for path, method, operation in api_walk.operations(openapi):
        if method not in api_walk.UNSAFE or path.startswith("/api/v1/me"):
            continue
        url = api_walk.fill_path(path, ids)
        body = api_walk.example_body(openapi, operation, ids) or {}
        theirs = getattr(former, method)(
            url, body, content_type="application/json", **former_headers
        )
        colleagues = getattr(never, method)(
            url, body, content_type="application/json", **never_headers
        )
        where = f"{method.upper()} {path}: {theirs.status_code} vs {colleagues.status_code}"
        assert theirs.status_code < 500, where
        if colleagues.status_code in (403, 404):
            assert theirs.status_code in (403, 404), where
