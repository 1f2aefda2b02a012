"""The accounts API: /me, personal access tokens, and how the API authenticates."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from netlearn.accounts import services
from netlearn.accounts.models import AccessToken
from netlearn.networks.models import Group

API = "/api/v1"


def client_for(person, **kwargs) -> Client:
    client = Client(**kwargs)
    if person is not None:
        client.force_login(person)
    return client


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def new_token(person, name="MIS sync", **kwargs) -> tuple[AccessToken, str]:
    return services.create_access_token(person=person, name=name, by=person, **kwargs)


@pytest.mark.parametrize("role", ["pupil", "member", "partner", "co_leader", "site_admin"])
def test_me_describes_the_signed_in_person(world, role):
    person = world.people_by_role()[role]
    response = client_for(person).get(f"{API}/me")
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["username"], body["kind"]) == (person.pk, person.username, person.kind)
    assert body["is_site_admin"] is (role == "site_admin")
    assert "password" not in response.content.decode()


def test_me_needs_a_sign_in(world):
    response = Client().get(f"{API}/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_creating_a_token_shows_its_secret_once(world):
    client = client_for(world.teacher)
    response = client.post(
        f"{API}/me/tokens", {"name": "MIS sync"}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    secret = response.json()["secret"]
    assert secret.startswith("nl_")
    token = AccessToken.objects.get(pk=response.json()["id"])
    assert token.person == world.teacher
    assert secret not in token.token_hash
    listed = client.get(f"{API}/me/tokens")
    assert listed.json()["count"] == 1
    assert secret not in listed.content.decode()
    assert "secret" not in listed.json()["items"][0]


def test_token_list_holds_only_my_tokens(world):
    new_token(world.teacher, name="mine")
    new_token(world.co_leader, name="not mine")
    names = [t["name"] for t in client_for(world.teacher).get(f"{API}/me/tokens").json()["items"]]
    assert names == ["mine"]


@pytest.mark.parametrize(
    "payload, status",
    [
        ({}, 422),
        ({"name": ""}, 422),
        ({"name": "x" * 101}, 422),
        ({"name": "   "}, 400),
        ({"name": "old", "expires_at": "2000-01-01T00:00:00Z"}, 400),
        ({"name": "when", "expires_at": "soon"}, 422),
    ],
)
def test_bad_token_input_makes_no_token(world, payload, status):
    response = client_for(world.teacher).post(
        f"{API}/me/tokens", payload, content_type="application/json"
    )
    assert response.status_code == status
    assert response.json()["detail"]
    assert not AccessToken.objects.exists()


def test_pupils_may_not_make_tokens(world):
    response = client_for(world.pupil).post(
        f"{API}/me/tokens", {"name": "mine"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not AccessToken.objects.exists()


def test_token_authenticates_the_api(world):
    _, secret = new_token(world.co_leader)
    client = Client()
    me = client.get(f"{API}/me", **bearer(secret))
    assert me.status_code == 200
    assert me.json()["username"] == "coleader"
    networks = client.get(f"{API}/networks", **bearer(secret)).json()
    assert [network["slug"] for network in networks["items"]] == ["riverside"]


def test_token_writes_need_no_csrf_but_session_writes_do(world):
    _, secret = new_token(world.co_leader)
    url = f"{API}/networks/riverside/groups"
    session = client_for(world.co_leader, enforce_csrf_checks=True)
    refused = session.post(url, {"name": "Forged"}, content_type="application/json")
    assert refused.status_code == 403
    assert not Group.objects.filter(name="Forged").exists()
    # Reads need no CSRF token.
    assert session.get(url).status_code == 200

    with_token = Client(enforce_csrf_checks=True).post(
        url, {"name": "Scripted"}, content_type="application/json", **bearer(secret)
    )
    assert with_token.status_code == 201
    assert Group.objects.filter(name="Scripted").exists()


@pytest.mark.parametrize("enforce_csrf_checks", [False, True])
def test_revoked_token_gives_401(world, enforce_csrf_checks):
    _, secret = new_token(world.teacher)
    client = client_for(world.teacher)
    token_id = client.get(f"{API}/me/tokens").json()["items"][0]["id"]
    response = client.post(f"{API}/me/tokens/{token_id}/revoke")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    anonymous = Client(enforce_csrf_checks=enforce_csrf_checks)
    assert anonymous.get(f"{API}/me", **bearer(secret)).status_code == 401
    write = anonymous.post(
        f"{API}/me/tokens", {"name": "again"}, content_type="application/json", **bearer(secret)
    )
    assert write.status_code == 401
    assert AccessToken.objects.count() == 1


def test_expired_or_made_up_tokens_give_401(world):
    token, secret = new_token(world.teacher)
    AccessToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    client = Client()
    assert client.get(f"{API}/me", **bearer(secret)).status_code == 401
    assert client.get(f"{API}/me", **bearer("nl_made-up")).status_code == 401
    assert client.get(f"{API}/me", HTTP_AUTHORIZATION=secret).status_code == 401


def test_token_of_an_inactive_person_gives_401(world):
    _, secret = new_token(world.teacher)
    world.teacher.is_active = False
    world.teacher.save()
    assert Client().get(f"{API}/me", **bearer(secret)).status_code == 401


def test_nobody_revokes_another_persons_token(world):
    token, secret = new_token(world.co_leader)
    for person in (world.teacher, world.admin):
        response = client_for(person).post(f"{API}/me/tokens/{token.pk}/revoke")
        assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert Client().get(f"{API}/me", **bearer(secret)).status_code == 200


def test_token_list_queries_do_not_grow_with_rows(world):
    client = client_for(world.teacher)
    counts = []
    for total in (3, 30):
        while AccessToken.objects.filter(person=world.teacher).count() < total:
            new_token(world.teacher)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{API}/me/tokens")
        assert response.json()["count"] == total
        counts.append(len(queries))
    assert counts[0] == counts[1]
