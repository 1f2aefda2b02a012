"""Work that waits for the commit and runs in a task worker: text extraction, model runs, email.

One way to defer work: Django's tasks framework (the `django-tasks` backport), queued in the
database by default (`django-tasks-db`, so queued work survives a restart) or on any backend
named by TASKS_BACKEND; tests run each task at once (the immediate backend).

A service names the task it queues by its dotted path; each app's `tasks.py` defines the task
over that app's services. So tasks import services and services never import tasks (Zulip's
actions publish to a named queue the same way). The path is the one the database queue stores,
and a test checks that every path named here is a task.
"""

from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks.base import Task


def task_at(path: str) -> Task:
    task = import_string(path)
    if not isinstance(task, Task):
        raise TypeError(f"{path} is not a task (decorate it with django_tasks.task).")
    return task


def after_commit(path: str, *args) -> None:
    """Queues the task at `path` with `args` (JSON values: ids, not objects) once the current
    transaction commits, so the worker reads what the service wrote; nothing is queued if it
    rolls back. Outside a transaction it is queued at once."""
    transaction.on_commit(lambda: task_at(path).enqueue(*args))
