"""Background work of accounts (queued by `services` through `netlearn.core.deferred`)."""

from django_tasks import task

from . import services


@task()
def send_invitation(person_id: int, invited_by_id: int) -> None:
    services.send_invitation(person_id=person_id, invited_by_id=invited_by_id)


@task()
def send_password_reset(person_id: int) -> None:
    services.send_password_reset(person_id=person_id)
