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


def test_accounts_trials_replies_and_exchanges_draw_ties_and_pupils_stay_out(world):
    """Each source ties whom it should (read through its app's selectors); the measures are
    still networkx's own; a pupil who replies in a pupils' space never becomes a node."""
    import datetime

    from django.utils import timezone

    from netlearn.discussions import services as discussion_services
    from netlearn.discussions.tests.factories import pupil_space, staff_space
    from netlearn.enquiry.models import Account, Enquiry, SpiralEntry
    from netlearn.exchange import services as exchange_services
    from netlearn.library.tests.factories import add_resource, good_trial

    # An account written by Cora (Alder) of an enquiry whose spiral Sam (Birch) wrote in.
    empty = network_services.create_group(
        network=world.network, name="Book talk enquiry", kind=GroupKind.OTHER, by=world.admin
    )
    enquiry = Enquiry.objects.create(
        network=world.network,
        question="How do pupils talk about texts?",
        method="spiral",
        group=empty,
    )
    enquiry.schools.set([world.school_a, world.school_b])
    Account.objects.create(
        enquiry=enquiry,
        title="Talking about texts",
        question="How?",
        what_we_tried="Pairs.",
        what_we_learned="More talk.",
        written_by=world.co_leader,
    )
    SpiralEntry.objects.create(
        enquiry=enquiry, phase="scanning", notes="What we saw.", author=world.school_lead
    )
    # Sam (Birch) tried Tia's (Cedar) resource.
    resource = add_resource(world.network, by=world.teacher)
    good_trial(resource, by=world.school_lead, trialled_on=timezone.localdate())
    # Tia replied to Cora's thread in a staff space.
    space = staff_space(world)
    thread = discussion_services.start_thread(
        space=space, by=world.co_leader, title="Book talk", body="What works?"
    )
    discussion_services.reply(thread=thread, by=world.teacher, body="Talk partners.")
    # A pupil's reply in a pupils' space is no tie.
    pupils = pupil_space(world, school=world.school_a, moderation="none", by=world.co_leader)
    pupil_thread = discussion_services.start_thread(
        space=pupils, by=world.co_leader, title="Favourite books", body="Tell us."
    )
    discussion_services.reply(thread=pupil_thread, by=world.pupil, body="Dragons!")
    # A staff loan from Alder to Cedar.
    exchange_services.arrange_loan(
        network=world.network,
        person=world.co_leader,
        from_school=world.school_a,
        to_school=world.school_c,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=30),
        recharge="0",
        purpose="Cover a writing lead.",
        by=world.admin,
    )

    found = collaboration.map_of(network=world.network, with_people=True)
    assert world.pupil.pk not in found.people
    kinds = found.current.kinds
    lead, head, teacher = sorted((world.co_leader.pk, world.school_lead.pk, world.teacher.pk))

    def kind(a, b):
        return kinds[tuple(sorted((a.pk, b.pk)))]

    assert "wrote an account together" in kind(world.co_leader, world.school_lead)
    assert "tried a resource of the other" in kind(world.school_lead, world.teacher)
    assert "replied in a discussion" in kind(world.co_leader, world.teacher)
    assert all(world.pupil.pk not in pair for pair in found.current.person_ties)
    expected = nx.Graph()
    expected.add_nodes_from(found.people)
    expected.add_edges_from([(lead, head), (lead, teacher), (head, teacher)])
    measures = found.people_measures
    assert measures.density == pytest.approx(nx.density(expected))
    assert measures.betweenness == pytest.approx(nx.betweenness_centrality(expected))
    assert set(measures.isolates) == set(nx.isolates(expected))
    # Schools: the enquiry's (Alder, Birch), the trial's (Birch, Cedar), the loan's (Alder, Cedar).
    school_ties = {tuple(sorted(pair)) for pair in found.current.school_ties}
    a, b, c = world.school_a.pk, world.school_b.pk, world.school_c.pk
    assert {tuple(sorted((a, b))), tuple(sorted((b, c))), tuple(sorted((a, c)))} <= school_ties
    graph = collaboration.school_graph(found)
    assert found.school_measures.density == pytest.approx(nx.density(graph))
    assert found.school_measures.betweenness == pytest.approx(nx.betweenness_centrality(graph))
