"""A writing day's accounts compile into one document, on a page and as a PDF, for the network."""

import pytest
from django.test import Client
from django.urls import reverse

from netlearn.activities.tests.factories import make_activity
from netlearn.enquiry import services as enquiry_services
from netlearn.enquiry.errors import EnquiryError
from netlearn.golden_thread.tests.thread_factories import add_pdsa, focus_with_goal, publish_account

from .factories import MACRONS, pdf_text, squashed, writing_day

pytestmark = pytest.mark.django_db


def _client(person):
    client = Client()
    client.force_login(person)
    return client


def test_accounts_filed_under_a_writing_day_compile_into_one_document(world):
    focus, goal = focus_with_goal(world)
    account = publish_account(world, add_pdsa(world, focus, goal), title=f"Stamina in {MACRONS}")
    day = writing_day(world)
    slug = world.network.slug
    url = reverse("reports:writing_day", args=[slug, day.pk])
    response = _client(world.teacher).post(
        reverse("reports:link_account", args=[slug, day.pk]), {"account": account.pk}
    )
    assert response.status_code == 302
    page = _client(world.school_lead).get(url).content.decode()
    assert f"Stamina in {MACRONS}" in page and "Stamina grew steadily" in page
    pdf = _client(world.partner).get(reverse("reports:writing_day_pdf", args=[slug, day.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = squashed(pdf_text(pdf.content))
    assert f"Stamina in {MACRONS}" in text and "Stamina grew steadily" in text


def test_only_a_writing_day_of_the_same_network_takes_an_account(world):
    focus, goal = focus_with_goal(world)
    account = publish_account(world, add_pdsa(world, focus, goal))
    lunch = make_activity(world, title="Thinking lunch")
    with pytest.raises(EnquiryError):
        enquiry_services.link_account_to_writing_day(
            account=account, writing_day=lunch, by=world.co_leader
        )
    foreign_day = writing_day(world, network=world.foreign_network, by=world.foreign_co_leader)
    with pytest.raises(EnquiryError):
        enquiry_services.link_account_to_writing_day(
            account=account, writing_day=foreign_day, by=world.co_leader
        )
    account.refresh_from_db()
    assert account.writing_day is None
    slug = world.network.slug
    assert (
        _client(world.teacher)
        .get(reverse("reports:writing_day", args=[slug, lunch.pk]))
        .status_code
        == 404
    )
    assert (
        _client(world.foreign_co_leader)
        .get(reverse("reports:writing_day", args=[slug, writing_day(world).pk]))
        .status_code
        == 404
    )


def test_a_drafted_account_stays_out_of_the_compilation(world):
    focus, goal = focus_with_goal(world)
    enquiry = add_pdsa(world, focus, goal)
    account = enquiry_services.write_account(
        enquiry=enquiry,
        by=world.teacher,
        title="Not yet agreed",
        question="Q?",
        what_we_tried="T",
        what_we_learned="L",
    )
    day = writing_day(world)
    enquiry_services.link_account_to_writing_day(
        account=account, writing_day=day, by=world.co_leader
    )
    page = _client(world.school_lead).get(
        reverse("reports:writing_day", args=[world.network.slug, day.pk])
    )
    assert "Not yet agreed" not in page.content.decode()
