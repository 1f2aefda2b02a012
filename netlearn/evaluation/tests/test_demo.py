"""The demo's programme: four networks consented, an evaluator sign-in printed with the others."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from netlearn.demo.seed import load_demo
from netlearn.impact.tests.factories import shared_measure

from ..demo import NAME
from ..models import NetworkProgramme

# Every module that loads the demo runs on one xdist worker (`--dist loadgroup`): each loads it
# once, not once per worker.
pytestmark = pytest.mark.xdist_group("demo")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        shared_measure()  # the data migration's catalogue, in case a transactional test flushed it
        yield load_demo()
        transaction.set_rollback(True)


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
