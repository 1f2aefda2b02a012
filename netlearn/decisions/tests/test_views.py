import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from netlearn.decisions import services
from netlearn.decisions.models import Outcome, Position, Proposal

from .factories import heads_group, proposal, soon

pytestmark = pytest.mark.django_db


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def test_a_member_proposes_and_the_group_member_consents_on_the_pages(world):
    group = heads_group(world)
    client = client_for(world.co_leader)
    response = client.post(
        reverse("decisions:new", args=["riverside"]),
        {
            "group": group.pk,
            "title": "Shared INSET",
            "text": "One day in March.",
            "method": "consent",
            "closes_at": soon().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    made = Proposal.objects.get()
    assert response.status_code == 302
    page = client_for(world.teacher).post(
        reverse("decisions:position", args=["riverside", made.pk]),
        {"stance": "block", "reason": ""},
    )
    assert page.status_code == 400 and "Say why you block" in page.content.decode()
    client_for(world.teacher).post(
        reverse("decisions:position", args=["riverside", made.pk]),
        {"stance": "block", "reason": "Clashes with moderation"},
    )
    assert Position.objects.get().stance == "block"
    log = client_for(world.data_lead).get(reverse("decisions:log", args=["riverside"]))
    assert "Clashes with moderation" in log.content.decode()
    assert "Tia Teacher" in log.content.decode()


def test_bad_proposal_input_is_refused_with_a_message(world):
    group = heads_group(world)
    response = client_for(world.co_leader).post(
        reverse("decisions:new", args=["riverside"]),
        {
            "group": group.pk,
            "title": "T",
            "text": "x",
            "method": "vote",
            "options": "Only",
            "closes_at": soon().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 400
    assert "at least two options" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_ranked_choice_ballot_is_taken_from_the_ranks(world):
    made = proposal(world, heads_group(world), method="ranked", options=["A", "B", "C"])
    a, b, c = [option.pk for option in made.options.all()]
    client_for(world.teacher).post(
        reverse("decisions:position", args=["riverside", made.pk]),
        {f"rank_{a}": "2", f"rank_{c}": "1"},
    )
    assert Position.objects.get().choice == [c, a]


def test_revise_and_close_pages(world):
    made = proposal(world, heads_group(world))
    services.take_position(proposal=made, by=world.teacher, stance="block", reason="No")
    client = client_for(world.co_leader)
    response = client.post(
        reverse("decisions:revise", args=["riverside", made.pk]),
        {
            "text": "Revised",
            "change_note": "Moved the date",
            "closes_at": soon().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    client.post(reverse("decisions:close", args=["riverside", made.pk]))
    made.refresh_from_db()
    assert made.outcome == Outcome.NO_VOTES and made.current_revision.number == 2
    page = client.get(reverse("decisions:proposal", args=["riverside", made.pk])).content.decode()
    assert "Earlier revisions" in page


def test_the_log_costs_the_same_queries_for_more_proposals(world):
    group = heads_group(world)
    for _ in range(2):
        made = proposal(world, group)
        services.take_position(proposal=made, by=world.teacher, stance="agree")
    client = client_for(world.teacher)
    url = reverse("decisions:log", args=["riverside"])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        made = proposal(world, group)
        services.take_position(proposal=made, by=world.school_lead, stance="agree")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_a_teacher_of_another_network_gets_404(world):
    made = proposal(world, heads_group(world))
    client = client_for(world.foreign_teacher)
    assert client.get(reverse("decisions:log", args=["riverside"])).status_code == 404
    assert client.get(reverse("decisions:proposal", args=["riverside", made.pk])).status_code == 404


def test_group_rules_are_set_by_co_leaders(world):
    group = heads_group(world)
    url = reverse("decisions:rules", args=["riverside"])
    data = {"group": group.pk, "consent_rule": "no_blocks_quorum", "quorum_percent": 75}
    assert client_for(world.teacher).post(url, data).status_code == 403
    assert client_for(world.co_leader).post(url, data).status_code == 302
    assert "75%" in client_for(world.teacher).get(url).content.decode()


def test_htmx_gets_the_form_fragment_back_with_the_message(world):
    made = proposal(world, heads_group(world))
    url = reverse("decisions:position", args=["riverside", made.pk])
    client = client_for(world.teacher)
    refused = client.post(url, {"stance": "block"}, HTTP_HX_REQUEST="true")
    # htmx swaps only 2xx answers; the fragment, not the page, carries the message.
    assert refused.status_code == 200
    assert "Say why you block" in refused.content.decode()
    assert "<html" not in refused.content.decode()
    done = client.post(url, {"stance": "agree"}, HTTP_HX_REQUEST="true")
    assert done.headers["HX-Redirect"] == reverse("decisions:proposal", args=["riverside", made.pk])
    assert Position.objects.get().stance == "agree"


def test_new_proposal_is_offered_only_to_who_can_propose(world):
    heads_group(world)
    url = reverse("decisions:log", args=["riverside"])
    assert "New proposal" in client_for(world.teacher).get(url).content.decode()
    assert "New proposal" not in client_for(world.data_lead).get(url).content.decode()
    new = reverse("decisions:new", args=["riverside"])
    assert client_for(world.data_lead).get(new).status_code == 403


def test_scores_time_polls_and_secret_votes_through_the_page(world):
    group = heads_group(world)
    scored = proposal(world, group, method="score", options=["A", "B"])
    a, b = [option.pk for option in scored.options.all()]
    client = client_for(world.teacher)
    client.post(
        reverse("decisions:position", args=["riverside", scored.pk]),
        {f"score_{a}": "4", f"score_{b}": "1"},
    )
    assert Position.objects.get(revision__proposal=scored).scores == {str(a): 4, str(b): 1}

    response = client_for(world.co_leader).post(
        reverse("decisions:new", args=["riverside"]),
        {
            "group": group.pk,
            "title": "When we meet",
            "text": "Tick the times you can come.",
            "method": "time_poll",
            "options": "\n".join((soon(days).strftime("%Y-%m-%d %H:%M")) for days in (3, 4)),
            "closes_at": soon(2).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    poll = Proposal.objects.get(title="When we meet")
    first, second = [option.pk for option in poll.options.all()]
    client.post(reverse("decisions:position", args=["riverside", poll.pk]), {"choice": [second]})
    assert Position.objects.get(revision__proposal=poll).choice == [second]

    secret = proposal(world, group, method="vote", options=["X", "Y"], is_secret=True)
    x = secret.options.first().pk
    url = reverse("decisions:position", args=["riverside", secret.pk])
    client.post(url, {"choice": str(x)})
    again = client.post(url, {"choice": str(x)})
    assert again.status_code == 400
    assert "cannot be changed" in again.content.decode()
    page = client.get(reverse("decisions:proposal", args=["riverside", secret.pk])).content
    assert b"You have voted" in page and b"1 of 3 have voted" in page
