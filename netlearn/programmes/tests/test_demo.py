"""The demo's professional learning: Bransholme's three waves, Tweedmouth's and Janus's
programmes, Network A's course with its cascade, SEEVEAZ's pairings and a new head's induction."""

import pytest
from django.test import Client
from django.urls import reverse

from netlearn.networks import selectors as network_selectors

from .. import selectors
from ..models import (
    Course,
    InductionPlan,
    LearningProgramme,
    RelationshipKind,
    SupportRelationship,
    WaveRole,
)

pytestmark = pytest.mark.xdist_group("demo")


@pytest.fixture
def demo(demo_sign_ins):
    return demo_sign_ins


def test_bransholme_runs_three_waves_each_coached_from_the_one_before(demo, django_db_blocker):
    with django_db_blocker.unblock():
        programme = LearningProgramme.objects.get(
            network__slug="bransholme", title="Co-operative learning"
        )
        timeline = selectors.timeline_of(programme=programme)
        assert [view.wave.number for view in timeline] == [1, 2, 3]
        for earlier, later in zip(timeline, timeline[1:], strict=False):
            trained = {p.person_id for p in earlier.trained if p.completed_on}
            assert later.coaches and {p.person_id for p in later.coaches} <= trained
        lead = network_selectors.first_holder_of(network=programme.network, role="co_leader")
        client = Client()
        client.force_login(lead)
        page = client.get(
            reverse("programmes:programme", args=["bransholme", programme.pk])
        ).content.decode()
        assert "Wave 3" in page and "Carrside High School" in page


def test_the_other_networks_programmes_are_in_the_demo(demo, django_db_blocker):
    with django_db_blocker.unblock():
        for slug, title in (
            ("tweedmouth", "Leading from the classroom"),
            ("janus", "Leading change"),
        ):
            programme = LearningProgramme.objects.get(network__slug=slug, title=title)
            audiences = [view.wave.audience for view in selectors.timeline_of(programme=programme)]
            assert len(audiences) == 2
            second = programme.waves.get(number=2)
            assert second.places.filter(role=WaveRole.COACH).exists()
        course = Course.objects.get(network__slug="network-a", title="Middle leaders programme")
        view = selectors.course_view(course=course)
        assert len({e.school_id for e in view.enrolled}) == 4
        completed = [e for e in view.enrolled if e.completed_at]
        assert 0 < len(completed) < len(view.enrolled)
        assert view.reach_total == 3 and len(view.reach) == 2
        kinds = set(
            SupportRelationship.objects.filter(network__slug="seeveaz").values_list(
                "kind", flat=True
            )
        )
        assert kinds == {RelationshipKind.SCHOOL_SUPPORT, RelationshipKind.MENTORING}
        plan = InductionPlan.objects.get(network__slug="seeveaz")
        assert plan.mentor is not None and plan.tasks.filter(done_at__isnull=False).count() == 3


def test_who_coaches_and_mentors_whom_is_a_relationship_not_a_note_on_a_role(
    demo, django_db_blocker
):
    with django_db_blocker.unblock():
        for network in network_selectors.demo_networks():
            for role in network_selectors.role_history(network=network):
                words = role.note.lower()
                assert not any(word in words for word in ("coach", "mentor", "cascad")), (
                    network.slug,
                    role.note,
                )
        coaching = SupportRelationship.objects.filter(
            network__slug="network-a", kind=RelationshipKind.COACHING
        )
        assert {r.supported_school.name for r in coaching} == {
            "Linnet Lane Primary School",
            "Ashby Wold Primary School",
        }
        mentored = SupportRelationship.objects.filter(
            network__slug="seeveaz", kind=RelationshipKind.MENTORING
        )
        assert {r.supported_school.name.split(" ")[0] for r in mentored} == {
            "Estuary",
            "Marshgate",
        }
