"""Importing schools from a GIAS extract or the NZ directory, all or nothing."""

from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from netlearn.core.policy import require

from .. import policy
from ..access import forget_access
from ..imports import Problem, SchoolFile, SchoolFileRefused, parse_school_file, read_limited
from ..models import Country, Network, NetworkMembership, School
from .memberships import _today


@dataclass(frozen=True)
class ImportResult:
    format: str
    country: str
    rows: int
    created: int
    updated: int
    unchanged: int
    skipped_closed: int
    network: Network | None = None
    marked_closed: int = 0
    added_to_network: int = 0
    already_in_network: int = 0


# SQLite allows 999 variables a query before 3.32; keep every IN list under it.
_IN_CHUNK = 900
_BULK_BATCH = 1000


def _chunks(items: list, size: int = _IN_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def import_schools(*, file, by, network: Network | None = None) -> ImportResult:
    """Creates or updates schools from a GIAS extract or the NZ directory, all or nothing.

    Schools are matched by (country, reference); with `network`, every imported school becomes a
    member unless it already is one. Raises PermissionDenied, or SchoolFileRefused listing every
    problem, and then has written nothing. `by=None` is for trusted callers (the command).
    """
    if by is not None:
        require(policy.can_import_schools(by))
        if network is None:
            # Co-leaders import into one of their networks; only site admins import bare schools.
            require(policy.managed_network_ids(by) is None)
        else:
            require(policy.can_manage_network(by, network))
    parsed = parse_school_file(read_limited(file))
    if network is not None and network.country != parsed.country:
        raise SchoolFileRefused(
            [
                Problem(
                    None,
                    None,
                    f"This file lists schools in {Country(parsed.country).label}, but {network} "
                    f"is a network in {Country(network.country).label}.",
                )
            ]
        )
    try:
        with transaction.atomic():
            result = _write_schools(parsed=parsed, network=network)
    except IntegrityError:
        # Another import or edit created the same school or membership meanwhile.
        raise SchoolFileRefused(
            [
                Problem(
                    None,
                    None,
                    "These schools changed while importing; nothing was saved. Try again.",
                )
            ]
        ) from None
    if by is not None:
        forget_access(by)
    return result


def _update_schools(schools: list[School], names: list[str]) -> None:
    """One parameterised UPDATE run for every school.

    bulk_update() builds a CASE WHEN expression per field and school: 40,000 changed schools
    took 50 s that way, against a few seconds here.
    """
    if not schools:
        return
    quote = connection.ops.quote_name
    model_fields = [School._meta.get_field(name) for name in names]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in model_fields)
    sql = (
        f"UPDATE {quote(School._meta.db_table)} SET {assignments} "
        f"WHERE {quote(School._meta.pk.column)} = %s"
    )
    params = [
        [
            field.get_db_prep_save(getattr(school, field.attname), connection)
            for field in model_fields
        ]
        + [school.pk]
        for school in schools
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), _BULK_BATCH):
            cursor.executemany(sql, params[start : start + _BULK_BATCH])


def _write_schools(*, parsed: SchoolFile, network: Network | None) -> ImportResult:
    """Caller holds the transaction."""
    fields = list(parsed.fields)
    references = [row.reference for row in parsed.rows]
    existing: dict[str, School] = {}
    for chunk in _chunks(references):
        for school in (
            School.objects.select_for_update()
            .filter(country=parsed.country, reference__in=chunk)
            .only("pk", "reference", *fields)
        ):
            existing[school.reference] = school
    now = timezone.now()
    to_create: list[School] = []
    to_update: list[School] = []
    for row in parsed.rows:
        school = existing.get(row.reference)
        if school is None:
            to_create.append(School(country=parsed.country, reference=row.reference, **row.values))
            continue
        changed = False
        for name, value in row.values.items():
            if getattr(school, name) != value:
                setattr(school, name, value)
                changed = True
        if changed:
            school.updated_at = now
            to_update.append(school)
    School.objects.bulk_create(to_create, batch_size=_BULK_BATCH)
    _update_schools(to_update, [*fields, "updated_at"])
    # A school the list says has closed stays on Netlearn, with its history, marked closed; one
    # we never had is not created.
    marked_closed = known_closed = 0
    for chunk in _chunks(list(parsed.closed)):
        listed = School.objects.filter(country=parsed.country, reference__in=chunk)
        known_closed += listed.count()
        marked_closed += listed.filter(is_closed=False).update(is_closed=True, updated_at=now)
    added = already = 0
    if network is not None:
        school_ids = [school.pk for school in existing.values()]
        created_refs = [school.reference for school in to_create]
        for chunk in _chunks(created_refs):
            school_ids.extend(
                School.objects.filter(country=parsed.country, reference__in=chunk).values_list(
                    "pk", flat=True
                )
            )
        today = _today()
        members: set[int] = set()
        for chunk in _chunks(school_ids):
            members.update(
                NetworkMembership.objects.filter(network=network, school_id__in=chunk)
                .filter(Q(left__isnull=True) | Q(left__gt=today))
                .values_list("school_id", flat=True)
            )
        new_ids = [school_id for school_id in school_ids if school_id not in members]
        NetworkMembership.objects.bulk_create(
            [NetworkMembership(network=network, school_id=pk, joined=today) for pk in new_ids],
            batch_size=_BULK_BATCH,
        )
        added, already = len(new_ids), len(members)
    return ImportResult(
        format=parsed.format,
        country=parsed.country,
        rows=len(parsed.rows),
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(parsed.rows) - len(to_create) - len(to_update),
        skipped_closed=parsed.skipped_closed - known_closed,
        marked_closed=marked_closed,
        network=network,
        added_to_network=added,
        already_in_network=already,
    )
