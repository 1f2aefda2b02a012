"""Keeps the search index in step with resources and the text read from their files.

`run_extraction` is the body of the background task `tasks.extract_file_text`; it reads a stored
file through `sandbox.extract_in_child`, never in the worker itself, and records a failure on the
file rather than raising it.
"""

from django.db import transaction

from netlearn.core.intake import KINDS

from . import search
from .extraction import ExtractionFailed
from .models import ExtractionStatus, Resource, ResourceFile
from .sandbox import extract_in_child


def _body_text(resource: Resource) -> str:
    texts = resource.files.filter(superseded_at__isnull=True).values_list("text", flat=True)
    return "\n".join(text for text in texts if text)


def reindex(resource: Resource) -> None:
    search.index_resource(resource, body=_body_text(resource))


def run_extraction(file_id: int) -> ResourceFile | None:
    """Reads the text of one file and refreshes the resource's search entry. Safe to run twice."""
    stored = ResourceFile.objects.filter(pk=file_id).select_related("resource").first()
    if stored is None:
        return None
    ResourceFile.objects.filter(pk=file_id).update(extraction_status=ExtractionStatus.RUNNING)
    code = next(
        (code for code, kind in KINDS.items() if kind.content_type == stored.content_type), ""
    )
    try:
        if code in ("pdf", "docx", "pptx", "xlsx", "odt", "odp", "ods", "txt"):
            with stored.file.open("rb") as handle:
                text = extract_in_child(handle.read(), code)
        else:
            text = ""  # images, sound and video: nothing to read, no process to start
    except (ExtractionFailed, OSError) as exc:
        status, text, error = ExtractionStatus.FAILED, "", str(exc)[:300]
    else:
        status, error = (ExtractionStatus.DONE if text else ExtractionStatus.NO_TEXT), ""
    with transaction.atomic():
        ResourceFile.objects.filter(pk=file_id).update(
            text=text, extraction_status=status, extraction_error=error
        )
        resource = Resource.objects.select_for_update().get(pk=stored.resource_id)
        reindex(resource)
    stored.refresh_from_db()
    return stored
