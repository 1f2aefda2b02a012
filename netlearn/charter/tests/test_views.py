import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from netlearn.charter import services
from netlearn.charter.models import CharterVersion, Goal, ProgressEntry
from netlearn.networks.models import Country

from .factories import build_charter


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def built(world):
    return build_charter(world.network, by=world.co_leader, lead_group=world.group)


def url(name, world, *args):
    return reverse(f"charter:{name}", args=[world.network.slug, *args])


def test_members_read_the_charter_with_goal_status_chart_and_table(world, built):
    charter, focus, goal, *_ = built
    response = client_for(world.teacher).get(url("focus", world, focus.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and "<table" in html and "On track" in html  # 64 ≥ planned ~61.9
    assert "Rule:" in html and "straight line from the baseline" in html
    assert "New goal" not in html  # members read, co-leaders write


def test_a_network_without_a_charter_invites_co_leaders_to_start_one(world):
    response = client_for(world.co_leader).get(url("detail", world))
    assert "Start the charter" in response.content.decode()
    response = client_for(world.co_leader).post(
        url("edit", world), {"purpose": "Writing", "shared_values": "Trust"}
    )
    assert response.status_code == 302
    assert world.network.charter.versions.count() == 1


def test_a_vague_focus_shows_the_checklist_warnings(world, built):
    response = client_for(world.co_leader).post(
        url("add_focus", world), {"title": "Raising standards", "description": "Do better."}
    )
    assert response.status_code == 302
    html = client_for(world.co_leader).get(response.url).content.decode()
    assert "6 of 6 criteria not yet met" in html
    assert "were specific and explicit" in html and "Why it matters" in html


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"target_date": "2024-01-01"}, "target date must come after the baseline date"),
        ({"unit": ""}, "Give the unit"),
        ({"baseline_value": "about sixty"}, "Enter a number"),
        ({"target_value": "1e400"}, "Enter a number"),
        ({"baseline_date": "next June"}, "Enter a date"),
    ],
)
def test_bad_goal_input_gets_a_clear_message_and_changes_nothing(world, built, changes, message):
    charter, focus, *_ = built
    data = {
        "measure": "Pupils at greater depth",
        "unit": "% of pupils",
        "baseline_value": "10",
        "baseline_date": "2024-07-01",
        "target_value": "20",
        "target_date": "2026-07-01",
        "source": "manual",
    }
    data.update(changes)
    before = (Goal.objects.count(), CharterVersion.objects.count())
    response = client_for(world.co_leader).post(url("add_goal", world, focus.pk), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (Goal.objects.count(), CharterVersion.objects.count()) == before


def test_non_numeric_progress_is_refused(world, built):
    charter, focus, goal, *_ = built
    before = ProgressEntry.objects.count()
    response = client_for(world.co_leader).post(
        url("add_progress", world, goal.pk), {"measured_on": "2025-03-01", "value": "lots"}
    )
    assert response.status_code == 400 and "Enter a number" in response.content.decode()
    assert ProgressEntry.objects.count() == before


def test_evidence_is_served_as_a_sandboxed_download(world, built, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    charter, focus, goal, *_ = built
    upload = SimpleUploadedFile("notes.html", b"<script>alert(1)</script>", "text/html")
    response = client_for(world.co_leader).post(
        url("add_progress", world, goal.pk),
        {"measured_on": "2025-03-01", "value": "65", "evidence": upload},
    )
    assert response.status_code == 302
    entry = ProgressEntry.objects.latest("pk")
    assert not entry.evidence.name.endswith("notes.html")
    response = client_for(world.teacher).get(url("evidence", world, entry.pk))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/octet-stream"
    assert "sandbox" in response["Content-Security-Policy"]


def test_changed_goal_needs_a_reason_and_history_shows_the_diff(world, built):
    charter, focus, goal, *_ = built
    data = {
        "measure": goal.measure,
        "unit": goal.unit,
        "baseline_value": "60",
        "baseline_date": "2024-07-01",
        "target_value": "80",
        "target_date": "2026-07-01",
        "source": "manual",
    }
    # The goal changes on a later day than the charter was written: a version of its own.
    charter.versions.update(created_at=timezone.now() - datetime.timedelta(days=2))
    client = client_for(world.co_leader)
    response = client.post(url("edit_goal", world, goal.pk), data)
    assert response.status_code == 400 and "Say why the goal changes" in response.content.decode()
    response = client.post(url("edit_goal", world, goal.pk), {**data, "reason": "Too easy"})
    assert response.status_code == 302
    html = client_for(world.teacher).get(url("history", world)).content.decode()
    assert "− Removed" in html and "+ Added" in html and "to 80 by 2026-07-01" in html
    assert "Too easy" in html


def test_school_lead_signs_off_with_htmx(world, built):
    charter, *_, version = built
    services.propose_version(version=version, by=world.co_leader)
    client = client_for(world.school_lead)
    page = client.get(url("version", world, version.pk)).content.decode()
    assert "Sign off for Birch Primary" in page and "Sign off for Alder Primary" not in page
    # Signing binds the school: without the confirming tick nothing is signed.
    response = client.post(
        url("sign_off", world, version.pk), {"school": world.school_b.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400 and "Tick the box to confirm" in response.content.decode()
    assert not version.sign_offs.exists()
    response = client.post(
        url("sign_off", world, version.pk),
        {"school": world.school_b.pk, "confirm": "on"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "✓ Signed" in response.content.decode()
    response = client.post(
        url("sign_off", world, version.pk), {"school": world.school_a.pk, "confirm": "on"}
    )
    assert response.status_code == 403


def test_the_working_draft_is_proposed_from_the_charter_page(world, built):
    charter, *_ = built
    draft = charter.versions.first()
    client = client_for(world.co_leader)
    html = client.get(url("detail", world)).content.decode()
    assert f"Propose version {draft.number} for adoption" in html
    response = client.post(url("propose", world, draft.pk), {"next": "charter"})
    assert response.status_code == 302 and response.url == url("detail", world)
    draft.refresh_from_db()
    assert draft.is_open_proposal
    assert "Propose version" not in client.get(url("detail", world)).content.decode()
    # A teacher cannot propose, and is not offered it.
    assert (
        "Propose version"
        not in client_for(world.teacher).get(url("detail", world)).content.decode()
    )


def test_editing_a_goal_shows_its_dates_as_a_date_input_takes_them(world, built):
    charter, focus, goal, *_ = built
    html = client_for(world.co_leader).get(url("edit_goal", world, goal.pk)).content.decode()
    assert f'type="date" name="baseline_date" value="{goal.baseline_date.isoformat()}"' in html
    assert f'type="date" name="target_date" value="{goal.target_date.isoformat()}"' in html


def test_nz_networks_see_achievement_challenges(world, built):
    world.network.country = Country.NEW_ZEALAND
    world.network.save()
    html = client_for(world.teacher).get(url("detail", world)).content.decode()
    assert "Achievement challenges" in html


def test_printable_page_and_pdf(world, built):
    client = client_for(world.teacher)
    assert "Print command" in client.get(url("print", world)).content.decode()
    response = client.get(url("pdf", world))
    assert response["Content-Type"] == "application/pdf"
    # Typeset by WeasyPrint with embedded fonts (no longer plain ASCII): read its text layer.
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert (
        response.content.startswith(b"%PDF")
        and "Writing in the middle years of Key Stage 2" in text
    )


def test_the_charter_pdf_keeps_macrons_and_is_tagged(world, built):
    world.network.name = "Mātātahi Kāhui Ako"
    world.network.save(update_fields=["name"])
    response = client_for(world.teacher).get(url("pdf", world))
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Charter of Mātātahi Kāhui Ako" in text
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert response["X-Content-Type-Options"] == "nosniff"


def _add_foci(world, charter, count):
    for number in range(count):
        focus = services.add_focus(charter=charter, by=world.admin, title=f"Focus {number}")
        goal = services.add_goal(
            focus=focus,
            by=world.admin,
            measure="Pupils reading",
            unit="%",
            baseline_value=Decimal(1),
            baseline_date=datetime.date(2024, 1, 1),
            target_value=Decimal(2),
            target_date=datetime.date(2025, 1, 1),
        )
        services.record_progress(
            goal=goal, by=world.admin, measured_on=datetime.date(2024, 6, 1), value=Decimal(1)
        )


@pytest.mark.parametrize("name", ["detail", "history", "print"])
def test_list_pages_make_the_same_number_of_queries_for_few_and_many_rows(
    world, built, name, django_assert_num_queries
):
    charter = built[0]
    client = client_for(world.teacher)
    client.get(url(name, world))  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url(name, world))
    _add_foci(world, charter, 6)
    with django_assert_num_queries(len(few)):
        client.get(url(name, world))
