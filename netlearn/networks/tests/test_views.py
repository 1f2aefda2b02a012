import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from netlearn.accounts import services as account_services
from netlearn.accounts.models import Person
from netlearn.networks import services
from netlearn.networks.errors import NotInNetwork
from netlearn.networks.models import GroupKind, Network, NetworkMembership, PostLevel, Role

from .factories import PersonFactory, SchoolFactory


def count_queries(client, url):
    # Once before counting: whatever the viewer's access (remembered between requests, forgotten
    # when roles change, networks/access.py), both counts compared are then taken with it known.
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def grow_network(world, schools=25):
    """Adds schools, each with a teacher holding a role and expertise, to the home network."""
    for index in range(schools):
        school = SchoolFactory(name=f"Extra school {index}")
        services.add_school_to_network(network=world.network, school=school, by=world.admin)
        person = PersonFactory(name=f"Extra teacher {index}")
        services.add_staff_post(
            person=person, school=school, job_title="Teacher", level=PostLevel.TEACHER
        )
        services.assign_role(
            network=world.network, person=person, role=Role.COACH, school=school, by=world.admin
        )
        services.add_group_member(group=world.group, person=person, by=world.admin)


@pytest.mark.parametrize(
    "url_name", ["networks:home", "networks:schools", "networks:people", "networks:roles"]
)
def test_list_pages_run_a_bounded_number_of_queries(world, client, url_name):
    client.force_login(world.co_leader)
    url = reverse(url_name, args=[world.network.slug])
    few = count_queries(client, url)
    grow_network(world)
    assert count_queries(client, url) == few


def test_group_page_runs_a_bounded_number_of_queries(world, client):
    client.force_login(world.co_leader)
    url = reverse("networks:group", args=[world.network.slug, world.group.pk])
    few = count_queries(client, url)
    grow_network(world)
    assert count_queries(client, url) == few


def test_my_networks_runs_a_bounded_number_of_queries(world, client):
    client.force_login(world.admin)
    few = count_queries(client, reverse("networks:my_networks"))
    for index in range(10):
        services.add_school_to_network(
            network=Network.objects.create(name=f"N{index}", slug=f"n{index}"),
            school=world.school_a,
            by=world.admin,
        )
    assert count_queries(client, reverse("networks:my_networks")) == few


def test_network_home_shows_schools_groups_and_distribution_of_leadership(world, client):
    client.force_login(world.teacher)
    response = client.get(reverse("networks:home", args=[world.network.slug]))
    page = response.content.decode()
    for text in (
        "Alder Primary",
        "Birch Primary",
        "Cedar Academy",
        "Writing development group",
        "Cora Leader",
        "People leading something",
    ):
        assert text in page
    leadership = response.context["leadership"]
    # Cora (assistant head: senior), Tia (teacher-researcher, teacher), Pat (partner, no post),
    # Dara (data lead, support staff), Sasha (safeguarding lead, senior).
    assert leadership.leaders == 5
    assert leadership.leaders_without_senior_post == 3


def test_roles_page_counts_leaders_as_the_network_home_does(world, client):
    client.force_login(world.teacher)
    page = client.get(reverse("networks:roles", args=[world.network.slug]))
    assert "5 people lead something; 3 of them hold no senior post" in page.content.decode()
    # A second leading role for Tia, and a senior post elsewhere for Pat: still five leaders,
    # Pat now senior.
    services.assign_role(
        network=world.network, person=world.teacher, role=Role.COACH, by=world.admin
    )
    pat = Person.objects.get(name__startswith="Pat")
    services.add_staff_post(
        person=pat, school=world.outside_school, job_title="Head", level=PostLevel.HEAD
    )
    home = client.get(reverse("networks:home", args=[world.network.slug])).context["leadership"]
    roles = client.get(reverse("networks:roles", args=[world.network.slug])).context["leadership"]
    assert (roles.leaders, roles.leaders_without_senior_post) == (
        home.leaders,
        home.leaders_without_senior_post,
    )
    assert (roles.leaders, roles.leaders_without_senior_post) == (5, 2)


def test_co_leader_adds_a_school_found_by_search(world, client):
    client.force_login(world.co_leader)
    url = reverse("networks:add_school", args=[world.network.slug])
    response = client.get(url, {"q": "Lonely"})
    assert "Lonely School" in response.content.decode()
    assert "Foreign" not in response.content.decode()
    response = client.post(url, {"school": world.outside_school.pk})
    assert response.status_code == 302
    assert (
        NetworkMembership.objects.current()
        .filter(network=world.network, school=world.outside_school)
        .exists()
    )


def test_co_leader_cannot_add_a_school_of_another_network_by_id(world, client):
    client.force_login(world.co_leader)
    url = reverse("networks:add_school", args=[world.network.slug])
    response = client.post(url, {"school": world.foreign_school.pk})
    assert response.status_code == 400
    assert not NetworkMembership.objects.filter(
        network=world.network, school=world.foreign_school
    ).exists()


def test_schools_list_filters_by_setting(world, client):
    client.force_login(world.teacher)
    response = client.get(
        reverse("networks:schools", args=[world.network.slug]), {"setting": "rural"}
    )
    page = response.content.decode()
    assert "Birch Primary" in page and "Alder Primary" not in page


def test_people_directory_searches_by_expertise_and_role(world, client):
    account_services.set_expertise(person=world.teacher, names=["Lesson study"])
    client.force_login(world.co_leader)
    url = reverse("networks:people", args=[world.network.slug])
    page = client.get(url, {"expertise": "lesson"}).content.decode()
    assert "Tia Teacher" in page and "Sam Head" not in page
    page = client.get(url, {"role": Role.CO_LEADER}).content.decode()
    assert "Cora Leader" in page and "Tia Teacher" not in page


def test_co_leader_adds_a_school_to_a_group_with_htmx(world, client):
    client.force_login(world.co_leader)
    url = reverse("networks:add_group_member", args=[world.network.slug, world.group.pk])
    response = client.post(url, {"school": world.school_b.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Birch Primary" in response.content.decode()
    assert "<html" not in response.content.decode()
    assert world.group.members.filter(school=world.school_b).exists()


def test_a_triad_refuses_a_second_person_from_the_same_school(world, client):
    triad = services.create_group(
        network=world.network, name="Triad 1", kind=GroupKind.TRIAD, by=world.admin
    )
    colleague = PersonFactory(name="Colin Colleague")
    services.add_staff_post(
        person=colleague, school=world.school_c, job_title="Teacher", level=PostLevel.TEACHER
    )
    services.add_group_member(group=triad, person=world.teacher, by=world.admin)
    client.force_login(world.co_leader)
    url = reverse("networks:add_group_member", args=[world.network.slug, triad.pk])
    response = client.post(url, {"person": colleague.pk})
    assert response.status_code == 400
    assert "three different schools" in response.content.decode()
    assert triad.members.count() == 1


def test_steering_group_member_must_say_what_level_they_represent(world, client):
    steering = services.create_group(
        network=world.network, name="Steering", kind=GroupKind.STEERING, by=world.admin
    )
    client.force_login(world.co_leader)
    url = reverse("networks:add_group_member", args=[world.network.slug, steering.pk])
    assert client.post(url, {"person": world.teacher.pk}).status_code == 400
    assert steering.members.count() == 0
    response = client.post(url, {"person": world.teacher.pk, "represents": PostLevel.TEACHER})
    assert response.status_code == 302
    assert steering.members.get().represents == PostLevel.TEACHER


def test_co_leader_gives_and_ends_a_role(world, client):
    client.force_login(world.co_leader)
    url = reverse("networks:roles", args=[world.network.slug])
    response = client.post(url, {"person": world.school_lead.pk, "role": Role.MENTOR})
    assert response.status_code == 302
    role = world.school_lead.network_roles.get(role=Role.MENTOR)
    response = client.post(
        reverse("networks:end_role", args=[world.network.slug, role.pk]), {"date": "1999-01-01"}
    )
    role.refresh_from_db()
    assert role.ended is None  # before it started: refused
    client.post(reverse("networks:end_role", args=[world.network.slug, role.pk]), {"date": ""})
    role.refresh_from_db()
    assert role.ended is not None


def test_school_lead_edits_their_school_and_bad_input_changes_nothing(world, client):
    client.force_login(world.school_lead)
    url = reverse("networks:edit_school", args=[world.school_b.pk])
    data = {"name": "Birch Primary", "phase": "primary", "roll": "-3", "fsm_percent": "140"}
    response = client.post(url, data)
    assert response.status_code == 400
    world.school_b.refresh_from_db()
    assert world.school_b.roll == 210
    data.update(roll="250", fsm_percent="12.5")
    assert client.post(url, data).status_code == 302
    world.school_b.refresh_from_db()
    assert world.school_b.roll == 250
    client.force_login(world.teacher)
    assert client.post(url, data).status_code == 403


def test_co_leader_adds_every_holder_of_a_role_in_one_step(world, client):
    group = services.create_group(
        network=world.network, name="Researchers", kind=GroupKind.OTHER, by=world.admin
    )
    client.force_login(world.co_leader)
    url = reverse("networks:add_role_holders", args=[world.network.slug, group.pk])
    response = client.post(url, {"role": Role.TEACHER_RESEARCHER}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "1 person joined" in response.content.decode()
    assert list(group.members.values_list("person", flat=True)) == [world.teacher.pk]
    # Again: nobody is added twice.
    client.post(url, {"role": Role.TEACHER_RESEARCHER})
    assert group.members.count() == 1


def test_adding_role_holders_to_a_triad_is_refused(world, client):
    triad = services.create_group(
        network=world.network, name="T", kind=GroupKind.TRIAD, by=world.admin
    )
    client.force_login(world.co_leader)
    url = reverse("networks:add_role_holders", args=[world.network.slug, triad.pk])
    response = client.post(url, {"role": Role.TEACHER_RESEARCHER})
    assert response.status_code == 400
    assert triad.members.count() == 0


def test_a_co_leader_cannot_give_a_role_to_someone_outside_their_networks(world):
    with pytest.raises(NotInNetwork):
        services.assign_role(
            network=world.network, person=world.foreign_teacher, role=Role.COACH, by=world.co_leader
        )


def test_school_lead_invites_a_new_colleague_who_sets_a_password(
    world, client, django_capture_on_commit_callbacks
):
    client.force_login(world.school_lead)
    url = reverse("networks:add_staff_member", args=[world.school_b.pk])
    data = {
        "name": "Nia New",
        "email": "nia@example.org",
        "job_title": "Teacher",
        "level": PostLevel.TEACHER,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    nia = Person.objects.get(email="nia@example.org")
    assert nia.name == "Nia New" and nia.kind == "staff"
    # The post waits for her answer, as it would for someone who already had an account.
    assert not world.school_b.staff_posts.filter(person=nia).exists()
    assert sorted(message.to[0] for message in mail.outbox) == ["nia@example.org"] * 2
    password_mail = next(message for message in mail.outbox if "/reset/" in message.body)
    link = next(line for line in password_mail.body.splitlines() if "/reset/" in line)
    client.logout()
    response = client.get(link.split("8000", 1)[1], follow=True)
    assert response.status_code == 200 and response.context["validlink"]
    client.force_login(nia)
    invitation = nia.staff_invitations.get()
    client.post(reverse("networks:accept_invitation", args=[invitation.pk]))
    post = world.school_b.staff_posts.get(person=nia)
    assert post.job_title == "Teacher"


def test_adding_an_existing_colleague_keeps_their_account(world, client):
    client.force_login(world.school_lead)
    url = reverse("networks:add_staff_member", args=[world.school_b.pk])
    data = {
        "name": "Whoever",
        "email": world.teacher.email,
        "job_title": "Visiting teacher",
        "level": PostLevel.TEACHER,
    }
    assert client.post(url, data).status_code == 302
    # Nobody joins a school without saying yes: the post waits for the teacher's answer.
    assert not world.teacher.staff_posts.filter(school=world.school_b).exists()
    world.teacher.refresh_from_db()
    assert world.teacher.name == "Tia Teacher"
    assert client.post(url, data).status_code == 302  # answers alike; no second invitation
    assert world.teacher.staff_invitations.filter(school=world.school_b).count() == 1


def test_only_the_school_lead_adds_staff_and_bad_input_changes_nothing(world, client):
    url = reverse("networks:add_staff_member", args=[world.school_b.pk])
    before = world.school_b.staff_posts.count()
    client.force_login(world.teacher)
    data = {"name": "X", "email": "x@example.org", "job_title": "T", "level": "teacher"}
    assert client.post(url, data).status_code == 403
    client.force_login(world.school_lead)
    assert client.post(url, {**data, "email": "not an email"}).status_code == 400
    assert world.school_b.staff_posts.count() == before


def test_school_lead_records_that_a_colleague_has_left(world, client):
    post = world.school_lead.staff_posts.get()
    client.force_login(world.school_lead)
    invitation = services.add_staff_member(
        school=world.school_b,
        by=world.school_lead,
        name="Leaving Lou",
        email="lou@example.org",
        job_title="Teacher",
        level=PostLevel.TEACHER,
    )
    colleague_post = services.accept_staff_invitation(invitation=invitation, by=invitation.person)
    url = reverse("networks:end_staff_post", args=[world.school_b.pk, colleague_post.pk])
    assert client.post(url, {"date": ""}).status_code == 302
    colleague_post.refresh_from_db()
    assert colleague_post.ended is not None
    post.refresh_from_db()
    assert post.ended is None
