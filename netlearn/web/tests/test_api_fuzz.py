"""Fuzzes /api/v1/ with schemathesis, with every role's token (docs/safety.md#the-api).

For every operation of the API's own OpenAPI document, schemathesis draws valid requests and each
is sent with every role's token; each answer must be: not a server error; a documented status or
a standard refusal; and, when it succeeds, exactly what the schema documents. Paths are filled
with random values and with the ids of real objects of both networks, so the fuzz reaches the code
behind the 404s too. The requests go through Django's WSGI application in the test's transaction,
so whatever the fuzz writes is rolled back.

The examples are spent where they find things. Each request is drawn once and sent by several
roles. The first few drawn for each operation go to every role, anonymous included (without a token
a valid request must be refused with 401 before anything is read, and a few prove it). After
those, every request goes to the two roles that get furthest into the code behind the endpoint
(the site administrator, past every rule, and the network's co-leader, past the network's), and to
one of the other roles in turn, so each role still meets every operation with varied input; which
role may reach which object is the authorization walks' question (test_api_authorization.py),
asked there of every path, method and role. A read (GET) drawn again is not sent again by a
role that has sent it, and a write no more than twice (the second meets what the first left).
Invalid requests (schemathesis' negative mode) are sent by one signed-in role only: ninja checks the
token before it reads any input, and reads all of it before the view runs, so an invalid request
meets the same validation whoever sends it. An operation whose only input is its path gets a few:
an invalid path value (a word for a number) is refused by Django's URL patterns before any view.

A second test proves the document complete: every URL of the API is in it, with its path
parameters, and a method it does not list answers 405.
"""

import collections
import inspect
import os
import re
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
)

from netlearn.accounts import services as account_services
from netlearn.accounts.models import AccessToken
from netlearn.accounts.services import TOKEN_PREFIX, hash_token
from netlearn.web.tests import walk

# The walks' objects come built with the shared world (conftest.py).
pytestmark = pytest.mark.walk_objects

ROLES = ["anonymous", "pupil", "member", "partner", "school_lead", "co_leader", "site_admin"]
# Per operation and role: small, so that the file stays fast; FUZZ_MAX_EXAMPLES=500 digs deeper.
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "15"))
# The role whose token carries the invalid requests (see above).
INVALID_INPUT_ROLE = "site_admin"
# Each operation's first requests go to every role; later ones to the deepest-reaching roles and
# one other in turn (see above).
EVERY_ROLE_EXAMPLES = max(1, MAX_EXAMPLES // 5)
# Invalid requests for an operation whose only input is its path (see above).
INVALID_PATH_EXAMPLES = EVERY_ROLE_EXAMPLES
# The same request sent again by the same role. Nothing a read sends changes what it reads: sent
# again, it would get the same answer (a PDF typeset again). A write sent again meets what the
# first left (already done, a conflict); a third would meet the same again.
SENDS_OF_A_READ = 1
SENDS_OF_A_WRITE = 2
DEEPEST_ROLES = ("site_admin", "co_leader")
# The operations are fuzzed in parts, so that the test workers share them.
PARTS = 4
# Refusals any operation may give besides what it documents: a broken rule (400), no or a bad
# token (401), not allowed (403), out of scope or missing (404), a conflict (409), bad input (422).
STANDARD_REFUSALS = {400, 401, 403, 404, 409, 422}
CHECKS = [
    not_a_server_error,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
API_PREFIX = "/api/v1/"
METHODS = ("get", "put", "post", "delete", "patch")
# The document itself, its HTML viewer, and the bare prefix (it answers 404 with the docs at
# /docs): ninja's own, not endpoints of the API.
NINJA_OWN_URLS = {"openapi-json", "openapi-view", "api-root"}


@pytest.fixture
def app():
    """Django's WSGI application, as the test client runs it.

    A request must not close the database connection at its start or end (Django's own test client
    disconnects the same receivers): the connection holds the transaction the test rolls back.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(app, db):
    return schemathesis.openapi.from_wsgi(f"{API_PREFIX}openapi.json", app)


def secret_for(person) -> str | None:
    if person is None:
        return None
    if person.kind == "pupil":
        # A pupil cannot make a token; give them one anyway, so that the fuzz proves a pupil's
        # token reaches nothing more than the pupil's session would.
        secret = f"{TOKEN_PREFIX}fuzz-pupil-{person.pk}"
        AccessToken.objects.create(
            person=person, name="fuzz", prefix=secret[:10], token_hash=hash_token(secret)
        )
        return secret
    return account_services.create_access_token(person=person, name="fuzz", by=person)[1]


def object_ids(world, *, foreign: bool) -> dict:
    """Real values for the path parameters, from the home network or the foreign one."""
    ids = walk.object_ids(world, foreign=foreign)
    if foreign:
        ids["token_id"] = spare_token(world, world.foreign_co_leader)
    return ids


def spare_token(world, person) -> int:
    """The id of a token to revoke; anonymous and pupils (who make none) name someone else's."""
    owner = world.foreign_co_leader if person is None or person.is_pupil else person
    token, _ = account_services.create_access_token(person=owner, name="spare", by=owner)
    return token.pk


def real_body_ids(world, fillings: list[dict]) -> dict[str, list]:
    """Values for the `…_id` fields of request bodies: real objects of both networks."""
    body_ids = {}
    for ids in fillings:
        for name, value in ids.items():
            if name.endswith("_id") and value not in body_ids.setdefault(name, []):
                body_ids[name].append(value)
    schools = (world.school_b, world.school_c, world.outside_school)
    people = (world.school_lead, world.partner, world.pupil, world.co_leader)
    body_ids["school_id"] += [school.pk for school in schools]
    body_ids["person_id"] += [person.pk for person in people]
    return body_ids


def with_real_ids(strategy, body_ids: dict[str, list[int]]):
    """Valid requests whose body names real objects (`…_id`), so that writes get through."""

    def fill(pair):
        case, choices = pair
        if isinstance(case.body, dict):
            for name, value in choices.items():
                if name in case.body:
                    case.body[name] = value
        return case

    choices = st.fixed_dictionaries({name: st.sampled_from(ids) for name, ids in body_ids.items()})
    return st.tuples(strategy, choices).map(fill)


def strategies(operation, fillings: list[dict], body_ids: dict[str, list[int]], mode):
    """Requests of one generation mode: random paths, and paths naming real objects."""
    names = {parameter.name for parameter in operation.path_parameters}
    valid = mode == GenerationMode.POSITIVE
    options = [operation.as_strategy(mode)]
    for ids in fillings if names <= set(fillings[0]) else []:
        if not valid and not (names and (operation.body or operation.query)):
            continue  # nothing but the path to make invalid, and the path is fixed
        fixed = {name: ids[name] for name in names}
        strategy = operation.as_strategy(mode, path_parameters=fixed)
        options.append(with_real_ids(strategy, body_ids) if valid and operation.body else strategy)
    return options


def documented_statuses(operation) -> set[int]:
    return {int(status) for status in operation.definition.raw["responses"] if status.isdigit()}


def resolves(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


class Signer:
    """The role's bearer token, made again if the fuzz revoked it through /me/tokens/…/revoke.

    A revoked token answers 401: only after one is its token looked up again."""

    def __init__(self, person):
        self.person = person
        self.secret = secret_for(person)
        self.refused = False

    def headers(self) -> dict:
        if self.secret is None:
            return {}
        if self.refused:
            active = AccessToken.objects.active().filter(token_hash=hash_token(self.secret))
            if not active.exists():
                self.secret = secret_for(self.person)
            self.refused = False
        return {"Authorization": f"Bearer {self.secret}"}


@pytest.mark.parametrize("part", range(PARTS))
def test_fuzz_every_operation(world, api_schema, part):
    """Each drawn request is sent with every role's token: drawing costs more than sending."""
    people = world.people_by_role()
    signers = {role: Signer(people[role]) for role in ROLES}
    fillings = [object_ids(world, foreign=False), object_ids(world, foreign=True)]
    body_ids = real_body_ids(world, fillings)
    # A token of its own to revoke, never the one the fuzz is signed in with: the drawn path names
    # the teacher's spare token, which each role's request names its own instead.
    spare_tokens = {role: spare_token(world, people[role]) for role in ROLES}
    fillings[0]["token_id"] = spare_tokens["member"]
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 20  # the fuzz really fuzzes something
    operations = operations[part::PARTS]

    unfilled = {}
    for operation in operations:
        assert not operation.skipped_parameters, f"{operation.label}: schemathesis skipped some"
        missing = {parameter.name for parameter in operation.path_parameters} - set(fillings[0])
        if missing:
            unfilled[operation.label] = sorted(missing)
        allowed = documented_statuses(operation) | STANDARD_REFUSALS
        valid = strategies(operation, fillings, body_ids, GenerationMode.POSITIVE)
        fuzz(st.one_of(valid), signers, allowed, spare_tokens=spare_tokens)
        if operation.body or operation.query or operation.path_parameters:
            invalid = strategies(operation, fillings, body_ids, GenerationMode.NEGATIVE)
            examples = MAX_EXAMPLES if operation.body or operation.query else INVALID_PATH_EXAMPLES
            invalid_signer = {INVALID_INPUT_ROLE: signers[INVALID_INPUT_ROLE]}
            fuzz(st.one_of(invalid), invalid_signer, allowed, examples=examples)
    # Random values alone rarely name a real object: a new path parameter needs one in object_ids.
    assert not unfilled, f"fuzzed with random path values only, add real ones: {unfilled}"


def fuzz(
    strategy,
    signers: dict,
    allowed: set[int],
    *,
    spare_tokens: dict | None = None,
    examples: int = MAX_EXAMPLES,
):
    drawn = 0
    sent = collections.Counter()

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
            HealthCheck.data_too_large,
        ],
    )
    @given(case=strategy)
    def run(case):
        nonlocal drawn
        drawn += 1
        for role in senders(list(signers), drawn):
            drawn_input = map(repr, (case.query, case.headers, case.body))
            request = (role, case.method, case.formatted_path, *drawn_input)
            if sent[request] == (SENDS_OF_A_READ if case.method == "GET" else SENDS_OF_A_WRITE):
                continue
            sent[request] += 1
            with own_spare_token(case, spare_tokens, role):
                send(case, signers[role], allowed, role=role)

    run()


def senders(roles: list[str], drawn: int) -> list[str]:
    """The roles that send the operation's `drawn`-th request (see the module's docstring)."""
    if drawn <= EVERY_ROLE_EXAMPLES:
        return roles
    deepest = [role for role in roles if role in DEEPEST_ROLES]
    others = [role for role in roles if role not in DEEPEST_ROLES and role != "anonymous"]
    if not others:
        return deepest or roles
    return [*deepest, others[drawn % len(others)]]


def send(case, signer, allowed: set[int], *, role: str):
    headers = signer.headers()
    response = case.call(headers=headers)
    case.validate_response(response, checks=CHECKS, headers=headers)
    where = f"{role} {case.method} {case.formatted_path}: {response.status_code}"
    assert response.status_code in allowed, f"{where} {response.text[:300]}"
    signer.refused = response.status_code == 401
    if signer.person is None:
        # Only a path that is no URL at all (a slug with a space, say) gets past the 401.
        assert response.status_code == 401 or not resolves(case.formatted_path), where


@contextmanager
def own_spare_token(case, spare_tokens: dict | None, role: str):
    drawn = case.path_parameters.get("token_id")
    if not spare_tokens or drawn != spare_tokens["member"]:
        yield
        return
    case.path_parameters["token_id"] = spare_tokens[role]
    try:
        yield
    finally:
        case.path_parameters["token_id"] = drawn


# The document is complete ---------------------------------------------------------------------


def api_url_patterns() -> list[tuple[str, str]]:
    """Every URL under /api/v1/, as an OpenAPI path ({name}), with its name."""

    def walk(resolvers, prefix):
        for entry in resolvers:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern):
                yield route, entry.name

    found = []
    for route, name in walk(get_resolver().url_patterns, "/"):
        route = route.lstrip("^").rstrip("$")
        if route.startswith(API_PREFIX):
            found.append((re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route), name))
    return found


def test_every_endpoint_and_parameter_is_in_the_schema(world, app, api_schema):
    from django.test import Client

    document = api_schema.raw_schema
    paths = document["paths"]
    undocumented = []
    for route, name in api_url_patterns():
        if name in NINJA_OWN_URLS:
            continue
        if route not in paths:
            undocumented.append(route)
            continue
        in_path = set(re.findall(r"\{(\w+)\}", route))
        for method, operation in paths[route].items():
            documented = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert documented == in_path, f"{method.upper()} {route}: path parameters {documented}"
    assert not undocumented, f"URLs missing from the OpenAPI document: {undocumented}"

    # A method the document does not list is not served: 405, for the most powerful token.
    secret = secret_for(world.admin)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    ids = object_ids(world, foreign=False)
    walked = 0
    for path, item in paths.items():
        # The method is refused before any object is looked up: any value fills the path.
        url = re.sub(r"\{(\w+)\}", lambda match: str(ids.get(match.group(1), 1)), path)
        for method in METHODS:
            if method in item:
                continue
            walked += 1
            response = getattr(client, method)(url, {}, content_type="application/json")
            assert response.status_code == 405, f"{method.upper()} {path}: {response.status_code}"
    assert walked >= 50


def test_views_read_no_parameter_the_schema_does_not_name():
    """Ninja documents what a view's signature declares; reading the raw request would not be."""
    from netlearn.config.api import api

    modules = {
        inspect.getmodule(operation.view_func)
        for _, router in api._routers
        for path_view in router.path_operations.values()
        for operation in path_view.operations
    }
    assert len(modules) >= 2
    raw = re.compile(r"\brequest\.(GET|POST|body|FILES|headers|META|COOKIES|data)\b")
    for module in modules:
        found = raw.findall(inspect.getsource(module))
        assert not found, f"{module.__name__} reads request.{found[0]}, which the schema misses"
