"""Carrying a school's records to another school, for closures and amalgamations.

docs/school-changes.md: when schools amalgamate, every record that points at a closing school
moves to the school that continues it. Each app that holds a foreign key to `School` says so in
its own module `netlearn/<app>/school_changes.py` (found at call time, like `personal_data.py`):

    FIELDS: tuple[tuple[type[Model], str], ...]   # (model, field) for each foreign key to School
    KEPT: tuple[tuple[type[Model], str], ...]     # optional: foreign keys that stay, by design
    def count_school(*, school) -> dict[str, int]
    def carry_school(*, from_school, to_school, on) -> dict[str, dict[str, int]]

Most apps need no more than the two helpers below. A unique constraint that includes the school
(one sign-off per charter version and school, one place per course and school) may already be
met by the school that continues: the closing school's row then stays where it is, readable with
the closed school, and is counted as "kept" rather than moved. Nothing is ever deleted.
"""

from django.db.models import Model, Q, UniqueConstraint


def key(model: type[Model], field: str) -> str:
    return f"{model._meta.label_lower}.{field}"


def count_rows(fields, *, school) -> dict[str, int]:
    """Rows of each (model, field) that point at the school."""
    return {
        key(model, field): model._default_manager.filter(**{field: school}).count()
        for model, field in fields
    }


def _unique_sets(model: type[Model], field: str):
    for constraint in model._meta.constraints:
        if isinstance(constraint, UniqueConstraint) and field in (constraint.fields or ()):
            yield constraint.fields, constraint.condition
    for together in model._meta.unique_together:
        if field in together:
            yield tuple(together), None


def colliding_ids(model: type[Model], field: str, *, from_school, to_school) -> set[int]:
    """Rows of `from_school` that `to_school` already holds under a unique constraint."""
    manager = model._default_manager
    blocked: set[int] = set()
    for fields, condition in _unique_sets(model, field):
        others = [name for name in fields if name != field]
        where = condition or Q()
        taken = (
            {
                tuple(values)
                for values in manager.filter(where, **{field: to_school}).values_list(*others)
            }
            if others
            else ({()} if manager.filter(where, **{field: to_school}).exists() else set())
        )
        for pk, *values in manager.filter(where, **{field: from_school}).values_list("pk", *others):
            # NULLs never collide in a unique constraint.
            if None not in values and tuple(values) in taken:
                blocked.add(pk)
    return blocked


def carry_rows(fields, *, from_school, to_school) -> dict[str, dict[str, int]]:
    """Moves every row of each (model, field) from one school to the other, except those the
    other school already holds under a unique constraint (kept with `from_school`)."""
    carried = {}
    for model, field in fields:
        blocked = colliding_ids(model, field, from_school=from_school, to_school=to_school)
        moved = (
            model._default_manager.filter(**{field: from_school})
            .exclude(pk__in=blocked)
            .update(**{field: to_school})
        )
        carried[key(model, field)] = {"moved": moved, "kept": len(blocked)}
    return carried
