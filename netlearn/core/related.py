"""Links into an earlier app's page from later apps, without the earlier app knowing them.

A decision taken at a meeting shows on that activity's page; a decision about the charter shows
on the charter. The charter and activities come before decisions and never import it, so a later
app registers what it has to show:

    from netlearn.core.related import RelatedLink, register_related

    def links_for_activity(*, viewer, obj) -> list[RelatedLink]: ...

    # in the app's AppConfig.ready():
    register_related("activity", links_for_activity)

and the earlier page asks `related_links("activity", viewer=..., obj=activity)`. Targets in use:
"charter" (obj: the network), "activity" (obj: the activity), "school" (obj: the school) and
"person" (obj: the person, on their page in the directory). A provider returns only what the
viewer may already see through its own app's policy, in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RelatedLink:
    heading: str
    """The section it shows under, e.g. "Decisions"."""
    title: str
    url: str
    detail: str = ""


_providers: dict[str, list[tuple[str, Callable]]] = {}


def register_related(target: str, provider: Callable, *, name: str | None = None) -> None:
    name = name or f"{provider.__module__}.{provider.__qualname__}"
    entries = _providers.setdefault(target, [])
    if all(existing != name for existing, _ in entries):
        entries.append((name, provider))


def related_links(target: str, *, viewer, obj) -> list[RelatedLink]:
    links = []
    for _, provider in _providers.get(target, []):
        links.extend(provider(viewer=viewer, obj=obj))
    return links


def grouped(links: list[RelatedLink]) -> list[tuple[str, list[RelatedLink]]]:
    """The links under their headings, headings in first-seen order, for a template."""
    sections: dict[str, list[RelatedLink]] = {}
    for link in links:
        sections.setdefault(link.heading, []).append(link)
    return list(sections.items())
