"""Background work of notifications: the mail (queued by `services` through
`netlearn.core.deferred`). Each send is safe to run twice: its rows were claimed before."""

from django_tasks import task

from . import services


@task()
def send_immediate_emails(notification_ids: list[int]) -> int:
    return services.send_immediate_emails(notification_ids)


@task()
def send_digest(subject: str, body: str, recipient: str) -> None:
    services.send_digest(subject=subject, body=body, recipient=recipient)
