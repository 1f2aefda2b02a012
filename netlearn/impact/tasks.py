"""Background work of the impact app, through Django's tasks framework (the `django-tasks`
backport; `django-tasks-db` stores the queue in the database, so queued runs survive a restart).

Embedded, `netlearn serve` starts a database worker beside gunicorn; tests use the immediate
backend. A run is enqueued only after the transaction that made it commits
(`services.request_run`), and `services.run_model` claims the run before working, so a task that
runs twice does the work once.
"""

from django_tasks import task

from . import services


@task()
def fit_model_run(run_id: int) -> None:
    services.run_model(run_id=run_id)
