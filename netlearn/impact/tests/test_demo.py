"""The demo's impact pages carry the real Exam dataset, labelled as public research data."""

from django.test import Client

from netlearn.impact import demo
from netlearn.impact.models import Dataset, ModelRun, RunStatus
from netlearn.networks.models import Network

from .factories import shared_measure


def test_the_demo_maps_exam_onto_65_schools_with_a_finished_run(world):
    shared_measure()  # the data migration's catalogue, in case a transactional test flushed it
    demo.load(admin=world.admin)
    demo.load(admin=world.admin)  # a second run changes nothing
    network = Network.objects.get(slug=demo.SLUG)
    assert network.memberships.count() == 65
    exam = Dataset.objects.get(network=network, is_public_research=True)
    assert exam.pupil_records.count() == 4059
    run = ModelRun.objects.get(dataset=exam)
    assert run.status == RunStatus.DONE, run.error
    assert run.formula == demo.FORMULA and run.results["n_obs"] == 4059
    assert len(run.results["effects"]["school"]) == 65
    client = Client()
    client.force_login(world.admin)
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Public research dataset." in page and "Goldstein" in page
    figures = Dataset.objects.get(network=network, kind="school")
    page = client.get(figures.get_absolute_url()).content.decode()
    assert "Illustrative figures" in page
    assert 'This year: <span class="impact-odds">' in page
