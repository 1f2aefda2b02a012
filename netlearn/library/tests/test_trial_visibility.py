"""Trial reports stay inside the resource's network; other networks see how many schools
trialled a shared or public resource, on the page and in the API alike."""

import pytest

from netlearn.library import policy, services

from .factories import add_resource, good_trial

REPORT = "Pupils in the Ashdown set explained equivalence"


@pytest.fixture
def public_resource(world):
    resource = add_resource(world.network, by=world.teacher, sharing="public")
    good_trial(resource, by=world.school_lead, how_it_went=REPORT, class_size=17)
    return resource


def test_outsiders_see_how_many_schools_trialled_a_public_resource_and_no_report(
    client, world, public_resource
):
    client.force_login(world.foreign_teacher)
    page = client.get(public_resource.get_absolute_url()).content.decode()
    assert "1 school</strong>" in page
    for private in (REPORT, "Birch Primary", "Sam Head", "17 pupils", "Year 5:"):
        assert private not in page
    listed = client.get(f"/api/v1/library/resources/{public_resource.pk}/trials").json()
    assert listed["items"] == [] and listed["count"] == 0
    detail = client.get(f"/api/v1/library/resources/{public_resource.pk}").json()
    assert (detail["schools_trialled"], detail["trials"]) == (1, 1)


def test_members_of_the_network_read_every_report(client, world, public_resource):
    client.force_login(world.co_leader)
    page = client.get(public_resource.get_absolute_url()).content.decode()
    assert REPORT in page and "Birch Primary" in page and "Sam Head" in page
    listed = client.get(f"/api/v1/library/resources/{public_resource.pk}/trials").json()
    assert [item["school"] for item in listed["items"]] == ["Birch Primary"]


def test_a_network_the_resource_is_shared_with_sees_only_the_aggregate(client, world):
    resource = add_resource(world.network, by=world.teacher)
    services.update_resource(
        resource=resource,
        by=world.admin,
        sharing="networks",
        shared_with=[world.foreign_network.pk],
    )
    good_trial(resource, by=world.school_lead, how_it_went=REPORT)
    client.force_login(world.foreign_co_leader)
    assert REPORT not in client.get(resource.get_absolute_url()).content.decode()
    listed = client.get(f"/api/v1/library/resources/{resource.pk}/trials").json()
    assert listed["count"] == 0


def test_an_outsider_who_trialled_it_reads_their_own_report_only(client, world, public_resource):
    good_trial(public_resource, by=world.foreign_teacher, how_it_went="Our own account")
    client.force_login(world.foreign_teacher)
    page = client.get(public_resource.get_absolute_url()).content.decode()
    assert "Our own account" in page and REPORT not in page
    listed = client.get(f"/api/v1/library/resources/{public_resource.pk}/trials").json()
    assert [item["how_it_went"] for item in listed["items"]] == ["Our own account"]


@pytest.mark.parametrize(
    "who, allowed",
    [
        ("co_leader", True),
        ("teacher", True),
        ("partner", True),
        ("admin", True),
        ("foreign_teacher", False),
        ("foreign_co_leader", False),
        ("pupil", False),
    ],
)
def test_can_view_trials(world, public_resource, who, allowed, django_assert_num_queries):
    person = getattr(world, who)
    policy.can_view_trials(person, public_resource)  # access is loaded once per person
    with django_assert_num_queries(0):
        assert policy.can_view_trials(person, public_resource) is allowed
