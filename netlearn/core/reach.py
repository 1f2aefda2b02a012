"""Read-only reach that a later app grants beyond the networks a person belongs to.

A programme's evaluators read the charters of the networks that consented to be evaluated
(`netlearn.evaluation`), without belonging to them. `networks.access` cannot import that app, so
the app registers a provider here in its `AppConfig.ready`, and `load_access` asks every provider
once per batch of people: one query per provider, whatever their number.
"""

from collections.abc import Callable, Iterable

ReachProvider = Callable[[list[int]], dict[int, Iterable[int]]]
"""person ids → {person id: the ids of the networks they may read, read-only}."""

_providers: dict[str, ReachProvider] = {}


def register_read_reach(name: str, provider: ReachProvider) -> None:
    """Adds (or, under the same name, replaces) a provider of read-only reach."""
    _providers[name] = provider


def read_reach(person_ids: list[int]) -> dict[int, frozenset[int]]:
    """The networks each person may read without belonging to them, from every provider."""
    reach: dict[int, set[int]] = {}
    if not person_ids:
        return {}
    for provider in _providers.values():
        for person_id, network_ids in provider(list(person_ids)).items():
            reach.setdefault(person_id, set()).update(network_ids)
    return {person_id: frozenset(ids) for person_id, ids in reach.items()}
