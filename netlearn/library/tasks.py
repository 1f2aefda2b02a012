"""Background work of the library: text extraction (queued by `services._store_file` through
`netlearn.core.deferred` once the upload commits, so the upload answers at once; the resource
page shows each file's extraction status and refreshes until it is read), and the embedded search
index's updates (queued by `indexing.reindex` once a change commits). Each task is safe to run
twice.
"""

from django_tasks import task

from . import indexing


@task()
def extract_file_text(file_id: int) -> None:
    indexing.run_extraction(file_id)


@task()
def index_resources(resource_ids: list[int]) -> None:
    indexing.update_index(resource_ids)
