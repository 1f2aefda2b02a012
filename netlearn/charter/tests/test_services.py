import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from netlearn.charter import services
from netlearn.charter.errors import (
    AlreadySignedOff,
    CannotSignOff,
    InvalidGoal,
    InvalidProgress,
    NotProposed,
    ReasonRequired,
)
from netlearn.charter.models import CharterVersion, Digression, Goal
from netlearn.core import intake
from netlearn.networks import services as network_services
from netlearn.networks.models import PostLevel

from .factories import build_charter

BASE = datetime.date(2024, 7, 1)


def goal_terms(**changes):
    terms = {
        "measure": "Pupils reading at the expected standard",
        "unit": "% of pupils",
        "baseline_value": Decimal("50"),
        "baseline_date": BASE,
        "target_value": Decimal("70"),
        "target_date": datetime.date(2026, 7, 1),
    }
    terms.update(changes)
    return terms


@pytest.fixture
def charter(world):
    return build_charter(world.network, by=world.co_leader)


def test_one_sittings_changes_make_one_draft_version(world, charter):
    charter, focus, goal, entry, commitment, version = charter
    # Start, focus, goal and commitment, saved by one co-leader in one sitting: one draft.
    assert list(charter.versions.values_list("number", flat=True)) == [1]
    draft = charter.versions.get()
    assert draft.summary.startswith("Charter started; Focus added")
    services.update_charter(charter=charter, by=world.co_leader, purpose="New", shared_values="")
    latest = charter.versions.get()
    assert latest.content["purpose"] == "New"
    assert latest.content["foci"][0]["goals"][0]["unit"] == "% of pupils"


def test_another_person_a_proposal_or_a_new_day_starts_the_next_version(world, charter):
    charter, *_ = charter
    second = world.admin
    services.update_charter(charter=charter, by=second, purpose="Theirs", shared_values="")
    assert list(charter.versions.values_list("number", flat=True)) == [2, 1]
    assert charter.versions.get(number=1).content["purpose"] != "Theirs"

    services.propose_version(version=charter.versions.get(number=2), by=world.co_leader)
    services.update_charter(charter=charter, by=second, purpose="After", shared_values="")
    # The proposal is fixed: the change goes into a new draft.
    assert charter.versions.get(number=2).content["purpose"] == "Theirs"
    assert charter.versions.get(number=3).content["purpose"] == "After"

    CharterVersion.objects.filter(number=3).update(
        created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    services.update_charter(charter=charter, by=second, purpose="Next day", shared_values="")
    assert list(charter.versions.values_list("number", flat=True))[:2] == [4, 3]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"target_date": BASE - datetime.timedelta(days=1)}, "target date must come after"),
        ({"target_date": BASE}, "target date must come after"),
        ({"unit": "  "}, "unit"),
        ({"baseline_value": "sixty"}, "must be a number"),
        ({"target_value": "NaN"}, "must be a number"),
        ({"target_value": Decimal("50")}, "measures no change"),
    ],
)
def test_bad_goal_is_refused_and_changes_nothing(world, charter, changes, message):
    charter, focus, *_ = charter
    before = (Goal.objects.count(), CharterVersion.objects.count())
    with pytest.raises(InvalidGoal, match=message):
        services.add_goal(focus=focus, by=world.co_leader, **goal_terms(**changes))
    assert (Goal.objects.count(), CharterVersion.objects.count()) == before


def test_changing_a_goal_needs_a_reason_and_records_a_digression(world, charter):
    charter, focus, goal, *_ = charter
    terms = goal_terms(target_value=Decimal("80"))
    with pytest.raises(ReasonRequired):
        services.update_goal(goal=goal, by=world.co_leader, **terms)
    assert not Digression.objects.exists()
    services.update_goal(goal=goal, by=world.co_leader, reason="Ofsted moved the bar", **terms)
    digression = Digression.objects.get()
    assert digression.kind == "goal_changed" and digression.reason == "Ofsted moved the bar"
    assert digression.version == charter.versions.first()


def test_same_terms_need_no_reason(world, charter):
    charter, focus, goal, *_ = charter
    terms = {name: getattr(goal, name) for name in services.GOAL_TERMS}
    services.update_goal(goal=goal, by=world.co_leader, source_note="New source", **terms)
    assert not Digression.objects.exists()


def test_dropping_a_goal_needs_a_reason(world, charter):
    charter, focus, goal, *_ = charter
    with pytest.raises(ReasonRequired):
        services.drop_goal(goal=goal, by=world.co_leader, reason=" ")
    services.drop_goal(goal=goal, by=world.co_leader, reason="Measured elsewhere")
    goal.refresh_from_db()
    assert goal.dropped_at is not None
    assert charter.versions.first().content["foci"][0]["goals"] == []


@pytest.mark.parametrize("role", ["member", "partner", "school_lead", "pupil"])
def test_only_co_leaders_write(world, charter, role):
    charter, focus, goal, *_ = charter
    person = world.people_by_role()[role]
    with pytest.raises(PermissionDenied):
        services.add_goal(focus=focus, by=person, **goal_terms())
    with pytest.raises(PermissionDenied):
        services.update_charter(charter=charter, by=person, purpose="x", shared_values="")


def _lead(world, school, name):
    from netlearn.networks.tests.factories import PersonFactory

    person = PersonFactory(username=name, name=name.title())
    network_services.add_staff_post(
        person=person, school=school, job_title="Head", level=PostLevel.HEAD, leads_school=True
    )
    return person


def test_version_comes_into_force_when_every_member_school_has_signed(world, charter):
    charter, *_, version = charter
    with pytest.raises(NotProposed):
        services.sign_off(version=version, school=world.school_b, by=world.school_lead)
    services.propose_version(version=version, by=world.co_leader)
    lead_a = _lead(world, world.school_a, "leada")
    lead_c = _lead(world, world.school_c, "leadc")
    with pytest.raises(PermissionDenied):
        services.sign_off(version=version, school=world.school_a, by=world.school_lead)
    services.sign_off(version=version, school=world.school_b, by=world.school_lead)
    with pytest.raises(AlreadySignedOff):
        services.sign_off(version=version, school=world.school_b, by=world.school_lead)
    services.sign_off(version=version, school=world.school_a, by=lead_a)
    charter.refresh_from_db()
    assert charter.in_force is None
    services.sign_off(version=version, school=world.school_c, by=lead_c)
    charter.refresh_from_db()
    version.refresh_from_db()
    assert charter.in_force == version and version.in_force_at is not None


def test_a_school_outside_the_network_cannot_sign(world, charter):
    charter, *_, version = charter
    services.propose_version(version=version, by=world.co_leader)
    with pytest.raises(CannotSignOff):
        services.sign_off(version=version, school=world.outside_school, by=world.admin)


def test_proposing_a_later_version_withdraws_the_earlier(world, charter):
    charter, *_, version = charter
    services.propose_version(version=version, by=world.co_leader)
    services.update_charter(charter=charter, by=world.co_leader, purpose="P2", shared_values="")
    later = charter.versions.first()
    later = services.propose_version(version=later, by=world.co_leader)
    version.refresh_from_db()
    assert version.withdrawn_at is not None and later.is_open_proposal


def test_attendance_commitment_keeps_its_threshold_for_the_activities_app(world, charter):
    from netlearn.charter import selectors

    commitment = selectors.attendance_commitments(network=world.network).get()
    assert commitment.attendance_threshold == 67


def test_evidence_over_the_intake_limit_is_refused_and_records_nothing(world, charter):
    _, _, goal, *_ = charter
    before = goal.progress.count()
    too_large = SimpleUploadedFile("scan.pdf", b"x" * (intake.MAX_EVIDENCE_BYTES + 1))
    with pytest.raises(InvalidProgress, match="larger than 10 MB"):
        services.record_progress(
            goal=goal,
            by=world.co_leader,
            measured_on=datetime.date(2025, 1, 1),
            value=Decimal("60"),
            evidence=too_large,
        )
    assert goal.progress.count() == before
