"""Text extraction never runs inside the upload request, and a hostile file cannot exhaust the
worker that reads it: a child process with CPU and memory limits reads it (library/sandbox.py)."""

import io
import resource as rusage
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from netlearn.library import indexing
from netlearn.library.models import ExtractionStatus, Resource

from .factories import add_resource, docx_bytes

WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def zip_bomb_docx(megabytes: int = 40) -> bytes:
    """A Word document of about 120 KB whose text part unpacks to `megabytes` of XML: read
    in-process it held a worker for 20 s and 600 MB (issue 13)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as part:
            part.write(f'<w:document xmlns:w="{WORD}"><w:body>'.encode())
            chunk = b"<w:p><w:r><w:t>ha</w:t></w:r></w:p>" * 30000
            for _ in range(megabytes * 1024 * 1024 // len(chunk)):
                part.write(chunk)
            part.write(b"</w:body></w:document>")
    return buffer.getvalue()


def run_queued_task(queued: DBTaskResult) -> None:
    """What `netlearn db_worker` does with one task, without its polling loop (which closes
    database connections, and with them the test's transaction)."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=1,
        worker_id="test",
        excluded_queue_names=[],
    )
    queued.claim(worker.worker_id)
    worker.run_task(queued)


@pytest.fixture
def queued_tasks(settings):
    """Tasks go to the database queue, as in production, instead of running at once."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def test_the_upload_answers_before_the_text_is_read(
    client, world, queued_tasks, django_capture_on_commit_callbacks
):
    client.force_login(world.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("library:add", args=[world.network.slug]),
            {
                "title": "Light and shadow",
                "kind": "lesson_plan",
                "stages": ["ks2"],
                "licence": "cc-by-4.0",
                "sharing": "network",
                "upload": SimpleUploadedFile("notes.docx", docx_bytes("Penumbra and umbra")),
            },
        )
    resource = Resource.objects.get(title="Light and shadow")
    assert response.status_code == 302
    stored = resource.files.get()
    assert stored.extraction_status == ExtractionStatus.PENDING and stored.text == ""
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "netlearn.library.tasks.extract_file_text"
    assert queued.args_kwargs["args"] == [stored.pk]
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "Text being extracted" in page and "Waiting to be read" in page

    run_queued_task(queued)

    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    stored.refresh_from_db()
    assert stored.extraction_status == ExtractionStatus.DONE
    assert "Penumbra and umbra" in stored.text
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "Text being extracted" not in page and "Text indexed for search" in page


def test_a_zip_bomb_document_fails_within_the_memory_limit_and_is_recorded(world, settings):
    settings.LIBRARY_EXTRACTION_MEMORY_MB = 128
    peak_before = rusage.getrusage(rusage.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    resource = add_resource(
        world.network,
        by=world.teacher,
        title="Bomb",
        upload=SimpleUploadedFile("report.docx", zip_bomb_docx()),
    )
    assert time.monotonic() - started < 15
    stored = resource.files.get()
    assert stored.extraction_status == ExtractionStatus.FAILED
    assert "128 MB of memory" in stored.extraction_error
    # The worker itself did not read the 40 MB of XML (in-process it peaked near 600 MB).
    grown_kb = rusage.getrusage(rusage.RUSAGE_SELF).ru_maxrss - peak_before
    assert grown_kb < 80 * 1024


def test_a_document_that_takes_too_long_is_stopped_and_recorded(world, settings):
    settings.LIBRARY_EXTRACTION_SECONDS = 1
    settings.LIBRARY_EXTRACTION_MEMORY_MB = 1024
    resource = add_resource(
        world.network,
        by=world.teacher,
        title="Slow",
        upload=SimpleUploadedFile("report.docx", zip_bomb_docx()),
    )
    stored = resource.files.get()
    assert stored.extraction_status == ExtractionStatus.FAILED
    assert "seconds" in stored.extraction_error


def test_running_the_task_twice_gives_the_same_result(world):
    resource = add_resource(
        world.network,
        by=world.teacher,
        upload=SimpleUploadedFile("notes.docx", docx_bytes("Refraction")),
    )
    stored = resource.files.get()
    again = indexing.run_extraction(stored.pk)
    assert again.extraction_status == ExtractionStatus.DONE and again.text == stored.text
