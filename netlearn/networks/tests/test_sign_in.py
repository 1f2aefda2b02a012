"""A school's email domains, single sign-on rules and join queue: the services, the page and the
API (the sign-in itself: tests/sso/test_single_sign_on.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from netlearn.accounts.models import Person
from netlearn.networks import policy, services
from netlearn.networks.errors import JoinRequestClosed, NetworkError
from netlearn.networks.models import JoinRequest, JoinRequestStatus, PostLevel, SchoolEmailDomain

API = "/api/v1"


def client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def waiting(world, name="Rua Rātā", email="rua@birch.sch.uk"):
    domain = SchoolEmailDomain.objects.filter(school=world.school_b).first()
    domain = domain or services.add_email_domain(
        school=world.school_b, domain="birch.sch.uk", by=world.school_lead
    )
    person = services.request_to_join(
        email_domain=domain, name=name, email=email, provider="school-idp"
    )
    return JoinRequest.objects.get(person=person)


@pytest.mark.parametrize(
    "typed, message",
    [
        ("gmail.com", "Anybody can open an address"),
        ("not a domain", "is not a domain name"),
        ("https://birch.sch.uk/", "is not a domain name"),
        ("localhost", "is not a domain name"),
    ],
)
def test_a_domain_anybody_can_use_or_no_domain_at_all_is_refused(world, typed, message):
    with pytest.raises(NetworkError, match=message):
        services.add_email_domain(school=world.school_b, domain=typed, by=world.school_lead)
    assert not SchoolEmailDomain.objects.exists()


def test_a_domain_is_written_plainly_and_belongs_to_one_school(world):
    domain = services.add_email_domain(
        school=world.school_b, domain="  @Birch.SCH.uk. ", by=world.school_lead
    )
    assert domain.domain == "birch.sch.uk"
    with pytest.raises(NetworkError) as refused:
        services.add_email_domain(
            school=world.foreign_school, domain="birch.sch.uk", by=world.foreign_co_leader
        )
    # Without saying whose it is.
    assert "another school" in str(refused.value) and "Birch" not in str(refused.value)


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("school_lead", True),
        ("site_admin", True),
        ("co_leader", False),  # runs the network, not Birch
        ("member", False),
        ("data_lead", False),  # works at Birch, but does not lead it
        ("pupil", False),
        ("anonymous", False),
    ],
)
def test_only_the_schools_lead_manages_how_it_signs_in(world, role, allowed):
    person = world.people_by_role()[role]

    assert policy.can_manage_sign_in(person or AnonymousUser(), world.school_b) is allowed


def test_sso_is_required_only_once_a_staff_domain_is_set(world):
    with pytest.raises(NetworkError, match="domain first"):
        services.set_sign_in_rules(
            school=world.school_b, by=world.school_lead, sso_required=True, pupils_use_sso=False
        )
    services.add_email_domain(school=world.school_b, domain="birch.sch.uk", by=world.school_lead)
    with pytest.raises(NetworkError, match="pupils' school accounts"):
        services.set_sign_in_rules(
            school=world.school_b, by=world.school_lead, sso_required=True, pupils_use_sso=True
        )
    services.set_sign_in_rules(
        school=world.school_b, by=world.school_lead, sso_required=True, pupils_use_sso=False
    )
    world.school_b.refresh_from_db()
    assert world.school_b.sso_required


def test_an_approved_request_begins_a_post_and_is_answered_once(world):
    join_request = waiting(world)
    post = services.approve_join_request(
        join_request=join_request, by=world.school_lead, job_title="Teacher of music"
    )
    assert (post.school, post.job_title) == (world.school_b, "Teacher of music")
    with pytest.raises(JoinRequestClosed):
        services.decline_join_request(join_request=join_request, by=world.school_lead)


def test_a_declined_request_closes_the_account_it_made(world):
    join_request = waiting(world)
    services.decline_join_request(join_request=join_request, by=world.school_lead)
    assert not Person.objects.get(pk=join_request.person_id).is_active
    assert not join_request.person.staff_posts.exists()


def test_the_lead_answers_the_queue_on_the_schools_sign_in_page(world):
    join_request = waiting(world)
    lead = client_for(world.school_lead)
    page = lead.get(reverse("networks:school", args=[world.school_b.pk]))
    assert "1 waiting" in page.content.decode()
    page = lead.get(reverse("networks:school_sign_in", args=[world.school_b.pk]))
    assert "rua@birch.sch.uk" in page.content.decode()
    refused = lead.post(
        reverse("networks:approve_join_request", args=[world.school_b.pk, join_request.pk]),
        {"job_title": "", "level": PostLevel.TEACHER},
        follow=True,
    )
    assert "job title" in refused.content.decode()
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.PENDING
    lead.post(reverse("networks:decline_join_request", args=[world.school_b.pk, join_request.pk]))
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.DECLINED


def test_a_colleague_who_does_not_lead_the_school_is_refused_its_sign_in_page(world):
    url = reverse("networks:school_sign_in", args=[world.school_b.pk])
    assert client_for(world.data_lead).get(url).status_code == 403
    foreign = reverse("networks:school_sign_in", args=[world.foreign_school.pk])
    assert client_for(world.school_lead).get(foreign).status_code == 404


def test_domains_and_rules_through_the_page(world):
    lead = client_for(world.school_lead)
    school = world.school_b
    bad = lead.post(reverse("networks:add_email_domain", args=[school.pk]), {"domain": "gmail.com"})
    assert bad.status_code == 400 and "Anybody can open" in bad.content.decode()
    lead.post(reverse("networks:add_email_domain", args=[school.pk]), {"domain": "birch.sch.uk"})
    domain = SchoolEmailDomain.objects.get(school=school)
    lead.post(reverse("networks:sign_in_rules", args=[school.pk]), {"sso_required": "on"})
    school.refresh_from_db()
    assert school.sso_required and not school.pupils_use_sso
    lead.post(reverse("networks:remove_email_domain", args=[school.pk, domain.pk]))
    assert not SchoolEmailDomain.objects.exists()


def test_the_join_queue_through_the_api(world):
    lead = client_for(world.school_lead)
    school = world.school_b
    base = f"{API}/schools/{school.pk}"
    added = lead.post(
        f"{base}/email-domains", {"domain": "birch.sch.uk"}, content_type="application/json"
    )
    assert added.status_code == 201, added.content
    assert lead.get(f"{base}/email-domains").json()["items"][0]["domain"] == "birch.sch.uk"
    refused = lead.post(
        f"{base}/email-domains", {"domain": "outlook.com"}, content_type="application/json"
    )
    assert refused.status_code == 400
    rules = lead.put(
        f"{base}/sign-in-rules",
        {"sso_required": True, "pupils_use_sso": False},
        content_type="application/json",
    )
    assert rules.json() == {"sso_required": True, "pupils_use_sso": False}
    join_request = waiting(world)
    listed = lead.get(f"{base}/join-requests?pending=true").json()
    assert [row["email"] for row in listed["items"]] == ["rua@birch.sch.uk"]
    approved = lead.post(
        f"{base}/join-requests/{join_request.pk}/approve",
        {"job_title": "Teacher", "level": "teacher"},
        content_type="application/json",
    )
    assert approved.json()["status"] == "approved"
    again = lead.post(
        f"{base}/join-requests/{join_request.pk}/decline", content_type="application/json"
    )
    assert again.status_code in (400, 409)
    # Nobody else reads or answers the queue; another network's school is not there at all.
    colleague = client_for(world.data_lead)
    assert colleague.get(f"{base}/join-requests").json()["items"] == []
    assert colleague.get(f"{base}/sign-in-rules").json()["sso_required"] is True
    refused = colleague.put(
        f"{base}/sign-in-rules",
        {"sso_required": False, "pupils_use_sso": False},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert lead.get(f"{API}/schools/{world.foreign_school.pk}/join-requests").status_code == 404


def test_the_queue_page_reads_as_much_for_30_requests_as_for_3(
    world, django_assert_max_num_queries
):
    for index in range(3):
        waiting(world, name=f"Person {index}", email=f"p{index}@birch.sch.uk")
    lead = client_for(world.school_lead)
    url = reverse("networks:school_sign_in", args=[world.school_b.pk])

    with CaptureQueriesContext(connection) as few:
        lead.get(url)
    for index in range(3, 30):
        waiting(world, name=f"Person {index}", email=f"p{index}@birch.sch.uk")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Person 29" in lead.get(url).content.decode()
