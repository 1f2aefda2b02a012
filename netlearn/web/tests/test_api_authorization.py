"""Walks the API's own OpenAPI document: every path × every method × every role.

An endpoint added later is covered without editing this test; a path parameter or an id in a
request body that this test cannot fill fails it, so no endpoint escapes the walk.
"""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from netlearn.networks.tests.world import SENTINEL

from . import walk

# The walks' objects come built with the shared world (conftest.py).
pytestmark = pytest.mark.walk_objects

ROLES = [
    "anonymous",
    "pupil",
    "parent",
    "member",
    "partner",
    "school_lead",
    "co_leader",
    "data_lead",
    "safeguarding_lead",
    "site_admin",
    # A programme's evaluator (netlearn.evaluation), of no network.
    "evaluator",
]
STAFF_ROLES = [
    "member",
    "partner",
    "school_lead",
    "co_leader",
    "data_lead",
    "safeguarding_lead",
    "site_admin",
]
METHODS = ("get", "post", "put", "patch", "delete")
UNSAFE = ("post", "put", "patch", "delete")
# What a pupil may use; everything else answers 404 or an empty list.
PUPIL_PATHS = ("/api/v1/me",)
# A programme is read by its evaluators (and site admins) alone: every other role gets 404 there,
# and the evaluator 200 (netlearn/evaluation).
PROGRAMME_PATHS = ("/api/v1/programmes/{programme_slug}",)
# A parent has an email address (a pupil has none), so chooses how often mail comes.
PARENT_PATHS = (
    *PUPIL_PATHS,
    "/api/v1/notifications/email",
    "/api/v1/notifications/preferences",
)


def operations(openapi):
    for path, item in openapi["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def fill_path(path: str, ids: dict) -> str:
    def value(match):
        name = match.group(1)
        if name not in ids:
            pytest.fail(f"{path}: the walk has no value for path parameter {{{name}}}")
        return str(ids[name])

    return re.sub(r"\{(?:\w+:)?(\w+)\}", value, path)


def _resolve(openapi, schema: dict) -> dict:
    while "$ref" in schema:
        schema = openapi["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in schema:
        options = [option for option in schema["anyOf"] if option.get("type") != "null"]
        return _resolve(openapi, options[0])
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _resolve(openapi, schema["allOf"][0])
    return schema


def request_schema(openapi, operation: dict) -> dict | None:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    return None if content is None else _resolve(openapi, content["schema"])


def id_fields(openapi, operation: dict) -> list[str]:
    schema = request_schema(openapi, operation) or {}
    return [name for name in schema.get("properties", {}) if name.endswith("_id")]


def example_body(openapi, operation: dict, ids: dict, *, with_ids=None) -> dict | None:
    """A body with every required field filled, and the id fields named in `with_ids`.

    Ids come from `ids`; `with_ids=None` fills every id field.
    """
    schema = request_schema(openapi, operation)
    if schema is None:
        return None
    body = {}
    for name, field in schema.get("properties", {}).items():
        field = _resolve(openapi, field)
        if name.endswith("_id"):
            if name not in ids:
                pytest.fail(f"the walk has no value for body field {name}")
            if with_ids is None or name in with_ids or name in schema.get("required", []):
                body[name] = ids[name]
        elif name in schema.get("required", []):
            body[name] = example_value(field)
    return body


def example_value(field: dict):
    if "enum" in field:
        return field["enum"][0]
    kind, form = field.get("type"), field.get("format")
    if kind == "string" and form == "date":
        return timezone.localdate().isoformat()
    if kind == "string" and form == "date-time":
        return (timezone.now() + datetime.timedelta(days=1)).isoformat()
    return {"string": "Walk", "integer": 1, "number": 1, "boolean": False}.get(kind, "Walk")


def client_for(person) -> Client:
    client = Client(enforce_csrf_checks=False)
    if person is not None:
        client.force_login(person)
    return client


def call(client, method: str, url: str, body: dict | None):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, body or {}, content_type="application/json")


@pytest.mark.parametrize("role", ROLES)
def test_foreign_objects_answer_like_missing_ones(world, openapi, role):
    person = walk.person_for(world, role)
    client = client_for(person)
    ids = walk.object_ids(world, foreign=True)
    for path, method, operation in operations(openapi):
        body = example_body(openapi, operation, ids)
        response = call(client, method, fill_path(path, ids), body)
        where = f"{role} {method.upper()} {path}: {response.status_code} {response.content[:200]}"
        assert response.status_code < 500, where
        if person is None:
            assert response.status_code == 401, where
        elif role != "site_admin" and "{" in path:
            assert not 200 <= response.status_code < 300, where
            assert SENTINEL not in walk.readable(response), where


@pytest.mark.parametrize("role", ROLES)
def test_home_reads_never_show_the_foreign_network(world, openapi, role):
    person = walk.person_for(world, role)
    client = client_for(person)
    ids = walk.object_ids(world, foreign=False)
    for path, method, _ in operations(openapi):
        if method != "get":
            continue
        response = client.get(fill_path(path, ids))
        where = f"{role} GET {path}: {response.status_code} {response.content[:200]}"
        assert response.status_code < 500, where
        if person is None:
            assert response.status_code == 401, where
            continue
        if role != "site_admin":
            assert SENTINEL not in walk.readable(response), where
        if response.status_code == 200 and response["Content-Type"].startswith("application/json"):
            # Every list is paged ({"items": [...], "count": n}), never a bare array.
            assert not isinstance(response.json(), list), where
        if role == "pupil" and not path.startswith(PUPIL_PATHS):
            assert response.status_code == 404 or response.json().get("count") == 0, where
        if role == "parent" and not path.startswith(PARENT_PATHS):
            assert response.status_code == 404 or response.json().get("count") == 0, where
        if path.startswith(PROGRAMME_PATHS):
            evaluates = role in ("evaluator", "site_admin")
            assert response.status_code == (200 if evaluates else 404), where
        elif role in STAFF_ROLES:
            # Home objects are theirs to read: a walk of 404s would prove nothing.
            assert response.status_code == 200, where


@pytest.mark.parametrize("role", ROLES)
def test_foreign_ids_in_a_request_body_are_refused(world, openapi, role):
    """A co-leader cannot pull another network's school or person into their own network."""
    person = walk.person_for(world, role)
    client = client_for(person)
    home, foreign = walk.object_ids(world, foreign=False), walk.object_ids(world, foreign=True)
    walked = 0
    for path, method, operation in operations(openapi):
        if method not in UNSAFE:
            continue
        # One foreign id at a time, so that another field's 404 cannot hide a leak.
        for field in id_fields(openapi, operation):
            body = example_body(openapi, operation, home, with_ids={field})
            body[field] = foreign[field]
            walked += 1
            response = call(client, method, fill_path(path, home), body)
            where = (
                f"{role} {method.upper()} {path} {body}: {response.status_code} {response.content}"
            )
            assert response.status_code < 500, where
            if person is None:
                assert response.status_code == 401, where
            elif role != "site_admin":
                assert not 200 <= response.status_code < 300, where
    assert walked >= 5
