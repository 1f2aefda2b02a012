"""What needs me: the personal home and a network's home, filled by every app without the ground
floor knowing any of them.

The registry API (small on purpose; other apps add their own providers the same way):

    from netlearn.core.home import HomeItem, register_home_provider

    def home_items(context: HomeContext) -> Iterable[HomeItem]:
        ...

    # in the app's AppConfig.ready():
    register_home_provider("charter", selectors.home_items)

A provider is called once per page with a `HomeContext`:
- `context.person`: the signed-in person (staff; pupils have no home feed).
- `context.network`: None for the personal home; a network the person may see for that network's
  home, where the provider gives what is coming up and new *in the network* (not personal).
- `context.since`: "new" means created after this moment (the person's previous visit, or a window).
- `context.now`: the moment of the page, so every provider agrees on it.

It returns `HomeItem`s, each in one section: `WAITING` (something the person must act on),
`COMING` (what is coming up) or `NEW` (new since `since`). Contract: a provider runs a fixed number
of queries whatever the number of networks, activities or rows (filter in the database, slice to
`context.limit`), and returns only what the person may already see through its app's policy.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy

WAITING = "waiting"
COMING = "coming"
NEW = "new"
SECTIONS = (WAITING, COMING, NEW)
SECTION_TITLES = {
    WAITING: gettext_lazy("Waiting for you"),
    COMING: gettext_lazy("Coming up"),
    NEW: gettext_lazy("New since your last visit"),
}
# Per section of a page: the home is a starting point, each item links to the full list.
SECTION_LIMIT = 20
# "New" on a first visit, and on a network's home (which has no visits of its own): this far back.
NEW_WINDOW = datetime.timedelta(days=14)


@dataclass(frozen=True)
class HomeItem:
    section: str
    title: str
    url: str
    when: datetime.datetime | None = None
    network: str = ""
    """The network's name, shown beside the item on the personal home."""
    kind: str = ""
    """A short label of what it is ("Charter", "Release request"), shown before the title."""

    def __post_init__(self):
        if self.section not in SECTIONS:
            raise ValueError(f"A home item's section is one of {SECTIONS}, not {self.section!r}.")


@dataclass(frozen=True)
class HomeContext:
    person: object
    since: datetime.datetime
    now: datetime.datetime
    network: object | None = None
    limit: int = SECTION_LIMIT


@dataclass(frozen=True)
class HomeFeed:
    waiting: list[HomeItem] = field(default_factory=list)
    coming: list[HomeItem] = field(default_factory=list)
    new: list[HomeItem] = field(default_factory=list)
    since: datetime.datetime | None = None

    @property
    def sections(self) -> list[tuple[str, str, list[HomeItem]]]:
        return [(name, SECTION_TITLES[name], getattr(self, name)) for name in SECTIONS]

    @property
    def is_empty(self) -> bool:
        return not (self.waiting or self.coming or self.new)


HomeProvider = Callable[[HomeContext], Iterable[HomeItem]]
_providers: dict[str, HomeProvider] = {}


def register_home_provider(name: str, provider: HomeProvider) -> None:
    """Adds a provider under `name`; the same name again replaces it (reloads, tests)."""
    _providers[name] = provider


def registered_providers() -> dict[str, HomeProvider]:
    return dict(_providers)


def _sorted(section: str, items: list[HomeItem]) -> list[HomeItem]:
    far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    if section == COMING:
        # Soonest first; undated last.
        return sorted(items, key=lambda item: (item.when or far, item.title))
    # Waiting and new: the most recent first, undated last.
    return sorted(items, key=lambda item: (item.when is None, -(item.when or far).timestamp()))


def build_feed(context: HomeContext) -> HomeFeed:
    """Calls every provider and files its items by section, each sorted and cut to the limit."""
    found: dict[str, list[HomeItem]] = {name: [] for name in SECTIONS}
    for _name, provider in sorted(_providers.items()):
        for item in provider(context):
            if context.network is not None and item.section == WAITING:
                continue  # a network's home is the network's, not a to-do list
            found[item.section].append(item)
    cut = {section: _sorted(section, items)[: context.limit] for section, items in found.items()}
    return HomeFeed(**cut, since=context.since)


def personal_feed(*, person, since: datetime.datetime | None = None, now=None) -> HomeFeed:
    """The personal home: what waits for the person, what is coming, what is new since `since`
    (their previous visit; `NEW_WINDOW` back on a first one)."""
    now = now or timezone.now()
    return build_feed(HomeContext(person=person, since=since or now - NEW_WINDOW, now=now))


def network_feed(*, person, network, now=None) -> HomeFeed:
    """A network's home, for a person the caller has checked may see the network."""
    now = now or timezone.now()
    return build_feed(HomeContext(person=person, since=now - NEW_WINDOW, now=now, network=network))
