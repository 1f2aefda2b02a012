"""Progress reports for the demo: a published term report in the Kāhui Ako (whose name keeps its
macrons in the PDF) and in North Hartlepool, and North Hartlepool's writing-day compilation
(docs/seed-practices.md#writing-days).

`load(*, admin)` skips a network that already has a report, and a writing day that already has
accounts filed under it, so a second run changes nothing. Everything is written through the
services, by each network's co-leader, after the other apps' demo data is in place.
"""

import datetime

from django.utils import timezone

from netlearn.enquiry import selectors as enquiry_selectors
from netlearn.enquiry import services as enquiry_services
from netlearn.enquiry.models import AccountStatus
from netlearn.networks import selectors as network_selectors
from netlearn.networks.models import Country, Role

from . import selectors, services
from .models import PeriodKind

NARRATIVE = {
    "matatahi-kahui-ako": {
        "summary": "Our kura and schools met as one Kāhui Ako this term: the spiral of inquiry "
        "on oral language reached every classroom, and whānau joined two of our hui.",
        "highlights": "Across-community teachers visited every kura; the scanning phase gave us "
        "a shared picture of ākonga talk in the early years.",
        "challenges": "Release for within-school teachers was hard to find in weeks 6 to 8.",
        "next_steps": "Share our hunches with the whole Kāhui Ako and choose one new learning "
        "to try in every kura next term.",
    },
    "north-hartlepool": {
        "summary": "Every triad taught and observed its research lessons this term, and the "
        "writing day turned their findings into accounts for the whole network.",
        "highlights": "Case pupils' progress in the research lessons surprised every triad.",
        "challenges": "Two schools' attendance fell below the charter's commitment in the autumn.",
        "next_steps": "Use the writing-day compilation in every school's staff meeting.",
    },
}


def _term(network, today: datetime.date) -> tuple[str, datetime.date, datetime.date]:
    start = today - datetime.timedelta(days=100)
    if network.country == Country.NEW_ZEALAND:
        return f"Term {min(4, (today.month - 1) // 3 + 1)} {today.year}", start, today
    season = "Autumn" if today.month >= 9 else "Spring" if today.month <= 3 else "Summer"
    return f"{season} term {today.year}", start, today


def _publish_term_report(network, leader) -> None:
    if selectors.reports_for(viewer=leader, network=network).exists():
        return
    title, start, end = _term(network, timezone.localdate())
    report = services.create_report(
        network=network,
        by=leader,
        title=title,
        period_kind=PeriodKind.TERM,
        starts_on=start,
        ends_on=end,
    )
    services.edit_narrative(report=report, by=leader, **NARRATIVE[network.slug])
    services.submit_for_review(report=report, by=leader)
    services.publish_report(report=report, by=leader)


def _compile_writing_day(network, leader) -> None:
    day = selectors.writing_days_of(viewer=leader, network=network).order_by("starts_at").first()
    if day is None or enquiry_selectors.accounts_written_at(viewer=leader, writing_day=day):
        return
    for account in enquiry_selectors.accounts_to_link(viewer=leader, network=network):
        if account.status == AccountStatus.PUBLISHED:
            enquiry_services.link_account_to_writing_day(
                account=account, writing_day=day, by=leader
            )


def load(*, admin) -> None:
    for slug in NARRATIVE:
        network = network_selectors.network_with_slug(slug=slug)
        if network is None:
            continue
        leader = network_selectors.first_holder_of(network=network, role=Role.CO_LEADER)
        if leader is None:
            continue
        if slug == "north-hartlepool":
            _compile_writing_day(network, leader)
        _publish_term_report(network, leader)
