"""Writing progress reports: draft, edit the narrative, submit for review, publish, revise.

Like the charter's versions: one open version at a time (a draft, or one in review) carries the
leaders' narrative; publishing freezes it, with the figures compiled at that moment stored beside
it, so a published version never changes. Revising a published report opens the next version,
its narrative copied from the last.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netlearn.accounts import selectors as account_selectors
from netlearn.core.policy import require
from netlearn.networks import selectors as network_selectors
from netlearn.notifications import services as notifications
from netlearn.notifications.models import NotificationKind

from . import policy, selectors
from .errors import InvalidPeriod, NotInReview, NotOpen, ReportError
from .models import PeriodKind, ProgressReport, ReportVersion, VersionStatus

TITLE_LIMIT = 200
NARRATIVE_LIMIT = 20000
# The programme's years bound what one report may cover
# (docs/seed-practices.md#the-thread-from-aim-to-impact).
LONGEST_PERIOD = datetime.timedelta(days=366 * 5)


def _clean(text: str, *, limit: int, name: str, required: bool = False) -> str:
    text = (text or "").replace("\x00", "").strip()
    if required and not text:
        raise ReportError(_("Give the report a %(name)s.") % {"name": name})
    if len(text) > limit:
        raise ReportError(
            _("The %(name)s is longer than %(limit)s characters.") % {"name": name, "limit": limit}
        )
    return text


@transaction.atomic
def create_report(
    *,
    network,
    by,
    title: str,
    period_kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> ProgressReport:
    """Starts a report for a period, with an empty draft as its first version."""
    require(policy.can_draft(by, network))
    title = _clean(title, limit=TITLE_LIMIT, name=_("title"), required=True)
    if period_kind not in PeriodKind.values:
        raise InvalidPeriod(_("Choose whether the report covers a term, a year or several years."))
    if starts_on is None or ends_on is None or starts_on > ends_on:
        raise InvalidPeriod(_("The period must start on or before the day it ends."))
    if ends_on - starts_on > LONGEST_PERIOD:
        raise InvalidPeriod(_("A report covers at most five years."))
    report = ProgressReport.objects.create(
        network=network,
        title=title,
        period_kind=period_kind,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=by,
    )
    ReportVersion.objects.create(report=report, number=1, created_by=by)
    return report


def _open_version(report: ProgressReport) -> ReportVersion:
    version = (
        ReportVersion.objects.select_for_update()
        .filter(report=report)
        .exclude(status=VersionStatus.PUBLISHED)
        .first()
    )
    if version is None:
        raise NotOpen(_("This report has no open version: start a revision to change it."))
    return version


@transaction.atomic
def edit_narrative(*, report: ProgressReport, by, **sections: str) -> ReportVersion:
    """Rewrites the open version's narrative sections. Editing a version in review sends it
    back to draft: reviewers review what is published."""
    require(policy.can_draft(by, report.network))
    known = {key for key, _ in selectors.NARRATIVE}
    unknown = set(sections) - known
    if unknown:
        raise ReportError(
            _("Unknown sections: %(sections)s.") % {"sections": ", ".join(sorted(unknown))}
        )
    version = _open_version(report)
    for key, text in sections.items():
        title = dict(selectors.NARRATIVE)[key].lower()
        setattr(version, key, _clean(text, limit=NARRATIVE_LIMIT, name=title))
    version.status = VersionStatus.DRAFT
    version.submitted_at = version.submitted_by = None
    version.updated_at = timezone.now()
    version.save()
    return version


def _drafters(report: ProgressReport) -> list:
    ids = network_selectors.role_holder_ids(
        network_id=report.network_id, roles=policy.DRAFTING_ROLES
    )
    return list(account_selectors.people_by_id([row["person_id"] for row in ids]).values())


def _readers_to_tell(report: ProgressReport) -> list:
    school_ids = network_selectors.member_school_ids(network=report.network)
    ids = {row["person_id"] for row in network_selectors.school_lead_ids(school_ids=school_ids)}
    ids |= {person.pk for person in _drafters(report)}
    return list(account_selectors.people_by_id(list(ids)).values())


@transaction.atomic
def submit_for_review(*, report: ProgressReport, by) -> ReportVersion:
    require(policy.can_draft(by, report.network))
    version = _open_version(report)
    if version.status == VersionStatus.IN_REVIEW:
        raise NotInReview(_("This version is already in review."))
    if not any(getattr(version, key).strip() for key, _ in selectors.NARRATIVE):
        raise ReportError(_("Write at least one narrative section before asking for review."))
    version.status = VersionStatus.IN_REVIEW
    version.submitted_by = by
    version.submitted_at = timezone.now()
    version.save()
    notifications.notify_on_commit(
        recipients=_drafters(report),
        kind=NotificationKind.REPORT_REVIEW,
        text=f"The progress report “{report.title}” awaits your review",
        url=report.get_absolute_url(),
        exclude=by,
    )
    return version


@transaction.atomic
def publish_report(*, report: ProgressReport, by, now=None) -> ReportVersion:
    """Publishes the version in review, storing its figures as compiled now by the publisher."""
    require(policy.can_publish(by, report.network))
    version = _open_version(report)
    if version.status != VersionStatus.IN_REVIEW:
        raise NotInReview(_("Submit the report for review before publishing it."))
    now = now or timezone.now()
    version.snapshot = selectors.compile_contents(viewer=by, report=report, now=now)
    version.status = VersionStatus.PUBLISHED
    version.published_by = by
    version.published_at = now
    version.save()
    report.published_at = now
    report.save(update_fields=["published_at"])
    notifications.notify_on_commit(
        recipients=_readers_to_tell(report),
        kind=NotificationKind.REPORT_PUBLISHED,
        text=f"The progress report “{report.title}” is published",
        url=report.get_absolute_url(),
        exclude=by,
    )
    return version


@transaction.atomic
def start_revision(*, report: ProgressReport, by) -> ReportVersion:
    """Opens the next version of a published report, its narrative copied from the latest."""
    require(policy.can_draft(by, report.network))
    ProgressReport.objects.select_for_update().filter(pk=report.pk).first()
    if report.versions.exclude(status=VersionStatus.PUBLISHED).exists():
        raise NotOpen(_("This report already has an open version."))
    latest = report.versions.order_by("-number").first()
    return ReportVersion.objects.create(
        report=report,
        number=latest.number + 1,
        created_by=by,
        **{key: getattr(latest, key) for key, _ in selectors.NARRATIVE},
    )
