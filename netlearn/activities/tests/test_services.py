import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from netlearn.accounts.models import Person
from netlearn.activities import selectors, services
from netlearn.activities.errors import (
    ActivityCancelled,
    AlreadyDecided,
    AudienceOutsideNetwork,
    FeedbackTooEarly,
    InvalidRecurrence,
    InvalidTimes,
    NotInvited,
    NotYoursToSchedule,
    PurposeRequired,
    RsvpClosed,
)
from netlearn.activities.models import (
    Activity,
    Attendance,
    Audience,
    Invitation,
    Kind,
    Occurrence,
    ReleaseStatus,
    Response,
    Rsvp,
)
from netlearn.networks import services as network_services

from .factories import in_days, make_activity, make_walk, move_into_past


def counts():
    return (
        Activity.objects.count(),
        Occurrence.objects.count(),
        Invitation.objects.count(),
        Rsvp.objects.count(),
        Attendance.objects.count(),
    )


def test_activity_for_the_whole_network_invites_everyone_from_their_school(world):
    activity = make_activity(world)
    invited = {i.person_id: i.school_id for i in Invitation.objects.filter(activity=activity)}
    assert invited[world.co_leader.pk] == world.school_a.pk
    assert invited[world.school_lead.pk] == world.school_b.pk
    assert invited[world.teacher.pk] == world.school_c.pk
    assert world.pupil.pk not in invited
    assert world.foreign_teacher.pk not in invited
    assert activity.occurrences.count() == 1


def test_selected_audience_invites_group_members_and_whole_schools(world):
    activity = make_activity(world, audience=Audience.SELECTED, groups=[world.group])
    invited = set(activity.invitations.values_list("person_id", flat=True))
    # The group holds the teacher, and school A as a whole (whose staff are the co-leader and
    # the safeguarding lead).
    assert invited == {world.teacher.pk, world.co_leader.pk, world.safeguarding_lead.pk}


def test_invitation_email_carries_an_ics(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_activity(world, notify=True)
    assert len(mail.outbox) >= 3
    message = mail.outbox[0]
    name, content, mimetype = message.attachments[0]
    assert name == "invite.ics" and mimetype.startswith("text/calendar")
    content = content if isinstance(content, str) else content.decode()
    assert "BEGIN:VEVENT" in content and "METHOD:REQUEST" in content


@pytest.mark.parametrize(
    "overrides, error",
    [
        # Dates are worked out when the test runs, as the factory's are, not when it is
        # collected: a run that crosses midnight must not move one and not the other.
        (lambda: {"ends_at": in_days(7, hour=9)}, InvalidTimes),  # ends before it starts (16:00)
        (lambda: {"rsvp_closes_at": in_days(8)}, InvalidTimes),  # RSVPs close after the start
        (lambda: {"kind": Kind.LEARNING_WALK, "purpose": "  "}, PurposeRequired),
        (lambda: {"recurrence": "FREQ=WEEKLY"}, InvalidRecurrence),  # no end to the series
        (lambda: {"recurrence": "FREQ=SECONDLY;COUNT=3"}, InvalidRecurrence),
        (lambda: {"time_zone": "Mars/Olympus"}, InvalidRecurrence),
    ],
)
def test_bad_activity_is_refused_and_changes_nothing(world, overrides, error):
    before = counts()
    with pytest.raises(error):
        make_activity(world, **overrides())
    assert counts() == before


def test_a_school_of_another_network_cannot_host(world):
    with pytest.raises(AudienceOutsideNetwork):
        make_activity(world, host_school=world.foreign_school)
    with pytest.raises(AudienceOutsideNetwork):
        make_activity(world, audience=Audience.SELECTED, people=[world.foreign_teacher])


def test_members_schedule_only_for_what_is_theirs(world):
    # A teacher does not invite the whole network to a meeting (issue 14: co-leaders do).
    with pytest.raises(NotYoursToSchedule):
        make_activity(world, by=world.teacher)
    with pytest.raises(PermissionDenied):
        make_activity(world, by=world.foreign_co_leader)
    lesson = make_activity(
        world, by=world.teacher, audience=Audience.SELECTED, groups=[world.group]
    )
    assert lesson.organiser == world.teacher


def test_partner_facilitator_organises_only_for_their_group(world):
    with pytest.raises(PermissionDenied):
        make_activity(world, by=world.partner)
    network_services.add_group_member(group=world.group, person=world.partner, by=world.admin)
    partner = Person.objects.get(pk=world.partner.pk)
    activity = make_activity(world, by=partner, audience=Audience.SELECTED, groups=[world.group])
    assert activity.organiser == partner


def test_over_capacity_goes_on_the_waiting_list_and_is_promoted(world):
    activity = make_activity(world, capacity=1)
    occurrence = activity.occurrences.get()
    first = services.respond(occurrence=occurrence, person=world.teacher, response="going")
    second = services.respond(occurrence=occurrence, person=world.school_lead, response="going")
    assert first.response == Response.GOING
    assert second.response == Response.WAITING
    assert services.waiting_position(second) == 1
    services.respond(occurrence=occurrence, person=world.teacher, response="not_going")
    second.refresh_from_db()
    assert second.response == Response.GOING


def test_rsvp_after_closing_is_refused_and_changes_nothing(world):
    activity = make_activity(world, rsvp_closes_at=in_days(7, hour=12))
    Activity.objects.filter(pk=activity.pk).update(
        rsvp_closes_at=in_days(-1), starts_at=in_days(7), ends_at=in_days(7, hour=17)
    )
    activity.refresh_from_db()
    occurrence = activity.occurrences.get()
    with pytest.raises(RsvpClosed):
        services.respond(occurrence=occurrence, person=world.teacher, response="going")
    assert not Rsvp.objects.exists()


def test_people_not_invited_to_a_selected_activity_cannot_answer(world):
    activity = make_activity(world, audience=Audience.SELECTED, people=[world.teacher])
    occurrence = activity.occurrences.get()
    with pytest.raises(PermissionDenied):
        services.respond(occurrence=occurrence, person=world.school_lead, response="going")
    with pytest.raises(PermissionDenied):
        services.respond(occurrence=occurrence, person=world.foreign_teacher, response="going")


def test_register_records_who_came_from_which_school(world):
    activity = make_walk(world)
    occurrence = activity.occurrences.get()
    with pytest.raises(InvalidTimes):
        services.take_register(occurrence=occurrence, by=world.co_leader, present_ids=[])
    move_into_past(activity)
    occurrence.refresh_from_db()
    services.take_register(
        occurrence=occurrence, by=world.co_leader, present_ids=[world.teacher.pk]
    )
    rows = {row.person_id: row for row in occurrence.attendances.all()}
    assert rows[world.teacher.pk].present and rows[world.teacher.pk].school == world.school_c
    assert not rows[world.school_lead.pk].present
    with pytest.raises(NotInvited):
        services.take_register(
            occurrence=occurrence, by=world.co_leader, present_ids=[world.foreign_teacher.pk]
        )
    with pytest.raises(PermissionDenied):
        services.take_register(occurrence=occurrence, by=world.teacher, present_ids=[])


def test_feedback_comes_after_the_walk_and_needs_all_four_parts(world):
    activity = make_walk(world)
    parts = {
        "what_we_saw": "Calm corridors",
        "what_we_learned": "Routines",
        "what_we_will_try": "Meet and greet",
        "feedback_to_host": "Praised the reading corner",
    }
    with pytest.raises(FeedbackTooEarly):
        services.give_feedback(activity=activity, by=world.teacher, **parts)
    move_into_past(activity)
    with pytest.raises(Exception, match="all four"):
        services.give_feedback(activity=activity, by=world.teacher, **{**parts, "what_we_saw": ""})
    feedback = services.give_feedback(activity=activity, by=world.teacher, **parts)
    assert feedback.school == world.school_c
    lead_view = selectors.activity_by_id(viewer=world.school_lead, activity_id=activity.pk)
    assert list(selectors.feedback_for(activity=lead_view, viewer=world.school_lead)) == [feedback]
    partner_view = selectors.activity_by_id(viewer=world.partner, activity_id=activity.pk)
    assert not selectors.feedback_for(activity=partner_view, viewer=world.partner).exists()


def test_a_meeting_is_not_a_visit_and_takes_no_feedback(world):
    activity = make_activity(world)
    move_into_past(activity)
    with pytest.raises(PermissionDenied):
        services.give_feedback(
            activity=activity,
            by=world.co_leader,
            what_we_saw="a",
            what_we_learned="b",
            what_we_will_try="c",
            feedback_to_host="d",
        )


def test_cancelling_one_date_of_a_series_raises_the_sequence(world):
    activity = make_activity(world, recurrence="FREQ=WEEKLY;COUNT=4")
    assert activity.occurrences.count() == 4
    occurrence = activity.occurrences.all()[1]
    services.cancel_occurrence(occurrence=occurrence, by=world.co_leader)
    activity.refresh_from_db()
    assert activity.sequence == 1 and not activity.is_cancelled
    with pytest.raises(ActivityCancelled):
        services.respond(occurrence=occurrence, person=world.teacher, response="going")


def test_changing_a_series_keeps_the_answers_of_dates_that_stay(world):
    activity = make_activity(world, recurrence="FREQ=WEEKLY;COUNT=3")
    first = activity.occurrences.first()
    services.respond(occurrence=first, person=world.teacher, response="going")
    week = (activity.starts_at + datetime.timedelta(days=7)).astimezone(activity.zone)
    services.update_activity(
        activity=activity,
        by=world.co_leader,
        recurrence="FREQ=WEEKLY;COUNT=2",
        exception_dates=[week.date().isoformat()],
    )
    assert activity.sequence == 1
    assert activity.occurrences.count() == 1
    assert Rsvp.objects.filter(occurrence=first).exists()


def test_actions_and_notes(world):
    activity = make_activity(world)
    note = services.post_note(activity=activity, by=world.teacher, body="  Minutes  ")
    assert note.body == "Minutes"
    action = services.add_action(
        activity=activity, by=world.co_leader, title="Book hall", owner=world.teacher
    )
    with pytest.raises(PermissionDenied):
        services.add_action(activity=activity, by=world.teacher, title="x", owner=world.teacher)
    with pytest.raises(AudienceOutsideNetwork):
        services.add_action(
            activity=activity, by=world.co_leader, title="x", owner=world.foreign_teacher
        )
    services.set_action_status(action=action, by=world.teacher, status="done")
    with pytest.raises(PermissionDenied):
        services.set_action_status(action=action, by=world.school_lead, status="open")
    assert list(selectors.actions_of(viewer=world.teacher)) == [action]


def test_release_time_is_requested_and_decided_once(world):
    activity = make_activity(world)
    request = services.request_release(activity=activity, by=world.teacher, sessions=Decimal("1"))
    assert request.school == world.school_c
    with pytest.raises(PermissionDenied):
        services.decide_release(release_request=request, by=world.teacher, approve=True)
    services.decide_release(
        release_request=request, by=world.co_leader, approve=True, amount=Decimal("180")
    )
    request.refresh_from_db()
    assert request.status == ReleaseStatus.APPROVED and request.amount == Decimal("180")
    with pytest.raises(AlreadyDecided):
        services.decide_release(release_request=request, by=world.co_leader, approve=False)


def test_attendance_report_flags_schools_below_the_commitment(world):
    for week in range(3):
        activity = make_activity(world, title=f"Meeting {week}")
        move_into_past(activity, hours=24 * (week + 1))
        present = [world.co_leader.pk, world.teacher.pk] + ([world.school_lead.pk] if week else [])
        services.take_register(
            occurrence=activity.occurrences.get(), by=world.co_leader, present_ids=present
        )
    today = datetime.date.today()
    report = selectors.attendance_report(
        viewer=world.co_leader,
        network=world.network,
        start=today - datetime.timedelta(days=30),
        end=today,
    )
    by_school = {row.school: row for row in report.schools}
    assert report.meetings == 3
    assert by_school[world.school_a].rate.percent == Decimal("100.0")
    assert by_school[world.school_b].rate.percent == Decimal("66.7")
    assert not by_school[world.school_b].below_commitment
    services.set_attendance_commitment(
        network=world.network, by=world.co_leader, percent=Decimal(75)
    )
    report = selectors.attendance_report(
        viewer=world.teacher, network=world.network, start=report.start, end=report.end
    )
    assert {row.school for row in report.schools if row.below_commitment} == {world.school_b}
    # A member sees every school's rate but only their own line of the people.
    assert [row.person for row in report.people] == [world.teacher]


def test_feed_token_regenerates_and_revokes(world):
    token, secret = services.create_feed_token(person=world.teacher)
    digest = services.hash_feed_secret(secret)
    assert selectors.person_for_feed_token(digest) == world.teacher
    _, new_secret = services.create_feed_token(person=world.teacher)
    assert selectors.person_for_feed_token(digest) is None
    services.revoke_feed_token(person=world.teacher)
    assert selectors.person_for_feed_token(services.hash_feed_secret(new_secret)) is None
