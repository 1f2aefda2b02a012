"""The demo's network health: two waves in Tweedmouth and Pendle, a Kāhui Ako survey on the
indicators, and maps whose measures are networkx's own and differ as the networks do."""

import networkx as nx
import pytest
from django.test import Client
from django.urls import reverse

from netlearn.health import collaboration, policy, self_evaluation
from netlearn.health.models import Survey
from netlearn.networks.models import Network

pytestmark = pytest.mark.xdist_group("demo")


def test_two_waves_of_self_evaluation_in_tweedmouth_and_pendle(demo_sign_ins, db):
    admin = Network.objects.get(slug="tweedmouth").health_surveys.first().created_by
    for slug in ("tweedmouth", "pendle-small-schools"):
        network = Network.objects.get(slug=slug)
        waves = set(
            Survey.objects.filter(network=network, audience="staff", framework__isnull=False)
            .exclude(framework__slug="partnership")
            .values_list("wave", flat=True)
        )
        assert waves == {"Autumn 2025", "Summer 2026"}
        views = self_evaluation.overview_of(network=network, viewer=admin)
        assert views and views[0].by_wave.columns == ["Autumn 2025", "Summer 2026"]
        shown = [cell for _, cells in views[0].by_wave.lines for cell in cells]
        assert any(cell.mean.value is not None for cell in shown)
    kahui = Network.objects.get(slug="matatahi-kahui-ako")
    assert Survey.objects.filter(network=kahui, framework__slug="ero-indicators").exists()


def test_every_seed_networks_map_measures_equal_networkx(demo_sign_ins, db):
    across = {}
    for network in Network.objects.filter(is_demo=True):
        found = collaboration.map_of(network=network, with_people=True)
        graph = collaboration.people_graph(found)
        assert found.people_measures.density == pytest.approx(nx.density(graph))
        assert found.people_measures.betweenness == pytest.approx(nx.betweenness_centrality(graph))
        assert set(found.people_measures.isolates) == set(nx.isolates(graph))
        across[network.slug] = found.people_measures.across_share
    # North Hartlepool's triads are of teachers from three schools.
    assert across["north-hartlepool"] is not None and across["north-hartlepool"] > 0.5


def test_pendles_map_shows_brokers_and_a_co_leader_reads_it(demo_sign_ins, db):
    network = Network.objects.get(slug="pendle-small-schools")
    found = collaboration.map_of(network=network, with_people=True)
    assert found.people_measures.brokers
    admin = Network.objects.get(slug="tweedmouth").health_surveys.first().created_by
    assert policy.can_view_map_people(admin, network)
    client = Client()
    client.force_login(admin)
    page = client.get(reverse("health:map", args=[network.slug]))
    assert page.status_code == 200 and b'id="brokers"' in page.content
