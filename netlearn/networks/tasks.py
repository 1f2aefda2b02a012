"""Background work of networks (queued by `services` through `netlearn.core.deferred`)."""

from django_tasks import task

from . import services


@task()
def send_staff_invitation(invitation_id: int) -> None:
    services.send_staff_invitation(invitation_id=invitation_id)
