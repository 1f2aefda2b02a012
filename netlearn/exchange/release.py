"""Release funding: the activities app's approvals and registers, turned into money.

Hooked into `netlearn/activities/hooks.py` (registered in apps.py), inside the activities
service's transaction. A network that has no release budget for the year keeps today's behaviour
(an approval records an amount and nothing more). With one, approval commits funding per date
and per teacher at the school's cover rate; the register of each date spends it for a teacher
who came and frees it for one who did not (docs/exchange.md#release-funding).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netlearn.activities import selectors as activity_selectors
from netlearn.core.money import CENT, format_amount
from netlearn.networks import selectors as network_selectors
from netlearn.networks.models import Country
from netlearn.notifications.models import NotificationKind
from netlearn.notifications.services import notify

from . import policy, selectors, services
from .errors import AlreadyAnswered, AttendanceBelowCommitment, ExchangeError
from .models import EntryKind, ExceptionRequest, FundingStatus, ReleaseFunding


def budget_year(network, day: datetime.date) -> int:
    """England's school year starts in September; New Zealand's is the calendar year."""
    if network.country == Country.NEW_ZEALAND:
        return day.year
    return day.year if day.month >= 9 else day.year - 1


def _per_date(release_request, network, count: int, school_id) -> Decimal:
    rate = selectors.cover_rate_for(network=network, school_id=school_id)
    if rate is not None:
        return (Decimal(release_request.sessions) * rate).quantize(CENT)
    if release_request.amount:
        return (Decimal(release_request.amount) / count).quantize(CENT)
    raise ExchangeError(
        _("Set the network's cover rate on the budgets page, or give the funding approved.")
    )


def fund_release(*, release_request, by) -> list[ReleaseFunding]:
    """On approval: a commitment on the release budget for each date still to come."""
    if release_request.status != "approved":
        return []
    activity = release_request.activity
    network = activity.network
    dates = list(activity_selectors.dates_to_release(activity=activity))
    made = []
    withheld = []
    for occurrence in dates:
        day = occurrence.local_start.date()
        budget = selectors.release_budget_for(network=network, year=budget_year(network, day))
        if budget is None:
            continue
        if ReleaseFunding.objects.filter(
            release_request=release_request, occurrence=occurrence
        ).exists():
            continue
        amount = _per_date(release_request, network, len(dates), release_request.school_id)
        funding = ReleaseFunding(
            network=network,
            release_request=release_request,
            occurrence=occurrence,
            person=release_request.person,
            school=release_request.school,
            budget=budget,
            sessions=release_request.sessions,
            amount=amount,
        )
        try:
            services.check_attendance_gate(budget=budget, school=release_request.school)
        except AttendanceBelowCommitment as refusal:
            funding.status = FundingStatus.WITHHELD
            funding.withheld_reason = str(refusal)[:500]
            withheld.append(funding)
        else:
            funding.commitment = services.commit(
                budget=budget,
                amount=amount,
                by=by,
                description=f"Release of {release_request.person.name} for {occurrence}",
                school=release_request.school,
                occurred_on=day,
                gate_checked=True,
            )
            funding.status = FundingStatus.COMMITTED
        funding.save()
        made.append(funding)
    if withheld:
        _tell_withheld(withheld)
    return made


def _tell_withheld(withheld: list[ReleaseFunding]) -> None:
    funding = withheld[0]
    school = funding.school
    leads = list(
        network_selectors.people_of_network(network=funding.network).filter(
            pk__in=network_selectors.school_lead_ids(school_ids=[school.pk])
        )
    )
    text = (
        f"Release funding for {funding.person.name} ({len(withheld)} date(s)) is withheld: "
        f"{funding.withheld_reason}"
    )
    url = funding.budget.get_absolute_url()
    people = [*leads, funding.person]
    transaction.on_commit(
        lambda: notify(recipients=people, kind=NotificationKind.MONEY, text=text, url=url)
    )


def settle_register(*, occurrence, by) -> None:
    """On the register: spend the funding of a teacher who came, free that of one who did not.
    A corrected register undoes the earlier settlement with a reversing entry first."""
    fundings = list(selectors.release_funding_of_occurrence(occurrence=occurrence))
    if not fundings:
        return
    presence = activity_selectors.presence_on(occurrence=occurrence)
    for funding in fundings:
        if funding.status == FundingStatus.WITHHELD:
            continue
        present = presence.get(funding.person_id, False)
        wanted = FundingStatus.SPENT if present else FundingStatus.FREED
        if funding.status == wanted:
            continue
        budget = funding.budget
        if funding.settlement_id is not None:
            services.reverse_settlement(
                entry=funding.settlement, by=by, description="The register was corrected."
            )
        if present:
            funding.settlement = services.settle_release(
                budget=budget,
                commitment=funding.commitment,
                by=by,
                description=f"{funding.person.name} attended {occurrence}",
                kind=EntryKind.SPENDING,
            )
        else:
            funding.settlement = services.settle_release(
                budget=budget,
                commitment=funding.commitment,
                by=by,
                description=f"{funding.person.name} did not attend {occurrence}",
                kind=EntryKind.FREED,
            )
        funding.status = wanted
        funding.save(update_fields=["status", "settlement"])


def fund_withheld(*, budget, school, by) -> list[ReleaseFunding]:
    """After an exception: commit what was withheld from the school on this budget."""
    made = []
    for funding in ReleaseFunding.objects.filter(
        budget=budget, school=school, status=FundingStatus.WITHHELD
    ).select_related("occurrence__activity", "person"):
        if funding.occurrence is None or funding.occurrence.register_taken_at is not None:
            continue
        funding.commitment = services.commit(
            budget=budget,
            amount=funding.amount,
            by=by,
            description=f"Release of {funding.person.name} for {funding.occurrence}",
            school=school,
            occurred_on=funding.occurrence.local_start.date(),
            gate_checked=True,
        )
        funding.status = FundingStatus.COMMITTED
        funding.withheld_reason = ""
        funding.save(update_fields=["commitment", "status", "withheld_reason"])
        made.append(funding)
    return made


def describe(funding: ReleaseFunding) -> str:
    return f"{funding.person.name}: {format_amount(funding.amount, funding.network.currency)}"


@transaction.atomic
def grant_exception(*, budget, school, by, reason: str):
    """The budget holder's exception to the attendance gate, and the release funding it frees."""
    exception = services.record_exception(budget=budget, school=school, by=by, reason=reason)
    fund_withheld(budget=exception.budget, school=school, by=by)
    return exception


@transaction.atomic
def answer_exception_request(*, exception_request, by, grant: bool, note: str = ""):
    """The budget holder grants (recording the exception) or declines a school's request."""
    root = exception_request.budget
    if not policy.is_budget_holder(by, root):
        raise PermissionDenied
    exception_request = ExceptionRequest.objects.select_for_update().get(pk=exception_request.pk)
    if exception_request.granted is not None:
        raise AlreadyAnswered(_("That request is already answered."))
    note = " ".join((note or "").split())[:500]
    if grant:
        grant_exception(
            budget=root,
            school=exception_request.school,
            by=by,
            reason=note or exception_request.reason,
        )
    elif not note:
        raise ExchangeError(_("Say why the request is declined: the school's lead will read it."))
    exception_request.granted = grant
    exception_request.answer_note = note
    exception_request.answered_by = by
    exception_request.answered_at = timezone.now()
    exception_request.save()
    text = (
        f"Your request for {exception_request.school.name} to draw on {root.title} is "
        f"{'granted' if grant else 'declined'}{': ' + note if note else '.'}"
    )
    url = root.get_absolute_url()
    requester = exception_request.requested_by
    transaction.on_commit(
        lambda: notify(
            recipients=[requester], kind=NotificationKind.EXCHANGE_ANSWERED, text=text, url=url
        )
    )
    return exception_request
