"""Each workflow tells exactly the people who must act (or were waiting), once, after the commit,
and nobody else: not the person who acted, not another network, not pupils."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from netlearn.activities import services as activity_services
from netlearn.activities.models import Audience as ActivityAudience
from netlearn.activities.tests.factories import in_days, make_activity
from netlearn.charter import services as charter_services
from netlearn.charter.tests.factories import build_charter
from netlearn.discussions import announcements
from netlearn.discussions import services as discussion_services
from netlearn.discussions.tests.factories import pupil_space
from netlearn.enquiry import services as enquiry_services
from netlearn.enquiry.tests.factories import lesson_study, loaded_account, triad
from netlearn.library.tests.factories import add_resource, good_trial
from netlearn.networks import services as network_services
from netlearn.networks.models import PostLevel
from netlearn.networks.tests.factories import PersonFactory
from netlearn.notifications import services
from netlearn.notifications.models import Notification, NotificationKind


def told(kind) -> Counter:
    """How many notifications of `kind` each person got."""
    return Counter(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def once(*people) -> Counter:
    return Counter({person.pk: 1 for person in people})


@pytest.fixture
def cedar_lead(world):
    lead = PersonFactory(username="cedarhead", name="Cai Head")
    network_services.add_staff_post(
        person=lead,
        school=world.school_c,
        job_title="Headteacher",
        level=PostLevel.HEAD,
        leads_school=True,
    )
    return lead


@pytest.fixture
def proposed(world, cedar_lead, django_capture_on_commit_callbacks):
    *_, version = build_charter(world.network, by=world.co_leader)
    with django_capture_on_commit_callbacks(execute=True):
        charter_services.propose_version(version=version, by=world.co_leader)
    return version


def test_a_proposed_charter_tells_each_lead_whose_school_must_sign(world, cedar_lead, proposed):
    # Alder has no lead; the departed school's head and the foreign co-leader must not sign.
    assert told(NotificationKind.CHARTER_PROPOSED) == once(world.school_lead, cedar_lead)
    notification = Notification.objects.get(recipient=world.school_lead)
    assert notification.url.endswith(f"/versions/{proposed.pk}/")


def test_adoption_tells_the_proposer_and_the_signatories_but_not_the_last_signer(
    world, cedar_lead, proposed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        charter_services.sign_off(version=proposed, school=world.school_b, by=world.school_lead)
        charter_services.sign_off(version=proposed, school=world.school_c, by=cedar_lead)
    assert told(NotificationKind.CHARTER_ADOPTED) == Counter()  # Alder has not signed yet
    with django_capture_on_commit_callbacks(execute=True):
        charter_services.sign_off(version=proposed, school=world.school_a, by=world.admin)
    assert told(NotificationKind.CHARTER_ADOPTED) == once(
        world.co_leader, world.school_lead, cedar_lead
    )


def test_nothing_is_told_of_a_proposal_that_rolled_back(
    world, cedar_lead, django_capture_on_commit_callbacks
):
    *_, version = build_charter(world.network, by=world.co_leader)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            charter_services.propose_version(version=version, by=world.co_leader)
            raise RuntimeError("the request failed after the proposal")
    assert callbacks == []
    assert told(NotificationKind.CHARTER_PROPOSED) == Counter()


def test_release_requests_go_to_the_co_leaders_and_answers_to_the_requester(
    world, django_capture_on_commit_callbacks
):
    activity = make_activity(world)
    with django_capture_on_commit_callbacks(execute=True):
        request = activity_services.request_release(
            activity=activity, by=world.teacher, sessions=Decimal("1")
        )
    # The former leader's co-leadership ended: only today's co-leader approves.
    assert told(NotificationKind.RELEASE_REQUESTED) == once(world.co_leader)
    with django_capture_on_commit_callbacks(execute=True):
        activity_services.decide_release(
            release_request=request, by=world.co_leader, approve=True, amount=Decimal("90")
        )
    assert told(NotificationKind.RELEASE_ANSWERED) == once(world.teacher)


def test_invitees_are_told_in_app_and_told_again_when_the_activity_changes(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        activity = make_activity(
            world,
            notify=True,
            audience=ActivityAudience.SELECTED,
            people=[world.teacher, world.school_lead],
        )
    # The organiser is invited too, but knows.
    assert told(NotificationKind.INVITATION) == once(world.teacher, world.school_lead)
    assert len(mailoutbox) == 3  # today's email with the .ics still goes to each invitee
    with django_capture_on_commit_callbacks(execute=True):
        activity_services.update_activity(
            activity=activity, by=world.co_leader, place="Birch library"
        )
    assert told(NotificationKind.ACTIVITY_CHANGED) == once(world.teacher, world.school_lead)
    with django_capture_on_commit_callbacks(execute=True):
        activity_services.update_activity(
            activity=activity, by=world.co_leader, description="Bring samples"
        )
    # A change to neither time, place nor title tells nobody again.
    assert told(NotificationKind.ACTIVITY_CHANGED) == once(world.teacher, world.school_lead)


def test_an_action_is_told_to_its_owner_when_assigned_and_once_when_due(
    world, django_capture_on_commit_callbacks
):
    activity = make_activity(world)
    with django_capture_on_commit_callbacks(execute=True):
        action = activity_services.add_action(
            activity=activity,
            by=world.co_leader,
            title="Share the writing samples",
            owner=world.teacher,
            due=timezone.localdate() + datetime.timedelta(days=1),
        )
        activity_services.add_action(
            activity=activity,
            by=world.co_leader,
            title="Book the hall",
            owner=world.school_lead,
            due=timezone.localdate() + datetime.timedelta(days=20),
        )
    assert told(NotificationKind.ACTION_ASSIGNED) == once(world.teacher, world.school_lead)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_actions_due")
        call_command("remind_actions_due")  # a second run tells nobody twice
    assert told(NotificationKind.ACTION_DUE) == once(world.teacher)
    action.refresh_from_db()
    assert action.due_reminded_at is not None


def test_trials_and_endorsement_are_told_to_the_resources_author(
    world, django_capture_on_commit_callbacks
):
    resource = add_resource(world.network, by=world.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        good_trial(resource, by=world.school_lead)
    assert told(NotificationKind.TRIAL) == once(world.teacher)
    assert told(NotificationKind.ENDORSEMENT) == Counter()
    with django_capture_on_commit_callbacks(execute=True):
        good_trial(resource, by=world.co_leader)
    assert told(NotificationKind.TRIAL) == Counter({world.teacher.pk: 2})
    assert told(NotificationKind.ENDORSEMENT) == once(world.teacher)


def test_an_account_awaits_the_groups_review_and_its_publication_is_told_to_the_group(
    world, django_capture_on_commit_callbacks
):
    group, (ana, ben, cat) = triad(world)
    enquiry = lesson_study(world, group, ana)
    with django_capture_on_commit_callbacks(execute=True):
        account = enquiry_services.write_account(
            enquiry=enquiry,
            by=ana,
            title="Fractions",
            question="Q",
            what_we_tried="Bar models",
            what_we_learned="Pupils explain more",
        )
    assert told(NotificationKind.ACCOUNT_REVIEW) == once(ben, cat)
    enquiry_services.review_account(account=loaded_account(account, ben), by=ben)
    with django_capture_on_commit_callbacks(execute=True):
        enquiry_services.publish_account(account=loaded_account(account, ben), by=ben)
    assert told(NotificationKind.ACCOUNT_PUBLISHED) == once(ana, cat)


def test_a_held_pupil_post_is_told_to_its_moderators_and_never_to_pupils(
    world, django_capture_on_commit_callbacks
):
    space = pupil_space(world)  # every post held
    with django_capture_on_commit_callbacks(execute=True):
        thread = discussion_services.start_thread(
            space=space, by=world.pupil, title="Our project", body="We made a volcano."
        )
    assert thread.status == "held"
    moderators = announcements.moderators_of(space)
    assert told(NotificationKind.POST_HELD) == once(*moderators)
    ids = {person.pk for person in moderators}
    # The co-leader moderates; the teacher of another school, the pupil and the foreign network
    # do not.
    assert world.co_leader.pk in ids
    assert not ids & {world.pupil.pk, world.teacher.pk, world.foreign_co_leader.pk}


def test_pupils_get_none_of_the_nudging_kinds(world):
    services.notify(
        recipients=[world.pupil, world.teacher],
        kind=NotificationKind.INVITATION,
        text="You are invited",
    )
    assert told(NotificationKind.INVITATION) == once(world.teacher)
    services.notify(recipients=[world.pupil], kind=NotificationKind.MODERATION, text="Published")
    assert told(NotificationKind.MODERATION) == once(world.pupil)


def test_the_next_date_of_a_series_moved_or_cancelled_is_told_to_invitees(
    world, django_capture_on_commit_callbacks
):
    activity = make_activity(
        world,
        audience=ActivityAudience.SELECTED,
        people=[world.teacher],
        recurrence="FREQ=WEEKLY;COUNT=3",
        starts_at=in_days(3),
    )
    occurrence = activity.occurrences.order_by("starts_at").last()
    with django_capture_on_commit_callbacks(execute=True):
        activity_services.cancel_occurrence(occurrence=occurrence, by=world.co_leader)
    assert told(NotificationKind.ACTIVITY_CHANGED) == once(world.teacher)
