"""Keeps the search index in step with resources and the text read from their files.

`run_extraction` is the body of the background task `tasks.extract_file_text`; it reads a stored
file through `sandbox.extract_in_child`, never in the worker itself, and records a failure on the
file rather than raising it.
"""

from django.db import transaction

from netlearn.core.intake import KINDS

from . import search
from .extraction import ExtractionFailed
from .models import ExtractionStatus, Resource, ResourceFile, ResourceSearch
from .sandbox import extract_in_child


def _body_text(resource: Resource) -> str:
    texts = resource.files.filter(superseded_at__isnull=True).values_list("text", flat=True)
    return "\n".join(text for text in texts if text)


def reindex(resource: Resource) -> None:
    search.index_resource(resource, body=_body_text(resource))


def reindex_all(*, batch_size: int = 1000) -> int:
    """Writes every resource's search entry again from the resources and the text already read
    from their files (no file is read again), then the engine's index; returns how many."""
    ids = list(Resource.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        bodies: dict[int, list[str]] = {}
        # The order `_body_text` reads them in (ResourceFile's ordering), so both agree.
        texts = (
            ResourceFile.objects.filter(resource_id__in=batch, superseded_at__isnull=True)
            .order_by("resource_id", *ResourceFile._meta.ordering)
            .values_list("resource_id", "text")
        )
        for resource_id, text in texts:
            if text:
                bodies.setdefault(resource_id, []).append(text)
        entries = [
            ResourceSearch(
                resource=resource,
                **search.entry_values(resource, body="\n".join(bodies.get(resource.pk, []))),
            )
            for resource in Resource.objects.filter(pk__in=batch)
        ]
        ResourceSearch.objects.bulk_create(
            entries,
            update_conflicts=True,
            unique_fields=["resource"],
            update_fields=["title", "summary", "tags", "body"],
        )
    search.rebuild_engine_index()
    return len(ids)


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
