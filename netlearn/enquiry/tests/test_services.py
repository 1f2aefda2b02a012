"""The rules of enquiry: bad input gets a clear message and changes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from netlearn.charter import services as charter_services
from netlearn.core import intake
from netlearn.enquiry import services
from netlearn.enquiry.errors import (
    AccountNotReady,
    EnquiryError,
    InvalidDataPoint,
    LooksLikeAName,
    NoCasePupil,
    TriadNotAcrossSchools,
)
from netlearn.enquiry.models import (
    AccountStatus,
    Attachment,
    CasePupil,
    DataPoint,
    Enquiry,
    Method,
    Observation,
    ResearchLesson,
    Stage,
)
from netlearn.networks import services as network_services
from netlearn.networks.models import GroupKind, GroupMember, PostLevel

from .factories import lesson_study, loaded, loaded_account, triad


def test_a_triad_with_two_people_from_one_school_is_refused(world):
    group, people = triad(world)
    # Ben moves to Alder, where Ana teaches: the triad now has two people from one school.
    post = people[1].staff_posts.get()
    post.ended = datetime.date.today() - datetime.timedelta(days=1)
    post.started = post.ended
    post.save()
    network_services.add_staff_post(
        person=people[1], school=world.school_a, job_title="Teacher", level=PostLevel.TEACHER
    )
    with pytest.raises(TriadNotAcrossSchools, match="both work at Alder Primary"):
        lesson_study(world, group, people[0])
    assert not Enquiry.objects.exists()


def test_a_lesson_study_takes_the_triads_schools(world):
    group, people = triad(world)
    enquiry = lesson_study(world, group, people[0])
    assert {s.name for s in enquiry.schools.all()} == {
        "Alder Primary",
        "Birch Primary",
        "Cedar Academy",
    }


def test_only_members_of_the_group_start_an_enquiry_for_it(world):
    group, _ = triad(world)
    with pytest.raises(EnquiryError, match="you belong to"):
        lesson_study(world, group, world.school_lead)
    assert lesson_study(world, group, world.co_leader).group == group  # co-leaders may


def test_a_research_lesson_without_a_case_pupil_is_refused(world):
    enquiry = lesson_study(world, world.group, world.teacher)
    with pytest.raises(NoCasePupil, match="at least one case pupil"):
        services.plan_lesson(
            enquiry=enquiry, by=world.teacher, learning_goal="Fractions", predictions={}
        )
    assert not ResearchLesson.objects.exists()


@pytest.mark.parametrize(
    "code, description",
    [
        ("Jane Smith", "Year 4 girl"),
        ("A", "Jane Smith, Year 4"),
        ("A", "quiet boy called Tom Baker"),
    ],
)
def test_case_pupils_are_never_named(world, code, description):
    enquiry = lesson_study(world, world.group, world.teacher)
    with pytest.raises(LooksLikeAName):
        services.add_case_pupil(
            enquiry=enquiry, by=world.teacher, code=code, description=description
        )
    assert not CasePupil.objects.exists()


@pytest.mark.parametrize(
    "description", ["Year 4 girl, Pupil Premium, EAL", "Key Stage 2 boy, confident talker"]
)
def test_descriptions_of_pupils_without_names_are_accepted(world, description):
    enquiry = lesson_study(world, world.group, world.teacher)
    pupil = services.add_case_pupil(
        enquiry=enquiry, by=world.teacher, code="b", description=description
    )
    assert pupil.code == "B"


def test_a_three_lesson_cycle_then_the_next_cycle(world):
    enquiry = lesson_study(world, world.group, world.teacher)
    pupil = services.add_case_pupil(
        enquiry=enquiry, by=world.teacher, code="A", description="Year 5 boy"
    )
    lessons = [
        services.plan_lesson(
            enquiry=enquiry,
            by=world.teacher,
            learning_goal=f"Goal {n}",
            predictions={pupil.pk: "Will use a bar model"},
        )
        for n in range(4)
    ]
    assert [(lesson.cycle, lesson.number) for lesson in lessons] == [(1, 1), (1, 2), (1, 3), (2, 1)]
    lessons[0].enquiry = enquiry
    observation = services.record_observation(
        lesson=lessons[0], by=world.teacher, case_pupil_id=pupil.pk, note="Drew a bar"
    )
    assert observation.observer == world.teacher
    assert Enquiry.objects.get().stage == Stage.UNDER_WAY


def test_people_outside_the_group_cannot_observe(world):
    enquiry = lesson_study(world, world.group, world.teacher)
    with pytest.raises(PermissionDenied):
        services.add_case_pupil(
            enquiry=loaded(enquiry, world.co_leader),
            by=world.co_leader,
            code="A",
            description="Year 5",
        )


def _pdsa(world, **kwargs):
    enquiry = services.start_enquiry(
        network=world.network,
        by=world.teacher,
        question="Do daily starters raise recall?",
        method=Method.PDSA,
        group=world.group,
        **kwargs,
    )
    return loaded(enquiry, world.teacher)


@pytest.mark.parametrize("value", ["twelve", "", "1e999", "NaN", "12abc"])
def test_a_non_numeric_data_point_is_refused(world, value):
    enquiry = _pdsa(world)
    with pytest.raises(InvalidDataPoint):
        services.add_data_point(
            enquiry=enquiry, by=world.teacher, measured_on=datetime.date(2025, 1, 1), value=value
        )
    assert not DataPoint.objects.exists()


def test_a_pdsa_takes_its_measure_from_a_charter_goal(world):
    charter = charter_services.start_charter(network=world.network, by=world.co_leader)
    focus = charter_services.add_focus(charter=charter, by=world.co_leader, title="Numeracy")
    goal = charter_services.add_goal(
        focus=focus,
        by=world.co_leader,
        measure="Pupils recalling times tables",
        unit="%",
        baseline_value="40",
        baseline_date=datetime.date(2025, 1, 1),
        target_value="70",
        target_date=datetime.date(2026, 1, 1),
    )
    enquiry = _pdsa(world, goal=goal)
    assert enquiry.measure == "Pupils recalling times tables"
    assert enquiry.measure_unit == "%"
    assert enquiry.focus == focus


def test_only_a_pdsa_takes_data(world):
    enquiry = lesson_study(world, world.group, world.teacher)
    with pytest.raises(EnquiryError):
        services.add_data_point(
            enquiry=enquiry, by=world.teacher, measured_on=datetime.date(2025, 1, 1), value=3
        )


def test_shared_enquiry_parts_go_to_schools_of_the_network(world):
    enquiry = loaded(
        services.start_enquiry(
            network=world.network,
            by=world.teacher,
            question="What makes maths lessons work?",
            method=Method.SHARED,
            group=world.group,
        ),
        world.teacher,
    )
    with pytest.raises(EnquiryError, match="Split the question"):
        services.record_combined_review(enquiry=enquiry, by=world.teacher, review="Done")
    with pytest.raises(EnquiryError, match="not a school of this network"):
        services.add_sub_question(
            enquiry=enquiry, by=world.teacher, school=world.foreign_school, question="Starters"
        )
    services.add_sub_question(
        enquiry=enquiry, by=world.teacher, school=world.school_b, question="Starters"
    )
    services.record_combined_review(enquiry=enquiry, by=world.teacher, review="Next phase")
    assert world.school_b in Enquiry.objects.get().schools.all()


def test_an_account_is_reviewed_by_another_member_before_it_is_published(world):
    enquiry = lesson_study(world, world.group, world.teacher)
    account = services.write_account(
        enquiry=enquiry,
        by=world.teacher,
        title="Fractions",
        question="Q",
        what_we_tried="Bar models",
        what_we_learned="Pupils explain more",
    )
    with pytest.raises(AccountNotReady):
        services.publish_account(account=loaded_account(account, world.teacher), by=world.teacher)
    with pytest.raises(AccountNotReady):
        services.review_account(account=loaded_account(account, world.teacher), by=world.teacher)
    services.review_account(account=loaded_account(account, world.co_leader), by=world.co_leader)
    published = services.publish_account(
        account=loaded_account(account, world.teacher), by=world.teacher
    )
    assert published.status == AccountStatus.PUBLISHED
    assert Enquiry.objects.get().stage == Stage.COMPLETE


def test_a_triad_group_kind_is_checked_only_for_triads(world):
    assert world.group.kind == GroupKind.DEVELOPMENT
    services.check_triad(world.group)
    assert GroupMember.objects.filter(group=world.group).exists()
    assert not Observation.objects.exists()


def test_an_attachment_over_the_intake_limit_is_refused_and_saves_nothing(world):
    group, people = triad(world)
    enquiry = lesson_study(world, group, people[0])
    too_large = SimpleUploadedFile("work.pdf", b"x" * (intake.MAX_EVIDENCE_BYTES + 1))
    with pytest.raises(EnquiryError, match="larger than 10 MB"):
        services.add_attachment(enquiry=enquiry, by=people[0], title="Work", file=too_large)
    assert not Attachment.objects.filter(enquiry=enquiry).exists()
