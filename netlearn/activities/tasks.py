"""Background work of activities: invitations and cancellations by email, each with its .ics
(queued by `services` through `netlearn.core.deferred`)."""

from django_tasks import task

from . import services


@task()
def send_invitations(activity_id: int, person_ids: list[int]) -> int:
    return services.send_invitations(activity_id=activity_id, person_ids=person_ids)


@task()
def send_cancellation(activity_id: int) -> int:
    return services.send_cancellation(activity_id=activity_id)
