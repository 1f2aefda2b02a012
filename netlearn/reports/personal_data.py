"""What a person did with the network's progress reports (the contract:
netlearn/accounts/personal_data.py).

Reports are the network's record to its heads and funders: erasure keeps every report and version
(its author becomes the "Former member" tombstone) and scrubs the person's name from the
narrative they wrote or published.
"""

from netlearn.accounts.personal_data import label, refers_to, rows, scrub_identifiers

from .models import ProgressReport, ReportVersion

MODELS = (ProgressReport, ReportVersion)


def export(person) -> dict[str, list[dict]]:
    return {
        label(ProgressReport): rows(
            ProgressReport.objects.filter(refers_to(ProgressReport, person)).select_related(
                "network"
            ),
            person,
            extra=lambda report: {"network_name": report.network.name},
        ),
        label(ReportVersion): rows(
            ReportVersion.objects.filter(refers_to(ReportVersion, person)),
            person,
            exclude=("snapshot",),
        ),
    }


def erase(person) -> None:
    for model in MODELS:
        scrub_identifiers(model.objects.filter(refers_to(model, person)), person)
