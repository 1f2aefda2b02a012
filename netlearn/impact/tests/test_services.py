"""Services: model runs in the background, safe to run twice; measures; the charter link."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from netlearn.charter.models import GoalSource
from netlearn.charter.tests.factories import build_charter
from netlearn.impact import personal_data, services
from netlearn.impact.errors import InvalidMeasure, InvalidRun
from netlearn.impact.models import DatasetKind, ModelRun, PendingImport, RunStatus

from .factories import home_school_rows, import_csv, pupil_csv, school_csv


@pytest.fixture
def pupils(world):
    return import_csv(
        world.network,
        by=world.data_lead,
        text=pupil_csv(world),
        kind=DatasetKind.PUPIL,
        name="Pupils",
    )


def test_a_run_is_queued_only_after_its_transaction_commits(
    world, pupils, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = services.request_run(
            dataset=pupils, by=world.data_lead, formula="score ~ prior + fsm + (1|school)"
        )
    assert run.status == RunStatus.QUEUED and len(callbacks) == 1
    callbacks[0]()  # the immediate backend runs the task now
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.progress == 100
    assert run.results["n_obs"] == 36
    assert set(run.results["effects"]["school"]) == {"900001", "900002", "900003"}
    assert run.school_names["900001"] == "Alder Primary"


def test_running_a_finished_run_again_does_nothing(world, pupils):
    run = services.request_run(
        dataset=pupils, by=world.data_lead, formula="score ~ prior + (1|school)"
    )
    services.run_model(run_id=run.pk)
    run.refresh_from_db()
    finished = run.finished_at
    services.run_model(run_id=run.pk)
    run.refresh_from_db()
    assert run.finished_at == finished and run.status == RunStatus.DONE


def test_a_run_abandoned_by_a_dead_worker_is_taken_up_again(world, pupils):
    run = services.request_run(
        dataset=pupils, by=world.data_lead, formula="score ~ prior + (1|school)"
    )
    ModelRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    services.run_model(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE


def test_a_bad_formula_fails_the_run_with_a_message(world, pupils):
    run = services.request_run(
        dataset=pupils, by=world.data_lead, formula="score ~ nosuch + (1|school)"
    )
    services.run_model(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "nosuch" in run.error


def test_the_files_own_column_names_work_in_a_formula(world):
    text = pupil_csv(world).replace("score,prior", "normexam,standLRT")
    dataset = import_csv(
        world.network,
        by=world.data_lead,
        text=text,
        kind=DatasetKind.PUPIL,
        mapping={"pupil": 0, "school": 1, "year": 2, "outcome": 3, "prior": 4, "fsm": 5, "sex": 6},
    )
    run = services.request_run(
        dataset=dataset, by=world.data_lead, formula="normexam ~ standLRT + sex + (1|school)"
    )
    services.run_model(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    assert "sexM" in run.results["fixed_effects"]


def test_models_run_only_on_pupil_data_and_only_for_the_data_role(world, pupils):
    schools = import_csv(
        world.network, by=world.data_lead, text=school_csv(home_school_rows(world))
    )
    with pytest.raises(InvalidRun):
        services.request_run(dataset=schools, by=world.data_lead, formula="value ~ 1 + (1|school)")
    with pytest.raises(PermissionDenied):
        services.request_run(dataset=pupils, by=world.teacher, formula="score ~ prior + (1|school)")


def test_a_network_defines_its_own_measure_with_a_code_of_its_own(world):
    measure = services.define_measure(
        network=world.network,
        by=world.data_lead,
        name="Reading age",
        code="reading-age",
        unit="months",
    )
    assert measure.network == world.network
    with pytest.raises(InvalidMeasure):
        services.define_measure(
            network=world.network, by=world.data_lead, name="Again", code="ks2-rwm", unit="%"
        )
    with pytest.raises(PermissionDenied):
        services.define_measure(
            network=world.network, by=world.teacher, name="X", code="x", unit="%"
        )


def test_a_linked_goal_takes_the_networks_figure_when_data_arrive(world):
    _, _, goal, *_ = build_charter(world.network, by=world.co_leader)
    from netlearn.impact.tests.factories import shared_measure

    services.link_goal(goal=goal, measure=shared_measure("ks2-rwm"), by=world.co_leader)
    goal.refresh_from_db()
    assert goal.source == GoalSource.IMPACT
    import_csv(world.network, by=world.data_lead, text=school_csv(home_school_rows(world)))
    entry = goal.progress.get(recorded_by__isnull=True)
    # Baseline 1 July 2024, so only 2024 counts: (68×31 + 52×4 + 72×58) / 93 pupils.
    assert entry.measured_on == datetime.date(2024, 7, 31)
    assert float(entry.value) == pytest.approx((68 * 31 + 52 * 4 + 72 * 58) / 93, abs=1e-3)
    # Importing again updates the same entry rather than adding one.
    import_csv(world.network, by=world.data_lead, text=school_csv(home_school_rows(world)))
    assert goal.progress.filter(recorded_by__isnull=True).count() == 1


def test_only_co_leaders_link_goals(world):
    _, _, goal, *_ = build_charter(world.network, by=world.co_leader)
    from netlearn.impact.tests.factories import shared_measure

    with pytest.raises(PermissionDenied):
        services.link_goal(goal=goal, measure=shared_measure(), by=world.data_lead)


def test_personal_data_exports_and_erases_what_is_the_persons(world, pupils):
    services.request_run(dataset=pupils, by=world.data_lead, formula="score ~ prior + (1|school)")
    PendingImport.objects.create(
        network=world.network,
        measure=pupils.measure,
        kind="school",
        dataset_name="Left over",
        text="URN\n",
        created_by=world.data_lead,
    )
    exported = personal_data.export(world.data_lead)
    assert len(exported["impact.modelrun"]) == 1 and len(exported["impact.dataset"]) == 1
    assert exported["impact.modelrun"][0]["created_by"] == "you"
    assert "results" not in exported["impact.modelrun"][0]
    personal_data.erase(world.data_lead)
    assert not PendingImport.objects.exists()
    assert ModelRun.objects.get().created_by is None
    pupils.refresh_from_db()
    assert pupils.created_by is None and pupils.pupil_records.count() == 36


def test_a_figure_the_charter_cannot_hold_does_not_refuse_the_import(world):
    _, _, goal, *_ = build_charter(world.network, by=world.co_leader)
    from netlearn.impact.tests.factories import shared_measure

    services.link_goal(goal=goal, measure=shared_measure("ks2-rwm"), by=world.co_leader)
    a = world.school_a.reference
    dataset = import_csv(world.network, by=world.data_lead, text=school_csv([(a, 2024, 1e9, 40)]))
    assert dataset.school_results.count() == 1
    assert not goal.progress.filter(recorded_by__isnull=True).exists()
