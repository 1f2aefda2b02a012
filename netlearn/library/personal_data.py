"""A person's resources, uploads and trials (the contract: netlearn/accounts/personal_data.py).

Erasure keeps them all: a resource belongs to its network's library, and its trials are what
endorsed it (seed 001: "only the best materials reach the site"). Their author becomes the
"Former member" tombstone and their text loses the person's name, search index included. The
contents of uploaded files are not rewritten (docs/operations.md says how to handle a file that
names the person).
"""

from netlearn.accounts.personal_data import label, rows, scrub_identifiers

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
    changed_files = scrub_identifiers(ResourceFile.objects.filter(uploaded_by=person), person)
    changed |= set(
        ResourceFile.objects.filter(pk__in=changed_files).values_list("resource_id", flat=True)
    )
    scrub_identifiers(Trial.objects.filter(teacher=person), person)
    # The search index copies titles, summaries and file text: rebuild what changed.
    for resource in Resource.objects.filter(pk__in=changed):
        services.reindex(resource)
