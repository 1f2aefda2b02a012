"""Lists that grow with the network come a page at a time, and people are picked by searching,
not from a select of everyone (issue 23: roles 90 -> 776 ms from 20 to 200 schools, a 565-option
add-member list)."""

import pytest
from django.urls import reverse

from netlearn.networks import services
from netlearn.networks.models import GroupKind, PostLevel

from .factories import PersonFactory
from .test_views import count_queries, grow_network


@pytest.fixture
def small_pages(settings):
    settings.PAGE_SIZE = 5


@pytest.mark.parametrize(
    "url_name, param, rows",
    [
        ("networks:home", "schools", "memberships"),
        ("networks:home", "roles", "roles"),
        ("networks:roles", "page", "current"),
    ],
)
def test_network_lists_come_a_page_at_a_time(world, client, small_pages, url_name, param, rows):
    client.force_login(world.co_leader)
    url = reverse(url_name, args=[world.network.slug])
    few = count_queries(client, url)
    grow_network(world, schools=12)
    assert count_queries(client, url) <= few
    first = client.get(url).content.decode()
    assert f"{param}=2" in first and "Page 1 of" in first
    second = client.get(url, {param: 2}).context[rows]
    assert second.number == 2 and len(second) == 5


def test_group_members_come_a_page_at_a_time(world, client, small_pages):
    client.force_login(world.co_leader)
    url = reverse("networks:group", args=[world.network.slug, world.group.pk])
    few = count_queries(client, url)
    grow_network(world, schools=12)
    assert count_queries(client, url) <= few
    response = client.get(url, {"page": 3})
    assert "Page 3 of 3" in response.content.decode()
    assert len(response.context["members"]) == 14 - 2 * 5  # 2 members, then 12 joined


def test_group_page_has_no_list_of_everyone(world, client):
    grow_network(world, schools=12)
    client.force_login(world.co_leader)
    html = client.get(reverse("networks:group", args=[world.network.slug, world.group.pk]))
    html = html.content.decode()
    assert 'name="person_q"' in html
    assert "Cora Leader</option>" not in html and "Extra teacher 3" not in html.split("Add a")[1]


def _candidates(client, world, group, q):
    url = reverse("networks:group_member_candidates", args=[world.network.slug, group.pk])
    return client.get(url, {"person_q": q})


def test_the_picker_offers_the_networks_people_not_yet_in_the_group(world, client):
    client.force_login(world.co_leader)
    html = _candidates(client, world, world.group, "Sam").content.decode()
    assert f'value="{world.school_lead.pk}"' in html and "Sam Head" in html
    # Already a member, another network's, a pupil: never offered.
    for name in ("Tia", "Fay", "Pip"):
        assert 'type="radio"' not in _candidates(client, world, world.group, name).content.decode()


def test_the_picker_offers_at_most_twenty(world, client):
    for index in range(25):
        person = PersonFactory(name=f"Robin {index:02}")
        services.add_staff_post(
            person=person, school=world.school_b, job_title="Teacher", level=PostLevel.TEACHER
        )
    client.force_login(world.co_leader)
    html = _candidates(client, world, world.group, "robin").content.decode()
    assert html.count('type="radio"') == 20
    assert "type more of the name" in html


def test_only_who_manages_the_group_may_search_its_candidates(world, client):
    client.force_login(world.teacher)
    assert _candidates(client, world, world.group, "Sam").status_code == 403
    client.force_login(world.foreign_co_leader)
    assert _candidates(client, world, world.group, "Sam").status_code == 404


def test_a_posted_person_from_outside_the_picker_is_refused(world, client):
    """The form posts an id: one the picker would not offer is refused like a forged choice."""
    client.force_login(world.co_leader)
    url = reverse("networks:add_group_member", args=[world.network.slug, world.group.pk])
    response = client.post(url, {"person": world.foreign_teacher.pk})
    assert response.status_code == 400
    assert not world.group.members.filter(person=world.foreign_teacher).exists()
    triad = services.create_group(
        network=world.network, name="Triad 2", kind=GroupKind.TRIAD, by=world.admin
    )
    url = reverse("networks:add_group_member", args=[world.network.slug, triad.pk])
    assert client.post(url, {"person": world.school_lead.pk}).status_code == 302


def test_the_roles_picker_is_for_those_who_manage_the_network(world, client):
    url = reverse("networks:role_candidates", args=[world.network.slug])
    client.force_login(world.teacher)
    assert client.get(url, {"person_q": "Sam"}).status_code == 403
    client.force_login(world.co_leader)
    html = client.get(url, {"person_q": "Sam"}).content.decode()
    assert "Sam Head" in html
    roles_page = client.get(reverse("networks:roles", args=[world.network.slug])).content.decode()
    assert 'name="person_q"' in roles_page and '<select name="person"' not in roles_page
