"""Objects for the authorization walks: one of each kind in the home and the foreign network.

The walks fill every URL and API path parameter from `object_ids`. An app adds its own kinds of
object by giving itself a module `netlearn/<app>/tests/walk.py` with

    def object_ids(world, *, foreign: bool) -> dict[str, object]

which creates its objects for both networks once (keeping them on `world`, with SENTINEL in every
text field of the foreign network's) and returns the values of its parameters. No walk needs
editing when an app or a view is added.
"""

import functools
import importlib
import importlib.util
import io
import zipfile

from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from pypdf import PdfReader

from netlearn.accounts import services as account_services
from netlearn.networks.models import NetworkMembership, NetworkRole


def _core_ids(world, *, foreign: bool) -> dict:
    network = world.foreign_network if foreign else world.network
    group = world.foreign_group if foreign else world.group
    school = world.foreign_school if foreign else world.school_a
    token_owner = world.foreign_co_leader if foreign else world.teacher
    token, _ = account_services.create_access_token(person=token_owner, name="walk", by=token_owner)
    session = SessionStore()
    session.create()
    signed_in = account_services.record_sign_in(
        person=token_owner, session_key=session.session_key, user_agent="Firefox/128.0"
    )
    return {
        "network_slug": network.slug,
        "slug": network.slug,
        "school_id": school.pk,
        "post_id": school.staff_posts.first().pk,
        "person_id": (world.foreign_teacher if foreign else world.teacher).pk,
        "group_id": group.pk,
        "member_id": group.members.first().pk,
        "membership_id": NetworkMembership.objects.filter(network=network).first().pk,
        "role_id": NetworkRole.objects.filter(network=network).first().pk,
        "token_id": token.pk,
        "session_id": signed_in.pk,
    }


def _app_walk_modules():
    for config in apps.get_app_configs():
        if not config.name.startswith("netlearn."):
            continue
        name = f"{config.name}.tests.walk"
        if name == __name__:
            continue
        if importlib.util.find_spec(f"{config.name}.tests") and importlib.util.find_spec(name):
            yield importlib.import_module(name)


def person_for(world, role: str):
    """The walks' person for a role: the world's cast, or a role an app adds (a module's
    `people(world)`, such as a programme's evaluator, who belongs to no network)."""
    cast = world.people_by_role()
    if role in cast:
        return cast[role]
    for module in _app_walk_modules():
        if hasattr(module, "people"):
            found = module.people(world)
            if role in found:
                return found[role]
    raise KeyError(role)


def object_ids(world, *, foreign: bool) -> dict:
    ids = _core_ids(world, foreign=foreign)
    for module in _app_walk_modules():
        extra = module.object_ids(world, foreign=foreign)
        clash = set(extra) & set(ids)
        assert not clash, f"{module.__name__} reuses parameter names {clash}"
        ids.update(extra)
    return ids


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def readable(response) -> str:
    """The text of an answer, where text would be: a spreadsheet (a zip of XML) is read inside,
    a PDF through its text layer (its fonts map each glyph back to its letter)."""
    content_type = response.get("Content-Type", "")
    if content_type.startswith(XLSX):
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return "".join(archive.read(name).decode() for name in archive.namelist())
    if content_type.startswith("application/pdf"):
        return _pdf_text(response.content)
    return response.content.decode()


@functools.cache
def _pdf_text(pdf: bytes) -> str:
    # Every role that may read a document gets the same bytes (core/pdf.py): read them once.
    reader = PdfReader(io.BytesIO(pdf))
    info = " ".join(str(value) for value in (reader.metadata or {}).values())
    return info + "\n".join(page.extract_text() for page in reader.pages)
