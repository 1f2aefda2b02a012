"""A person's resources, uploads and trials (the contract: netlearn/accounts/personal_data.py).

Erasure keeps the resources and their trials: a resource belongs to its network's library, and
its trials are what endorsed it (docs/seed-practices.md#library). Their
author becomes the "Former member" tombstone and their text, and any other resource's text that
mentions them, loses the person's name, search index included. The files they uploaded go: a
file cannot be reliably cleared of a name, and it is their work. The resource stays, with the
version before theirs as its current file if there was one, so others' links and trials hold.
"""

from netlearn.accounts.personal_data import (
    delete_files_on_commit,
    label,
    mentioning,
    rows,
    scrub_identifiers,
)

from . import services
from .models import Resource, ResourceFile, Trial

MODELS = (Resource, ResourceFile, Trial)


def export(person) -> dict[str, list[dict]]:
    return {
        label(Resource): rows(
            Resource.objects.filter(author=person).select_related("network", "school"),
            person,
            extra=lambda resource: {
                "network_name": resource.network.name,
                "school_name": resource.school.name,
            },
        ),
        # The file itself is in the archive; `text` is only what search read from it.
        label(ResourceFile): rows(
            ResourceFile.objects.filter(uploaded_by=person).select_related("resource"),
            person,
            exclude=("text",),
            extra=lambda file: {"resource_title": file.resource.title},
        ),
        label(Trial): rows(
            Trial.objects.filter(teacher=person).select_related("resource", "school"),
            person,
            extra=lambda trial: {
                "resource_title": trial.resource.title,
                "school_name": trial.school.name,
            },
        ),
    }


def erase(person) -> None:
    changed = set(scrub_identifiers(Resource.objects.filter(author=person), person))
    changed |= set(scrub_identifiers(mentioning(Resource.objects.all(), person), person))
    theirs = ResourceFile.objects.filter(uploaded_by=person)
    changed |= set(theirs.values_list("resource_id", flat=True))
    # Where their upload was the current version, the one before it becomes current again.
    current = theirs.filter(superseded_at__isnull=True)
    restored = list(
        ResourceFile.objects.filter(next_version__in=current)
        .exclude(uploaded_by=person)
        .values_list("pk", flat=True)
    )
    delete_files_on_commit([file.file for file in theirs])
    theirs.delete()
    ResourceFile.objects.filter(pk__in=restored).update(superseded_at=None)
    # Others' files that name them keep their file; the text search read from it is cleared.
    scrubbed = scrub_identifiers(mentioning(ResourceFile.objects.all(), person), person)
    changed |= set(
        ResourceFile.objects.filter(pk__in=scrubbed).values_list("resource_id", flat=True)
    )
    scrub_identifiers(Trial.objects.filter(teacher=person), person)
    scrub_identifiers(mentioning(Trial.objects.all(), person), person)
    # The search index copies titles, summaries and file text: rebuild what changed.
    for resource in Resource.objects.filter(pk__in=changed):
        services.reindex(resource)
