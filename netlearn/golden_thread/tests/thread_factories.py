"""A learning focus with one of each thing hanging from it, built through the services."""

import datetime

from netlearn.activities.tests.factories import make_activity
from netlearn.charter.tests.factories import build_charter
from netlearn.enquiry import services as enquiry_services
from netlearn.enquiry.models import Method
from netlearn.enquiry.tests.factories import loaded, loaded_account
from netlearn.impact import services as impact_services
from netlearn.impact.models import DatasetKind
from netlearn.impact.tests.factories import finished_run, import_csv, pupil_csv
from netlearn.library.tests.factories import add_resource, good_trial


def focus_with_goal(world, *, network=None, marker=""):
    network = network or world.network
    by = world.admin
    charter, focus, goal, *_ = build_charter(network, by=by, marker=marker)
    return focus, goal


def add_activity(world, focus, *, title="Writing moderation meeting"):
    return make_activity(world, title=title, learning_focus=focus)


def add_pdsa(world, focus, goal, *, question="Do daily drafting starters raise stamina?"):
    enquiry = enquiry_services.start_enquiry(
        network=focus.charter.network,
        by=world.teacher,
        question=question,
        method=Method.PDSA,
        group=world.group,
        focus=focus,
        goal=goal,
        measure="Words written in ten minutes",
        measure_unit="words",
        schools=[world.school_c],
    )
    enquiry = loaded(enquiry, world.teacher)
    day = datetime.date(2025, 1, 6)
    for offset, value in enumerate([40, 42, 41, 45, 47, 50, 52, 55, 56]):
        enquiry_services.add_data_point(
            enquiry=enquiry,
            by=world.teacher,
            measured_on=day + datetime.timedelta(days=7 * offset),
            value=value,
        )
    return enquiry


def publish_account(world, enquiry, *, title="Drafting starters", audience="network"):
    account = enquiry_services.write_account(
        enquiry=enquiry,
        by=world.teacher,
        title=title,
        question="Can a daily starter build writing stamina?",
        what_we_tried="A ten-minute drafting starter each morning.",
        what_we_learned="Stamina grew steadily after the third week.",
        audience=audience,
    )
    enquiry_services.review_account(
        account=loaded_account(account, world.co_leader), by=world.co_leader
    )
    enquiry_services.publish_account(
        account=loaded_account(account, world.co_leader), by=world.co_leader
    )
    return account


def endorsed_resource(world, focus, *, title="Drafting starter cards"):
    resource = add_resource(world.network, by=world.teacher, title=title, focus_id=focus.pk)
    good_trial(resource, by=world.school_lead)
    good_trial(resource, by=world.co_leader)
    resource.refresh_from_db()
    assert resource.endorsed_at is not None
    return resource


def value_added(world, goal):
    dataset = import_csv(
        world.network,
        by=world.data_lead,
        text=pupil_csv(world),
        kind=DatasetKind.PUPIL,
        name="Pupils",
    )
    impact_services.link_goal(goal=goal, measure=dataset.measure, by=world.co_leader)
    schools = (world.school_a, world.school_b, world.school_c)
    effects = {
        school.reference: {"estimate": e, "se": 0.1, "lower": e - 0.2, "upper": e + 0.2, "n": n}
        for school, e, n in zip(schools, (-0.41, 0.02, 0.387), (12, 12, 3), strict=True)
    }
    return finished_run(
        dataset,
        by=world.data_lead,
        results={"n_obs": 36, "effects": {"school": effects}, "fixed_effects": {}},
        names={school.reference: school.name for school in schools},
    )
