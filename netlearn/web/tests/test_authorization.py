"""Walks every URL pattern with every role and objects of both networks, and fails on any leak.

A view added later is covered without editing this test; a URL parameter this test cannot fill
fails it, so that nobody adds a URL the matrix does not reach.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from netlearn.networks.models import NetworkMembership, NetworkRole
from netlearn.networks.tests.factories import PersonFactory
from netlearn.networks.tests.world import SENTINEL

from . import walk

# The walks' objects come built with the shared world (conftest.py).
pytestmark = pytest.mark.walk_objects

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Pages anybody may open; every other page sends the anonymous to sign in.
PUBLIC = {
    "web:home",
    "web:health",
    "accounts:login",
    "accounts:logout",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "library:public",
    "library:public_resource",
    "library:public_download",
    # The language switcher (a visitor's choice goes in a cookie) and the translators' coverage.
    "accounts:set_language",
    "web:translations",
    # Single sign-on's start and the provider's callback (accounts/sso.py).
    "openid_connect_login",
    "openid_connect_callback",
}
SKIPPED_NAMESPACES = {"admin", "api-v1"}  # Django's admin has its own checks; the API its own walk.


def named_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace
            if namespace in SKIPPED_NAMESPACES:
                continue
            yield from named_patterns(entry, f"{namespace}:" if namespace else prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}", entry


def urls_to_walk(world, *, foreign: bool):
    # The password-reset link's own parameters: a made-up link answers "expired".
    arguments = {**walk.object_ids(world, foreign=foreign), "uidb64": "MQ", "token": "set-pass"}
    for name, pattern in named_patterns():
        keys = list(pattern.pattern.regex.groupindex)
        missing = [key for key in keys if key not in arguments]
        assert not missing, f"{name}: teach the authorization walk how to fill {missing}"
        yield name, reverse(name, kwargs={key: arguments[key] for key in keys}), bool(keys)


readable = walk.readable


def client_for(person):
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


ROLES = [
    "anonymous",
    "pupil",
    "parent",
    "member",
    "partner",
    "school_lead",
    "co_leader",
    "data_lead",
    "safeguarding_lead",
    "site_admin",
    # A programme's evaluator (netlearn.evaluation), of no network: reads the home network's
    # charter and golden threads because its co-leader consented, nothing of the foreign one.
    "evaluator",
]


@pytest.mark.parametrize("role", ROLES)
def test_no_role_reaches_another_networks_objects(world, role):
    person = walk.person_for(world, role)
    client = client_for(person)
    for name, url, has_objects in urls_to_walk(world, foreign=True):
        if not has_objects or name in PUBLIC:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code < 500, (name, method, response.status_code)
            if role == "site_admin":
                continue
            if role == "anonymous":
                assert response.status_code in (302, 405), (name, method, response.status_code)
                if response.status_code == 302:
                    assert response.url.startswith(reverse("accounts:login")), name
            else:
                assert response.status_code in (404, 405), (role, name, method)


@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_another_networks_data(world, role):
    person = walk.person_for(world, role)
    client = client_for(person)
    for name, url, _ in urls_to_walk(world, foreign=False):
        response = client.get(url)
        assert response.status_code < 500, (name, response.status_code)
        if role != "site_admin":
            assert SENTINEL not in readable(response), (role, name)
        if role == "anonymous" and name not in PUBLIC:
            assert response.status_code == 302, name
            assert response.url.startswith(reverse("accounts:login")), name


@pytest.mark.parametrize("role", ["pupil"])
def test_pupils_see_only_their_own_profile(world, role):
    pupil = world.pupil
    client = client_for(pupil)
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert client.get(reverse("networks:person", args=[pupil.pk])).status_code == 200
    for name, url, has_objects in urls_to_walk(world, foreign=False):
        if has_objects and name.startswith("networks:") and name != "networks:person":
            assert client.get(url).status_code in (404, 405), name
    assert client.get(reverse("networks:person", args=[world.teacher.pk])).status_code == 404


@pytest.mark.parametrize("role", ["parent"])
def test_parents_reach_no_object_of_the_staff(world, role):
    """A parent's account opens the parent spaces of their child's school, and nothing else."""
    client = client_for(world.people_by_role()[role])
    for name, url, has_objects in urls_to_walk(world, foreign=False):
        if has_objects and name not in PUBLIC:
            assert client.get(url).status_code in (404, 405), name


@pytest.mark.parametrize("role", ["member", "partner", "school_lead"])
def test_only_co_leaders_change_the_network(world, role):
    client = client_for(world.people_by_role()[role])
    network = world.network
    before = (
        NetworkMembership.objects.count(),
        NetworkRole.objects.count(),
        world.group.members.count(),
    )
    responses = [
        client.post(
            reverse("networks:add_school", args=[network.slug]), {"school": world.outside_school.pk}
        ),
        client.post(
            reverse("networks:roles", args=[network.slug]),
            {"person": world.teacher.pk, "role": "coach"},
        ),
        client.post(
            reverse("networks:add_group_member", args=[network.slug, world.group.pk]),
            {"school": world.school_b.pk},
        ),
        client.post(
            reverse("networks:create_group", args=[network.slug]),
            {"name": "Sneaky", "kind": "other"},
        ),
    ]
    assert [response.status_code for response in responses] == [403] * 4
    after = (
        NetworkMembership.objects.count(),
        NetworkRole.objects.count(),
        world.group.members.count(),
    )
    assert before == after


# What a programme's evaluator reads of a network that consented (netlearn/evaluation): its
# charter, golden threads and published reports, its network health (aggregated results,
# netlearn/health), and the programme's own pages. Everything else of
# the network (discussions, people, pupil records, activities, enquiries, impact, writing days)
# answers as for a stranger.
EVALUATOR_READS = ("charter:", "golden_thread:", "evaluation:", "reports:", "health:")


def test_evaluators_read_only_charters_and_golden_threads(world):
    client = client_for(walk.person_for(world, "evaluator"))
    # Outside the charter the evaluator fares exactly as a signed-in person of no network, who
    # opens only a library resource shared with every network on Netlearn.
    stranger = client_for(PersonFactory(username="stranger", name="Stan Stranger"))
    read = []
    for name, url, has_objects in urls_to_walk(world, foreign=False):
        if not has_objects or name in PUBLIC:
            continue
        response = client.get(url)
        assert response.status_code < 500, (name, response.status_code)
        if name.startswith("reports:writing_day"):
            # A writing day's compilation is the network's own.
            assert response.status_code in (404, 405), (name, response.status_code)
        elif name.startswith(EVALUATOR_READS):
            if response.status_code == 200:
                read.append(name)
        else:
            as_stranger = stranger.get(url).status_code
            assert response.status_code == as_stranger, (name, response.status_code, as_stranger)
            assert response.status_code in (404, 405) or name.startswith("library:"), name
    assert {"charter:detail", "golden_thread:focus", "evaluation:detail"} <= set(read), read
