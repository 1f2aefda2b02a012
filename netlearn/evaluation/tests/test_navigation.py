"""An evaluator is shown only links they can open: every link on the pages they read (the
programme, each network's charter, golden threads and published reports, the menus and
breadcrumbs) answers, and none leads to a 403 or a 404."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from netlearn.golden_thread.tests import thread_factories
from netlearn.networks.tests.factories import PersonFactory
from netlearn.reports.tests.factories import published_report

from . import factories

HREF = re.compile(r'href="([^"#]*)"')
# Files are fetched, not read for links.
DOCUMENTS = ("/pdf/", ".pdf", "/xlsx/", ".xlsx", "/csv/", ".csv", ".ics")


@pytest.fixture
def evaluator(db):
    return PersonFactory(username="eve", name="Eve Evaluator")


@pytest.fixture
def programme(world, evaluator):
    """The home network (a focus with its thread, a published report) and a second network
    consent; the evaluator belongs to neither."""
    made = factories.programme(world, evaluator=evaluator)
    focus, goal = thread_factories.focus_with_goal(world)
    thread_factories.add_activity(world, focus)
    enquiry = thread_factories.add_pdsa(world, focus, goal)
    thread_factories.publish_account(world, enquiry)
    thread_factories.value_added(world, goal)
    published_report(world)
    factories.joined(world, made, world.network, world.co_leader)
    other, other_lead = factories.led_network(world, name="Pendle Small Schools NLC")
    factories.joined(world, made, other, other_lead)
    return made


def _links(html: str) -> set[str]:
    links = set()
    for href in HREF.findall(html):
        href = href.replace("&amp;", "&")
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not href.startswith("/"):
            continue  # another site, or a data: URL
        if href.startswith("/static/"):
            continue
        links.add(href)
    return links


def test_every_link_an_evaluator_is_shown_opens(world, evaluator, programme):
    client = Client()
    client.force_login(evaluator)
    start = [reverse("web:home"), reverse("evaluation:list")]
    seen: dict[str, int] = {}
    found_on: dict[str, str] = {}
    queue = list(start)
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code != 200 or any(mark in url for mark in DOCUMENTS):
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for link in _links(response.content.decode()):
            if link not in seen:
                found_on.setdefault(link, url)
                queue.append(link)
    broken = {url: (code, found_on.get(url)) for url, code in seen.items() if code in (403, 404)}
    assert not broken, "\n".join(f"{u} {c} on {p}" for u, (c, p) in sorted(broken.items()))
    # The walk reached every kind of page the evaluator reads, in both networks.
    other = programme.memberships.exclude(network=world.network).get().network
    for network in (world.network, other):
        assert reverse("charter:detail", args=[network.slug]) in seen
    assert any("/reports/" in url for url in seen)
    assert any("/thread/" in url or "golden" in url for url in seen), sorted(seen)
