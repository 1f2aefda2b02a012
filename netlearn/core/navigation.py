"""The network navigation: each app registers its own entry, so the ground floor knows none.

An app adds its page in its `AppConfig.ready` with `register_network_page`; the navigation shows
the pages in `order`, each to the people its `visible` check lets see it (everyone who sees the
network, unless given).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NetworkPage:
    label: str
    url_name: str
    order: int
    visible: Callable[[object, object], bool] | None = None
    """(person, network) → whether the person sees the entry: the page's own rule, so nobody is
    shown a link that answers 404 (a programme's evaluator reads a network's charter and reports,
    not its members' pages)."""


@dataclass(frozen=True)
class NavigationLink:
    label: str
    url: str
    current: bool = False
    """The page the person is on, or a page under it: marked `aria-current="page"`."""


_pages: dict[str, NetworkPage] = {}


def register_network_page(
    *,
    label: str,
    url_name: str,
    order: int,
    visible: Callable[[object, object], bool] | None = None,
) -> None:
    """Adds a page to every network's navigation; the same url_name again replaces it."""
    _pages[url_name] = NetworkPage(label, url_name, order, visible)


def network_links(*, network, person, current_path: str = "") -> list[NavigationLink]:
    """The network's navigation for `person`, in order. Checks use preloaded roles: no queries.

    With `current_path`, the entry whose address is the longest start of it is the current one
    (the overview's address starts every other page's, so the longest wins)."""
    links = [
        NavigationLink(page.label, reverse(page.url_name, args=[network.slug]))
        for page in sorted(_pages.values(), key=lambda page: page.order)
        if page.visible is None or page.visible(person, network)
    ]
    matching = [link for link in links if current_path.startswith(link.url)]
    if not matching:
        return links
    current = max(matching, key=lambda link: len(link.url))
    return [NavigationLink(link.label, link.url, current=link is current) for link in links]


def network_entry(*, network, person) -> str:
    """Where a network's name leads the person: the first page of its navigation they may open
    (its overview for a member, its charter for a programme's evaluator), so a breadcrumb never
    leads to a 404. No queries."""
    for page in sorted(_pages.values(), key=lambda page: page.order):
        if page.visible is None or page.visible(person, network):
            return reverse(page.url_name, args=[network.slug])
    return reverse("web:home")
