"""The error pages: in the frame, in the person's language, with a way back."""

import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

from netlearn.core.tests.raising_urls import Boom


def lang_of(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


@pytest.mark.parametrize(
    "method, path, status, title",
    [
        ("get", "/no-such-page/", 404, "Page not found"),
        ("get", "/accounts/language/", 405, "This page cannot be opened this way"),
    ],
)
def test_error_pages_have_the_frame_and_a_way_home(world, method, path, status, title):
    client = Client()
    client.force_login(world.teacher)
    response = getattr(client, method)(path)
    assert response.status_code == status
    html = response.content.decode()
    assert f"<h1>{title}</h1>" in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert f'href="{reverse("web:home")}"' in html
    assert lang_of(html) == "en-GB"


def test_the_403_page_speaks_the_persons_language(world):
    world.teacher.language = "mi"
    world.teacher.save(update_fields=["language"])
    client = Client()
    client.force_login(world.teacher)
    # Only a co-leader may add a group: a teacher is refused.
    response = client.get(reverse("networks:create_group", args=[world.network.slug]))
    assert response.status_code == 403
    html = response.content.decode()
    assert lang_of(html) == "mi" and "Takiputa" in html
    assert "<h1>You cannot open this page</h1>" in html
    assert f'href="{reverse("web:home")}"' in html


def test_the_500_page_has_the_frame(db, settings):
    settings.ROOT_URLCONF = "netlearn.core.tests.raising_urls"
    response = Client(raise_request_exception=False).get("/test-boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Something went wrong</h1>" in html and 'class="site-footer"' in html
    assert Boom.__name__ not in html  # nothing of the failure shown


def test_another_networks_page_reads_as_missing_not_forbidden(client, world):
    client.force_login(world.teacher)
    response = client.get(reverse("networks:home", args=[world.foreign_network.slug]))
    assert response.status_code == 404
    assert world.foreign_network.name not in response.content.decode()


def test_a_get_to_a_form_action_answers_405_with_a_page(client, world):
    client.force_login(world.teacher)
    response = client.get(reverse("accounts:create_token"))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert "This page cannot be opened this way" in page
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
    assert "Go to your home page" in response.content.decode()


def _no_database(*args, **kwargs):
    raise AssertionError("the 500 page must not query the database")


@pytest.mark.django_db
def test_an_expired_form_gets_a_page_not_djangos_debug_text(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.teacher)
    response = client.post(reverse("accounts:create_token"), {"name": "x"})
    assert response.status_code == 403
    assert "Your form had expired" in response.content.decode()
