"""The activities' objects for the authorization walks (see netlearn/web/tests/walk.py).

One of each kind in both networks, made once per world; every text field of the foreign
network's carries SENTINEL.
"""

import datetime
from decimal import Decimal

from netlearn.activities import services
from netlearn.activities.models import Audience, Kind
from netlearn.charter.models import LearningFocus
from netlearn.charter.tests import walk as charter_walk
from netlearn.networks.tests.world import SENTINEL

from .factories import in_days, move_into_past


def _build(world, *, foreign: bool) -> dict:
    mark = f" {SENTINEL}" if foreign else ""
    network = world.foreign_network if foreign else world.network
    organiser = world.foreign_co_leader if foreign else world.co_leader
    member = world.foreign_teacher if foreign else world.teacher
    host = world.foreign_school if foreign else world.school_b
    starts_at = in_days(3)
    # The charter walk's focus of the same network (made once per world, like ours).
    focus_id = charter_walk.object_ids(world, foreign=foreign)["focus_id"]
    activity = services.create_activity(
        network=network,
        by=organiser,
        title=f"Learning walk{mark}",
        kind=Kind.LEARNING_WALK,
        purpose=f"How do classrooms support writing?{mark}",
        description=f"Three classrooms{mark}",
        learning_focus=LearningFocus.objects.get(pk=focus_id),
        host_school=host,
        place=f"Main hall{mark}",
        online_url=f"https://meet.example.org/{SENTINEL if foreign else 'walk'}",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        recurrence="FREQ=WEEKLY;COUNT=2",
        audience=Audience.NETWORK,
        capacity=20,
        notify=False,
    )
    occurrence = activity.occurrences.first()
    services.respond(occurrence=occurrence, person=member, response="going")
    release = services.request_release(
        activity=activity, by=member, sessions=Decimal("1"), reason=f"Cover{mark}"
    )
    move_into_past(activity, hours=1)
    occurrence.refresh_from_db()
    services.take_register(occurrence=occurrence, by=organiser, present_ids=[member.pk])
    services.give_feedback(
        activity=activity,
        by=member,
        what_we_saw=f"Saw{mark}",
        what_we_learned=f"Learned{mark}",
        what_we_will_try=f"Try{mark}",
        feedback_to_host=f"Host heard{mark}",
    )
    note = services.post_note(activity=activity, by=organiser, body=f"Minutes{mark}")
    action = services.add_action(
        activity=activity, by=organiser, title=f"Share findings{mark}", owner=member
    )
    return {
        "activity_id": activity.pk,
        "occurrence_id": occurrence.pk,
        "action_id": action.pk,
        "request_id": release.pk,
        "note_id": note.pk,
        "host_school_id": host.pk,
        "paying_school_id": host.pk,
        "learning_focus_id": focus_id,
    }


def object_ids(world, *, foreign: bool) -> dict:
    key = "activities_walk_foreign" if foreign else "activities_walk_home"
    if key not in world.__dict__:
        world.__dict__[key] = _build(world, foreign=foreign)
    return dict(world.__dict__[key])
