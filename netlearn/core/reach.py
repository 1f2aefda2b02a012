"""Read-only reach that a later app grants beyond the networks a person belongs to.

A programme's evaluators read the charters of the networks that consented to be evaluated
(`netlearn.evaluation`), without belonging to them. `networks.access` cannot import that app, so
the app registers a provider here in its `AppConfig.ready`, and `load_access` asks every provider
once per batch of people: one query per provider, whatever their number.
"""

import uuid
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

ReachProvider = Callable[[list[int]], dict[int, Iterable[int]]]
"""person ids → {person id: the ids of the networks they may read, read-only}."""

_providers: dict[str, ReachProvider] = {}


def register_read_reach(name: str, provider: ReachProvider, *, sources=()) -> None:
    """Adds (or, under the same name, replaces) a provider of read-only reach; `sources` are the
    models its answer is read from (watched: `watch_reach_sources`)."""
    _providers[name] = provider
    watch_reach_sources(*sources)


def read_reach(person_ids: list[int]) -> dict[int, frozenset[int]]:
    """The networks each person may read without belonging to them, from every provider."""
    reach: dict[int, set[int]] = {}
    if not person_ids:
        return {}
    for provider in _providers.values():
        for person_id, network_ids in provider(list(person_ids)).items():
            reach.setdefault(person_id, set()).update(network_ids)
    return {person_id: frozenset(ids) for person_id, ids in reach.items()}


# Remembering reach between requests ---------------------------------------------------------
#
# `networks.access` keeps each person's reach in the cache between requests. Each model whose
# rows decide someone's reach is watched (`watch_reach_sources`): saving or deleting a row, or a
# bulk write through `ReachQuerySet`, draws a new generation, and everything remembered under
# the old one is ignored. The generation is drawn at once (the same transaction reads afresh) and
# again after the commit (a request that read the old rows meanwhile remembered them under the
# generation drawn at once).

REACH_GENERATION_KEY = "netlearn:reach:generation"


def _draw_generation() -> None:
    cache.set(REACH_GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def reach_changed(**_signal) -> None:
    _draw_generation()
    transaction.on_commit(_draw_generation)


def current_generation(found: str | None) -> str:
    """The generation read with a remembered reach, or a new one when the cache has none."""
    if found is not None:
        return found
    cache.add(REACH_GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    return cache.get(REACH_GENERATION_KEY)


class ReachQuerySet(models.QuerySet):
    """Bulk writes send no signals: these tell the remembered reach that rows changed."""

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        reach_changed()
        return rows

    update.alters_data = True

    def bulk_create(self, *args, **kwargs):
        made = super().bulk_create(*args, **kwargs)
        reach_changed()
        return made

    bulk_create.alters_data = True

    def bulk_update(self, *args, **kwargs):
        rows = super().bulk_update(*args, **kwargs)
        reach_changed()
        return rows

    bulk_update.alters_data = True


def watch_reach_sources(*sources) -> None:
    """Models whose saved or deleted rows change someone's reach (their querysets derive from
    `ReachQuerySet`, so bulk writes count too)."""
    for model in sources:
        if not issubclass(model.objects._queryset_class, ReachQuerySet):
            raise TypeError(f"{model.__name__}'s queryset must derive from ReachQuerySet")
        uid = f"netlearn.reach.{model._meta.label}"
        post_save.connect(reach_changed, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(reach_changed, sender=model, weak=False, dispatch_uid=uid)
