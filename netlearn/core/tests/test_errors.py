"""One error root: every app's refusals derive from it, and the API answers each with its status."""

import importlib
import inspect
import json
from pathlib import Path

import pytest
from django.test import RequestFactory

import netlearn
from netlearn.config.api import api, rule_broken
from netlearn.core.errors import Conflict, NetlearnError, TooMany
from netlearn.core.rate_limits import Limit, RateLimited
from netlearn.discussions.errors import PostingTooFast
from netlearn.networks.errors import AlreadyHoldsRole, AlreadyMember, NetworkError

# A package of plain functions that runs without Django (its command line included): its errors
# are ValueErrors for the caller to reword, never answered by the API as they are.
NOT_DJANGO = {"analytics"}


def app_error_modules():
    for path in sorted(Path(netlearn.__file__).parent.glob("*/errors.py")):
        app = path.parent.name
        if app not in NOT_DJANGO and app != "core":
            yield importlib.import_module(f"netlearn.{app}.errors")


def errors_of(module):
    return [
        cls
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, Exception) and cls.__module__ == module.__name__
    ]


def test_every_app_has_an_error_module():
    apps = {module.__name__.split(".")[1] for module in app_error_modules()}
    assert apps >= {
        "accounts",
        "activities",
        "charter",
        "discussions",
        "enquiry",
        "impact",
        "library",
        "networks",
        "notifications",
    }


@pytest.mark.parametrize("module", list(app_error_modules()), ids=lambda module: module.__name__)
def test_every_app_error_derives_from_the_one_root(module):
    errors = errors_of(module)
    assert errors
    assert [cls for cls in errors if not issubclass(cls, NetlearnError)] == []


@pytest.mark.parametrize(
    "error, status",
    [
        (NetworkError, 400),
        (AlreadyMember, 409),
        (AlreadyHoldsRole, 409),
        (PostingTooFast, 429),
        (RateLimited, 429),
    ],
)
def test_each_error_names_its_status(error, status):
    assert error.status == status


def test_conflicts_and_too_many_stay_errors_of_their_app():
    assert issubclass(AlreadyMember, Conflict) and issubclass(AlreadyMember, NetworkError)
    assert issubclass(PostingTooFast, TooMany)


@pytest.mark.parametrize(
    "exc, status",
    [
        (NetworkError("The school is not in the network."), 400),
        (AlreadyMember("Already a member."), 409),
        (PostingTooFast("Wait a few minutes."), 429),
        (RateLimited(Limit("test", "PAGE_SIZE", "PAGE_SIZE"), "Try again later."), 429),
    ],
)
def test_the_api_answers_an_app_error_with_its_status_and_message(exc, status):
    request = RequestFactory().post("/api/v1/anything")
    response = rule_broken(request, exc)
    assert response.status_code == status
    assert json.loads(response.content) == {"detail": str(exc)}


def test_the_api_has_one_handler_for_every_app_error():
    handled = [cls for cls in api._exception_handlers if issubclass(cls, NetlearnError)]
    assert handled == [NetlearnError]
