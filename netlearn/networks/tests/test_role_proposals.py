"""Sensitive roles take two people: proposed by one, approved by another, logged and told."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from netlearn.networks import policy, services
from netlearn.networks.access import access_for
from netlearn.networks.errors import NeedsSecondPerson, NetworkError, ProposalClosed
from netlearn.networks.models import (
    SITE_ADMIN,
    AuditAction,
    NetworkRole,
    PostLevel,
    ProposalStatus,
    Role,
    RoleAuditEntry,
    RoleProposal,
)
from netlearn.notifications.models import Notification

from .factories import PersonFactory

SENSITIVE = [Role.DATA_LEAD, Role.SAFEGUARDING_LEAD, Role.CO_LEADER]


def second_co_leader(world):
    person = PersonFactory(username="coleader2", name="Cole Second")
    services.add_staff_post(
        person=person, school=world.school_b, job_title="Deputy head", level=PostLevel.SENIOR
    )
    services.assign_role(network=world.network, person=person, role=Role.CO_LEADER, by=None)
    person.refresh_from_db()
    return person


def holds(person, role, network):
    return NetworkRole.objects.current().filter(person=person, role=role, network=network).exists()


def api(client, method, path, body=None):
    return getattr(client, method)(f"/api/v1{path}", body or {}, content_type="application/json")


# Policy ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, allowed",
    [
        ("anonymous", False),
        ("pupil", False),
        ("member", False),
        ("partner", False),
        ("school_lead", False),
        ("data_lead", False),
        ("safeguarding_lead", False),
        ("co_leader", True),
        ("site_admin", True),
        ("foreign_co_leader", False),
    ],
)
def test_who_may_propose_a_sensitive_role(world, who, allowed, django_assert_num_queries):
    person = world.foreign_co_leader if who == "foreign_co_leader" else world.people_by_role()[who]
    access_for(person)
    with django_assert_num_queries(0):
        for role in SENSITIVE:
            assert policy.can_propose_role(person, role, world.network) is allowed
        # Only a site admin proposes a site admin.
        assert policy.can_propose_role(person, SITE_ADMIN) is (who == "site_admin")


@pytest.mark.parametrize(
    "who, allowed",
    [
        ("anonymous", False),
        ("pupil", False),
        ("member", False),
        ("partner", False),
        ("school_lead", False),
        ("data_lead", False),
        ("safeguarding_lead", False),
        ("proposer", False),  # never one's own proposal
        ("subject", False),  # never a role for oneself
        ("second_co_leader", True),
        ("site_admin", True),
        ("foreign_co_leader", False),
    ],
)
def test_who_may_approve_a_proposal(world, who, allowed, django_assert_num_queries):
    subject = world.teacher
    proposal = services.propose_role(
        network=world.network, person=subject, role=Role.DATA_LEAD, by=world.co_leader
    )
    people = {
        **world.people_by_role(),
        "proposer": world.co_leader,
        "subject": subject,
        "second_co_leader": second_co_leader(world),
        "foreign_co_leader": world.foreign_co_leader,
    }
    person = people[who]
    access_for(person)
    with django_assert_num_queries(0):
        assert policy.can_decide_proposal(person, proposal) is allowed


def test_a_site_admin_proposal_is_decided_only_by_another_site_admin(world):
    other_admin = PersonFactory(username="admin2", is_superuser=True, is_staff=True)
    proposal = services.propose_site_admin(person=world.teacher, by=world.admin)
    assert not policy.can_decide_proposal(world.admin, proposal)
    assert not policy.can_decide_proposal(world.co_leader, proposal)
    assert not policy.can_decide_proposal(world.teacher, proposal)
    assert policy.can_decide_proposal(other_admin, proposal)


# A co-leader cannot make themself data lead or safeguarding lead ----------------------------


@pytest.mark.parametrize("role", SENSITIVE)
def test_a_co_leader_cannot_give_a_sensitive_role_alone_on_the_page(world, client, role):
    client.force_login(world.co_leader)
    url = reverse("networks:roles", args=[world.network.slug])
    for person in (world.co_leader, world.teacher):
        client.post(url, {"person": person.pk, "role": role})
    assert not holds(world.teacher, role, world.network)
    if role != Role.CO_LEADER:  # the co-leader already holds that one
        assert not holds(world.co_leader, role, world.network)


@pytest.mark.parametrize("role", SENSITIVE)
def test_a_co_leader_cannot_give_a_sensitive_role_alone_through_the_api(world, client, role):
    client.force_login(world.co_leader)
    for person in (world.co_leader, world.teacher):
        response = api(
            client,
            "post",
            f"/networks/{world.network.slug}/roles",
            {"person_id": person.pk, "role": role},
        )
        assert response.status_code in (400, 409), response.content
    assert not holds(world.teacher, role, world.network)
    if role != Role.CO_LEADER:
        assert not holds(world.co_leader, role, world.network)


@pytest.mark.parametrize("role", [Role.DATA_LEAD, Role.SAFEGUARDING_LEAD])
def test_a_co_leader_cannot_approve_their_own_proposal_for_themself(world, client, role):
    client.force_login(world.co_leader)
    response = api(
        client,
        "post",
        f"/networks/{world.network.slug}/role-proposals",
        {"person_id": world.co_leader.pk, "role": role},
    )
    assert response.status_code == 201, response.content
    proposal_id = response.json()["id"]
    assert response.json()["status"] == "pending"
    assert not holds(world.co_leader, role, world.network)
    assert api(client, "post", f"/role-proposals/{proposal_id}/approve").status_code == 403
    page = reverse("networks:role_proposal", args=[proposal_id])
    assert client.post(page, {"decision": "approve"}).status_code == 403
    assert not holds(world.co_leader, role, world.network)
    assert RoleProposal.objects.get(pk=proposal_id).status == ProposalStatus.PENDING


def test_the_service_refuses_a_sensitive_role_given_by_one_person(world):
    with pytest.raises(NeedsSecondPerson):
        services.assign_role(
            network=world.network, person=world.co_leader, role=Role.DATA_LEAD, by=world.admin
        )
    assert not holds(world.co_leader, Role.DATA_LEAD, world.network)


def test_non_sensitive_roles_stay_one_step(world, client):
    client.force_login(world.co_leader)
    url = reverse("networks:roles", args=[world.network.slug])
    assert client.post(url, {"person": world.school_lead.pk, "role": Role.COACH}).status_code == 302
    assert holds(world.school_lead, Role.COACH, world.network)
    entry = RoleAuditEntry.objects.get(person=world.school_lead, role=Role.COACH)
    assert entry.action == AuditAction.GRANTED and entry.actor == world.co_leader


# Two people -----------------------------------------------------------------------------------


def test_a_self_proposal_approved_by_another_co_leader_takes_effect_on_the_page(
    world, client, django_capture_on_commit_callbacks
):
    cole = second_co_leader(world)
    client.force_login(world.co_leader)
    url = reverse("networks:roles", args=[world.network.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"person": world.co_leader.pk, "role": Role.DATA_LEAD})
    assert response.status_code == 302
    proposal = RoleProposal.objects.get(person=world.co_leader)
    assert (proposal.proposed_by, proposal.role, proposal.network) == (
        world.co_leader,
        Role.DATA_LEAD,
        world.network,
    )
    assert proposal.proposed_at is not None
    assert not holds(world.co_leader, Role.DATA_LEAD, world.network)

    client.force_login(cole)
    page = reverse("networks:role_proposal", args=[proposal.pk])
    assert "Approve" in client.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page, {"decision": "approve"})
    assert response.status_code == 302
    assert holds(world.co_leader, Role.DATA_LEAD, world.network)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED and proposal.decided_by == cole
    # Deciding twice changes nothing more.
    with pytest.raises(ProposalClosed):
        services.refuse_role_proposal(proposal=proposal, by=world.admin)


def test_a_proposal_approved_through_the_api_by_a_site_admin(world, client):
    proposal = services.propose_role(
        network=world.network,
        person=world.co_leader,
        role=Role.SAFEGUARDING_LEAD,
        school=world.school_a,
        by=world.co_leader,
    )
    client.force_login(world.admin)
    response = api(client, "post", f"/role-proposals/{proposal.pk}/approve")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    role = NetworkRole.objects.current().get(
        person=world.co_leader, role=Role.SAFEGUARDING_LEAD, network=world.network
    )
    assert role.school == world.school_a


def test_a_refused_proposal_gives_nothing(world, client):
    cole = second_co_leader(world)
    proposal = services.propose_role(
        network=world.network, person=world.teacher, role=Role.DATA_LEAD, by=world.co_leader
    )
    client.force_login(cole)
    response = api(client, "post", f"/role-proposals/{proposal.pk}/refuse")
    assert response.status_code == 200 and response.json()["status"] == "refused"
    assert not holds(world.teacher, Role.DATA_LEAD, world.network)
    assert api(client, "post", f"/role-proposals/{proposal.pk}/approve").status_code == 400
    assert not holds(world.teacher, Role.DATA_LEAD, world.network)


def test_a_foreign_co_leader_cannot_see_or_decide_a_proposal(world, client):
    proposal = services.propose_role(
        network=world.network, person=world.teacher, role=Role.DATA_LEAD, by=world.co_leader
    )
    client.force_login(world.foreign_co_leader)
    assert api(client, "get", f"/role-proposals/{proposal.pk}").status_code == 404
    assert api(client, "post", f"/role-proposals/{proposal.pk}/approve").status_code == 404
    page = reverse("networks:role_proposal", args=[proposal.pk])
    assert client.post(page, {"decision": "approve"}).status_code == 404
    assert not holds(world.teacher, Role.DATA_LEAD, world.network)


# Logged and told ------------------------------------------------------------------------------


def test_every_step_is_in_the_audit_log(world):
    cole = second_co_leader(world)
    approved = services.propose_role(
        network=world.network, person=world.teacher, role=Role.DATA_LEAD, by=world.co_leader
    )
    services.approve_role_proposal(proposal=approved, by=cole)
    refused = services.propose_role(
        network=world.network,
        person=world.school_lead,
        role=Role.SAFEGUARDING_LEAD,
        by=world.co_leader,
    )
    services.refuse_role_proposal(proposal=refused, by=world.admin)
    log = list(
        RoleAuditEntry.objects.filter(proposal__in=[approved, refused])
        .order_by("pk")
        .values_list("action", "role", "person_id", "actor_id", "network_id")
    )
    network = world.network.pk
    assert log == [
        (AuditAction.PROPOSED, Role.DATA_LEAD, world.teacher.pk, world.co_leader.pk, network),
        (AuditAction.APPROVED, Role.DATA_LEAD, world.teacher.pk, cole.pk, network),
        (
            AuditAction.PROPOSED,
            Role.SAFEGUARDING_LEAD,
            world.school_lead.pk,
            world.co_leader.pk,
            network,
        ),
        (
            AuditAction.REFUSED,
            Role.SAFEGUARDING_LEAD,
            world.school_lead.pk,
            world.admin.pk,
            network,
        ),
    ]
    entry = RoleAuditEntry.objects.first()
    entry.action = AuditAction.GRANTED
    with pytest.raises(ValueError):
        entry.save()  # append-only


def test_every_co_leader_is_told_at_once_by_email_and_in_their_notifications(
    world, django_capture_on_commit_callbacks
):
    cole = second_co_leader(world)
    third = PersonFactory(username="coleader3", name="Tam Third")
    services.add_staff_post(
        person=third, school=world.school_c, job_title="Head", level=PostLevel.HEAD
    )
    services.assign_role(network=world.network, person=third, role=Role.CO_LEADER, by=None)
    co_leaders = {world.co_leader, cole, third}
    with django_capture_on_commit_callbacks(execute=True):
        proposal = services.propose_role(
            network=world.network, person=world.co_leader, role=Role.DATA_LEAD, by=world.co_leader
        )
    assert {message.to[0] for message in mail.outbox} == {p.email for p in co_leaders}
    assert all("data lead" in message.body.lower() for message in mail.outbox)
    told = Notification.objects.filter(url=reverse("networks:role_proposal", args=[proposal.pk]))
    assert set(told.values_list("recipient_id", flat=True)) == {p.pk for p in co_leaders}
    # The foreign network's co-leader hears nothing of it.
    assert world.foreign_co_leader.email not in {message.to[0] for message in mail.outbox}

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_role_proposal(proposal=proposal, by=cole)
    assert {message.to[0] for message in mail.outbox} == {p.email for p in co_leaders}
    assert all("approved" in message.body for message in mail.outbox)


# Site admins ----------------------------------------------------------------------------------


def test_a_site_admin_is_made_by_two_site_admins_and_logged(world, client):
    other_admin = PersonFactory(username="admin2", name="Ada Second", is_superuser=True)
    client.force_login(world.admin)
    url = reverse("networks:propose_site_admin")
    assert client.post(url, {"person": world.teacher.pk}).status_code == 302
    world.teacher.refresh_from_db()
    assert not world.teacher.is_superuser
    proposal = RoleProposal.objects.get(person=world.teacher, role=SITE_ADMIN)
    page = reverse("networks:role_proposal", args=[proposal.pk])
    assert client.post(page, {"decision": "approve"}).status_code == 403
    client.force_login(other_admin)
    assert client.post(page, {"decision": "approve"}).status_code == 302
    world.teacher.refresh_from_db()
    assert world.teacher.is_superuser and world.teacher.is_staff
    assert set(
        RoleAuditEntry.objects.filter(proposal=proposal).values_list("action", "actor_id")
    ) == {(AuditAction.PROPOSED, world.admin.pk), (AuditAction.APPROVED, other_admin.pk)}


def test_co_leaders_cannot_propose_site_admins(world, client):
    client.force_login(world.co_leader)
    assert client.get(reverse("networks:propose_site_admin")).status_code == 404
    with pytest.raises(PermissionDenied):
        services.propose_site_admin(person=world.co_leader, by=world.co_leader)
    assert not RoleProposal.objects.exists()


def test_the_django_admin_cannot_tick_site_admin_or_add_a_role(world, client):
    client.force_login(world.admin)
    url = reverse("admin:accounts_person_change", args=[world.teacher.pk])
    page = client.get(url).content.decode()
    assert 'name="is_superuser"' not in page and 'name="is_staff"' not in page
    assert client.get(reverse("admin:networks_networkrole_add")).status_code == 403


def test_bad_proposals_are_refused_and_change_nothing(world, client):
    client.force_login(world.co_leader)
    path = f"/networks/{world.network.slug}/role-proposals"
    coach = api(client, "post", path, {"person_id": world.teacher.pk, "role": Role.COACH})
    assert coach.status_code == 400 and "directly" in coach.json()["detail"]
    first = api(client, "post", path, {"person_id": world.teacher.pk, "role": Role.DATA_LEAD})
    again = api(client, "post", path, {"person_id": world.teacher.pk, "role": Role.DATA_LEAD})
    assert (first.status_code, again.status_code) == (201, 409)
    pupil = api(client, "post", path, {"person_id": world.pupil.pk, "role": Role.DATA_LEAD})
    assert pupil.status_code == 404
    foreign = api(
        client,
        "post",
        f"/networks/{world.foreign_network.slug}/role-proposals",
        {"person_id": world.teacher.pk, "role": Role.DATA_LEAD},
    )
    assert foreign.status_code == 404
    assert RoleProposal.objects.count() == 1
    with pytest.raises(NetworkError):
        services.propose_role(
            network=world.network, person=world.teacher, role=SITE_ADMIN, by=world.admin
        )
