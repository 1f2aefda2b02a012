"""The discussions' objects for the authorization walks (see netlearn/web/tests/walk.py).

One of each kind in both networks, made once per world; every text field of the foreign
network's carries SENTINEL. `space_id`, `thread_id` and `message_id` name a staff space, so every
staff role of the home network reads them; the poll and the report live in a pupil space of a
school other than the world pupil's, so the pupil reaches none of them.
"""

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from netlearn.discussions import services
from netlearn.discussions.models import Audience, Moderation
from netlearn.networks.tests.world import SENTINEL

from .factories import in_days, make_pupil


def _build(world, *, foreign: bool) -> dict:
    mark = f" {SENTINEL}" if foreign else ""
    network = world.foreign_network if foreign else world.network
    leader = world.foreign_co_leader if foreign else world.co_leader
    member = world.foreign_teacher if foreign else world.teacher
    school = world.foreign_school if foreign else world.school_b
    space = services.open_space(
        network=network, by=leader, title=f"Staffroom{mark}", description=f"Talk{mark}"
    )
    thread = services.start_thread(
        space=space, by=member, title=f"Marking{mark}", body=f"How do you mark?{mark}"
    )
    post = services.reply(
        thread=thread,
        by=leader,
        body=f"Like this{mark}",
        attachments=[SimpleUploadedFile(f"rubric{mark}.txt", f"Rubric{mark}".encode())],
    )
    services.edit_post(post=post, by=leader, body=f"Like this, edited{mark}")
    pupil_space = services.open_space(
        network=network,
        by=leader,
        title=f"School council{mark}",
        audience=Audience.PUPILS,
        school=school,
        moderation=Moderation.ALL_POSTS,
    )
    if not foreign and world.former_teacher is not None:
        # Appointed while teaching at Birch (issue 13): the appointment stays on record after
        # the post ended, and must give nothing.
        pupil_space.moderators.add(world.former_teacher)
    pupil = make_pupil(
        school,
        username=f"walkpupil{'f' if foreign else 'h'}",
        name=f"Pia{mark}",
        class_name=f"7{mark}"[:30],
    )
    pupil_thread = services.start_thread(
        space=pupil_space, by=pupil, title=f"Clubs{mark}", body=f"More clubs{mark}"
    )
    pupil_post = pupil_thread.posts.get()
    services.moderate_post(post=pupil_post, by=leader, decision="approve", note=f"ok{mark}")
    report = services.report(by=leader, post=pupil_post, reason="other", details=f"Check{mark}")
    poll = services.create_poll(
        space=pupil_space,
        by=leader,
        question=f"Which club?{mark}",
        options=[f"Chess{mark}", f"Coding{mark}"],
        closes_at=in_days(7),
    )
    cache.clear()  # the walk's own posts must not spend the roles' posting limits
    return {
        "space_id": space.pk,
        "thread_id": thread.pk,
        "message_id": post.pk,
        "poll_id": poll.pk,
        "report_id": report.pk,
        "post_attachment_id": post.attachments.get().pk,
        "pupil_id": (pupil if foreign else world.pupil).pk,
    }


def object_ids(world, *, foreign: bool) -> dict:
    key = "discussions_walk_foreign" if foreign else "discussions_walk_home"
    if key not in world.__dict__:
        world.__dict__[key] = _build(world, foreign=foreign)
    return dict(world.__dict__[key])
