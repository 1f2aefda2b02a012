"""Drafting, reviewing and publishing a report through its pages; who is told; what is refused."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from netlearn.networks import services as network_services
from netlearn.networks.models import Role
from netlearn.notifications.models import Notification, NotificationKind
from netlearn.reports import services
from netlearn.reports.errors import NotInReview, NotOpen, ReportError
from netlearn.reports.models import ProgressReport, ReportVersion, VersionStatus

from .factories import MACRONS, draft_report, period, published_report

pytestmark = pytest.mark.django_db


def _client(person):
    client = Client()
    client.force_login(person)
    return client


def test_a_co_leader_drafts_submits_and_publishes_through_the_pages(
    world, django_capture_on_commit_callbacks
):
    client = _client(world.co_leader)
    slug = world.network.slug
    start, end = period()
    response = client.post(
        reverse("reports:create", args=[slug]),
        {"title": "Autumn term", "period_kind": "term", "starts_on": start, "ends_on": end},
    )
    report = ProgressReport.objects.get(network=world.network)
    assert response.status_code == 302
    detail = reverse("reports:detail", args=[slug, report.pk])
    client.post(reverse("reports:edit", args=[slug, report.pk]), {"summary": f"Kia ora {MACRONS}"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:submit", args=[slug, report.pk]))
    assert ReportVersion.objects.get(report=report).status == VersionStatus.IN_REVIEW
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:publish", args=[slug, report.pk]))
    version = ReportVersion.objects.get(report=report)
    assert version.status == VersionStatus.PUBLISHED and version.snapshot is not None
    page = _client(world.school_lead).get(detail)
    assert page.status_code == 200
    assert MACRONS in page.content.decode()
    told = Notification.objects.filter(kind=NotificationKind.REPORT_PUBLISHED)
    assert told.filter(recipient=world.school_lead).exists()
    assert not told.filter(recipient=world.co_leader).exists()


def test_bad_input_is_refused_and_changes_nothing(world):
    client = _client(world.co_leader)
    start, end = period()
    response = client.post(
        reverse("reports:create", args=[world.network.slug]),
        {"title": "Backwards", "period_kind": "term", "starts_on": end, "ends_on": start},
    )
    assert response.status_code == 400
    assert b"start on or before" in response.content
    assert not ProgressReport.objects.exists()
    with pytest.raises(ReportError):
        services.create_report(
            network=world.network,
            by=world.co_leader,
            title="Nope",
            period_kind="decade",
            starts_on=start,
            ends_on=end,
        )


def test_members_read_only_what_is_published_and_may_not_draft(world):
    draft = draft_report(world, title="Spring term draft")
    published = published_report(world)
    slug = world.network.slug
    for person in (world.school_lead, world.teacher):
        client = _client(person)
        assert client.get(reverse("reports:detail", args=[slug, draft.pk])).status_code == 404
        assert client.get(reverse("reports:detail", args=[slug, published.pk])).status_code == 200
        assert client.get(reverse("reports:pdf", args=[slug, published.pk])).status_code == 200
        listed = client.get(reverse("reports:list", args=[slug])).content.decode()
        assert "Spring term draft" not in listed and "Autumn term" in listed
        assert client.post(reverse("reports:revise", args=[slug, published.pk])).status_code == 403
        start, end = period()
        response = client.post(
            reverse("reports:create", args=[slug]),
            {"title": "Mine", "period_kind": "term", "starts_on": start, "ends_on": end},
        )
        assert response.status_code == 403


def test_another_network_gets_404(world):
    report = published_report(world)
    client = _client(world.foreign_co_leader)
    slug = world.network.slug
    for name in ("detail", "pdf", "xlsx"):
        assert client.get(reverse(f"reports:{name}", args=[slug, report.pk])).status_code == 404
    assert client.get(reverse("reports:list", args=[slug])).status_code == 404


def test_a_published_version_is_frozen_and_a_revision_opens_the_next(world):
    report = published_report(world)
    with pytest.raises(NotOpen):
        services.edit_narrative(report=report, by=world.co_leader, summary="Changed")
    with pytest.raises(NotOpen):
        services.publish_report(report=report, by=world.co_leader)
    revision = services.start_revision(report=report, by=world.co_leader)
    assert revision.number == 2 and revision.summary.startswith("A term of")
    with pytest.raises(NotOpen):
        services.start_revision(report=report, by=world.co_leader)
    with pytest.raises(NotInReview):
        services.publish_report(report=report, by=world.co_leader)
    services.edit_narrative(report=report, by=world.co_leader, summary="Second thoughts")
    first = ReportVersion.objects.get(report=report, number=1)
    assert first.summary.startswith("A term of") and first.status == VersionStatus.PUBLISHED
    # Readers still see version 1 until version 2 is published.
    page = _client(world.teacher).get(
        reverse("reports:detail", args=[world.network.slug, report.pk])
    )
    assert "Second thoughts" not in page.content.decode()


def test_a_report_in_review_waits_on_the_other_leaders_home(
    world, django_capture_on_commit_callbacks
):

    network_services.assign_role(
        network=world.network, person=world.school_lead, role=Role.CO_ORDINATOR, by=world.admin
    )
    report = draft_report(world)
    services.edit_narrative(report=report, by=world.co_leader, summary="Ready")
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_for_review(report=report, by=world.co_leader)
    assert Notification.objects.filter(
        kind=NotificationKind.REPORT_REVIEW, recipient=world.school_lead
    ).exists()
    home = _client(world.school_lead).get(reverse("web:home")).content.decode()
    assert "Autumn term: waiting for your review" in home
    own_home = _client(world.co_leader).get(reverse("web:home")).content.decode()
    assert "waiting for your review" not in own_home


def test_the_list_page_costs_the_same_queries_for_many_reports(
    world, django_assert_max_num_queries
):
    client = _client(world.teacher)
    url = reverse("reports:list", args=[world.network.slug])
    published_report(world, title="One")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(4):
        published_report(world, title=f"More {n}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
