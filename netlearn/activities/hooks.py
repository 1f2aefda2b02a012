"""Where later apps act on what activities did, inside the same transaction.

Activities knows nothing of money; the exchange app (docs/exchange.md#release-funding) registers
here in its `AppConfig.ready` to commit release funding when a request is approved and to spend
or free it when the register is taken, and to add its staff loans, facility bookings and release
days to the calendar feeds (`on_feed`). A hook runs inside the service's transaction, so a hook
that refuses (a release budget that would be overdrawn) refuses the whole change with its
message. Imports still point one way: activities never imports the apps that listen.
"""

from collections.abc import Callable

_release_decided: list[Callable] = []
_register_taken: list[Callable] = []
_feed_providers: list[Callable] = []


def on_release_decided(handler: Callable) -> None:
    """`handler(*, release_request, by)` runs after a decision is saved."""
    if handler not in _release_decided:
        _release_decided.append(handler)


def on_register_taken(handler: Callable) -> None:
    """`handler(*, occurrence, by)` runs after a register (or one line of it) is saved."""
    if handler not in _register_taken:
        _register_taken.append(handler)


def release_decided(*, release_request, by) -> None:
    for handler in _release_decided:
        handler(release_request=release_request, by=by)


def register_taken(*, occurrence, by) -> None:
    for handler in _register_taken:
        handler(occurrence=occurrence, by=by)


def on_feed(provider: Callable) -> None:
    """`provider(*, viewer, network)` returns `ical.FeedEvent`s for a calendar feed: the
    viewer's own (network None) or a network's they may see. The provider decides what the
    viewer may see, as its own policy says; a feed is read with the feed key's owner as viewer."""
    if provider not in _feed_providers:
        _feed_providers.append(provider)


def feed_events(*, viewer, network=None) -> list:
    return [
        event for provider in _feed_providers for event in provider(viewer=viewer, network=network)
    ]
