"""Single sign-on through a real OpenID Connect provider, run by the suite as its own process
(tests/sso/oidc_provider.py), on Netlearn's linking rule (docs/threat-model.md)."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core.cache import cache
from django.urls import reverse

from netlearn.accounts.models import Person
from netlearn.networks import selectors, services
from netlearn.networks.models import JoinRequest, JoinRequestStatus, PostLevel, StaffPost
from netlearn.networks.tests.factories import PersonFactory
from netlearn.notifications.models import Notification

DOMAIN = "birch.sch.uk"


@pytest.fixture
def birch(world):
    """Birch Primary says addresses at birch.sch.uk are its own (its lead, Sam Head, did)."""
    services.add_email_domain(school=world.school_b, domain=DOMAIN, by=world.school_lead)
    return world.school_b


@pytest.fixture
def kim(world, birch):
    """A teacher at Birch who already has an account with her school address."""
    person = PersonFactory(username="kim", name="Kim Kowhai", email=f"kim@{DOMAIN}")
    services.add_staff_post(
        person=person, school=birch, job_title="Teacher", level=PostLevel.TEACHER
    )
    return person


def signed_in_as(client):
    return client.get(reverse("accounts:profile")).context.get("person")


def test_a_verified_address_at_the_schools_domain_signs_in_as_its_person(sso, client, kim):
    response = sso.sign_in(
        client, sub="idp-kim", email=f"KIM@{DOMAIN}", email_verified=True, name="Kim K"
    )
    assert response.status_code == 302, response.content[:800]
    assert response.url == reverse("web:home")
    assert client.session["_auth_user_id"] == str(kim.pk)
    link = SocialAccount.objects.get(provider="school-idp", uid="idp-kim")
    assert link.user_id == kim.pk
    # The sign-in is listed where she signs out of her sessions.
    assert kim.signed_in_sessions.filter(session_key=client.session.session_key).exists()
    # The next time, the link alone signs her in.
    client.logout()
    sso.sign_in(client, sub="idp-kim", email=f"kim@{DOMAIN}", email_verified=True)
    assert client.session["_auth_user_id"] == str(kim.pk)
    assert Person.objects.filter(email__iexact=f"kim@{DOMAIN}").count() == 1


def test_an_address_at_a_domain_no_school_claims_is_refused(sso, client, kim):
    response = sso.sign_in(client, sub="idp-x", email="kim@elsewhere.org", email_verified=True)
    assert response.status_code == 403
    assert "elsewhere.org" in response.content.decode()
    assert "No school on Netlearn" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()
    assert not JoinRequest.objects.exists()


def test_an_address_the_provider_has_not_verified_is_refused(sso, client, kim):
    for verified in (False, None, "no"):
        claims = {"sub": "idp-kim", "email": f"kim@{DOMAIN}", "email_verified": verified}
        response = sso.sign_in(client, **claims)
        assert response.status_code == 403
        assert "has not verified the address" in response.content.decode()
        assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()
    # Nor does an unverified new address join the queue.
    sso.sign_in(client, sub="idp-new", email=f"new@{DOMAIN}", email_verified=False)
    assert not JoinRequest.objects.exists()
    assert not Person.objects.filter(email=f"new@{DOMAIN}").exists()


def test_a_new_colleague_waits_in_the_join_queue_until_the_lead_approves(
    sso, client, world, birch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sso.sign_in(
            client, sub="idp-rua", email=f"rua@{DOMAIN}", email_verified=True, name="Rua Rātā"
        )
    assert response.status_code == 302
    rua = Person.objects.get(email=f"rua@{DOMAIN}")
    assert client.session["_auth_user_id"] == str(rua.pk)
    assert not rua.has_usable_password()
    request = JoinRequest.objects.get(person=rua)
    assert (request.school, request.status, request.name) == (birch, "pending", "Rua Rātā")
    # The school's lead is told; the waiting colleague holds no post and sees no network.
    assert Notification.objects.filter(recipient=world.school_lead, text__contains="Rua").exists()
    assert not StaffPost.objects.filter(person=rua).exists()
    assert client.get(reverse("networks:home", args=[world.network.slug])).status_code == 404
    assert client.get(reverse("networks:school", args=[birch.pk])).status_code == 404

    lead = client.__class__()
    lead.force_login(world.school_lead)
    page = lead.get(reverse("networks:school_sign_in", args=[birch.pk]))
    assert "Rua Rātā" in page.content.decode()
    answer = lead.post(
        reverse("networks:approve_join_request", args=[birch.pk, request.pk]),
        {"job_title": "Teacher", "level": PostLevel.TEACHER},
    )
    assert answer.status_code == 302
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.APPROVED
    assert selectors.current_posts_at(person_id=rua.pk, school=birch).exists()
    assert client.get(reverse("networks:home", args=[world.network.slug])).status_code == 200


def test_a_declined_colleague_signs_in_no_more(sso, client, world, birch):
    sso.sign_in(client, sub="idp-rua", email=f"rua@{DOMAIN}", email_verified=True, name="Rua")
    request = JoinRequest.objects.get()
    services.decline_join_request(join_request=request, by=world.school_lead)
    client.logout()
    response = sso.sign_in(client, sub="idp-rua", email=f"rua@{DOMAIN}", email_verified=True)
    assert response.status_code == 403
    assert "declined" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_school_that_requires_sso_refuses_its_staffs_passwords(sso, client, world, kim):
    kim.set_password("correct horse battery")
    kim.save()
    services.set_sign_in_rules(
        school=world.school_b, by=world.school_lead, sso_required=True, pupils_use_sso=False
    )
    response = client.post(
        reverse("accounts:login"), {"username": kim.email, "password": "correct horse battery"}
    )
    assert response.status_code == 403
    text = response.content.decode()
    assert "single sign-on" in text and "Sign in with School IdP" in text
    assert "_auth_user_id" not in client.session
    # A wrong password says nothing about the school.
    response = client.post(reverse("accounts:login"), {"username": kim.email, "password": "no"})
    assert "single sign-on" not in response.content.decode()
    # Through the provider she signs in.
    sso.sign_in(client, sub="idp-kim", email=kim.email, email_verified=True)
    assert client.session["_auth_user_id"] == str(kim.pk)


def test_sign_in_limits_hold_for_the_providers_callback(sso, client, settings, kim):
    cache.clear()
    for _ in range(settings.SIGN_IN_FAILURE_LIMIT):
        response = sso.sign_in(client, sub="idp-x", email="x@elsewhere.org", email_verified=True)
        assert response.status_code == 403
    # The address has used its failures: even a good sign-in waits.
    response = sso.sign_in(client, sub="idp-kim", email=kim.email, email_verified=True)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_pupil_links_a_school_account_only_when_the_school_allows(sso, client, world):
    alder = world.school_a
    services.add_email_domain(
        school=alder, domain="pupils.alder.sch.uk", for_pupils=True, by=world.admin
    )
    client.force_login(world.pupil)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "Link your School IdP account" not in profile
    response = sso.sign_in(
        client,
        process="connect",
        sub="idp-pip",
        email="pip@pupils.alder.sch.uk",
        email_verified=True,
        name="Pip Full Name",
    )
    assert response.status_code == 403
    assert not SocialAccount.objects.exists()

    services.set_sign_in_rules(
        school=alder, by=world.admin, sso_required=False, pupils_use_sso=True
    )
    client.force_login(world.pupil)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "Link your School IdP account" in profile
    sso.sign_in(
        client,
        process="connect",
        sub="idp-pip",
        email="pip@pupils.alder.sch.uk",
        email_verified=True,
        name="Pip Full Name",
    )
    link = SocialAccount.objects.get(uid="idp-pip")
    assert link.user_id == world.pupil.pk
    # The children's code: the link holds nothing the provider knows of the pupil.
    assert link.extra_data == {}
    world.pupil.refresh_from_db()
    assert world.pupil.email == ""

    client.logout()
    sso.sign_in(client, sub="idp-pip", email="pip@pupils.alder.sch.uk", email_verified=True)
    assert client.session["_auth_user_id"] == str(world.pupil.pk)
    link.refresh_from_db()
    assert link.extra_data == {}
    # Turned off again: the pupil uses their password.
    services.set_sign_in_rules(
        school=alder, by=world.admin, sso_required=False, pupils_use_sso=False
    )
    client.logout()
    response = sso.sign_in(
        client, sub="idp-pip", email="p@pupils.alder.sch.uk", email_verified=True
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
