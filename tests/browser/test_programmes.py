"""Issue 20, done when: Bransholme-style waves (wave 3 coached from wave 2, a coach from wave 3
refused, a coaching session logged, three waves on the timeline); and a middle leaders course with
a cohort from four schools whose registers make completion, a participant's cascade to two
colleagues in a partner school counted by school, and a certificate downloaded."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from netlearn.activities.tests.factories import in_days, move_into_past
from netlearn.networks import services as network_services
from netlearn.networks.tests.factories import SchoolFactory
from netlearn.programmes import services
from netlearn.programmes.models import Enrolment, WavePlace
from netlearn.programmes.tests import factories

from .sign_in import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_wave_three_is_coached_from_wave_two(browser, live_server, world, artifacts):
    programme, (first, second) = factories.programme_with_waves(world, waves=2)
    coach = factories.staff(world.school_b, name="Gemma Rowntree")
    place = services.add_trainee(
        wave=second, person=coach, school=world.school_b, by=world.co_leader
    )
    services.complete_place(place=place, on=datetime.date(2024, 7, 20), by=world.co_leader)
    lead = signed_in(browser, live_server, "coleader")
    lead.goto(
        f"{live_server.url}{reverse('programmes:programme', args=['riverside', programme.pk])}"
    )

    # Wave 3 starts, at Cedar, the year after wave 2.
    lead.get_by_label("Starts on").fill("2024-09-01")
    lead.get_by_label("Ends on").fill("2025-07-18")
    lead.get_by_label("Cedar Academy").check()
    lead.get_by_role("button", name="Start the wave").click()
    expect(lead.get_by_role("status")).to_contain_text("Wave 3 starts")

    # Its coach trained in wave 2; its trainee cannot coach it.
    lead.get_by_text("Add to wave 3").click()
    lead.locator("#id_w3_coach_person").select_option(label="Gemma Rowntree")
    lead.locator("#id_w3_coach_school").select_option(label="Cedar Academy")
    lead.get_by_role("button", name="Add the coach to wave 3").click()
    expect(lead.get_by_role("status")).to_contain_text("coaches wave 3")
    lead.get_by_text("Add to wave 3").click()
    lead.locator("#id_w3_trainee_person").select_option(label="Tia Teacher")
    lead.locator("#id_w3_trainee_school").select_option(label="Cedar Academy")
    lead.get_by_role("button", name="Add the trainee to wave 3").click()
    expect(lead.get_by_role("status")).to_contain_text("is trained in wave 3")
    lead.get_by_text("Add to wave 3").click()
    lead.locator("#id_w3_coach_person").select_option(label="Tia Teacher")
    lead.get_by_role("button", name="Add the coach to wave 3").click()
    expect(lead.get_by_role("alert")).to_contain_text("being trained in wave 3, so cannot coach it")
    assert not WavePlace.objects.filter(person=world.teacher, role="coach").exists()

    # A coaching session is logged in the calendar.
    lead.get_by_text("Add to wave 3").click()
    lead.locator("#id_w3_session_title").fill("Co-operative groups in Year 7")
    lead.locator("#id_w3_session_starts_at").fill(in_days(5).strftime("%Y-%m-%dT%H:%M"))
    lead.locator("#id_w3_session_ends_at").fill(in_days(5, hour=17).strftime("%Y-%m-%dT%H:%M"))
    lead.get_by_role("button", name="Log the session of wave 3").click()
    expect(lead.get_by_role("link", name="Co-operative groups in Year 7")).to_be_visible()

    # The timeline shows three waves, with wave 3's coach.
    expect(lead.locator("li[id^=wave-]")).to_have_count(3)
    expect(lead.locator("#wave-3")).to_contain_text("Gemma Rowntree (coaching Cedar Academy)")
    lead.screenshot(path=str(artifacts / "programmes-waves.png"), full_page=True)
    lead.context.close()


def test_a_middle_leaders_course_from_registers_to_cascade(browser, live_server, world, artifacts):
    partner = SchoolFactory(name="Damask Primary", reference="900044")
    network_services.add_school_to_network(network=world.network, school=partner, by=world.admin)
    course = factories.course(world, capacity=8, per_school=2, modules=("Leading learning",))
    schools = [world.school_a, world.school_b, world.school_c, partner]
    cohort = [
        factories.staff(school, name=f"Middle Leader {i}") for i, school in enumerate(schools, 1)
    ]
    for person, school in zip(cohort, schools, strict=True):
        services.enrol(course=course, person=person, school=school, by=world.co_leader)
    session = services.schedule_module(
        module=course.modules.get(),
        starts_at=in_days(1),
        ends_at=in_days(1, hour=17),
        by=world.co_leader,
        notify=False,
    )
    move_into_past(session, hours=3)
    colleagues = [factories.staff(partner, name=f"Colleague {i}") for i in (1, 2)]

    # The register makes completion: three of the four came.
    lead = signed_in(browser, live_server, "coleader")
    occurrence = session.occurrences.get()
    lead.goto(
        f"{live_server.url}"
        + reverse("activities:register", args=["riverside", session.pk, occurrence.pk])
    )
    for person in cohort[:3]:
        lead.get_by_label(person.name).check()
    lead.get_by_role("button", name="Save register").click()
    expect(lead.get_by_role("status")).to_be_visible()
    assert Enrolment.objects.filter(course=course, completed_at__isnull=False).count() == 3
    lead.context.close()

    # A participant records two colleagues trained in a partner school, and downloads the
    # certificate; the course page counts the reach by school.
    participant = signed_in(browser, live_server, cohort[0].username)
    participant.goto(
        f"{live_server.url}{reverse('programmes:course', args=['riverside', course.pk])}"
    )
    for colleague in colleagues:
        participant.locator("#id_cascade_colleague").select_option(label=colleague.name)
        participant.locator("#id_cascade_school").select_option(label="Damask Primary")
        participant.locator("#id_cascade_trained_on").fill(datetime.date.today().isoformat())
        participant.get_by_role("button", name="Record the colleague").click()
        expect(participant.get_by_role("status")).to_contain_text("counts in the course's reach")
    expect(participant.locator("#reach")).to_contain_text("Damask Primary")
    expect(participant.locator("#reach tbody tr")).to_have_count(1)
    expect(participant.locator("#reach tbody td.num")).to_have_text("2")
    with participant.expect_download() as download:
        participant.get_by_role("link", name=f"Certificate (PDF) for {cohort[0].name}").click()
    path = artifacts / "certificate.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    participant.screenshot(path=str(artifacts / "programmes-course.png"), full_page=True)
    participant.context.close()
