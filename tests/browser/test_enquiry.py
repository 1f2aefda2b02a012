"""Issue 5, done when: a triad from three schools completes a three-lesson cycle with observations
of two case pupils (one taken on a phone), and publishes an account that a member of a fourth
school can read, while that member cannot see the observations."""

import pytest
from playwright.sync_api import expect

from netlearn.enquiry import selectors, services
from netlearn.enquiry.models import Account, Enquiry, Observation
from netlearn.enquiry.tests.factories import triad
from netlearn.networks import services as network_services
from netlearn.networks.models import PostLevel
from netlearn.networks.tests.factories import PersonFactory, SchoolFactory
from netlearn.networks.tests.world import PASSWORD

from .sign_in import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_triad_lesson_study_from_plan_to_published_account(
    browser, live_server, world, artifacts
):
    group, (ana, ben, cat) = triad(world)
    school_d = SchoolFactory(name="Elm Primary", reference="900005")
    network_services.add_school_to_network(network=world.network, school=school_d, by=world.admin)
    dev = PersonFactory(username="dev", name="Dev Elm")
    network_services.add_staff_post(
        person=dev, school=school_d, job_title="Teacher", level=PostLevel.TEACHER
    )
    assert dev.check_password(PASSWORD)

    # Ana starts the triad's lesson study; a lesson with no case pupil is refused.
    page = signed_in(browser, live_server, "ana")
    page.goto(f"{live_server.url}/n/riverside/enquiry/")
    page.get_by_role("link", name="Start an enquiry").click()
    page.get_by_label("Question").fill("How do Year 5 pupils explain equivalent fractions?")
    page.get_by_label("Method").select_option(label="Research Lesson Study")
    page.get_by_label("Group or triad").select_option(label="Triad: fractions")
    page.get_by_role("button", name="Start the enquiry").click()
    expect(page.get_by_role("heading", name="How do Year 5 pupils explain")).to_be_visible()
    enquiry = Enquiry.objects.get()
    page.get_by_role("link", name="Plan the next research lesson").click()
    page.get_by_label("Learning goal").fill("Explain why 2/4 = 1/2 with a diagram")
    page.get_by_role("button", name="Plan the lesson").click()
    expect(page.get_by_role("alert")).to_contain_text("at least one case pupil")
    assert not enquiry.lessons.exists()

    # Two case pupils, by code and description; a name is refused.
    page.goto(f"{live_server.url}{enquiry.get_absolute_url()}")
    page.get_by_label("Code").fill("A")
    page.get_by_label("Description").fill("Jane Smith")
    page.get_by_role("button", name="Add case pupil").click()
    expect(page.get_by_role("alert")).to_contain_text("looks as if it contains a name")
    for code, description in (("A", "Year 5 girl, EAL, careful"), ("B", "Year 5 boy, quick")):
        page.get_by_label("Code").fill(code)
        page.get_by_label("Description").fill(description)
        page.get_by_role("button", name="Add case pupil").click()
    expect(page.get_by_text("Pupil B")).to_be_visible()

    page.get_by_role("link", name="Plan the next research lesson").click()
    page.get_by_label("Learning goal").fill("Explain why 2/4 = 1/2 with a diagram")
    page.get_by_label("What we predict pupil A will do").fill("Will fold paper strips")
    page.get_by_label("What we predict pupil B will do").fill("Will say 'double it'")
    page.get_by_role("button", name="Plan the lesson").click()
    expect(page.get_by_role("heading", name="Cycle 1, research lesson 1")).to_be_visible()
    lesson = enquiry.lessons.get()

    # Ben observes on his phone during the lesson.
    phone = signed_in(browser, live_server, "ben", phone=True)
    phone.goto(f"{live_server.url}/n/riverside/enquiry/{enquiry.pk}/lessons/{lesson.pk}/observe/")
    phone.get_by_label("B · Year 5 boy, quick").check()
    phone.get_by_label("What you saw").fill("Drew a bar, then said 'same amount shaded'")
    phone.get_by_role("button", name="Save note").click()
    expect(phone.get_by_role("status")).to_contain_text("for pupil B")
    phone.get_by_label("A · Year 5 girl, EAL, careful").check()
    phone.get_by_label("What you saw").fill("Folded strips into quarters unprompted")
    phone.get_by_role("button", name="Save note").click()
    expect(phone.get_by_role("status")).to_contain_text("for pupil A")
    phone.screenshot(path=str(artifacts / "enquiry-observe-phone.png"), full_page=True)
    assert Observation.objects.filter(observer=ben).count() == 2

    # Ana writes the post-lesson discussion and sees it on the enquiry page.
    page.goto(f"{live_server.url}/n/riverside/enquiry/{enquiry.pk}/lessons/{lesson.pk}/")
    expect(page.get_by_text("Folded strips into quarters unprompted")).to_be_visible()
    page.get_by_role("textbox", name="Post-lesson discussion").fill(
        "Both pupils explained more than predicted."
    )
    page.get_by_label("What changes for the next lesson").fill("Start with paper strips")
    page.get_by_role("button", name="Save the discussion").click()
    expect(page.get_by_text("Both pupils explained more than predicted.")).to_be_visible()

    # Lessons 2 and 3 of the cycle, observed by Cat (through the services, for speed).
    as_ana = selectors.enquiry_for(viewer=ana, network=world.network, enquiry_id=enquiry.pk)
    as_cat = selectors.enquiry_for(viewer=cat, network=world.network, enquiry_id=enquiry.pk)
    pupils = list(enquiry.case_pupils.all())
    for number in (2, 3):
        planned = services.plan_lesson(
            enquiry=as_ana,
            by=ana,
            learning_goal=f"Lesson {number}",
            predictions={pupil.pk: "Uses strips" for pupil in pupils},
        )
        planned.enquiry = as_cat
        for pupil in pupils:
            services.record_observation(
                lesson=planned, by=cat, case_pupil_id=pupil.pk, note=f"Lesson {number} note"
            )
    assert list(enquiry.lessons.values_list("cycle", "number")) == [(1, 1), (1, 2), (1, 3)]

    # Writing day: Ana writes the account, Ben reviews it, Ana publishes it.
    page.goto(f"{live_server.url}{enquiry.get_absolute_url()}")
    page.get_by_role("link", name="Write up as an account").click()
    page.get_by_label("Title").fill("Paper strips and equivalent fractions")
    page.get_by_label("What we tried").fill("Three lessons using paper strips and bar models.")
    page.get_by_label("What we learned").fill("Pupils explain equivalence once they fold it.")
    page.get_by_role("button", name="Save the account").click()
    expect(
        page.get_by_role("heading", name="Paper strips and equivalent fractions")
    ).to_be_visible()
    account = Account.objects.get()
    review = signed_in(browser, live_server, "ben")
    review.goto(f"{live_server.url}{account.get_absolute_url()}")
    review.get_by_role("button", name="Mark as reviewed by the group").click()
    expect(review.get_by_text("The account is reviewed.")).to_be_visible()
    page.reload()
    page.get_by_role("button", name="Publish to the network").click()
    expect(page.get_by_text("The account is published.")).to_be_visible()

    # Dev, of a fourth school, finds and reads the account but sees no observation.
    reader = signed_in(browser, live_server, "dev")
    reader.goto(f"{live_server.url}/n/riverside/accounts/")
    reader.get_by_label("Search the accounts").fill("strips")
    reader.get_by_role("button", name="Search").click()
    reader.get_by_role("link", name="Paper strips and equivalent fractions").click()
    expect(reader.get_by_text("Pupils explain equivalence once they fold it.")).to_be_visible()
    reader.screenshot(path=str(artifacts / "enquiry-account.png"), full_page=True)
    reader.goto(f"{live_server.url}/n/riverside/enquiry/{enquiry.pk}/lessons/{lesson.pk}/")
    expect(reader.get_by_text("Both pupils explained more than predicted.")).to_be_visible()
    assert "Folded strips" not in reader.content()
    assert "Year 5 girl" not in reader.content()
    response = reader.goto(
        f"{live_server.url}/n/riverside/enquiry/{enquiry.pk}/lessons/{lesson.pk}/observe/"
    )
    assert response.status == 403
    page.goto(f"{live_server.url}{enquiry.get_absolute_url()}")
    page.screenshot(path=str(artifacts / "enquiry-lesson-study.png"), full_page=True)
