"""Pages: the overview, a PDSA page showing its signal, observation on a phone, accounts."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from netlearn.enquiry import services
from netlearn.enquiry.models import CasePupil, DataPoint, Enquiry, Method, Observation

from .factories import lesson_study, loaded


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def _pdsa_with_shift(world):
    enquiry = loaded(
        services.start_enquiry(
            network=world.network,
            by=world.teacher,
            question="Do daily starters raise recall?",
            method=Method.PDSA,
            group=world.group,
            measure="Recall",
            measure_unit="%",
        ),
        world.teacher,
    )
    day = datetime.date(2025, 1, 6)
    for offset, value in enumerate([2, 3, 2, 3, 2, 3, 7, 8, 7, 8, 7, 8]):
        services.add_data_point(
            enquiry=enquiry,
            by=world.teacher,
            measured_on=day + datetime.timedelta(days=7 * offset),
            value=value,
        )
    return enquiry


def test_a_pdsa_page_shows_the_flagged_signal_with_a_chart_and_its_table(world):
    enquiry = _pdsa_with_shift(world)
    page = client_for(world.school_lead).get(enquiry.get_absolute_url()).content.decode()
    assert "<svg" in page and "run-chart-median" in page
    assert "Signal." in page and "Shift: 6 points in a row above the median." in page
    assert "Too few runs" in page
    assert "<caption>Run-chart data" in page


def test_a_non_numeric_value_gets_a_message_and_changes_nothing(world):
    enquiry = _pdsa_with_shift(world)
    before = DataPoint.objects.count()
    response = client_for(world.teacher).post(
        reverse("enquiry:add_data_point", args=[world.network.slug, enquiry.pk]),
        {"measured_on": "2025-06-01", "value": "twelve"},
    )
    assert response.status_code == 400
    assert "is not a number" in response.content.decode()
    assert DataPoint.objects.count() == before


def test_the_network_chooses_anhoej_rules_and_the_chart_says_which_it_reads_by(world):
    enquiry = _pdsa_with_shift(world)
    overview = reverse("enquiry:overview", args=[world.network.slug])
    # Only a co-leader sets the network's rules.
    assert client_for(world.teacher).post(overview, {"rules": "anhoej"}).status_code == 403
    assert "Run-chart rules for this network" not in (
        client_for(world.teacher).get(overview).content.decode()
    )
    bad = client_for(world.co_leader).post(overview, {"rules": "western-electric"})
    assert bad.status_code == 400
    assert client_for(world.co_leader).post(overview, {"rules": "anhoej"}).status_code == 302
    page = client_for(world.teacher).get(enquiry.get_absolute_url()).content.decode()
    assert "Read by the Anhøj rules" in page and "log2(n) + 3" in page
    # Twelve points, one crossing where at least three are expected.
    assert "Too few crossings: the line crosses the median 1 time" in page
    assert "Shift:" not in page
    # An enquiry may name its own rules.
    Enquiry.objects.filter(pk=enquiry.pk).update(run_chart_rules="ihi")
    page = client_for(world.teacher).get(enquiry.get_absolute_url()).content.decode()
    assert "Read by the IHI rules" in page and "Shift: 6 points in a row" in page
    assert "Swed–Eisenhart" in page


def test_a_missed_measurement_needs_a_reason_and_leaves_a_gap(world):
    enquiry = _pdsa_with_shift(world)
    url = reverse("enquiry:add_data_point", args=[world.network.slug, enquiry.pk])
    before = DataPoint.objects.count()
    response = client_for(world.teacher).post(url, {"measured_on": "2025-06-01", "value": ""})
    assert response.status_code == 400 and "say why in the note" in response.content.decode()
    assert DataPoint.objects.count() == before
    response = client_for(world.teacher).post(
        url, {"measured_on": "2025-06-01", "value": "", "note": "School closed for snow"}
    )
    assert response.status_code in (200, 302)
    page = client_for(world.teacher).get(enquiry.get_absolute_url()).content.decode()
    assert "not measured" in page and "School closed for snow" in page


def test_a_change_adopted_starts_a_phase_with_its_own_median(world):
    enquiry = _pdsa_with_shift(world)
    seventh = DataPoint.objects.filter(enquiry=enquiry).order_by("measured_on", "pk")[6]
    DataPoint.objects.filter(pk=seventh.pk).update(starts_phase=True)
    page = client_for(world.teacher).get(enquiry.get_absolute_url()).content.decode()
    assert "Phase 2" in page and "median 2.5" in page and "median 7.5" in page
    assert "Shift:" not in page


def test_the_start_form_offers_only_groups_the_person_may_use(world):
    from netlearn.networks import services as network_services
    from netlearn.networks.models import GroupKind

    network_services.create_group(
        network=world.network, name="Maths triad", kind=GroupKind.TRIAD, by=world.admin
    )
    start = reverse("enquiry:start", args=[world.network.slug])
    page = client_for(world.teacher).get(start).content.decode()
    assert "Writing development group" in page and "Maths triad" not in page
    page = client_for(world.co_leader).get(start).content.decode()
    assert "Writing development group" in page and "Maths triad" in page


def test_a_lesson_study_page_hides_case_pupils_from_people_outside_the_group(world):
    enquiry = lesson_study(world, world.group, world.teacher)
    pupil = services.add_case_pupil(
        enquiry=enquiry, by=world.teacher, code="A", description="Year 5 boy, quiet"
    )
    lesson = services.plan_lesson(
        enquiry=enquiry, by=world.teacher, learning_goal="Fractions", predictions={pupil.pk: "P"}
    )
    lesson.enquiry = enquiry
    services.record_observation(
        lesson=lesson, by=world.teacher, case_pupil_id=pupil.pk, note="Counted on fingers"
    )
    lesson_url = reverse("enquiry:lesson", args=[world.network.slug, enquiry.pk, lesson.pk])
    observe_url = reverse("enquiry:observe", args=[world.network.slug, enquiry.pk, lesson.pk])
    inside = client_for(world.teacher)
    assert "Counted on fingers" in inside.get(lesson_url).content.decode()
    assert "Year 5 boy, quiet" in inside.get(enquiry.get_absolute_url()).content.decode()
    for person in (world.school_lead, world.co_leader, world.partner):
        client = client_for(person)
        outside = client.get(lesson_url).content.decode()
        assert "Counted on fingers" not in outside and "Year 5 boy, quiet" not in outside
        assert "Year 5 boy" not in client.get(enquiry.get_absolute_url()).content.decode()
        assert client.get(observe_url).status_code == 403


def test_an_observation_is_saved_by_htmx_and_stamped(world):
    enquiry = lesson_study(world, world.group, world.teacher)
    pupil = services.add_case_pupil(
        enquiry=enquiry, by=world.teacher, code="A", description="Year 5 boy"
    )
    lesson = services.plan_lesson(
        enquiry=enquiry, by=world.teacher, learning_goal="Fractions", predictions={pupil.pk: "P"}
    )
    url = reverse("enquiry:observe", args=[world.network.slug, enquiry.pk, lesson.pk])
    response = client_for(world.teacher).post(
        url, {"case_pupil": pupil.pk, "note": "Explained to a partner"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Saved at" in response.content.decode()
    assert "<html" not in response.content.decode()
    assert Observation.objects.get().note == "Explained to a partner"


def test_a_named_case_pupil_is_refused_on_the_page(world):
    enquiry = lesson_study(world, world.group, world.teacher)
    response = client_for(world.teacher).post(
        reverse("enquiry:add_case_pupil", args=[world.network.slug, enquiry.pk]),
        {"code": "A", "description": "Jane Smith"},
    )
    assert response.status_code == 400
    assert "looks as if it contains a name" in response.content.decode()
    assert not CasePupil.objects.exists()


def test_starting_an_enquiry_through_the_form(world):
    response = client_for(world.teacher).post(
        reverse("enquiry:start", args=[world.network.slug]),
        {"question": "Does talk improve writing?", "method": "spiral", "group": world.group.pk},
    )
    enquiry = Enquiry.objects.get()
    assert response.status_code == 302 and response.url == enquiry.get_absolute_url()


def _many(world, count):
    for n in range(count):
        enquiry = lesson_study(world, world.group, world.teacher, question=f"Question {n}")
        account = services.write_account(
            enquiry=enquiry, by=world.teacher, title=f"Account {n}", question="Q",
            what_we_tried="T", what_we_learned="L",
        )  # fmt: skip
        assert account


@pytest.mark.parametrize("name", ["enquiry:overview", "enquiry:accounts"])
def test_list_pages_take_the_same_number_of_queries_for_few_and_many(world, name):
    client = client_for(world.teacher)
    url = reverse(name, args=[world.network.slug])
    _many(world, 2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _many(world, 6)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(few) == len(many)


def test_stale_enquiries_are_flagged(world):
    enquiry = lesson_study(world, world.group, world.teacher)
    Enquiry.objects.filter(pk=enquiry.pk).update(
        last_activity_at=enquiry.last_activity_at - datetime.timedelta(days=60)
    )
    page = client_for(world.partner).get(reverse("enquiry:overview", args=[world.network.slug]))
    assert "No activity for 42 days or more" in page.content.decode()
