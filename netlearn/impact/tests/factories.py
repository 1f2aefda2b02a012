"""Builders for impact tests: CSV files, imports through the services, and finished runs."""

import importlib
import random

from django.core.files.uploadedfile import SimpleUploadedFile

from netlearn.impact import imports, services
from netlearn.impact.models import DatasetKind, Measure, ModelRun, RunStatus

SHARED = importlib.import_module("netlearn.impact.migrations.0002_shared_measures").MEASURES


def shared_measure(code: str = "ks2-rwm") -> Measure:
    """A measure of the shared catalogue. Made again if a transactional test (the browser tests)
    flushed what the data migration made."""
    for each_code, name, unit, higher, level in SHARED:
        Measure.objects.get_or_create(
            network=None,
            code=each_code,
            defaults={"name": name, "unit": unit, "higher_is_better": higher, "level": level},
        )
    return Measure.objects.get(network__isnull=True, code=code)


def upload(text: str | bytes, name: str = "results.csv") -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def school_csv(rows) -> str:
    """rows: (urn, year, value, cohort, fsm, la, nation)."""
    lines = ["URN,Year,Value,Cohort,FSM %,LA average,National average"]
    lines += [",".join("" if cell is None else str(cell) for cell in row) for row in rows]
    return "\n".join(lines) + "\n"


def pupil_csv(world, *, per_school: int = 12, seed: int = 4, year: int = 2024) -> str:
    """A small cohort over the home network's three schools, with a school effect."""
    rng = random.Random(seed)
    lines = ["pupil_id,URN,year,score,prior,fsm,sex"]
    for offset, school in enumerate((world.school_a, world.school_b, world.school_c)):
        for i in range(per_school):
            prior = round(rng.gauss(0, 1), 3)
            score = round(0.6 * prior + (offset - 1) * 0.4 + rng.gauss(0, 0.5), 3)
            lines.append(
                f"P{offset}{i:03d},{school.reference},{year},{score},{prior},"
                f"{rng.randint(0, 1)},{rng.choice('FM')}"
            )
    return "\n".join(lines) + "\n"


def import_csv(
    network,
    *,
    by,
    text,
    kind=DatasetKind.SCHOOL,
    measure=None,
    name="KS2 results",
    source="",
    mapping=None,
    extra=(),
    comparison=False,
):
    measure = measure or shared_measure("ks2-rwm" if kind == DatasetKind.SCHOOL else "exam-score")
    pending = services.start_import(
        network=network,
        by=by,
        measure=measure,
        kind=kind,
        dataset_name=name,
        upload=upload(text),
        source=source,
    )
    header = imports.read_header(pending.text)
    mapping = mapping or imports.guess_mapping(header, kind, measure_code=measure.code)
    return services.import_dataset(
        pending=pending, by=by, mapping=mapping, extra=extra, comparison=comparison
    )


def home_school_rows(world):
    a, b, c = (s.reference for s in (world.school_a, world.school_b, world.school_c))
    return [
        (a, 2023, 61.0, 30, 40.0, 58, 60),
        (b, 2023, 55.0, 25, 20.0, 58, 60),
        (c, 2023, 70.0, 60, 10.0, 58, 60),
        (a, 2024, 68.0, 31, 42.0, 59, 61),
        (b, 2024, 52.0, 4, 22.0, 59, 61),
        (c, 2024, 72.0, 58, 12.0, 59, 61),
    ]


def finished_run(
    dataset, *, by, formula="score ~ prior + (1|school)", results=None, names=None
) -> ModelRun:
    """A run marked done with given results (for pages that show a run without fitting)."""
    return ModelRun.objects.create(
        dataset=dataset,
        formula=formula,
        created_by=by,
        status=RunStatus.DONE,
        progress=100,
        results=results,
        school_names=names or {},
    )
