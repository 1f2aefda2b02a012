"""Sharing an account beyond its network: one published for every network opens for members of
other networks, on the page and through the API, and is listed as shared with them; one published
for its network alone stays a 404 to them."""

import pytest
from django.test import Client
from django.urls import reverse

from netlearn.enquiry import services
from netlearn.enquiry.models import Audience

from .factories import lesson_study, loaded_account


def client_for(person):
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def published(world, *, title, audience):
    enquiry = lesson_study(world, world.group, world.teacher, question=f"{title}?")
    account = services.write_account(
        enquiry=enquiry,
        by=world.teacher,
        title=title,
        question="How do pupils explain fractions?",
        what_we_tried="Bar models",
        what_we_learned="Pupils explain with drawings first",
        audience=audience,
    )
    services.review_account(account=loaded_account(account, world.co_leader), by=world.co_leader)
    services.publish_account(account=loaded_account(account, world.co_leader), by=world.co_leader)
    return account


@pytest.fixture
def shared(world):
    return published(world, title="Shared with everyone", audience=Audience.ALL_NETWORKS)


@pytest.fixture
def kept(world):
    return published(world, title="Kept in the network", audience=Audience.NETWORK)


def test_a_teacher_of_another_network_opens_an_account_shared_with_everyone(world, shared, kept):
    client = client_for(world.foreign_teacher)
    page = client.get(shared.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert "Shared with everyone" in body and "Shared with every network by Riverside" in body
    # Nothing else of the sharing network: not its enquiry, its group or its focus.
    assert shared.enquiry.get_absolute_url() not in body
    assert world.group.name not in body
    assert client.get(kept.get_absolute_url()).status_code == 404
    assert client.get(shared.enquiry.get_absolute_url()).status_code == 404
    assert client.get(reverse("enquiry:accounts", args=[world.network.slug])).status_code == 404


def test_the_api_answers_the_same(world, shared, kept):
    client = client_for(world.foreign_teacher)
    base = f"/api/v1/networks/{world.network.slug}/accounts"
    answer = client.get(f"{base}/{shared.pk}")
    assert answer.status_code == 200
    assert answer.json()["title"] == "Shared with everyone"
    assert answer.json()["network_slug"] == world.network.slug
    assert client.get(f"{base}/{kept.pk}").status_code == 404
    assert client.get(base).status_code == 404
    # Under another network's slug it is not found either.
    foreign = f"/api/v1/networks/{world.foreign_network.slug}/accounts/{shared.pk}"
    assert client.get(foreign).status_code == 404
    listed = client.get("/api/v1/accounts/shared").json()
    assert [item["title"] for item in listed["items"]] == ["Shared with everyone"]


def test_shared_with_me_lists_what_other_networks_share_and_not_ones_own(world, shared, kept):
    page = client_for(world.foreign_teacher).get(reverse("enquiry:shared")).content.decode()
    assert "Shared with everyone" in page and "from Riverside" in page
    assert "Kept in the network" not in page
    own = client_for(world.teacher).get(reverse("enquiry:shared")).content.decode()
    assert "Shared with everyone" not in own
    assert "Nothing is shared with you from other networks yet." in own


def test_a_draft_for_everyone_is_not_shared_until_published(world):
    enquiry = lesson_study(world, world.group, world.teacher)
    draft = services.write_account(
        enquiry=enquiry,
        by=world.teacher,
        title="Not yet",
        question="Q",
        what_we_tried="T",
        what_we_learned="L",
        audience=Audience.ALL_NETWORKS,
    )
    client = client_for(world.foreign_teacher)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Not yet" not in client.get(reverse("enquiry:shared")).content.decode()


@pytest.mark.parametrize("role", ["pupil", "anonymous"])
def test_pupils_and_the_anonymous_see_nothing_shared(world, shared, role):
    person = None if role == "anonymous" else world.pupil
    response = client_for(person).get(shared.get_absolute_url())
    assert response.status_code == (302 if role == "anonymous" else 404)
