"""Background work of the library, queued only after the transaction that asked for it commits.

Embedded (the default) runs the task in-process, straight after the commit, in the request that
uploaded the file; the page shows each file's extraction status either way. A deployment with a
task queue sets LIBRARY_TASK_RUNNER to the dotted path of a callable taking (dotted path of the
task, *args), which hands the task to its workers. Tasks are safe to run twice.
"""

from django.conf import settings
from django.utils.module_loading import import_string


def enqueue(task, *args) -> None:
    runner = getattr(settings, "LIBRARY_TASK_RUNNER", "")
    if runner:
        import_string(runner)(f"{task.__module__}.{task.__qualname__}", *args)
    else:
        task(*args)
