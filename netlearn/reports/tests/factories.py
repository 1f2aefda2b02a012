"""Reports with data behind them, built through the services as a network's leaders would."""

import datetime
import io
import re
from decimal import Decimal

from django.utils import timezone
from pypdf import PdfReader

from netlearn.activities.models import Kind
from netlearn.activities.tests.factories import make_activity
from netlearn.exchange import release
from netlearn.exchange import services as exchange_services
from netlearn.exchange.models import IncomeSource, Purpose
from netlearn.golden_thread.tests.thread_factories import (
    add_pdsa,
    focus_with_goal,
    publish_account,
    value_added,
)
from netlearn.reports import selectors, services
from netlearn.reports.models import PeriodKind

MACRONS = "Mātātahi Kāhui Ako"


def period():
    today = timezone.localdate()
    return today - datetime.timedelta(days=90), today + datetime.timedelta(days=30)


def add_budget(world, *, network=None, leader=None, amount="2000", spend="150", mark=""):
    network = network or world.network
    leader = leader or world.co_leader
    budget = exchange_services.create_budget(
        network=network,
        year=release.budget_year(network, timezone.localdate()),
        purpose=Purpose.RELEASE,
        holder=leader,
        by=leader,
        name=f"Cover fund{mark}",
    )
    exchange_services.record_income(
        budget=budget,
        amount=Decimal(amount),
        by=leader,
        description=f"Programme grant{mark}",
        source=IncomeSource.NATIONAL_PROGRAMME,
        funder=f"National College{mark}",
        funder_reference=f"NC-1{mark}",
    )
    if spend:
        exchange_services.commit(
            budget=budget,
            amount=Decimal(spend),
            by=leader,
            description=f"Supply teacher{mark}",
            school=world.school_c if network == world.network else None,
        )
    return budget


def data_behind(world):
    """A focus with a goal, a PDSA enquiry, a published account, value added and a budget."""
    focus, goal = focus_with_goal(world)
    enquiry = add_pdsa(world, focus, goal)
    publish_account(world, enquiry)
    value_added(world, goal)
    add_budget(world)
    make_activity(world, title="Writing moderation meeting", learning_focus=focus)
    return focus, goal


def draft_report(world, *, network=None, by=None, title="Autumn term"):
    start, end = period()
    return services.create_report(
        network=network or world.network,
        by=by or world.co_leader,
        title=title,
        period_kind=PeriodKind.TERM,
        starts_on=start,
        ends_on=end,
    )


def published_report(world, *, network=None, by=None, title="Autumn term", summary=None):
    by = by or world.co_leader
    report = draft_report(world, network=network, by=by, title=title)
    services.edit_narrative(
        report=report,
        by=by,
        summary=summary or f"A term of {MACRONS}: the schools wrote together.",
        next_steps="Share the drafting starters with every school.",
    )
    services.submit_for_review(report=report, by=by)
    services.publish_report(report=report, by=by)
    report.refresh_from_db()
    return report


def writing_day(world, *, network=None, by=None, title="Writing day: what we learned"):
    return make_activity(
        world,
        network=network,
        by=by,
        title=title,
        kind=Kind.WRITING_DAY,
        starts_at=timezone.now() - datetime.timedelta(days=3),
    )


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def squashed(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def document(world, report, viewer=None):
    viewer = viewer or world.co_leader
    version = selectors.version_to_show(viewer=viewer, report=report)
    return selectors.document_of(viewer=viewer, report=report, version=version)
