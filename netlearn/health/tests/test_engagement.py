"""Engagement against outcomes (docs/health.md#engagement-against-outcomes): each school's
engagement beside its value added from the impact app, a small school's value added `c` on the
page, in CSV and through the API, who may see it, the caution, and a flat number of queries."""

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from netlearn.activities.tests.factories import make_activity, move_into_past
from netlearn.evaluation.tests.factories import joined, programme
from netlearn.health import engagement
from netlearn.impact.models import DatasetKind
from netlearn.impact.tests.factories import finished_run, import_csv
from netlearn.networks import services as network_services
from netlearn.networks.models import PostLevel
from netlearn.networks.tests.factories import PersonFactory, SchoolFactory

pytestmark = pytest.mark.django_db

CAUTION = "it shows an association, not a cause"


def _effect(estimate, n):
    return {
        "estimate": estimate,
        "se": 0.1,
        "lower": estimate - 0.2,
        "upper": estimate + 0.2,
        "n": n,
    }


@pytest.fixture
def value_added(world):
    """A finished model of the network's pupils: Birch rests on 3 pupils (so it and, second,
    the smallest other school read `c`); Cedar is published."""
    dataset = import_csv(
        world.network,
        by=world.data_lead,
        text="pupil_id,URN,year,score,prior\nP1,900001,2024,1,1\n",
        kind=DatasetKind.PUPIL,
        name="Pupils",
    )
    return finished_run(
        dataset,
        by=world.data_lead,
        results={
            "n_obs": 120,
            "level": 0.95,
            "fixed_effects": {"(Intercept)": {"estimate": 0.0, "se": 0.1}},
            "variances": {"school": 0.1, "Residual": 0.5},
            "effects": {
                "school": {
                    "900001": _effect(0.30, 20),
                    "900002": _effect(-0.10, 3),
                    "900003": _effect(0.12, 40),
                    "900009": _effect(-0.20, 57),
                }
            },
        },
        names={"900001": "Alder Primary", "900002": "Birch Primary", "900003": "Cedar Academy"},
    )


def _attend(world, people):
    """A past activity of the network at which these people (of Alder, Birch, Cedar) were."""
    activity = make_activity(world)
    move_into_past(activity)
    occurrence = activity.occurrences.first()
    home = {
        world.co_leader.pk: world.school_a,
        world.school_lead.pk: world.school_b,
        world.teacher.pk: world.school_c,
    }
    for person in people:
        occurrence.attendances.create(
            person=person, school=home[person.pk], present=True, recorded_by=world.co_leader
        )
    return occurrence


def client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_a_small_schools_value_added_shows_c_on_the_page_csv_and_api(world, value_added):
    _attend(world, [world.co_leader, world.school_lead, world.teacher])
    client = client_for(world.co_leader)
    page = client.get(reverse("health:engagement", args=[world.network.slug]))
    assert page.status_code == 200
    text = page.content.decode()
    assert CAUTION in text and 'id="caution"' in text
    found = engagement.engagement_of(network=world.network)
    by_school = {row.school: row for row in found.rows}
    assert by_school["Birch Primary"].value_added.shown == "c"
    assert by_school["Alder Primary"].value_added.shown == "c"  # secondary suppression
    assert by_school["Cedar Academy"].value_added.value == pytest.approx(0.12)
    assert by_school["Birch Primary"].attendance == 1
    assert by_school["Birch Primary"].ties == 2  # met the other two schools at the activity
    # The page's table: Birch's row reads c, and its effect nowhere.
    birch = text.split('<th scope="row">Birch Primary</th>')[1].split("</tr>")[0]
    assert "<td>c</td>" in birch and "-0.1" not in birch
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    reverse("health:engagement_csv", args=[world.network.slug])
                ).content.decode()
            )
        )
    )
    birch_row = next(row for row in rows if row[0] == "Birch Primary")
    assert birch_row[5:9] == ["c", "c", "c", "c"]
    assert CAUTION in rows[-1][0]
    api = client.get(f"/api/v1/networks/{world.network.slug}/health/engagement")
    assert api.status_code == 200, api.content
    body = api.json()
    assert CAUTION in body["caution"]
    by_name = {row["school"]: row for row in body["schools"]}
    assert by_name["Birch Primary"]["value_added"] == "c"
    assert by_name["Cedar Academy"]["value_added"] == pytest.approx(0.12)


def test_who_sees_engagement_against_outcomes(world, value_added):
    url = reverse("health:engagement", args=[world.network.slug])
    assert client_for(world.co_leader).get(url).status_code == 200
    assert client_for(world.admin).get(url).status_code == 200
    assert client_for(world.teacher).get(url).status_code == 403
    api = f"/api/v1/networks/{world.network.slug}/health/engagement"
    refused = client_for(world.teacher).get(api).json()
    assert refused["level"] is None and refused["schools"] == []
    own = client_for(world.school_lead).get(api).json()
    assert own["level"] == "school" and [row["school"] for row in own["schools"]] == [
        "Birch Primary"
    ]
    assert client_for(world.foreign_co_leader).get(url).status_code == 404
    # A school's lead sees their own school's row only.
    own = client_for(world.school_lead).get(url).content.decode()
    assert "Birch Primary" in own and "Cedar Academy" not in own and "Alder Primary" not in own
    assert "rank correlation" not in own.casefold()
    # A consenting programme's evaluator sees the network's; before consent, nothing.
    evaluator = PersonFactory(username="evaluator", name="Eve Evaluator")
    made = programme(world, evaluator=evaluator)
    assert client_for(evaluator).get(url).status_code == 404
    joined(world, made, world.network, world.co_leader)
    page = client_for(evaluator).get(url).content.decode()
    assert "Cedar Academy" in page and "Alder Primary" in page


def test_the_number_of_queries_does_not_grow_with_the_schools(world, value_added):
    def count():
        client = client_for(world.co_leader)
        url = reverse("health:engagement", args=[world.network.slug])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    _attend(world, [world.co_leader, world.school_lead])
    before = count()
    for n in range(4):
        school = SchoolFactory(name=f"Extra school {n}")
        network_services.add_school_to_network(network=world.network, school=school, by=world.admin)
        person = PersonFactory(username=f"extra{n}")
        network_services.add_staff_post(
            person=person, school=school, job_title="Teacher", level=PostLevel.TEACHER
        )
        occurrence = _attend(world, [world.teacher])
        occurrence.attendances.create(
            person=person, school=school, present=True, recorded_by=world.co_leader
        )
    assert count() == before
