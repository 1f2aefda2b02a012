"""Release funding: approval commits per date and teacher, the register spends or frees it, and
the attendance gate withholds it from a school under the network's commitment."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from netlearn.activities import services as activity_services
from netlearn.activities.tests.factories import in_days, make_activity, move_into_past
from netlearn.exchange import release, selectors, services
from netlearn.exchange.errors import (
    AlreadyAnswered,
    AttendanceBelowCommitment,
    ExchangeError,
    Overdrawn,
)
from netlearn.exchange.models import FundingStatus, Purpose, ReleaseFunding
from netlearn.notifications.models import Notification

from .factories import make_budget


def release_budget(world, income="1000"):
    year = release.budget_year(world.network, in_days(3).date())
    budget = make_budget(world, purpose=Purpose.RELEASE, year=year, income=income)
    services.set_cover_rate(network=world.network, per_session=Decimal("90"), by=world.co_leader)
    return budget


def two_dates(world, **extra):
    return make_activity(
        world,
        title="Triad planning",
        starts_at=in_days(3),
        recurrence="FREQ=DAILY;COUNT=2",
        **extra,
    )


def ask_and_approve(world, activity, person, sessions="2"):
    request = activity_services.request_release(
        activity=activity, by=person, sessions=Decimal(sessions)
    )
    return activity_services.decide_release(
        release_request=request, by=world.co_leader, approve=True, amount=Decimal("0")
    )


def test_approval_commits_each_date_at_the_cover_rate(world):
    budget = release_budget(world)
    activity = two_dates(world)
    ask_and_approve(world, activity, world.teacher)
    fundings = list(ReleaseFunding.objects.order_by("occurrence__starts_at"))
    assert [f.amount for f in fundings] == [Decimal("180.00")] * 2
    assert {f.status for f in fundings} == {FundingStatus.COMMITTED}
    figures = selectors.figures_of(budget)
    assert figures.committed.amount == Decimal("360.00")
    assert figures.available.amount == Decimal("640.00")


def test_the_register_spends_for_who_came_and_frees_for_who_did_not(world):
    budget = release_budget(world)
    activity = two_dates(world)
    ask_and_approve(world, activity, world.teacher)
    ask_and_approve(world, activity, world.school_lead, sessions="1")
    move_into_past(activity, hours=60)
    first = activity.occurrences.order_by("starts_at").first()
    activity_services.take_register(
        occurrence=first, by=world.co_leader, present_ids=[world.teacher.pk]
    )
    on_first = {f.person_id: f.status for f in ReleaseFunding.objects.filter(occurrence=first)}
    assert on_first == {
        world.teacher.pk: FundingStatus.SPENT,
        world.school_lead.pk: FundingStatus.FREED,
    }
    figures = selectors.figures_of(budget)
    # Spent 180 for the teacher; 90 freed; the second date's 180 + 90 still committed.
    assert figures.cash.amount == Decimal("820.00")
    assert figures.committed.amount == Decimal("270.00")
    # A corrected register reverses the settlement and settles again.
    activity_services.take_register(
        occurrence=first, by=world.co_leader, present_ids=[world.school_lead.pk]
    )
    figures = selectors.figures_of(budget)
    assert figures.cash.amount == Decimal("910.00")
    assert figures.committed.amount == Decimal("270.00")
    assert figures.cash.amount == sum(e.cash_effect for e in budget.entries.all())


def test_an_approval_over_the_release_budget_is_refused_and_changes_nothing(world):
    release_budget(world, income="200")
    activity = two_dates(world)
    request = activity_services.request_release(
        activity=activity, by=world.teacher, sessions=Decimal("2")
    )
    with pytest.raises(Overdrawn):
        activity_services.decide_release(
            release_request=request, by=world.co_leader, approve=True, amount=Decimal("0")
        )
    request.refresh_from_db()
    assert request.status == "requested"
    assert not ReleaseFunding.objects.exists()


def make_school_miss_meetings(world):
    """Cedar (the teacher's school) is invited to a meeting and nobody comes: 0% attended."""
    meeting = make_activity(world, title="Network meeting", starts_at=in_days(-1))
    move_into_past(meeting, hours=30)
    activity_services.take_register(
        occurrence=meeting.occurrences.get(), by=world.co_leader, present_ids=[]
    )


def test_a_school_under_the_attendance_commitment_has_release_withheld(world):
    budget = release_budget(world)
    make_school_miss_meetings(world)
    with pytest.raises(AttendanceBelowCommitment, match=r"0\.0%.*66\.7%"):
        services.commit(
            budget=budget,
            amount="50",
            by=world.co_leader,
            description="Cover",
            school=world.school_c,
        )
    activity = two_dates(world)
    ask_and_approve(world, activity, world.teacher)
    fundings = list(ReleaseFunding.objects.all())
    assert {f.status for f in fundings} == {FundingStatus.WITHHELD}
    assert "no attendance, no money" in fundings[0].withheld_reason
    assert selectors.figures_of(budget).committed.amount == 0
    # The budget holder records an exception with a reason: the funding is committed.
    release.grant_exception(
        budget=budget, school=world.school_c, by=world.co_leader, reason="New head, first term"
    )
    assert {f.status for f in ReleaseFunding.objects.all()} == {FundingStatus.COMMITTED}
    assert selectors.figures_of(budget).committed.amount == Decimal("360.00")
    services.commit(
        budget=budget, amount="50", by=world.co_leader, description="Cover", school=world.school_c
    )


def test_only_the_budget_holder_records_an_exception(world):
    budget = release_budget(world)
    with pytest.raises(PermissionDenied):
        release.grant_exception(
            budget=budget, school=world.school_c, by=world.admin, reason="Because"
        )


def test_the_teacher_and_their_school_lead_are_told_when_funding_is_withheld(
    world, django_capture_on_commit_callbacks
):
    release_budget(world)
    make_school_miss_meetings(world)
    activity = two_dates(world)
    with django_capture_on_commit_callbacks(execute=True):
        ask_and_approve(world, activity, world.teacher)
    told = Notification.objects.filter(kind="money").values_list("recipient_id", flat=True)
    assert world.teacher.pk in told


def test_no_release_budget_keeps_approval_as_it_was(world):
    activity = two_dates(world)
    request = ask_and_approve(world, activity, world.teacher)
    assert request.status == "approved"
    assert not ReleaseFunding.objects.exists()


def test_a_school_lead_asks_and_the_holder_answers(world, django_capture_on_commit_callbacks):
    budget = release_budget(world)
    with pytest.raises(PermissionDenied):  # not the lead of Birch
        services.request_exception(
            budget=budget, school=world.school_b, by=world.teacher, reason="Please"
        )
    with django_capture_on_commit_callbacks(execute=True):
        asked = services.request_exception(
            budget=budget, school=world.school_b, by=world.school_lead, reason="Ofsted term"
        )
    assert Notification.objects.filter(
        recipient=world.co_leader, kind="exchange_requested"
    ).exists()
    with pytest.raises(AlreadyAnswered):
        services.request_exception(
            budget=budget, school=world.school_b, by=world.school_lead, reason="Again"
        )
    with pytest.raises(PermissionDenied):
        release.answer_exception_request(exception_request=asked, by=world.admin, grant=True)
    with pytest.raises(ExchangeError, match="declined"):
        release.answer_exception_request(exception_request=asked, by=world.co_leader, grant=False)
    with django_capture_on_commit_callbacks(execute=True):
        release.answer_exception_request(
            exception_request=asked, by=world.co_leader, grant=True, note="Agreed at steering"
        )
    assert selectors.has_exception(budget=budget, school=world.school_b)
    assert Notification.objects.filter(
        recipient=world.school_lead, kind="exchange_answered"
    ).exists()
    with pytest.raises(AlreadyAnswered):
        release.answer_exception_request(exception_request=asked, by=world.co_leader, grant=True)


def test_a_request_for_an_exception_waits_on_the_holders_home_until_answered(world):
    from netlearn.core.home import personal_feed

    budget = release_budget(world)
    asked = services.request_exception(
        budget=budget, school=world.school_b, by=world.school_lead, reason="Ofsted term"
    )

    def waiting(person):
        return [
            item.title for item in personal_feed(person=person).waiting if "despite" in item.title
        ]

    assert waiting(world.co_leader) == [
        f"Birch Primary asks to draw on {budget} despite its attendance"
    ]
    assert waiting(world.school_lead) == [] and waiting(world.foreign_co_leader) == []
    release.answer_exception_request(exception_request=asked, by=world.co_leader, grant=True)
    assert waiting(world.co_leader) == []
