"""A person's data: everything Netlearn holds about them, exported as one file, or erased.

docs/safety.md#retention-and-erasure: a person's data is exported and erased completely, and a
test fails when a model holding personal data is missing from the export. Every app whose models
hold personal data (a foreign key or many-to-many to `Person`, or a person's own words) has
`<app>/personal_data.py`:

    MODELS: tuple[type[Model], ...]              # every such model of the app
    def export(person) -> dict[str, list[dict]]  # {"<app>.<model>": [JSON-ready rows]}
    def erase(person) -> None                    # delete or anonymise what is theirs

This module is the accounts app's own such module, and it gathers the others' at call time
(`app_modules`), so that accounts imports no later app. `export_person_data` and `erase_person`
are the two operations; the helpers below (`rows`, `refers_to`, `scrub_identifiers`) are for the
apps' modules, so that every app renders people and scrubs names the same way.

Erasure keeps the `Person` row as a tombstone named "Former member" (docs/architecture.md): the
records a network relies on (registers, charter versions, resources and their trials) keep a
valid author, and nothing left on the row says who they were.
"""

import datetime
import importlib
import importlib.util
import json
import logging
import re
import secrets
import sys
import tempfile
import zipfile
from decimal import Decimal
from pathlib import PurePath
from types import ModuleType
from uuid import UUID

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Cast
from django.utils import timezone

from . import policy
from .models import AccessToken, Expertise, Person, SignedInSession
from .services import forget_sessions

logger = logging.getLogger(__name__)

FORMAT = "netlearn-personal-data/1"
FORMER_MEMBER = "Former member"
# How a row names people: the person the export is for, and anybody else (whose names and ids
# are theirs, not this person's: docs/safety.md#access).
YOU = "you"
SOMEONE_ELSE = "another person"
NEVER_EXPORTED = {"password", "token_hash", "session_key"}


# --- helpers for the apps' modules -----------------------------------------------------------


def person_fields(model) -> list[models.Field]:
    """The model's own foreign keys, one-to-ones and many-to-manys to Person."""
    return [
        field
        for field in model._meta.get_fields()
        if field.is_relation
        and not field.auto_created
        and field.concrete
        and field.related_model is Person
    ]


def refers_to(model, person) -> Q:
    """Rows of `model` that name `person` through any of its person fields."""
    condition = Q(pk__in=[])
    for field in person_fields(model):
        condition |= Q(**{field.name: person})
    return condition


def plain(value):
    """A value as JSON holds it."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    return value


def serialise(instance, person, *, exclude=(), extra=None) -> dict:
    """One row: its concrete fields, other rows by id, people as "you" or "another person"."""
    row = {"id": instance.pk}
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.name in exclude or field.name in NEVER_EXPORTED:
            continue
        if field.is_relation:
            related_id = getattr(instance, field.attname)
            if field.related_model is Person:
                row[field.name] = (
                    None if related_id is None else YOU if related_id == person.pk else SOMEONE_ELSE
                )
            else:
                row[field.name] = related_id
        else:
            row[field.name] = plain(field.value_from_object(instance))
    if extra:
        row.update({key: plain(value) for key, value in extra(instance).items()})
    return row


def rows(queryset, person, *, exclude=(), extra=None) -> list[dict]:
    return [serialise(row, person, exclude=exclude, extra=extra) for row in queryset]


def label(model) -> str:
    return model._meta.label_lower


def identifiers(person) -> list[str]:
    # Two-letter usernames would scrub words from others' prose; names and emails are longer.
    found = {person.name.strip(), person.email.strip(), person.username.strip()}
    return sorted((text for text in found if len(text) >= 3), key=len, reverse=True)


def _pattern(person) -> re.Pattern | None:
    words = identifiers(person)
    if not words:
        return None
    return re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(word) for word in words) + r")(?!\w)", re.IGNORECASE
    )


def _scrubbed(value, pattern):
    if isinstance(value, str):
        return pattern.sub(FORMER_MEMBER, value)
    if isinstance(value, list):
        return [_scrubbed(item, pattern) for item in value]
    if isinstance(value, dict):
        return {key: _scrubbed(item, pattern) for key, item in value.items()}
    return value


def text_fields(model) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField | models.JSONField)
        and not field.primary_key
        and not field.choices
    ]


def scrub_identifiers(queryset, person) -> list[int]:
    """Replaces the person's name, email and username in the text of `queryset`'s rows with
    "Former member". Returns the ids of the rows it changed.

    Writes with `update()`, so no `auto_now` stamp moves and no save() side effect runs: the
    rows are not edited by anyone, only cleared of a name.
    """
    pattern = _pattern(person)
    fields = text_fields(queryset.model)
    if pattern is None or not fields:
        return []
    changed = []
    for row in queryset.values("pk", *[field.attname for field in fields]):
        changes = {}
        for field in fields:
            value = row[field.attname]
            cleaned = _scrubbed(value, pattern)
            if cleaned != value:
                changes[field.attname] = cleaned
        if changes:
            queryset.model._base_manager.filter(pk=row["pk"]).update(**changes)
            changed.append(row["pk"])
    return changed


def mentioning(queryset, person):
    """The rows of `queryset` whose text names the person, whoever wrote them: a colleague's
    post or note that mentions them is scrubbed as well as their own (docs/architecture.md)."""
    words = identifiers(person)
    fields = text_fields(queryset.model)
    if not words or not fields:
        return queryset.none()
    condition = Q()
    as_text = {}
    for field in fields:
        lookup = field.attname
        if isinstance(field, models.JSONField):
            lookup = f"_as_text_{field.attname}"
            as_text[lookup] = Cast(field.attname, output_field=models.TextField())
        for word in words:
            condition |= Q(**{f"{lookup}__icontains": word})
    return queryset.alias(**as_text).filter(condition)


def delete_files_on_commit(files) -> None:
    """Deletes stored files once the erasure commits, so that a rollback keeps them."""
    for stored in files:
        if stored:
            storage, name = stored.storage, stored.name
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


# Who a person is stays on their own row: a namesake keeps their name, and usernames and emails
# are never rewritten under their owners.
_IDENTITY = {(Person, "name"), (Person, "username"), (Person, "email")}


def _sweepable_fields(model) -> list[models.Field]:
    return [
        field
        for field in text_fields(model)
        if not field.unique and (model, field.name) not in _IDENTITY
    ]


def scrub_mentions_everywhere(person) -> None:
    """Replaces the person's name, email and username in every text column of every table,
    after each app has dealt with the rows that refer to them. What it finds is others' prose
    that mentions them (colleagues' posts and notes, @mentions); a namesake's mention goes too,
    which is the safer error."""
    pattern = _pattern(person)
    if pattern is None:
        return
    tables = set(connection.introspection.table_names())
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed or model._meta.db_table not in tables:
            continue
        fields = _sweepable_fields(model)
        if not fields:
            continue
        found = mentioning(model._base_manager.all(), person)
        for row in found.values("pk", *[field.attname for field in fields]):
            changes = {}
            for field in fields:
                value = row[field.attname]
                cleaned = _scrubbed(value, pattern)
                if cleaned != value:
                    changes[field.attname] = cleaned
            if changes:
                model._base_manager.filter(pk=row["pk"]).update(**changes)


# --- discovery -----------------------------------------------------------------------------


def app_modules() -> list[ModuleType]:
    """Every netlearn app's `personal_data` module, this one last (erasure reads the person's
    name to scrub it from the other apps' rows before this module forgets it)."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("netlearn."):
            continue
        name = f"{config.name}.personal_data"
        if name != __name__ and importlib.util.find_spec(name) is not None:
            found.append(importlib.import_module(name))
    return [*found, sys.modules[__name__]]


def all_models() -> list[type[models.Model]]:
    return [model for module in app_modules() for model in module.MODELS]


# --- the two operations --------------------------------------------------------------------


def _collect(person) -> dict[str, list[dict]]:
    data: dict[str, list[dict]] = {}
    for module in app_modules():
        for model_label, model_rows in module.export(person).items():
            data.setdefault(model_label, []).extend(model_rows)
    return dict(sorted(data.items()))


def held_about(person) -> list[tuple[str, int]]:
    """(kind of record, rows) for each kind held about `person`, for the admin's pages."""
    held = []
    for model_label, found in _collect(person).items():
        if found:
            model = apps.get_model(model_label)
            held.append(
                (
                    f"{model._meta.app_config.verbose_name}: {model._meta.verbose_name_plural}",
                    len(found),
                )
            )
    return held


def export_person_data(*, person: Person, by: Person) -> dict:
    """Everything held about `person`, as one JSON-ready document."""
    if not policy.can_export_personal_data(by, person):
        raise PermissionDenied
    data = _collect(person)
    logger.info("Personal data of person %s exported by person %s", person.pk, by.pk)
    return {
        "format": FORMAT,
        "exported_at": timezone.now().isoformat(),
        "person_id": person.pk,
        "requested_by": YOU if by.pk == person.pk else "a site administrator",
        "data": data,
    }


def _uploaded_files(document: dict):
    """(name in the archive, file) for each file of an exported row."""
    for module in app_modules():
        for model in module.MODELS:
            file_fields = [
                field
                for field in model._meta.concrete_fields
                if isinstance(field, models.FileField)
            ]
            ids = [row["id"] for row in document["data"].get(label(model), []) if "id" in row]
            if not file_fields or not ids:
                continue
            for instance in model._base_manager.filter(pk__in=ids).order_by("pk"):
                # A pupil's work that a teacher uploaded is the pupil's, not the teacher's.
                if getattr(instance, "is_pupil_work", False):
                    continue
                for field in file_fields:
                    stored = getattr(instance, field.name)
                    if stored:
                        suffix = PurePath(stored.name).suffix[:10]
                        yield f"files/{label(model)}/{instance.pk}-{field.name}{suffix}", stored


def export_archive(document: dict):
    """A zip of `data.json` and the files of the exported rows, in a temporary file at 0."""
    archive = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)
    missing = []
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        names = []
        for name, stored in _uploaded_files(document):
            try:
                with stored.open("rb") as source, zipped.open(name, "w") as target:
                    for chunk in source.chunks():
                        target.write(chunk)
            except FileNotFoundError:
                missing.append(stored.name)
                continue
            names.append(name)
        manifest = {**document, "files": names, "missing_files": missing}
        zipped.writestr(
            "data.json", json.dumps(manifest, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        )
    archive.seek(0)
    return archive


@transaction.atomic
def erase_person(*, person: Person, by: Person) -> Person:
    """Erases what Netlearn holds about `person`, every app in one transaction."""
    if not policy.can_erase_person(by, person):
        raise PermissionDenied
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.erased_at is not None:
        return person
    for module in app_modules():
        module.erase(person)
    logger.info("Personal data of person %s erased by person %s", person.pk, by.pk)
    return person


# --- the accounts app's own data -----------------------------------------------------------

MODELS = (Person, AccessToken, SignedInSession)
# Single sign-on (accounts/sso.py) keeps, in allauth's tables, the identities linked to the person
# (with the claims the provider gave, but for pupils) and the addresses allauth recorded.
SINGLE_SIGN_ON = (SocialAccount, EmailAddress)


def export(person) -> dict[str, list[dict]]:
    me = serialise(
        person,
        person,
        extra=lambda p: {
            "expertise": [tag.name for tag in p.expertise.all()],
            "permission_groups": [group.name for group in p.groups.all()],
        },
    )
    actions = LogEntry.objects.filter(user=person).select_related("content_type").order_by("pk")
    return {
        label(Person): [me],
        label(AccessToken): rows(AccessToken.objects.filter(person=person), person),
        label(SignedInSession): rows(SignedInSession.objects.filter(person=person), person),
        **{
            label(model): rows(model.objects.filter(user=person), person)
            for model in SINGLE_SIGN_ON
        },
        # What they did in the admin; the names of what they changed may be other people's.
        label(LogEntry): [
            {
                "id": entry.pk,
                "action_time": plain(entry.action_time),
                "action": {1: "added", 2: "changed", 3: "deleted"}.get(entry.action_flag),
                "kind_of_record": entry.content_type.model if entry.content_type else None,
                "record_id": entry.object_id,
            }
            for entry in actions
        ],
    }


def erase(person) -> None:
    # Runs last, while the person's name is still on their row to be searched for.
    scrub_mentions_everywhere(person)
    AccessToken.objects.filter(person=person).delete()
    for model in SINGLE_SIGN_ON:
        model.objects.filter(user=person).delete()
    # Signed out of every device, then the record of them goes.
    forget_sessions(SignedInSession.objects.filter(person=person))
    # The admin's history names people in `object_repr` ("Tia Teacher", "Tia Teacher — Coach").
    pattern_words = identifiers(person)
    if pattern_words:
        mentions = Q(
            content_type=ContentType.objects.get_for_model(Person), object_id=str(person.pk)
        )
        for word in pattern_words:
            mentions |= Q(object_repr__icontains=word) | Q(change_message__icontains=word)
        scrub_identifiers(LogEntry.objects.filter(mentions), person)
    tags = list(person.expertise.values_list("pk", flat=True))
    person.expertise.clear()
    # A tag nobody else holds was typed by this person alone.
    Expertise.objects.filter(pk__in=tags, people__isnull=True).delete()
    person.groups.clear()
    person.user_permissions.clear()
    person.username = f"former-{secrets.token_hex(8)}"
    person.name = FORMER_MEMBER
    person.email = ""
    person.bio = ""
    person.organisation = ""
    person.organisation_name = ""
    person.pupil_school = None
    person.is_active = False
    person.is_staff = False
    person.is_superuser = False
    person.last_login = None
    person.erased_at = timezone.now()
    # Also ends every session: Django checks a session against the password's hash.
    person.set_unusable_password()
    person.save()
