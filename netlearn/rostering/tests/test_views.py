"""The roster import page and its API endpoint, through the policy."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from netlearn.accounts.models import Kind, Person
from netlearn.rostering.models import RosterLink

from .bundles import school_bundle


def client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def upload(bundle, name="oneroster.zip"):
    return SimpleUploadedFile(name, bundle.zip(), content_type="application/zip")


def bundle_for(world, **kwargs):
    return school_bundle(identifier=world.school_b.reference, **kwargs)


def test_the_school_page_links_its_lead_to_the_import(world):
    page = client_for(world.school_lead).get(reverse("networks:school", args=[world.school_b.pk]))
    assert reverse("rostering:import", args=[world.school_b.pk]) in page.content.decode()
    page = client_for(world.data_lead).get(reverse("networks:school", args=[world.school_b.pk]))
    assert reverse("rostering:import", args=[world.school_b.pk]) not in page.content.decode()


def test_the_lead_imports_and_sees_the_slips_once(world):
    url = reverse("rostering:import", args=[world.school_b.pk])
    client = client_for(world.school_lead)
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": upload(bundle_for(world, pupils=3, staff=1))})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sign-in slips" in html and html.count('class="slip-password"') == 3
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    response = client.post(url, {"file": upload(bundle_for(world, pupils=3, staff=1))})
    assert "Nothing changed" in response.content.decode()
    assert 'class="slip-password"' not in response.content.decode()


def test_a_bad_file_lists_every_problem_and_changes_nothing(world):
    bundle = bundle_for(world, pupils=3, staff=1)
    bundle.user("p2")["grades"] = "Y5"
    bundle.user("s1")["email"] = "nobody"
    url = reverse("rostering:import", args=[world.school_b.pk])
    response = client_for(world.school_lead).post(url, {"file": upload(bundle)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "users.csv, row 2, column email:" in html
    assert "the export has 2 problems" in html
    assert "users.csv, row 4, column grades: “Y5” is not a year group" in html
    assert not RosterLink.objects.exists()


def test_the_lead_picks_the_school_when_the_export_does_not_say(world):
    bundle = school_bundle(identifier="999999", name="Birch (MIS name)", pupils=2, staff=0)
    url = reverse("rostering:import", args=[world.school_b.pk])
    client = client_for(world.school_lead)
    response = client.post(url, {"file": upload(bundle)})
    assert response.status_code == 400
    assert 'value="org-1"' in response.content.decode()
    response = client.post(url, {"file": upload(bundle), "org": "org-1"})
    assert response.status_code == 200
    assert Person.objects.filter(kind=Kind.PUPIL, pupil_school=world.school_b).count() == 2


@pytest.mark.parametrize(
    "who, status",
    [("data_lead", 403), ("teacher", 403), ("co_leader", 403), ("pupil", 404),
     ("foreign_co_leader", 404)],
)  # fmt: skip
def test_only_the_lead_reaches_the_page(world, who, status):
    url = reverse("rostering:import", args=[world.school_b.pk])
    client = client_for(getattr(world, who))
    assert client.get(url).status_code == status
    assert client.post(url, {"file": upload(bundle_for(world))}).status_code == status
    assert not RosterLink.objects.exists()


def test_the_api_imports_and_refuses_with_file_row_and_column(world):
    url = reverse("api-v1:import_roster", args=[world.school_b.pk])
    client = client_for(world.school_lead)
    response = client.post(url, {"file": upload(bundle_for(world, pupils=2, staff=1))})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["pupils_created"], body["staff_invited"], len(body["slips"])) == (2, 1, 2)
    bad = bundle_for(world, pupils=2, staff=1)
    bad.user("p1")["grades"] = "PK"
    response = client.post(url, {"file": upload(bad)})
    assert response.status_code == 400
    (problem,) = response.json()["problems"]
    assert (problem["file"], problem["row"], problem["column"]) == ("users.csv", 3, "grades")


@pytest.mark.parametrize("who, status", [("data_lead", 403), ("foreign_co_leader", 404)])
def test_the_api_goes_through_the_policy(world, who, status):
    url = reverse("api-v1:import_roster", args=[world.school_b.pk])
    response = client_for(getattr(world, who)).post(url, {"file": upload(bundle_for(world))})
    assert response.status_code == status
    assert not RosterLink.objects.exists()


def test_the_admin_lists_links_read_only(world):
    client = client_for(world.admin)
    client.post(
        reverse("rostering:import", args=[world.school_b.pk]),
        {"file": upload(bundle_for(world, pupils=1, staff=0))},
    )
    response = client.get(reverse("admin:rostering_rosterlink_changelist"))
    assert response.status_code == 200 and "p1" in response.content.decode()
    assert client.get(reverse("admin:rostering_rosterlink_add")).status_code == 403
