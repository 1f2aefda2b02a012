"""Each demo network speaks its own country's words: a crawl of its pages finds none of the other
country's terms (networks/country.py lists them) and, in New Zealand, no pound sign."""

import html
import io
import re
from urllib.parse import urlparse

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

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


def embedded_fonts(reader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts") or [font]
            for part in descendants:
                descriptor = part.get_object().get("/FontDescriptor")
                if descriptor is not None and any(
                    key in descriptor.get_object()
                    for key in ("/FontFile", "/FontFile2", "/FontFile3")
                ):
                    names.add(str(font["/BaseFont"]))
    return names


def test_the_kahui_akos_charter_pdf_keeps_its_macrons_as_text(demo_sign_ins):
    network = Network.objects.get(slug="matatahi-kahui-ako")
    assert network.name == "Mātātahi Kāhui Ako"
    client = Client()
    client.force_login(Person.objects.get(username="kahuilead"))
    response = client.get(reverse("charter:pdf", args=[network.slug]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Mātātahi Kāhui Ako" in text
    assert "Maataatahi" not in text and "Kaahui" not in text
    # Every font is embedded (DejaVu Sans: macrons and Welsh letters alike), and the document's
    # language is the person's: New Zealand English for the Kāhui Ako's lead.
    fonts = embedded_fonts(reader)
    assert fonts and all("DejaVu" in name for name in fonts), fonts
    assert reader.trailer["/Root"]["/Lang"] == "en-NZ"
