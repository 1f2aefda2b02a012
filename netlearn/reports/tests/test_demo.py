"""The demo's reports: a published term report in two networks, a writing-day compilation."""

import pytest
from django.test import Client
from django.urls import reverse

from netlearn.demo.seed import load_demo
from netlearn.networks.models import NetworkRole, Role
from netlearn.reports.models import ProgressReport, VersionStatus

from .factories import MACRONS, pdf_text, squashed

# Every module that reads the demo runs on one xdist worker (`--dist loadgroup`), which loads it
# once for them all.
pytestmark = pytest.mark.xdist_group("demo")


@pytest.fixture
def demo(demo_sign_ins):
    return demo_sign_ins  # loaded once for every module of the "demo" group (conftest.py)


def _co_leader(slug):
    role = NetworkRole.objects.current().filter(network__slug=slug, role=Role.CO_LEADER).first()
    return role.person


@pytest.mark.parametrize("slug", ["matatahi-kahui-ako", "north-hartlepool"])
def test_two_networks_have_a_published_term_report(demo, db, slug):
    report = ProgressReport.objects.get(network__slug=slug)
    assert report.versions.get().status == VersionStatus.PUBLISHED
    client = Client()
    client.force_login(_co_leader(slug))
    pdf = client.get(reverse("reports:pdf", args=[slug, report.pk]))
    assert pdf.status_code == 200
    if slug == "matatahi-kahui-ako":
        assert MACRONS in squashed(pdf_text(pdf.content))


def test_north_hartlepool_compiles_its_writing_day(demo, db):
    from netlearn.activities.models import Activity, Kind

    day = Activity.objects.filter(network__slug="north-hartlepool", kind=Kind.WRITING_DAY).earliest(
        "starts_at"
    )
    assert day.accounts_written.filter(status="published").exists()
    client = Client()
    client.force_login(_co_leader("north-hartlepool"))
    page = client.get(reverse("reports:writing_day", args=["north-hartlepool", day.pk]))
    assert page.status_code == 200 and "No published account" not in page.content.decode()


def test_loading_the_demo_again_changes_nothing(demo, db):
    before = ProgressReport.objects.count()
    load_demo()
    assert ProgressReport.objects.count() == before
