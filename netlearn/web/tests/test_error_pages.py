"""Error pages a person can read and leave: the site's frame, what happened in plain words, a way
back, and for the API the JSON it always answers (issue 21, item 5)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

from netlearn.web.middleware import MethodNotAllowedPageMiddleware


def test_a_missing_page_has_the_frame_and_a_way_home(client, world):
    client.force_login(world.teacher)
    response = client.get("/n/no-such-network/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page not found</h1>" in page
    assert 'aria-label="Main"' in page  # the signed-in frame
    assert f'href="{reverse("web:home")}"' in page
    assert "Error 404" in page and response["X-Request-ID"] in page


def test_another_networks_page_reads_as_missing_not_forbidden(client, world):
    client.force_login(world.teacher)
    response = client.get(reverse("networks:home", args=[world.foreign_network.slug]))
    assert response.status_code == 404
    assert world.foreign_network.name not in response.content.decode()


def test_a_refused_page_says_so_with_a_way_back(client, world):
    client.force_login(world.pupil)
    response = client.get(reverse("networks:home", args=[world.network.slug]))
    assert response.status_code in (403, 404)
    page = response.content.decode()
    assert "Error" in page and f'href="{reverse("web:home")}"' in page


def test_a_get_to_a_form_action_answers_405_with_a_page(client, world):
    client.force_login(world.teacher)
    response = client.get(reverse("accounts:create_token"))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert "That did not work from here" in page and "Nothing was changed" in page
    assert "Content-Security-Policy" in response


def test_the_api_keeps_its_own_405(client, world):
    client.force_login(world.teacher)
    response = client.delete("/api/v1/me")
    assert response.status_code == 405
    assert b"<html" not in response.content


def test_the_server_error_page_renders_without_a_request_or_a_database():
    # Django renders 500.html with no context: the frame must not need a person or a query.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.backends.base.base.BaseDatabaseWrapper.cursor", _no_database)
        response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert "Go to the home page" in response.content.decode()


def _no_database(*args, **kwargs):
    raise AssertionError("the 500 page must not query the database")


@pytest.mark.django_db
def test_an_expired_form_gets_a_page_not_djangos_debug_text(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.teacher)
    response = client.post(reverse("accounts:create_token"), {"name": "x"})
    assert response.status_code == 403
    assert "Your form had expired" in response.content.decode()


def test_the_405_page_is_only_given_where_the_answer_was_empty(rf):
    request = rf.post("/somewhere/")
    request.user = AnonymousUser()
    answered = MethodNotAllowedPageMiddleware(lambda r: _with_body())(request)
    assert answered.content == b"kept"


def _with_body():
    from django.http import HttpResponseNotAllowed

    return HttpResponseNotAllowed(["GET"], content=b"kept")
