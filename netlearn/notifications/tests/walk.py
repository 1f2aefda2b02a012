"""A notification in each network for the authorization walks; the foreign one holds SENTINEL."""

from netlearn.networks.tests.world import SENTINEL
from netlearn.notifications import services
from netlearn.notifications.models import NotificationKind


def object_ids(world, *, foreign: bool) -> dict:
    key = "notifications_walk_foreign" if foreign else "notifications_walk_home"
    if key not in world.__dict__:
        recipient = world.foreign_teacher if foreign else world.teacher
        mark = f" {SENTINEL}" if foreign else ""
        (made,) = services.notify(
            recipients=[recipient],
            kind=NotificationKind.MENTION,
            text=f"Someone mentioned you{mark}",
            url="/discussions/",
        )
        world.__dict__[key] = {"notification_id": made.pk}
    return dict(world.__dict__[key])
