"""The demo's golden threads: Tweedmouth, North Hartlepool and Network B read from goal onwards."""

import pytest
from django.test import Client
from django.urls import reverse

from netlearn.charter.models import LearningFocus
from netlearn.networks.models import NetworkRole, Role

# Every module that reads the demo runs on one xdist worker (`--dist loadgroup`), which loads it
# once for them all.
pytestmark = pytest.mark.xdist_group("demo")


@pytest.fixture
def demo(demo_sign_ins):
    return demo_sign_ins  # loaded once for every module of the "demo" group (conftest.py)


def thread_page(slug: str, words: str) -> str:
    focus = LearningFocus.objects.get(charter__network__slug=slug, title__icontains=words)
    co_leader = (
        NetworkRole.objects.current().filter(network__slug=slug, role=Role.CO_LEADER).first().person
    )
    client = Client()
    client.force_login(co_leader)
    response = client.get(reverse("golden_thread:focus", args=[slug, focus.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "slug, words, enquiry",
    [
        ("tweedmouth", "transition", "thinking for learning' starter"),
        ("north-hartlepool", "numeracy", "Research Lesson Study"),
        ("network-b", "numeracy", "What makes mathematics lessons work"),
    ],
)
def test_the_demo_networks_have_golden_threads(demo, db, slug, words, enquiry):
    page = thread_page(slug, words)
    assert "1. Goals" in page and "Baseline <strong>" in page
    assert enquiry in page.replace("&#x27;", "'")


def test_tweedmouth_thread_reads_from_goal_to_a_run_chart_and_a_shared_account(demo, db):
    page = thread_page("tweedmouth", "transition")
    assert 'class="run-chart"' in page and "Signal." in page
    assert "A familiar starter helps pupils settle after the move" in page
    assert "No activity serves this focus yet." not in page
