"""The authorization walks, for people who signed in through single sign-on (issue 22), each
signed in through the suite's own OpenID Connect provider (tests/sso/):

- a teacher of the network linked by her verified address answers every page exactly as when she
  signs in with her password, and sees nothing of the foreign network;
- a colleague waiting in a school's join queue reaches nothing of the network: every page and API
  call refused to a teacher of a school in no network is refused to them, no page or answer
  names the network, and nothing of the foreign network answers either.
"""

import pytest
from django.test import Client

from netlearn.networks import services as network_services
from netlearn.networks.models import JoinRequest
from netlearn.networks.tests.world import SENTINEL

from . import test_api_authorization as api_walk
from .test_authorization import PUBLIC, urls_to_walk
from .test_ended_access_walk import HOME_NETWORK, REFUSED, stranger, token_client

# The walks' objects come built with the shared world (conftest.py).
pytestmark = pytest.mark.walk_objects

__all__ = ["stranger"]


@pytest.fixture
def teacher_by_sso(world, sso):
    """Tia, linked by her verified address at Cedar's domain."""
    network_services.add_email_domain(school=world.school_c, domain="example.org", by=world.admin)
    client = Client()
    response = sso.sign_in(client, sub="idp-tia", email=world.teacher.email, email_verified=True)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.teacher.pk)
    return client


@pytest.fixture
def joiner(world, sso):
    """Rua, who signed in from Birch's domain with no account: waiting in its join queue."""
    network_services.add_email_domain(
        school=world.school_b, domain="birch.sch.uk", by=world.school_lead
    )
    client = Client()
    response = sso.sign_in(
        client, sub="idp-rua", email="rua@birch.sch.uk", email_verified=True, name="Rua Rātā"
    )
    assert response.status_code == 302
    request = JoinRequest.objects.get(email="rua@birch.sch.uk")
    assert request.status == "pending"
    assert client.session["_auth_user_id"] == str(request.person_id)
    return client, request.person


def test_a_teacher_signed_in_through_sso_sees_what_her_password_shows(world, teacher_by_sso):
    by_password = Client()
    by_password.force_login(world.teacher)
    compared = 0
    for name, url, _ in urls_to_walk(world, foreign=False):
        theirs, same = teacher_by_sso.get(url), by_password.get(url)
        assert theirs.status_code == same.status_code, (name, theirs.status_code)
        assert SENTINEL not in theirs.content.decode(errors="replace"), name
        compared += 1
    assert compared > 100
    for name, url, has_objects in urls_to_walk(world, foreign=True):
        if has_objects and name not in PUBLIC:
            assert teacher_by_sso.get(url).status_code in (404, 405), name


def test_a_colleague_in_the_join_queue_reaches_nothing_of_the_network(world, joiner, stranger):
    waiting, _ = joiner
    outsider = Client()
    outsider.force_login(stranger)
    for name, url, has_objects in urls_to_walk(world, foreign=False):
        if name in PUBLIC:
            continue
        theirs, strangers = waiting.get(url), outsider.get(url)
        where = (name, theirs.status_code, strangers.status_code)
        assert theirs.status_code < 500, where
        if strangers.status_code in REFUSED:
            assert theirs.status_code in REFUSED, where
        if theirs.status_code == 200 and HOME_NETWORK not in strangers.content.decode():
            assert HOME_NETWORK not in theirs.content.decode(), where
        if has_objects:
            theirs, strangers = waiting.post(url), outsider.post(url)
            where = (name, "post", theirs.status_code, strangers.status_code)
            assert theirs.status_code < 500, where
            if strangers.status_code in REFUSED:
                assert theirs.status_code in REFUSED, where
    for name, url, has_objects in urls_to_walk(world, foreign=True):
        if has_objects and name not in PUBLIC:
            assert waiting.get(url).status_code in (404, 405), name


def test_a_colleague_in_the_join_queue_reads_nothing_of_the_network_by_api(
    world, joiner, openapi, stranger
):
    _, person = joiner
    theirs_client, headers = token_client(person)
    outsider, outsider_headers = token_client(stranger)
    ids = api_walk.walk.object_ids(world, foreign=False)
    for path, method, _operation in api_walk.operations(openapi):
        if method != "get" or path.startswith("/api/v1/me"):
            continue
        url = api_walk.fill_path(path, ids)
        theirs, strangers = theirs_client.get(url, **headers), outsider.get(url, **outsider_headers)
        where = f"GET {path}: {theirs.status_code} (a stranger: {strangers.status_code})"
        assert theirs.status_code < 500, where
        if not 200 <= strangers.status_code < 300:
            assert not 200 <= theirs.status_code < 300, where
        if theirs.status_code == 200:
            if HOME_NETWORK not in strangers.content.decode():
                assert HOME_NETWORK not in theirs.content.decode(), where
            if "count" in theirs.json():
                assert theirs.json()["count"] <= strangers.json()["count"], where
