"""The programme page: networks side by side for its evaluators, nothing personal, a fixed number
of queries however many networks; and the network's page where co-leaders consent."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from netlearn.golden_thread.tests import thread_factories
from netlearn.networks.tests.factories import PersonFactory
from netlearn.reports import policy as report_policy
from netlearn.reports.tests.factories import draft_report, published_report, writing_day
from netlearn.web.tests import walk

from .. import services
from ..models import ProgrammeMembership
from . import factories

CSRF = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]*')


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def evaluator(db):
    return PersonFactory(username="eve", name="Eve Evaluator")


@pytest.fixture
def side_by_side(world, evaluator):
    """The home network (a focus with a goal, an activity, an enquiry, value added) and a second
    network, both consenting; the foreign network asked but not consenting."""
    made = factories.programme(world, evaluator=evaluator)
    focus, goal = thread_factories.focus_with_goal(world)
    thread_factories.add_activity(world, focus)
    thread_factories.add_pdsa(world, focus, goal)
    thread_factories.value_added(world, goal)
    factories.joined(world, made, world.network, world.co_leader)
    other, other_lead = factories.led_network(world, name="Pendle Small Schools NLC")
    factories.joined(world, made, other, other_lead)
    ProgrammeMembership.objects.create(
        programme=made, network=world.foreign_network, invited_by=world.admin
    )
    return made, focus, other


def test_the_evaluator_sees_every_consenting_network_side_by_side(world, evaluator, side_by_side):
    made, focus, other = side_by_side
    response = signed_in(evaluator).get(reverse("evaluation:detail", args=[made.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Riverside NLC" in page and "Pendle Small Schools NLC" in page
    assert focus.title in page
    assert "Pupils at the expected standard in writing" in page  # a goal with its progress
    assert "1 activity, 1 enquiry" in page  # the golden thread, counted
    assert "meeting" in page and "Outcomes: value added" in page
    assert reverse("golden_thread:focus", args=[world.network.slug, focus.pk]) in page
    # Asked, not consenting: nothing of it shown, not even its name (only a site admin sees
    # which networks were asked).
    assert world.foreign_network.name not in page and "ZQXSENTINEL" not in page
    admin_page = signed_in(world.admin).get(reverse("evaluation:detail", args=[made.slug]))
    assert world.foreign_network.name in admin_page.content.decode()
    # Nothing personal: no teacher's name, no pupil.
    assert world.teacher.name not in page and world.pupil.name not in page


def test_the_evaluator_opens_charter_and_golden_thread_read_only(world, evaluator, side_by_side):
    made, focus, _ = side_by_side
    client = signed_in(evaluator)
    charter = client.get(reverse("charter:detail", args=[world.network.slug]))
    assert charter.status_code == 200 and focus.title in charter.content.decode()
    thread = client.get(reverse("golden_thread:focus", args=[world.network.slug, focus.pk]))
    assert thread.status_code == 200
    assert "as an evaluator" in thread.content.decode()
    assert client.post(
        reverse("charter:add_focus", args=[world.network.slug]), {"title": "Ours now"}
    ).status_code in (403, 404)
    # The foreign network was asked but did not consent.
    assert (
        client.get(reverse("charter:detail", args=[world.foreign_network.slug])).status_code == 404
    )


def test_the_evaluator_gets_404_on_discussions_people_and_pupil_records(world, evaluator):
    ids = walk.object_ids(world, foreign=False)  # a space, a thread, pupil records, a charter
    made = factories.programme(world, evaluator=evaluator)
    factories.joined(world, made, world.network, world.co_leader)
    other, other_lead = factories.led_network(world)
    factories.joined(world, made, other, other_lead)
    client = signed_in(evaluator)
    assert client.get(reverse("charter:detail", args=[world.network.slug])).status_code == 200
    for network in (world.network, other):
        for name in (
            "discussions:network_spaces",
            "networks:people",
            "impact:overview",
            "enquiry:overview",
            "activities:list",
        ):
            response = client.get(reverse(name, args=[network.slug]))
            assert response.status_code == 404, (network.slug, name)
    assert client.get(reverse("discussions:space", args=[ids["space_id"]])).status_code == 404
    assert client.get(reverse("discussions:thread", args=[ids["thread_id"]])).status_code == 404
    records = reverse("impact:records", args=[ids["impact_pupil_dataset_id"]])
    assert client.get(records).status_code == 404
    assert client.get(reverse("networks:person", args=[world.teacher.pk])).status_code == 404


def test_nobody_else_opens_the_programme(world, side_by_side):
    made, _, _ = side_by_side
    url = reverse("evaluation:detail", args=[made.slug])
    for person in (world.co_leader, world.teacher, world.data_lead, world.foreign_co_leader):
        assert signed_in(person).get(url).status_code == 404
    assert signed_in(world.admin).get(url).status_code == 200


def test_the_programme_page_costs_the_same_for_two_and_six_networks(
    world, evaluator, django_assert_max_num_queries
):
    made = factories.programme(world, evaluator=evaluator)
    for _ in range(2):
        factories.joined(world, made, *factories.led_network(world))
    url = reverse("evaluation:detail", args=[made.slug])
    client = signed_in(evaluator)
    client.get(url)  # sessions and the like settle
    with django_assert_max_num_queries(40) as two:
        assert client.get(url).status_code == 200
    # Counted now: the log of queries it slices is bounded and the set-up below runs thousands.
    queries_for_two = len(two.captured_queries)
    for _ in range(4):
        factories.joined(world, made, *factories.led_network(world))
    client.get(url)  # the evaluator's reach changed: it is read again once, then remembered
    with django_assert_max_num_queries(queries_for_two):
        response = client.get(url)
    assert response.content.decode().count('class="programme-network"') == 6


def test_a_co_leader_consents_and_withdraws_from_the_networks_page(world, evaluator):
    made = factories.programme(world, evaluator=evaluator)
    membership = services.invite_network(programme=made, network=world.network, by=evaluator)
    page = reverse("evaluation:network_programmes", args=[world.network.slug])
    consent = reverse("evaluation:consent", args=[world.network.slug, membership.pk])
    withdraw = reverse("evaluation:withdraw", args=[world.network.slug, membership.pk])
    assert signed_in(world.teacher).get(page).status_code == 404
    assert signed_in(world.teacher).post(consent).status_code == 404
    client = signed_in(world.co_leader)
    assert made.name in client.get(page).content.decode()
    assert client.post(consent).status_code == 302
    membership.refresh_from_db()
    assert membership.consented_by == world.co_leader
    detail = signed_in(evaluator).get(reverse("evaluation:detail", args=[made.slug]))
    assert 'class="programme-network"' in detail.content.decode()
    assert client.post(withdraw).status_code == 302
    membership.refresh_from_db()
    assert membership.withdrawn_by == world.co_leader
    evaluator_after = PersonFactory._meta.model.objects.get(pk=evaluator.pk)
    detail = signed_in(evaluator_after).get(reverse("evaluation:detail", args=[made.slug]))
    assert 'class="programme-network"' not in detail.content.decode()
    charter = signed_in(evaluator_after).get(reverse("charter:detail", args=[world.network.slug]))
    assert charter.status_code == 404


def test_an_evaluator_invites_a_network_by_its_short_name(world, evaluator):
    made = factories.programme(world, evaluator=evaluator)
    client = signed_in(evaluator)
    url = reverse("evaluation:invite", args=[made.slug])
    # The same answer whether or not a network has the name, or was asked before: the page does
    # not tell an evaluator which networks exist.
    answers = []
    for slug in ("no-such-network", world.network.slug, world.network.slug):
        response = client.post(url, {"network": slug}, follow=True)
        assert response.status_code == 200
        page = response.content.decode()
        assert services.ASKED in page
        answers.append(CSRF.sub("", page.replace(slug, "")))
        if slug == "no-such-network":
            assert not ProgrammeMembership.objects.exists()
    assert answers[0] == answers[1] == answers[2]
    assert world.network.name not in answers[1]
    assert ProgrammeMembership.objects.filter(programme=made).count() == 1
    assert client.post(url, {"network": "not a slug!"}).status_code == 400


def test_the_home_leads_the_evaluator_to_the_programme_and_a_co_leader_to_consent(world, evaluator):
    made = factories.programme(world, evaluator=evaluator)
    services.invite_network(programme=made, network=world.network, by=evaluator)
    home = signed_in(evaluator).get(reverse("web:home")).content.decode()
    assert reverse("evaluation:detail", args=[made.slug]) in home
    lead_home = signed_in(world.co_leader).get(reverse("web:home")).content.decode()
    assert reverse("evaluation:network_programmes", args=[world.network.slug]) in lead_home
    teacher_home = signed_in(world.teacher).get(reverse("web:home")).content.decode()
    assert "evaluation" not in teacher_home and made.name not in teacher_home


def test_the_evaluator_reads_published_reports_not_drafts_nor_writing_days(world, evaluator):
    published = published_report(world)
    draft = draft_report(world, title="Spring term")
    day = writing_day(world)
    made = factories.programme(world, evaluator=evaluator)
    factories.joined(world, made, world.network, world.co_leader)
    client = signed_in(evaluator)
    page = client.get(reverse("evaluation:detail", args=[made.slug])).content.decode()
    assert published.title in page and draft.title not in page
    slug = world.network.slug
    assert client.get(reverse("reports:detail", args=[slug, published.pk])).status_code == 200
    assert client.get(reverse("reports:detail", args=[slug, draft.pk])).status_code == 404
    writing = reverse("reports:writing_day", args=[slug, day.pk])
    assert client.get(writing).status_code == 404
    fresh = PersonFactory._meta.model.objects.get(pk=evaluator.pk)
    assert report_policy.can_view_report(fresh, published)
    assert not report_policy.can_view_report(fresh, draft)
    assert not report_policy.can_draft(fresh, world.network)
    assert not report_policy.can_view_writing_day(fresh, world.network)
