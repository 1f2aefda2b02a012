"""The demo's network health: two waves in Tweedmouth and Pendle, a Kāhui Ako survey on the
indicators, and maps whose measures are networkx's own and differ as the networks do."""

from itertools import combinations

import networkx as nx
import pytest
from django.test import Client
from django.urls import reverse

from netlearn.health import collaboration, engagement, policy, self_evaluation
from netlearn.health.models import Survey
from netlearn.networks import selectors as network_selectors
from netlearn.networks.models import GroupKind, Network

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


def _members(network, kind) -> list[list[int]]:
    groups: dict[int, list[int]] = {}
    for group_id, _name, group_kind, person_id, _school in network_selectors.group_member_rows(
        network=network
    ):
        if group_kind == kind and person_id:
            groups.setdefault(group_id, []).append(person_id)
    return list(groups.values())


def test_pendles_steering_group_is_the_hub_of_its_map(demo_sign_ins, db):
    network = Network.objects.get(slug="pendle-small-schools")
    (steering,) = _members(network, GroupKind.STEERING)
    found = collaboration.map_of(network=network, with_people=True)
    betweenness = found.people_measures.betweenness
    ranked = sorted(betweenness, key=lambda pk: (-betweenness[pk], pk))
    # The three people who broker most sit on the steering group, and its members broker more,
    # on average, than everyone else.
    assert set(ranked[:3]) <= set(steering)
    others = [pk for pk in betweenness if pk not in steering]
    assert sum(betweenness[pk] for pk in steering) / len(steering) > 2 * (
        sum(betweenness[pk] for pk in others) / len(others)
    )


def test_north_hartlepools_triads_are_ties_across_schools(demo_sign_ins, db):
    network = Network.objects.get(slug="north-hartlepool")
    triads = _members(network, GroupKind.TRIAD)
    assert triads
    found = collaboration.map_of(network=network, with_people=True)
    graph = collaboration.people_graph(found)
    triad_ties = [(a, b) for members in triads for a, b in combinations(sorted(members), 2)]
    # Every tie a triad makes is drawn, and (nearly) every one joins two schools.
    assert all(graph.has_edge(a, b) for a, b in triad_ties)
    across = [found.people[a][1] != found.people[b][1] for a, b in triad_ties]
    assert sum(across) / len(across) >= 0.9
    assert found.people_measures.across_share > 0.8


def test_network_bs_engagement_stands_beside_its_value_added(demo_sign_ins, db):
    """Network B is the seed network with both: its registers and enquiries, and illustrative
    KS3 value added (impact's demo)."""
    network = Network.objects.get(slug="network-b")
    found = engagement.engagement_of(network=network)
    assert found.has_value_added
    published = [row for row in found.rows if row.value_added.value is not None]
    assert len(published) >= engagement.FEWEST_FOR_ASSOCIATION
    assert sum(row.attendance for row in found.rows) > 0
    assert any(line.rho is not None for line in found.associations)
    admin = Network.objects.get(slug="tweedmouth").health_surveys.first().created_by
    client = Client()
    client.force_login(admin)
    page = client.get(reverse("health:engagement", args=[network.slug]))
    assert page.status_code == 200
    assert b"association, not a cause" in page.content
    assert published[0].school.encode() in page.content
