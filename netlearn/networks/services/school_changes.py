"""Schools that close, and schools amalgamated into one (docs/school-changes.md).

Falling rolls close schools and merge them (docs/seed-practices.md#school-changes): the network's
history must survive it. An amalgamation moves every record that points at a closing school to
the school that continues it, through each app's own `school_changes.py` (the contract:
netlearn/core/school_records.py), in one transaction: either every record moves or none does.
The closing schools stay, closed and readable, with the change that names them.
"""

import datetime
import importlib
import importlib.util
from dataclasses import dataclass
from types import ModuleType

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import policy, selectors
from ..access import forget_access
from ..errors import NotYourSchools, SchoolChangeRefused
from ..models import NetworkMembership, Phase, School, SchoolChange, SchoolChangeKind

MODULE = "school_changes"


def app_modules() -> list[ModuleType]:
    """Every netlearn app's `school_changes` module."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("netlearn."):
            continue
        name = f"{config.name}.{MODULE}"
        if importlib.util.find_spec(name) is not None:
            found.append(importlib.import_module(name))
    return found


def kind_label(key: str) -> str:
    """ "activities.activity.host_school" → "Activities (host school)"."""
    app_label, model_name, field_name = key.split(".")
    model = apps.get_model(app_label, model_name)
    if model._meta.auto_created:
        # A many-to-many's own table: name it after the model that holds the field.
        owner = next(
            field.related_model
            for field in model._meta.get_fields()
            if field.is_relation and field.related_model is not School
        )
        return f"{owner._meta.verbose_name_plural.capitalize()} (schools taking part)"
    label = str(model._meta.verbose_name_plural).capitalize()
    if field_name != "school":
        label += f" ({model._meta.get_field(field_name).verbose_name})"
    return label


@dataclass(frozen=True)
class RecordCount:
    key: str
    label: str
    by_school: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.by_school)


def records_of_schools(*, schools) -> list[RecordCount]:
    """How many records of each kind point at each school: what a change would move."""
    counts: dict[str, list[int]] = {}
    for index, school in enumerate(schools):
        for module in app_modules():
            for key, count in module.count_school(school=school).items():
                counts.setdefault(key, [0] * len(schools))[index] = count
    return [
        RecordCount(key=key, label=kind_label(key), by_school=tuple(values))
        for key, values in sorted(counts.items())
        if any(values)
    ]


def _check_date(on: datetime.date | None, what: str) -> datetime.date:
    today = timezone.localdate()
    if on is None:
        return today
    if on > today:
        raise SchoolChangeRefused(
            _("%(what)s is recorded once it has happened: choose a past date.") % {"what": what}
        )
    return on


def _check_allowed(by, schools) -> None:
    if by is None:  # the demo and the command line
        return
    school_networks = selectors.current_network_ids_by_school(schools=schools)
    if not policy.can_change_schools(by, school_networks):
        raise NotYourSchools(
            _(
                "Only a site admin, or a co-leader of every network each school belongs to, may "
                "close or amalgamate these schools: at least one of them is also a member of a "
                "network you do not lead, or of none."
            )
        )


def _locked(schools) -> list[School]:
    ids = [school.pk for school in schools]
    found = {school.pk: school for school in School.objects.select_for_update().filter(pk__in=ids)}
    return [found[pk] for pk in ids]


@transaction.atomic
def close_school(
    *, school: School, by, on: datetime.date | None = None, reason: str = ""
) -> SchoolChange:
    """Closes a school without a successor: it leaves its networks on the day and can join none
    again; its records stay with it, readable where it was a member."""
    reason = (reason or "").strip()
    on = _check_date(on, "A closure")
    if not reason:
        raise SchoolChangeRefused(
            _("Say why the school closed: the reason is kept in its history.")
        )
    (school,) = _locked([school])
    if school.is_closed:
        raise SchoolChangeRefused(_("%(school)s has already closed.") % {"school": school})
    _check_allowed(by, [school])
    for membership in NetworkMembership.objects.filter(school=school, left__isnull=True):
        membership.left = max(on, membership.joined)
        membership.save(update_fields=["left"])
    school.is_closed = True
    school.closed_on = on
    school.save(update_fields=["is_closed", "closed_on", "updated_at"])
    change = SchoolChange.objects.create(
        kind=SchoolChangeKind.CLOSURE, school=school, on=on, reason=reason, by=by
    )
    if by is not None:
        forget_access(by)
    return change


def _sum(carried: dict, more: dict) -> None:
    for key, counts in more.items():
        total = carried.setdefault(key, {"moved": 0, "kept": 0})
        total["moved"] += counts["moved"]
        total["kept"] += counts["kept"]


def _refuse_closed(schools) -> None:
    closed = [school for school in schools if school.is_closed]
    if closed:
        raise SchoolChangeRefused(
            _("%(closed)s has already closed: a closed school cannot be amalgamated.")
            % {"closed": closed[0]}
        )


@transaction.atomic
def amalgamate_schools(
    *,
    schools,
    by,
    on: datetime.date | None = None,
    reason: str = "",
    name: str = "",
    phase: str = "",
    continuing: School | None = None,
) -> SchoolChange:
    """Amalgamates `schools` into a new school named `name`, or into the `continuing` school.

    Every record of each closing school moves to the school that continues (a record that school
    already holds under a unique rule stays with the closing school, counted as kept), the
    closing schools are closed with the successor named, and the change is kept with its counts.
    Bad input raises `SchoolChangeRefused` before anything changes; a co-leader who does not lead
    every network of every school gets `NotYourSchools`.
    """
    schools = list(schools)
    name = (name or "").strip()
    reason = (reason or "").strip()
    on = _check_date(on, "An amalgamation")
    involved = [*schools, *([continuing] if continuing else [])]
    if len({school.pk for school in involved}) != len(involved):
        raise SchoolChangeRefused(
            _("A school cannot be amalgamated with itself: choose each once.")
        )
    if len(involved) < 2:
        raise SchoolChangeRefused(_("Choose at least two schools to amalgamate."))
    if continuing is None and not name:
        raise SchoolChangeRefused(_("Give the new school its name, or choose a continuing school."))
    if continuing is not None and name:
        raise SchoolChangeRefused(
            _("Either name a new school or choose a continuing school, not both.")
        )
    if phase and phase not in Phase.values:
        raise SchoolChangeRefused(_("Choose the new school's phase from the list."))
    if len({school.country for school in involved}) > 1:
        raise SchoolChangeRefused(_("Schools in different countries cannot be amalgamated."))
    involved = _locked(involved)
    _refuse_closed(involved)
    _check_allowed(by, involved)
    schools = involved[: len(schools)]
    if continuing is None:
        first = schools[0]
        target = School.objects.create(
            name=name,
            country=first.country,
            phase=phase or first.phase,
            authority=first.authority,
            setting=first.setting if len({s.setting for s in schools}) == 1 else "",
            is_demo=all(school.is_demo for school in schools),
        )
    else:
        target = involved[-1]
    # Every closing school names its successor first: a module may need to know which schools
    # become one (a loan between two of them stays as it was).
    for school in schools:
        school.is_closed = True
        school.closed_on = on
        school.successor = target
        school.save(update_fields=["is_closed", "closed_on", "successor", "updated_at"])
    carried: dict[str, dict[str, int]] = {}
    modules = app_modules()
    for school in schools:
        for module in modules:
            _sum(carried, module.carry_school(from_school=school, to_school=target, on=on))
    change = SchoolChange.objects.create(
        kind=SchoolChangeKind.AMALGAMATION,
        school=target,
        formed_new=continuing is None,
        on=on,
        reason=reason,
        by=by,
        carried=dict(sorted(carried.items())),
    )
    change.predecessors.set(schools)
    if by is not None:
        forget_access(by)
    return change


@dataclass(frozen=True)
class CarriedCount:
    key: str
    label: str
    moved: int
    kept: int


def carried_counts(carried: dict) -> list[CarriedCount]:
    """A change's `carried` as labelled rows, the kinds with no rows left out."""
    return [
        CarriedCount(key=key, label=kind_label(key), moved=counts["moved"], kept=counts["kept"])
        for key, counts in sorted(carried.items())
        if counts["moved"] or counts["kept"]
    ]


class _DryRun(Exception):
    pass


def preview_amalgamation(**terms) -> list[CarriedCount]:
    """What `amalgamate_schools(**terms)` would move and keep, by doing it and rolling it back:
    the same checks, the same errors, the exact counts; nothing is changed."""
    carried: dict = {}
    try:
        with transaction.atomic():
            carried = amalgamate_schools(**terms).carried
            raise _DryRun
    except _DryRun:
        pass
    return carried_counts(carried)
