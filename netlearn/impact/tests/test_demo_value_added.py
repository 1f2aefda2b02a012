"""The demo's value added: Network B "exceeding local and national averages"
(docs/seed-practices.md#network-value-added), and the Exam study network's value added beside
every school of its model."""

import pytest
from django.test import Client

from netlearn.impact import demo, selectors
from netlearn.impact.models import Dataset
from netlearn.networks.models import Network, NetworkRole, Role

# Every module that reads the demo runs on one xdist worker (`--dist loadgroup`), which loads it
# once for them all.
pytestmark = pytest.mark.xdist_group("demo")


@pytest.fixture
def seeded(demo_sign_ins):
    return demo_sign_ins  # loaded once for every module of the "demo" group (conftest.py)


def _co_leader(network):
    return NetworkRole.objects.current().filter(network=network, role=Role.CO_LEADER).first().person


def test_network_b_adds_more_value_than_its_authority_and_every_school(seeded, db):
    network = Network.objects.get(slug="network-b")
    demo.load(admin=None)  # a second run changes nothing
    assert Dataset.objects.filter(network=network, kind="pupil").count() == 2
    reports = selectors.network_value_added(viewer=_co_leader(network), network=network)
    assert [report.years for report in reports] == [[2003], [2004]]
    for report in reports:
        assert report.problem == "", report.problem
        network_va = report.group("network").estimate.value
        assert report.group("peers").schools == 6
        # The network's value added "exceeding local and national averages".
        assert network_va > report.group("authority").estimate.value
        assert network_va > report.group("all").estimate.value
        assert report.group("network").lower.value > report.group("all").estimate.value
    client = Client()
    client.force_login(_co_leader(network))
    page = client.get("/n/network-b/impact/value-added/").content.decode()
    assert "City of Dunmere" in page and "Comparison high school" not in page


def test_the_exam_network_shows_its_value_added(seeded, db):
    network = Network.objects.get(slug=demo.SLUG)
    data_lead = NetworkRole.objects.current().get(network=network, role=Role.DATA_LEAD).person
    (report,) = selectors.network_value_added(viewer=data_lead, network=network)
    assert report.problem == "" and report.group("network").schools == 65
    assert report.group("network").estimate == report.group("all").estimate
