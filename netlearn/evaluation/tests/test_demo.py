"""The demo's programme: four networks consented, an evaluator sign-in printed with the others."""

import pytest
from django.test import Client
from django.urls import reverse

from ..demo import NAME
from ..models import NetworkProgramme

# Every module that reads the demo runs on one xdist worker (`--dist loadgroup`), which loads it
# once for them all.
pytestmark = pytest.mark.xdist_group("demo")


@pytest.fixture
def demo(demo_sign_ins):
    return demo_sign_ins  # loaded once for every module of the "demo" group (conftest.py)


def test_the_demo_evaluator_sees_four_networks_side_by_side(demo, django_db_blocker):
    assert "evaluator" in {sign_in.username for sign_in in demo}
    with django_db_blocker.unblock():
        programme = NetworkProgramme.objects.get(name=NAME)
        evaluator = programme.evaluators.get().person
        client = Client()
        client.force_login(evaluator)
        page = client.get(reverse("evaluation:detail", args=[programme.slug]))
        assert page.status_code == 200
        text = page.content.decode()
        assert text.count('class="programme-network"') == 4
        for name in ("Tweedmouth", "North Hartlepool", "Network B", "Pendle"):
            assert name in text
        assert client.get(reverse("charter:detail", args=["tweedmouth"])).status_code == 200
        assert client.get(reverse("networks:people", args=["tweedmouth"])).status_code == 404
        spaces = reverse("discussions:network_spaces", args=["north-hartlepool"])
        assert client.get(spaces).status_code == 404
