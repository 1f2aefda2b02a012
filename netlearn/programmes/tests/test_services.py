import datetime

import pytest
from django.utils import timezone

from netlearn.activities import selectors as activity_selectors
from netlearn.activities import services as activity_services
from netlearn.notifications.models import Notification

from .. import selectors, services
from ..errors import CoachNotQualified, CohortFull, ProgrammeError, WaveOverlap
from ..models import Enrolment, EnrolmentStatus, RelationshipKind, Wave, WavePlace
from . import factories

pytestmark = pytest.mark.django_db


def test_a_coach_of_a_later_wave_completed_an_earlier_one(
    world, django_capture_on_commit_callbacks
):
    programme, (first, second) = factories.programme_with_waves(world)
    trainee = factories.staff(world.school_a)
    services.add_trainee(wave=first, person=trainee, school=world.school_a, by=world.co_leader)
    with pytest.raises(CoachNotQualified, match="has not completed an earlier wave"):
        services.add_coach(wave=second, person=trainee, by=world.co_leader)
    place = WavePlace.objects.get(wave=first, person=trainee)
    services.complete_place(place=place, by=world.co_leader)
    with django_capture_on_commit_callbacks(execute=True):
        coach = services.add_coach(
            wave=second, person=trainee, school=world.school_b, by=world.co_leader
        )
    assert coach.role == "coach"
    assert Notification.objects.filter(recipient=trainee, kind="learning").exists()


def test_the_first_waves_coaches_are_the_team_that_wrote_the_programme(world):
    _, (first,) = factories.programme_with_waves(world, waves=1)
    assert services.add_coach(wave=first, person=world.teacher, by=world.co_leader)


def test_a_coachee_of_a_wave_cannot_coach_it(world):
    _, (first, second) = factories.programme_with_waves(world)
    person = factories.staff(world.school_b)
    services.add_trainee(wave=second, person=person, school=world.school_b, by=world.co_leader)
    before = WavePlace.objects.count()
    with pytest.raises(CoachNotQualified, match="is being trained in wave 2, so cannot coach it"):
        services.add_coach(wave=second, person=person, by=world.co_leader)
    assert WavePlace.objects.count() == before


def test_a_school_in_two_overlapping_waves_is_refused_and_nothing_changes(world):
    programme, (first, _) = factories.programme_with_waves(world)
    before = Wave.objects.count()
    with pytest.raises(WaveOverlap, match="Alder Primary is already in wave 1"):
        services.start_wave(
            programme=programme,
            starts_on=datetime.date(2023, 1, 1),
            ends_on=datetime.date(2023, 12, 31),
            schools=[world.school_c, world.school_a],
            by=world.co_leader,
        )
    assert Wave.objects.count() == before
    # After the first wave ends, the school may take part again.
    later = services.start_wave(
        programme=programme,
        starts_on=datetime.date(2030, 9, 1),
        ends_on=datetime.date(2031, 7, 1),
        schools=[world.school_a],
        by=world.co_leader,
    )
    assert later.number == 3


def test_wave_dates_must_run_forwards(world):
    programme, _ = factories.programme_with_waves(world, waves=1)
    with pytest.raises(ProgrammeError, match="end cannot come before"):
        services.start_wave(
            programme=programme,
            starts_on=datetime.date(2025, 9, 1),
            ends_on=datetime.date(2025, 1, 1),
            by=world.co_leader,
        )


def test_the_timeline_and_the_schools_page_show_the_waves(world):
    programme, waves = factories.programme_with_waves(world, waves=3)
    timeline = selectors.timeline_of(programme=programme)
    assert [view.wave.number for view in timeline] == [1, 2, 3]
    links = selectors.places_of_school(viewer=world.teacher, obj=world.school_b)
    assert [link.title for link in links] == [f"{programme.title}: wave 2 of 3"]
    assert selectors.places_of_school(viewer=world.foreign_co_leader, obj=world.school_b) == []


def _past(hours_ago: int):
    start = timezone.now() - datetime.timedelta(hours=hours_ago)
    return start, start + datetime.timedelta(hours=1)


def test_a_full_cohort_refuses_or_waits_and_a_freed_place_goes_to_the_waiting_list(world):
    course = factories.course(world, capacity=2, per_school=1)
    a, b, b2 = (
        factories.staff(world.school_a),
        factories.staff(world.school_b),
        factories.staff(world.school_b),
    )
    first = services.enrol(course=course, person=a, school=world.school_a, by=world.co_leader)
    services.enrol(course=course, person=b, school=world.school_b, by=world.co_leader)
    c = factories.staff(world.school_c)
    before = Enrolment.objects.count()
    with pytest.raises(CohortFull, match="The cohort is full"):
        services.enrol(
            course=course, person=c, school=world.school_c, waiting_list=False, by=world.co_leader
        )
    assert Enrolment.objects.count() == before
    waiting = services.enrol(course=course, person=b2, school=world.school_b, by=world.co_leader)
    assert waiting.status == EnrolmentStatus.WAITING
    services.withdraw(enrolment=first, by=a)
    waiting.refresh_from_db()
    # Birch has its one place already: Birch's second person waits on.
    assert waiting.status == EnrolmentStatus.WAITING
    late = services.enrol(course=course, person=c, school=world.school_c, by=world.co_leader)
    assert late.status == EnrolmentStatus.ENROLLED


def test_registers_make_completion_and_cascade_counts_reach_by_school(world):
    course = factories.course(world)
    a = factories.staff(world.school_a)
    b = factories.staff(world.school_b)
    for person, school in ((a, world.school_a), (b, world.school_b)):
        services.enrol(course=course, person=person, school=school, by=world.co_leader)
    for number, hours in ((1, 50), (2, 26)):
        module = course.modules.get(number=number)
        start, end = _past(hours)
        activity = services.schedule_module(
            module=module, starts_at=start, ends_at=end, by=world.co_leader, notify=False
        )
        occurrence = activity_selectors.occurrences_of(activity=activity).get()
        present = [a.pk] if number == 2 else [a.pk, b.pk]
        activity_services.take_register(
            occurrence=occurrence, by=world.co_leader, present_ids=present
        )
    done = Enrolment.objects.get(course=course, person=a)
    not_done = Enrolment.objects.get(course=course, person=b)
    assert done.completed_at is not None and "Attended 2" in done.evidence
    assert not_done.completed_at is None
    with pytest.raises(ProgrammeError, match="once the course is completed"):
        services.record_cascade(
            enrolment=not_done,
            colleague=a,
            school=world.school_a,
            trained_on=datetime.date(2025, 1, 1),
            by=b,
        )
    colleagues = [factories.staff(world.school_c), factories.staff(world.school_c)]
    for colleague in colleagues:
        services.record_cascade(
            enrolment=done,
            colleague=colleague,
            school=world.school_c,
            trained_on=timezone.localdate(),
            by=a,
        )
    with pytest.raises(ProgrammeError, match="already counted"):
        services.record_cascade(
            enrolment=done,
            colleague=colleagues[0],
            school=world.school_c,
            trained_on=timezone.localdate(),
            by=a,
        )
    with pytest.raises(ProgrammeError, match="does not work at"):
        services.record_cascade(
            enrolment=done,
            colleague=world.teacher,
            school=world.school_a,
            trained_on=timezone.localdate(),
            by=a,
        )
    view = selectors.course_view(course=course)
    assert [(row.school.name, row.colleagues) for row in view.reach] == [("Cedar Academy", 2)]
    assert view.reach_total == 2


def test_relationship_sessions_are_in_the_calendar_and_notes_are_private(world):
    relationship = services.create_relationship(
        network=world.network,
        kind=RelationshipKind.COACHING,
        supporter=world.teacher,
        supported=world.school_lead,
        purpose="Co-operative learning in Year 5",
        starts_on=datetime.date(2025, 9, 1),
        by=world.co_leader,
    )
    start, end = _past(-48)
    activity = services.log_session(
        relationship=relationship,
        title="Coaching",
        starts_at=start,
        ends_at=end,
        by=world.teacher,
        notify=False,
    )
    assert activity.kind == "coaching_session"
    assert set(activity.invitations.values_list("person_id", flat=True)) == {
        world.teacher.pk,
        world.school_lead.pk,
    }
    # The session is in both people's calendar feeds (iCal), not in a colleague's.
    assert activity in activity_selectors.feed_activities(viewer=world.school_lead)
    assert activity not in activity_selectors.feed_activities(viewer=world.data_lead)
    services.write_note(relationship=relationship, body="Went well", by=world.teacher)
    assert selectors.notes_for(viewer=world.school_lead, relationship=relationship).count() == 1
    assert selectors.notes_for(viewer=world.data_lead, relationship=relationship).count() == 0


def test_a_school_pairing_needs_two_schools(world):
    with pytest.raises(ProgrammeError, match="not itself"):
        services.create_relationship(
            network=world.network,
            kind=RelationshipKind.SCHOOL_SUPPORT,
            supporter=world.co_leader,
            supported=world.school_lead,
            supporting_school=world.school_a,
            supported_school=world.school_a,
            purpose="Support",
            starts_on=datetime.date(2025, 9, 1),
            by=world.co_leader,
        )


def test_an_induction_plan_follows_the_checklist_to_completion(
    world, django_capture_on_commit_callbacks
):
    services.set_induction_steps(
        network=world.network, steps=["Meet the co-leaders", "Visit a school"], by=world.co_leader
    )
    head = factories.staff(world.school_c, head=True)
    with django_capture_on_commit_callbacks(execute=True):
        plan = services.start_induction(
            network=world.network,
            kind="new_head",
            newcomer=head,
            school=world.school_c,
            mentor=world.school_lead,
            by=world.co_leader,
        )
    assert [t.text for t in plan.tasks.all()] == ["Meet the co-leaders", "Visit a school"]
    assert Notification.objects.filter(recipient=world.school_lead, kind="learning").exists()
    for task in plan.tasks.all():
        services.tick(task=task, by=world.school_lead)
    plan.refresh_from_db()
    assert plan.completed_at is not None
    with pytest.raises(ProgrammeError, match="mentor is someone other"):
        services.start_induction(
            network=world.network,
            kind="new_head",
            newcomer=world.teacher,
            school=world.school_c,
            mentor=world.teacher,
            by=world.co_leader,
        )
