"""Background work of the impact app: model runs (queued by `services.request_run` through
`netlearn.core.deferred` once the run's row commits). `services.run_model` claims the run before
working, so a task that runs twice does the work once.
"""

from django_tasks import task

from . import services


@task()
def fit_model_run(run_id: int) -> None:
    services.run_model(run_id=run_id)
