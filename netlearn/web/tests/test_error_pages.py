"""The error pages: in the frame, in the person's language, with a way back."""

import re

import pytest
from django.test import Client
from django.urls import reverse

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
