"""Each demo network speaks its own country's words: a crawl of its pages finds none of the other
country's terms (networks/country.py lists them) and, in New Zealand, no pound sign."""

import html
import re
from urllib.parse import urlparse

import pytest
from django.test import Client

from netlearn.accounts.models import Person
from netlearn.core.navigation import network_links
from netlearn.networks.country import profile_of
from netlearn.networks.models import Network

pytestmark = pytest.mark.xdist_group("demo")

PAGES_PER_NETWORK = 40
SKIPPED = re.compile(r"/(download|export|pdf|ical|csv)\b|\.(pdf|csv|ics|zip)$|/sign-out/")


def visible_text(page: str) -> str:
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<[^>]+>", " ", page)
    return html.unescape(page)


def found_terms(text: str, terms) -> set[str]:
    return {term for term in terms if re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text)}


def crawl(client: Client, network: Network, person) -> dict[str, str]:
    """The network's pages: its navigation, then the links on them that stay in the network."""
    prefix = f"/n/{network.slug}/"
    queue = [link.url for link in network_links(network=network, person=person)]
    seen: dict[str, str] = {}
    while queue and len(seen) < PAGES_PER_NETWORK:
        url = queue.pop(0)
        if url in seen or SKIPPED.search(url):
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            seen[url] = ""
            continue
        page = response.content.decode()
        seen[url] = page
        for href in re.findall(r'href="([^"#?]+)', page):
            path = urlparse(html.unescape(href)).path
            if path.startswith(prefix) and path not in seen:
                queue.append(path)
    return seen


def test_no_demo_network_page_holds_the_other_countrys_terms(demo_sign_ins):
    admin = Person.objects.get(username="admin")
    client = Client()
    client.force_login(admin)
    problems = []
    for network in Network.objects.filter(is_demo=True):
        profile = profile_of(network)
        pages = crawl(client, network, admin)
        assert len([page for page in pages.values() if page]) >= 5, network.slug
        for url, page in pages.items():
            text = visible_text(page)
            for term in sorted(found_terms(text, profile.other_country_terms)):
                at = text.find(term)
                problems.append(f"{url}: {term!r} in …{text[max(0, at - 60) : at + 40]!r}…")
    assert not problems, "\n".join(problems)
