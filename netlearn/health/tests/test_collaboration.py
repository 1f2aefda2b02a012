"""The collaboration map's measures are networkx's own, and pupils are never nodes."""

import networkx as nx
import pytest
from django.test import Client
from django.urls import reverse

from netlearn.health import collaboration
from netlearn.networks import services as network_services
from netlearn.networks.models import GroupKind

pytestmark = pytest.mark.django_db


def _triad(world):
    triad = network_services.create_group(
        network=world.network, name="Writing triad", kind=GroupKind.TRIAD, by=world.admin
    )
    for person in (world.co_leader, world.school_lead, world.teacher):
        network_services.add_group_member(group=triad, person=person, by=world.admin)
    return triad


def test_the_maps_measures_equal_networkx_on_the_same_ties(world):
    _triad(world)
    found = collaboration.map_of(network=world.network, with_people=True)
    assert world.pupil.pk not in found.people
    expected = nx.Graph()
    expected.add_nodes_from(found.people)
    expected.add_edges_from(
        [
            (world.co_leader.pk, world.school_lead.pk),
            (world.co_leader.pk, world.teacher.pk),
            (world.school_lead.pk, world.teacher.pk),
        ]
    )
    measures = found.people_measures
    assert measures.density == pytest.approx(nx.density(expected))
    assert measures.betweenness == pytest.approx(nx.betweenness_centrality(expected))
    assert set(measures.isolates) == set(nx.isolates(expected))
    # The triad's three people teach in three schools: every tie crosses schools.
    assert measures.across_share == 1.0
    schools = found.school_measures
    assert schools.ties == 3
    assert {world.school_a.pk, world.school_b.pk, world.school_c.pk}.isdisjoint(schools.isolates)


def test_a_co_leader_sees_the_map_and_a_teacher_does_not(world):
    _triad(world)
    client = Client()
    client.force_login(world.co_leader)
    url = reverse("health:map", args=[world.network.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert b"isolated-schools" in page.content and b"<svg" in page.content
    graphml = client.get(reverse("health:map_graphml", args=[world.network.slug]))
    assert nx.parse_graphml(graphml.content.decode()).number_of_edges() == 3
    client.force_login(world.teacher)
    assert client.get(url).status_code == 403
