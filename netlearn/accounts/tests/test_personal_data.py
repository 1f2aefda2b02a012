"""Export and erasure of a person's data (docs/safety.md#retention-and-erasure)."""

import datetime
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.db import connection, models
from django.db.models.functions import Cast
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from netlearn.accounts import personal_data
from netlearn.accounts.models import AccessToken, Expertise, Person
from netlearn.activities.models import Activity, Attendance, Occurrence, Rsvp
from netlearn.library import services as library_services
from netlearn.library.models import ResourceFile
from netlearn.library.tests.factories import pdf_upload
from netlearn.networks.models import GroupMember, NetworkRole, StaffPost

from .personal_records import EMAIL, NAME, OTHER_MARK, USERNAME, add_records, make_subject

# Models that hold a person's words without a key to Person. None so far: every model with
# personal words also names its author.
PERSONAL_WITHOUT_A_KEY: set[str] = set()
# The apps whose personal_data modules this file tests row by row.
FIRST_WAVE = ("accounts", "networks", "activities", "charter", "library", "enquiry")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def subject(world):
    person = make_subject(world)
    world.__dict__["shared"] = add_records(world, person)
    return person


def models_holding_personal_data():
    """Every concrete model of a netlearn app with a key or many-to-many to Person."""
    for config in apps.get_app_configs():
        if not config.name.startswith("netlearn."):
            continue
        for model in config.get_models():
            if model._meta.proxy or not model._meta.managed:
                continue
            if model is Person or personal_data.person_fields(model):
                yield model
            elif model._meta.label_lower in PERSONAL_WITHOUT_A_KEY:
                yield model


def test_every_model_holding_personal_data_is_in_some_apps_models():
    listed = {model._meta.label_lower for model in personal_data.all_models()}
    missing = sorted(
        model._meta.label_lower
        for model in models_holding_personal_data()
        if model._meta.label_lower not in listed
    )
    assert not missing, (
        f"Models holding personal data but in no app's personal_data.MODELS: {missing}. "
        "Add them to MODELS, export and erase in <app>/personal_data.py."
    )


def test_every_listed_model_has_a_place_in_its_apps_export(world):
    for module in personal_data.app_modules():
        exported = module.export(world.teacher)
        for model in module.MODELS:
            assert personal_data.label(model) in exported, (module.__name__, model)
        for label, rows in exported.items():
            assert isinstance(rows, list), (module.__name__, label)
        json.dumps(exported)  # JSON-ready as it is


def test_the_export_holds_a_row_of_every_model_of_the_first_wave(world, subject):
    document = personal_data.export_person_data(person=subject, by=subject)
    data = document["data"]
    for module in personal_data.app_modules():
        app_label = module.__name__.split(".")[1]
        if app_label not in FIRST_WAVE:
            continue
        for model in module.MODELS:
            assert data[personal_data.label(model)], f"no rows of {personal_data.label(model)}"
    assert data["accounts.person"][0]["email"] == EMAIL
    assert data["accounts.person"][0]["expertise"] == ["Lesson study", f"{NAME} method"]
    text = json.dumps(document)
    assert "password" not in text and "token_hash" not in text


def test_the_export_keeps_other_peoples_data_out(world, subject):
    text = json.dumps(personal_data.export_person_data(person=subject, by=subject))
    # The co-leader recorded their attendance and asked them for cover: the co-leader's name,
    # username, email and the reason for their request are the co-leader's.
    for other in (OTHER_MARK, world.co_leader.username, world.co_leader.email):
        assert other not in text
    assert personal_data.SOMEONE_ELSE in text
    recorded = [
        row
        for row in json.loads(text)["data"]["activities.attendance"]
        if row["recorded_by"] == personal_data.YOU
    ]
    assert recorded and all("present" not in row and "person" not in row for row in recorded)


def test_the_export_reads_as_much_for_30_rows_as_for_3(world):
    person = world.teacher
    start = timezone.now() + datetime.timedelta(days=1)
    activity = Activity.objects.create(
        network=world.network,
        title="Thinking lunch",
        organiser=world.co_leader,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )

    def attend(first, last):
        for day in range(first, last):
            at = start + datetime.timedelta(days=day)
            occurrence = Occurrence.objects.create(
                activity=activity,
                starts_at=at,
                ends_at=at + datetime.timedelta(hours=1),
                original_start=at,
            )
            Rsvp.objects.create(occurrence=occurrence, person=person, response="going")
            Attendance.objects.create(
                occurrence=occurrence, person=person, present=True, recorded_by=world.co_leader
            )

    attend(0, 3)
    with CaptureQueriesContext(connection) as three:
        personal_data.export_person_data(person=person, by=person)
    attend(3, 30)
    with CaptureQueriesContext(connection) as thirty:
        document = personal_data.export_person_data(person=person, by=person)
    assert len(document["data"]["activities.rsvp"]) == 30
    assert len(thirty.captured_queries) == len(three.captured_queries)


def test_a_person_downloads_a_zip_of_their_data_and_files(world, subject):
    client = Client()
    client.force_login(subject)
    page = client.get(reverse("accounts:my_data"))
    assert page.status_code == 200 and "Download my data" in page.content.decode()
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("accounts:my_data") in profile
    response = client.post(reverse("accounts:my_data"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    document = json.loads(archive.read("data.json"))
    assert document["person_id"] == subject.pk and document["data"]["library.resourcefile"]
    names = archive.namelist()
    assert any(name.startswith("files/library.resourcefile/") for name in names)
    assert any(name.startswith("files/enquiry.attachment/") for name in names)
    assert sorted(document["files"]) == sorted(name for name in names if name != "data.json")


def test_a_pupil_downloads_their_own_data(world):
    client = Client()
    client.force_login(world.pupil)
    response = client.post(reverse("accounts:my_data"))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert json.loads(archive.read("data.json"))["data"]["accounts.person"][0]["name"] == "Pip"


@pytest.mark.parametrize("role", ["member", "co_leader", "school_lead", "pupil"])
def test_only_site_admins_reach_another_persons_data_pages(world, subject, role):
    client = Client()
    client.force_login(world.people_by_role()[role])
    for name in ("accounts:person_data", "accounts:erase_person"):
        url = reverse(name, args=[subject.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"confirmation": USERNAME}).status_code == 404
    subject.refresh_from_db()
    assert subject.erased_at is None


def test_a_site_admin_exports_a_persons_data_for_a_subject_access_request(world, subject):
    client = Client()
    client.force_login(world.admin)
    page = client.get(reverse("accounts:person_data", args=[subject.pk])).content.decode()
    assert "Research lessons" in page or "research lessons" in page
    response = client.post(reverse("accounts:person_data", args=[subject.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    document = json.loads(archive.read("data.json"))
    assert document["person_id"] == subject.pk
    assert document["requested_by"] == "a site administrator"


def text_columns():
    # A model whose migration another app has not written yet has no table to hold anything.
    tables = set(connection.introspection.table_names())
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed or model._meta.db_table not in tables:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField):
                yield model, field


def rows_holding(words) -> list[str]:
    """model.field of every text column anywhere that holds one of `words`."""
    found = []
    for model, field in text_columns():
        rows = model._base_manager.annotate(
            _text=Cast(field.attname, output_field=models.TextField())
        )
        for word in words:
            if rows.filter(_text__icontains=word).exists():
                found.append(f"{model._meta.label_lower}.{field.name} holds {word!r}")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for word in words:
                cursor.execute(
                    "SELECT count(*) FROM library_resource_fts WHERE "
                    "title LIKE %s OR summary LIKE %s OR tags LIKE %s OR body LIKE %s",
                    [f"%{word}%"] * 4,
                )
                if cursor.fetchone()[0]:
                    found.append(f"the library's search index holds {word!r}")
    return found


def files_holding(words) -> list[str]:
    """Every stored file under MEDIA_ROOT whose name or bytes hold one of `words`."""
    found = []
    root = Path(settings.MEDIA_ROOT)
    for path in sorted(root.rglob("*")) if root.exists() else ():
        if not path.is_file():
            continue
        content = path.read_bytes().lower()
        for word in words:
            if word.lower() in path.name.lower() or word.lower().encode() in content:
                found.append(f"{path.relative_to(root)} holds {word!r}")
    return found


def erase_through_the_page(world, person):
    client = Client()
    client.force_login(world.admin)
    url = reverse("accounts:erase_person", args=[person.pk])
    page = client.get(url)
    assert page.status_code == 200 and "What happens" in page.content.decode()
    assert "The files they uploaded are deleted" in page.content.decode()
    response = client.post(url, {"confirmation": person.username})
    assert response.status_code == 302
    return client


def test_after_erasure_no_column_or_file_anywhere_holds_their_name_email_or_username(
    world, subject, django_capture_on_commit_callbacks
):
    words = [NAME, EMAIL, USERNAME]
    assert len(rows_holding(words)) > 20  # the search finds them where they are
    assert len(files_holding(words)) >= 4  # library, enquiry, charter, discussions
    with django_capture_on_commit_callbacks(execute=True):
        erase_through_the_page(world, subject)
    assert rows_holding(words) == []
    assert files_holding(words) == []


def test_erasure_keeps_the_networks_records_whole(world, subject):
    shared = world.shared
    erase_through_the_page(world, subject)
    subject.refresh_from_db()
    assert subject.name == personal_data.FORMER_MEMBER and subject.erased_at is not None
    assert (subject.email, subject.bio, subject.is_active) == ("", "", False)
    assert not subject.has_usable_password()
    # Only theirs: gone.
    assert not AccessToken.objects.filter(person=subject).exists()
    assert not StaffPost.objects.filter(person=subject).exists()
    assert not NetworkRole.objects.filter(person=subject).exists()
    assert not GroupMember.objects.filter(person=subject).exists()
    assert not Rsvp.objects.filter(person=subject).exists()
    assert not Expertise.objects.filter(name__icontains="Ngaio").exists()
    # The network's: kept, authored by the tombstone, and its pages still load.
    activity = shared["activity"]
    activity.refresh_from_db()
    assert activity.organiser_id == subject.pk
    assert Attendance.objects.filter(person=subject, present=True).count() == 1
    assert shared["resource"].trials.count() == 1
    client = Client()
    client.force_login(world.co_leader)
    for url in (
        activity.get_absolute_url(),
        shared["resource"].get_absolute_url(),
        shared["enquiry"].get_absolute_url(),
        shared["charter"].get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert NAME not in response.content.decode()


def test_an_erased_person_cannot_sign_in_and_their_sessions_end(world, subject):
    signed_in = Client()
    signed_in.force_login(subject)
    assert signed_in.get(reverse("accounts:profile")).status_code == 200
    erase_through_the_page(world, subject)
    response = signed_in.get(reverse("accounts:profile"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert authenticate(username=USERNAME, password="correct horse battery") is None
    assert authenticate(username=EMAIL, password="correct horse battery") is None


def test_erasure_needs_the_typed_username_and_changes_nothing_without_it(world, subject):
    client = Client()
    client.force_login(world.admin)
    url = reverse("accounts:erase_person", args=[subject.pk])
    for typed in ("", "yes", USERNAME.upper(), NAME):
        response = client.post(url, {"confirmation": typed})
        assert response.status_code == 400
    subject.refresh_from_db()
    assert subject.name == NAME and subject.erased_at is None


def test_a_site_admin_cannot_erase_themself(world):
    client = Client()
    client.force_login(world.admin)
    url = reverse("accounts:erase_person", args=[world.admin.pk])
    response = client.post(url, {"confirmation": world.admin.username})
    assert response.status_code == 400
    world.admin.refresh_from_db()
    assert world.admin.erased_at is None and world.admin.is_active


def test_erasing_twice_changes_nothing_more(world, subject):
    erase_through_the_page(world, subject)
    subject.refresh_from_db()
    erased = (subject.username, subject.erased_at)
    client = Client()
    client.force_login(world.admin)
    url = reverse("accounts:erase_person", args=[subject.pk])
    assert "was erased on" in client.get(url).content.decode()
    client.post(url, {"confirmation": subject.username})
    subject.refresh_from_db()
    assert (subject.username, subject.erased_at) == erased


def test_the_admin_links_to_export_and_erasure(world, subject):
    client = Client()
    client.force_login(world.admin)
    page = client.get(reverse("admin:accounts_person_change", args=[subject.pk]))
    assert reverse("accounts:erase_person", args=[subject.pk]) in page.content.decode()


def test_erasure_removes_their_files_and_keeps_the_resources_others_rely_on(
    world, subject, django_capture_on_commit_callbacks
):
    resource = world.shared["resource"]
    (first,) = resource.files.all()
    # A curator brings out a second version; then the subject a third.
    second = library_services.add_file(
        resource=resource,
        by=world.co_leader,
        upload=pdf_upload("Fractions, revised"),
        replaces=first,
    )
    third = library_services.add_file(
        resource=resource,
        by=subject,
        upload=pdf_upload(f"Fractions, {NAME}'s cut"),
        replaces=second,
    )
    stored = [first.file.name, third.file.name]
    with django_capture_on_commit_callbacks(execute=True):
        erase_through_the_page(world, subject)
    assert not ResourceFile.objects.filter(pk__in=[first.pk, third.pk]).exists()
    assert not any(first.file.storage.exists(name) for name in stored)
    second.refresh_from_db()
    assert second.is_current and second.file.storage.exists(second.file.name)
    # The resource, its trial and its colleague's version stay, and its page loads.
    assert resource.trials.count() == 1
    client = Client()
    client.force_login(world.co_leader)
    page = client.get(resource.get_absolute_url())
    assert page.status_code == 200 and NAME not in page.content.decode()


def test_a_failed_erasure_keeps_their_files(
    world, subject, monkeypatch, django_capture_on_commit_callbacks
):
    resource = world.shared["resource"]
    (upload,) = resource.files.all()

    def fail(person):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(personal_data, "scrub_mentions_everywhere", fail)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        personal_data.erase_person(person=subject, by=world.admin)
    assert ResourceFile.objects.filter(pk=upload.pk).exists()
    assert upload.file.storage.exists(upload.file.name)
