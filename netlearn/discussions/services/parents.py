"""Parents and whānau: their accounts (accounts.services) with the school they belong to."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from netlearn.accounts import services as account_services
from netlearn.accounts.errors import AccountError
from netlearn.accounts.models import Kind, Person
from netlearn.networks.models import School

from .. import policy
from ..errors import DiscussionError
from ..models import ParentProfile


@transaction.atomic
def invite_parent(*, school: School, by: Person, name: str, email: str) -> Person:
    """Creates a parent or whānau account for the school and emails them a link to choose a
    password (after the commit). They see only the school's parent spaces."""
    if not policy.can_invite_parents(by, school):
        raise PermissionDenied
    name = (name or "").replace("\x00", "").strip()
    email = (email or "").replace("\x00", "").strip()
    try:
        person = account_services.invite_person(
            name=name, email=email, kind=Kind.PARENT, invited_by=by
        )
    except AccountError as error:
        raise DiscussionError(str(error)) from None
    ParentProfile.objects.create(person=person, school=school, invited_by=by)
    return person
