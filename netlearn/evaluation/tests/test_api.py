"""Programmes in the API: mine, one, its networks side by side, invitations, consent."""

import pytest
from django.test import Client

from netlearn.networks.tests.factories import PersonFactory

from .. import services
from ..models import ProgrammeMembership
from . import factories


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def evaluator(db):
    return PersonFactory(username="eve", name="Eve Evaluator")


def test_an_evaluator_lists_reads_and_compares_their_programmes(world, evaluator):
    made = factories.programme(world, evaluator=evaluator)
    factories.programme(world, name="Not mine")
    factories.joined(world, made, world.network, world.co_leader)
    other, other_lead = factories.led_network(world, name="North Hartlepool PNSLN")
    factories.joined(world, made, other, other_lead)
    client = signed_in(evaluator)
    listed = client.get("/api/v1/programmes").json()
    assert listed["count"] == 1 and listed["items"][0]["slug"] == made.slug
    detail = client.get(f"/api/v1/programmes/{made.slug}").json()
    assert sorted(detail["networks"]) == sorted([world.network.slug, other.slug])
    assert detail["evaluators"][0]["name"] == "Eve Evaluator"
    columns = client.get(f"/api/v1/programmes/{made.slug}/networks").json()
    assert columns["count"] == 2
    column = next(c for c in columns["items"] if c["slug"] == other.slug)
    assert column["foci"][0]["goals"][0]["measure"].startswith("Pupils at the expected")
    assert "enquiries" in column["foci"][0]["thread"]["gaps"]
    assert column["engagement"]["meetings"] == 0
    for person in (world.co_leader, world.teacher):
        assert signed_in(person).get(f"/api/v1/programmes/{made.slug}").status_code == 404
        assert signed_in(person).get("/api/v1/programmes").json()["count"] == 0


def test_invite_consent_and_withdraw_through_the_api(world, evaluator):
    made = factories.programme(world, evaluator=evaluator)
    client = signed_in(evaluator)
    url = f"/api/v1/programmes/{made.slug}/invitations"
    body = {"network": world.network.slug}
    # 202 and the same body whether the network exists, is foreign, or was asked before: the
    # answer does not tell which networks exist.
    nowhere = client.post(url, {"network": "nowhere"}, content_type="application/json")
    invited = client.post(url, body, content_type="application/json")
    again = client.post(url, body, content_type="application/json")
    for answer in (nowhere, invited, again):
        assert answer.status_code == 202
        assert answer.json() == nowhere.json() == {"detail": services.ASKED}
    assert ProgrammeMembership.objects.filter(programme=made).count() == 1
    detail = client.get(f"/api/v1/programmes/{made.slug}").json()
    assert detail["networks"] == [] and detail["waiting"] == []  # a site admin's to see
    admin = signed_in(world.admin).get(f"/api/v1/programmes/{made.slug}").json()
    assert admin["waiting"] == [world.network.slug]
    base = f"/api/v1/networks/{world.network.slug}/programmes"
    membership_id = signed_in(world.co_leader).get(base).json()["items"][0]["id"]
    assert signed_in(world.teacher).get(base).json()["count"] == 0
    assert signed_in(world.teacher).post(f"{base}/{membership_id}/consent").status_code == 404
    lead = signed_in(world.co_leader)
    assert lead.get(base).json()["items"][0]["programme"] == made.slug
    consented = lead.post(f"{base}/{membership_id}/consent")
    assert consented.status_code == 200 and consented.json()["consented_by"] == "Cora Leader"
    withdrawn = lead.post(f"{base}/{membership_id}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_by"] == "Cora Leader"
    assert lead.post(f"{base}/{membership_id}/withdraw").status_code == 400
    assert ProgrammeMembership.objects.get().consented_by == world.co_leader


def test_a_foreign_co_leader_cannot_consent_for_the_network(world, evaluator):
    made = factories.programme(world, evaluator=evaluator)
    membership = services.invite_network(programme=made, network=world.network, by=evaluator)
    client = signed_in(world.foreign_co_leader)
    base = f"/api/v1/networks/{world.network.slug}/programmes/{membership.pk}"
    assert client.post(f"{base}/consent").status_code == 404
    foreign = f"/api/v1/networks/{world.foreign_network.slug}/programmes/{membership.pk}"
    assert client.post(f"{foreign}/consent").status_code == 404
    membership.refresh_from_db()
    assert not membership.is_consented
