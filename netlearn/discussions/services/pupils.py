"""Pupils' school records in discussions: their accounts are made in accounts.pupils; their
year group, class and public name are kept here, where the school's staff manage them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from netlearn.accounts import pupils as pupil_accounts
from netlearn.accounts.errors import AccountError
from netlearn.accounts.models import Kind, Person
from netlearn.accounts.pupils import SignInSlip
from netlearn.networks.models import School

from .. import policy
from ..errors import DiscussionError, InvalidPupilFile
from ..models import ModerationAction, PupilProfile
from .log import write_log


@transaction.atomic
def import_pupils(*, school: School, by: Person, text: str) -> list[SignInSlip]:
    """Creates pupil accounts (accounts.pupils), all or none, records each pupil's year group and
    class, and returns their sign-in slips.

    The passwords are on the slips only: they are stored hashed and never shown again.
    """
    if not policy.can_manage_pupils(by, school):
        raise PermissionDenied
    try:
        rows = pupil_accounts.parse_pupil_file(text)
    except AccountError as error:  # the same list of problems, as this app's error
        raise InvalidPupilFile(*error.args) from None
    slips = pupil_accounts.create_pupils(school=school, rows=rows)
    for slip in slips:
        PupilProfile.objects.create(
            person=slip.person,
            school=school,
            year_group=slip.year_group,
            class_name=slip.class_name,
        )
    write_log(
        action=ModerationAction.PUPILS_IMPORTED,
        by=by,
        network_id=None,
        school_id=school.pk,
        note=f"{len(slips)} pupil accounts",
    )
    return slips


@transaction.atomic
def reset_pupil_password(*, pupil: Person, by: Person) -> SignInSlip:
    school = pupil.pupil_school
    if pupil.kind != Kind.PUPIL or school is None or not policy.can_manage_pupils(by, school):
        raise PermissionDenied
    password = pupil_accounts.reset_password(pupil=pupil)
    profile = PupilProfile.objects.filter(person=pupil).first()
    write_log(
        action=ModerationAction.PASSWORD_RESET,
        by=by,
        network_id=None,
        school_id=school.pk,
        note=pupil.username,
    )
    return SignInSlip(
        pupil,
        profile.year_group if profile else 0,
        profile.class_name if profile else "",
        password,
    )


@transaction.atomic
def set_pupil_public_name(*, pupil: Person, by: Person, public_name: str) -> PupilProfile:
    """Sets the name that everyone outside the pupil's school sees. Only the school's staff do
    this; the pupil cannot (their name is not theirs to change: accounts.services)."""
    school = pupil.pupil_school
    if pupil.kind != Kind.PUPIL or school is None or not policy.can_manage_pupils(by, school):
        raise PermissionDenied
    if pupil.pk == by.pk:
        raise PermissionDenied
    try:
        cleaned = pupil_accounts.clean_public_name(pupil=pupil, public_name=public_name)
    except AccountError as error:
        raise DiscussionError(str(error)) from None
    profile = PupilProfile.objects.select_for_update().filter(person=pupil).first()
    if profile is None:
        raise DiscussionError(
            _("This pupil has no pupil profile yet: import them with their year group first.")
        )
    profile.public_name = cleaned
    profile.save(update_fields=["public_name"])
    write_log(
        action=ModerationAction.PUPIL_RENAMED,
        by=by,
        network_id=None,
        school_id=school.pk,
        note=pupil.username,
    )
    return profile


@transaction.atomic
def record_rostered_pupils(
    *,
    school: School,
    by: Person,
    slips: list[SignInSlip],
    changes: list[tuple[int, int, str]],
    note: str,
) -> None:
    """Records the year group and class of pupils a roster import made (`slips`) and changes
    those of pupils it already had (`changes`: person id, year group, class), all of `school`."""
    if not policy.can_manage_pupils(by, school):
        raise PermissionDenied
    PupilProfile.objects.bulk_create(
        [
            PupilProfile(
                person=slip.person,
                school=school,
                year_group=slip.year_group,
                class_name=slip.class_name,
            )
            for slip in slips
        ],
        batch_size=500,
    )
    for person_id, year_group, class_name in changes:
        updated = PupilProfile.objects.filter(school=school, person_id=person_id).update(
            year_group=year_group, class_name=class_name
        )
        if not updated:
            PupilProfile.objects.create(
                person_id=person_id, school=school, year_group=year_group, class_name=class_name
            )
    write_log(
        action=ModerationAction.PUPILS_IMPORTED,
        by=by,
        network_id=None,
        school_id=school.pk,
        note=note,
    )
