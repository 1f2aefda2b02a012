"""Impact objects for the authorization walks, in both networks (netlearn/web/tests/walk.py).

Each network gets a measure of its own, a school-year dataset, a pupil dataset with a finished
model run, and an upload waiting for its column mapping; the foreign network's carry SENTINEL in
every text field (names, sources, pupil ids, context, formula, school names of the run).
"""

from netlearn.impact import services
from netlearn.impact.models import DatasetKind, PendingImport
from netlearn.networks.tests.world import SENTINEL

from .factories import finished_run, home_school_rows, import_csv, pupil_csv, school_csv


def _build(world, *, foreign: bool) -> dict:
    network = world.foreign_network if foreign else world.network
    by = world.foreign_co_leader if foreign else world.data_lead
    mark = f" {SENTINEL}" if foreign else ""
    measure = services.define_measure(
        network=network,
        by=by,
        name=f"Reading age{mark}",
        code="reading-age",
        unit=f"months{mark}"[:40],
        description=f"Months ahead{mark}",
    )
    if foreign:
        ref = world.foreign_school.reference
        school_text = school_csv([(ref, 2024, 61.0, 40, 45.0, 50, 55)])
        pupils = "\n".join(
            ["pupil,URN,year,score,prior,note"]
            + [f"{SENTINEL}{i},{ref},2024,{i / 10},{i / 20},{SENTINEL}" for i in range(8)]
        )
        extra = [5]
    else:
        school_text = school_csv(home_school_rows(world))
        pupils = pupil_csv(world)
        extra = []
    school_data = import_csv(
        network,
        by=by,
        text=school_text,
        measure=measure,
        name=f"Reading{mark}",
        source=f"Teacher assessment{mark}",
    )
    pupil_data = import_csv(
        network,
        by=by,
        text=pupils,
        kind=DatasetKind.PUPIL,
        name=f"Pupils{mark}",
        source=f"Exam board{mark}",
        extra=extra,
    )
    if foreign:
        group = world.foreign_school.reference
        run = finished_run(
            pupil_data,
            by=by,
            formula=f"score ~ prior + (1|school) # {SENTINEL}",
            results={
                "n_obs": 8,
                "fixed_effects": {f"prior{SENTINEL}": {"estimate": 1.0, "se": 0.1}},
                "variances": {"school": 0.1, "Residual": 1.0},
                "icc": 0.1,
                "loglik": -3.0,
                "effects": {
                    "school": {
                        group: {"estimate": 0.1, "se": 0.1, "lower": -0.1, "upper": 0.3, "n": 8}
                    }
                },
            },
            names={group: world.foreign_school.name},
        )
        run.error = f"Error {SENTINEL}"
        run.save()
    else:
        run = services.request_run(dataset=pupil_data, by=by, formula="score ~ prior + (1|school)")
        services.run_model(run_id=run.pk)
    pending = PendingImport.objects.create(
        network=network,
        measure=measure,
        kind=DatasetKind.SCHOOL,
        dataset_name=f"Waiting{mark}",
        source=f"Source{mark}",
        file_name=f"file{mark}.csv",
        text=school_text,
        created_by=by,
    )
    return {
        "impact_dataset_id": school_data.pk,
        "impact_pupil_dataset_id": pupil_data.pk,
        "impact_run_id": run.pk,
        "impact_pending_id": pending.pk,
    }


def object_ids(world, *, foreign: bool) -> dict:
    key = "impact_walk_foreign" if foreign else "impact_walk_home"
    if key not in world.__dict__:
        world.__dict__[key] = _build(world, foreign=foreign)
    return dict(world.__dict__[key])
