"""Keeps the search indexes in step with resources and the text read from their files.

Two indexes (search.py): the database's entry (`ResourceSearch`, and SQLite's FTS5 table),
written in the transaction that changed the resource; and the embedded index
(`search_index.py`), written by the task `tasks.index_resources` once that transaction commits,
from what the database then holds, so a rolled-back change never reaches it and running the task
twice does no harm. `reindex_all` rebuilds both (`netlearn reindex`: after a restore, a
`loaddata`, or a change of the index's schema).

`run_extraction` is the body of the background task `tasks.extract_file_text`; it reads a stored
file through `sandbox.extract_in_child`, never in the worker itself, and records a failure on the
file rather than raising it.
"""

from django.db import transaction
from django.db.models import Prefetch

from netlearn.core.deferred import after_commit
from netlearn.core.intake import KINDS

from . import search, search_index
from .extraction import ExtractionFailed
from .models import ExtractionStatus, Resource, ResourceFile, ResourceSearch, ResourceShare
from .sandbox import extract_in_child

BATCH = 2000


def _body_text(resource: Resource) -> str:
    texts = resource.files.filter(superseded_at__isnull=True).values_list("text", flat=True)
    return "\n".join(text for text in texts if text)


def reindex(resource: Resource) -> None:
    """Call inside the transaction that changed what search reads of the resource: its text,
    sharing, filters, endorsement, featuring or retirement."""
    search.index_resource(resource, body=_body_text(resource))
    queue_index_update([resource.pk])


def queue_index_update(resource_ids: list[int]) -> None:
    """The embedded index reads the resources again once the caller's transaction commits."""
    if search.uses_index() and resource_ids:
        after_commit("netlearn.library.tasks.index_resources", sorted(set(resource_ids)))


def _boost(resource: Resource) -> float:
    boost = 1.0
    if resource.endorsed_at is not None:
        boost *= search.ENDORSED_BOOST
    if resource.featured_at is not None:
        boost *= search.FEATURED_BOOST
    return boost


def _entries(resources) -> list[search_index.Entry]:
    entries = []
    for resource in resources:
        text = getattr(resource, "search_entry", None)
        tags = " ".join(resource.tag_list + [resource.learning_focus])
        entries.append(
            search_index.Entry(
                id=resource.pk,
                title=text.title if text else resource.title,
                summary=text.summary if text else resource.summary,
                tags=text.tags if text else tags,
                body=text.body if text else "",
                network=resource.network_id,
                shared=tuple(share.network_id for share in resource.shares.all()),
                sharing=resource.sharing,
                kind=resource.kind,
                stages=tuple(resource.stage_list),
                subjects=tuple(resource.subject_list),
                school=resource.school_id,
                endorsed=resource.endorsed_at is not None,
                retired=resource.retired_at is not None,
                boost=_boost(resource),
            )
        )
    return entries


def _with_texts(resources):
    return resources.select_related("search_entry").prefetch_related(
        Prefetch("shares", queryset=ResourceShare.objects.only("resource_id", "network_id"))
    )


def update_index(resource_ids: list[int]) -> None:
    """Writes the index's entries of these resources as the database holds them now; those
    since deleted leave it. The body of `tasks.index_resources`. An index never built (a new
    installation, a new layout) is built whole instead, so it comes into use by itself."""
    if not search_index.is_built():
        rebuild_index()
        return
    resources = list(_with_texts(Resource.objects.filter(pk__in=resource_ids)))
    found = {resource.pk for resource in resources}
    search_index.write(_entries(resources), removed=[pk for pk in resource_ids if pk not in found])


def _batches(resources):
    last = 0
    while True:
        batch = list(_with_texts(resources.filter(pk__gt=last).order_by("pk"))[:BATCH])
        if not batch:
            return
        yield _entries(batch)
        last = batch[-1].pk


def rebuild_index() -> int:
    """The embedded index made anew from the database; returns how many entries it holds."""
    return search_index.rebuild(_batches(Resource.objects.all()))


def reindex_all(*, database: bool = True, batch_size: int = 1000) -> int:
    """Rebuilds the search indexes from the resources and the text already read from their files
    (no file is read again): the database's entries (unless `database=False`), then the embedded
    index when it is the engine in use. Returns how many resources were indexed."""
    if database:
        _rewrite_database_entries(batch_size)
    if search.uses_index():
        return rebuild_index()
    return Resource.objects.count()


def _rewrite_database_entries(batch_size: int) -> None:
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
    ResourceSearch.objects.exclude(resource__in=Resource.objects.all()).delete()
    search.rebuild_engine_index()


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
