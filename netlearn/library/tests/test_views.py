"""The library's pages: list and search, add with a file, downloads, trials, exports, public."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from netlearn.library.models import Resource, ResourceFile, Sharing
from netlearn.networks.tests.world import SENTINEL

from .conftest import stored_files
from .factories import add_resource, good_trial, pdf_upload


@pytest.fixture
def home(world):
    resource = add_resource(
        world.network,
        by=world.teacher,
        title="Forces in action",
        upload=pdf_upload("Newton meters and springs"),
        sharing=Sharing.PUBLIC,
    )
    add_resource(
        world.foreign_network,
        by=world.foreign_teacher,
        title=f"Forces {SENTINEL}",
        upload=pdf_upload(f"springs {SENTINEL}"),
    )
    return resource


def test_the_library_lists_and_searches_only_the_networks_resources(client, world, home):
    client.force_login(world.teacher)
    url = reverse("library:library", args=[world.network.slug])
    page = client.get(url, {"q": "springs"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Forces in action" in body and "<mark>springs</mark>" in body.lower()
    assert SENTINEL not in body
    partial = client.get(url, {"q": "springs"}, HTTP_HX_REQUEST="true")
    assert (
        "<html" not in partial.content.decode() and "Forces in action" in partial.content.decode()
    )


def test_the_list_costs_the_same_queries_with_more_rows(
    client, world, home, django_assert_max_num_queries
):
    client.force_login(world.teacher)
    url = reverse("library:library", args=[world.network.slug])
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for number in range(8):
        add_resource(world.network, by=world.teacher, title=f"More {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_a_teacher_uploads_a_resource_with_a_pdf(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("library:add", args=[world.network.slug]),
            {
                "title": "Light and shadow",
                "kind": "lesson_plan",
                "stages": ["ks2"],
                "licence": "cc-by-4.0",
                "sharing": "network",
                "upload": pdf_upload("Penumbra and umbra"),
            },
        )
    resource = Resource.objects.get(title="Light and shadow")
    assert response.status_code == 302 and response.url == resource.get_absolute_url()
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "Text indexed for search" in page


def test_an_html_file_named_pdf_is_refused_with_a_message(client, world, media):
    client.force_login(world.teacher)
    response = client.post(
        reverse("library:add", args=[world.network.slug]),
        {
            "title": "Sneaky",
            "kind": "lesson_plan",
            "licence": "cc-by-4.0",
            "sharing": "network",
            "upload": SimpleUploadedFile("lesson.pdf", b"<html><script>alert(1)</script></html>"),
        },
    )
    assert response.status_code == 200
    assert "whatever its name says" in response.content.decode()
    assert not Resource.objects.filter(title="Sneaky").exists()
    assert ResourceFile.objects.count() == 0 and stored_files(media) == []


def test_downloads_are_safe_attachments(client, world, home):
    client.force_login(world.school_lead)
    stored = home.files.get()
    response = client.get(reverse("library:download", args=[home.pk, stored.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Type"] == "application/pdf"


def test_a_foreign_resource_answers_404(client, world, home):
    foreign = Resource.objects.get(network=world.foreign_network)
    client.force_login(world.co_leader)
    assert client.get(reverse("library:resource", args=[foreign.pk])).status_code == 404
    stored = foreign.files.get()
    url = reverse("library:download", args=[foreign.pk, stored.pk])
    assert client.get(url).status_code == 404


def test_two_good_trials_from_other_schools_show_the_endorsement(client, world, home):
    client.force_login(world.school_lead)
    form = {
        "year_group": "Year 6",
        "class_size": 30,
        "trialled_on": "2025-02-03",
        "how_it_went": "Worked well",
        "impact_rating": 5,
        "ease_rating": 4,
        "adaptability_rating": 5,
        "would_recommend": "on",
    }
    response = client.post(reverse("library:trial", args=[home.pk]), form)
    assert response.status_code == 302
    good_trial(home, by=world.co_leader)
    page = client.get(home.get_absolute_url()).content.decode()
    assert "Endorsed by the network" in page
    assert "Trialled by <strong>2 schools</strong>" in page


def test_a_bad_trial_changes_nothing(client, world, home):
    client.force_login(world.school_lead)
    response = client.post(reverse("library:trial", args=[home.pk]), {"impact_rating": 9})
    assert response.status_code == 200 and home.trials.count() == 0


def test_the_author_cannot_trial_their_own_resource(client, world, home):
    client.force_login(world.teacher)
    assert client.get(reverse("library:trial", args=[home.pk])).status_code == 403


def test_the_catalogue_exports_as_csv_without_formulas(client, world, home):
    add_resource(world.network, by=world.teacher, title="=HYPERLINK('x')")
    client.force_login(world.partner)
    response = client.get(reverse("library:export", args=[world.network.slug]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    titles = [row[1] for row in rows[1:]]
    assert "Forces in action" in titles and "'=HYPERLINK('x')" in titles
    assert SENTINEL not in response.content.decode()


def test_the_public_catalogue_needs_no_sign_in_and_shows_only_public_resources(client, world, home):
    add_resource(world.network, by=world.teacher, title="Members only forces")
    page = client.get(reverse("library:public"), {"q": "forces"}).content.decode()
    assert "Forces in action" in page and "Members only" not in page and SENTINEL not in page
    detail = client.get(reverse("library:public_resource", args=[home.pk]))
    assert detail.status_code == 200
    stored = home.files.get()
    download = client.get(reverse("library:public_download", args=[home.pk, stored.pk]))
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    private = Resource.objects.get(title="Members only forces")
    assert client.get(reverse("library:public_resource", args=[private.pk])).status_code == 404


def test_curators_retire_from_the_page(client, world, home):
    client.force_login(world.co_leader)
    client.post(reverse("library:curate", args=[home.pk]), {"action": "retire"})
    home.refresh_from_db()
    assert home.retired_at is not None
    client.force_login(world.teacher)
    response = client.post(reverse("library:curate", args=[home.pk]), {"action": "restore"})
    assert response.status_code == 403
