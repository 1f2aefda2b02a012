"""Background work of the library, through Django's tasks framework (as impact/tasks.py).

Text extraction is queued only after the upload's transaction commits (`services._store_file`),
so the upload answers at once; the resource page shows each file's extraction status and
refreshes until it is read. Embedded, `netlearn serve` runs a database task worker beside the
web server; tests use the immediate backend. The task is safe to run twice.
"""

from django_tasks import task

from . import indexing


@task()
def extract_file_text(file_id: int) -> None:
    indexing.run_extraction(file_id)
