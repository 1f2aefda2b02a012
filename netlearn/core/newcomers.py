"""Newcomers to a network, announced by `networks` to the apps that welcome them.

When a school joins a network, or a school of a network gets a new head, `networks` announces the
newcomer here; professional learning (docs/programmes.md#induction) registers in its
`AppConfig.ready` to start an induction plan. Imports point one way: `networks` never imports
the apps that listen.

    from netlearn.core.newcomers import on_newcomer

    def welcome(*, network, school, person, kind) -> None: ...

    # in the app's AppConfig.ready():
    on_newcomer(welcome)

Handlers run once the join commits (`transaction.on_commit`), each in its own try: a handler that
fails is logged and never undoes the join, nor stops the other handlers. `kind` is `NEW_SCHOOL`
(a school joined, `person` is its head) or `NEW_HEAD` (a school already in the network has a new
head, `person`).
"""

from collections.abc import Callable

from django.db import transaction

NEW_SCHOOL = "new_school"
NEW_HEAD = "new_head"

_handlers: list[Callable] = []


def on_newcomer(handler: Callable) -> None:
    """`handler(*, network, school, person, kind)` runs after a newcomer's join commits."""
    if handler not in _handlers:
        _handlers.append(handler)


def announce_newcomer(*, network, school, person, kind: str) -> None:
    """Calls every registered handler once the caller's transaction commits."""
    if kind not in (NEW_SCHOOL, NEW_HEAD):
        raise ValueError(f"Unknown kind of newcomer: {kind!r}")
    for handler in list(_handlers):
        transaction.on_commit(
            lambda handler=handler: handler(
                network=network, school=school, person=person, kind=kind
            ),
            robust=True,
        )
