"""Spaces: opening them, their moderation mode and moderators, archiving."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netlearn.accounts.models import Kind, Person
from netlearn.networks import selectors as network_selectors
from netlearn.networks.models import Group, Network, School

from .. import policy
from ..errors import DiscussionError
from ..models import SCHOOL_AUDIENCES, Audience, Moderation, ModerationAction, Space, SpaceKind
from .log import write_log


@transaction.atomic
def open_space(
    *,
    network: Network,
    by: Person,
    title: str,
    description: str = "",
    audience: str = Audience.STAFF,
    kind: str = SpaceKind.TOPIC,
    group: Group | None = None,
    school: School | None = None,
    moderation: str | None = None,
) -> Space:
    title = title.strip()
    if not title:
        raise DiscussionError(_("Give the space a title."))
    if audience in SCHOOL_AUDIENCES:
        if not policy.can_open_pupil_space(by, network, school):
            raise PermissionDenied
        if school is None and not policy.can_change_network_settings(by, network):
            raise PermissionDenied  # only co-leaders open a space for every school's community
        if school is not None and not network_selectors.is_member_school(
            network=network, school=school
        ):
            raise DiscussionError(_("That school is not in this network."))
        # Pupil spaces start pre-moderated, the safest default (docs/safety.md#pupil-spaces).
        # Parents' spaces hold each person's first post, then trust them.
        default = Moderation.ALL_POSTS if audience == Audience.PUPILS else Moderation.FIRST_POSTS
        moderation = moderation or default
    else:
        if not policy.can_open_staff_space(by, network):
            raise PermissionDenied
        school = None
        moderation = moderation or Moderation.NONE
    if group is not None and group.network_id != network.pk:
        raise DiscussionError(_("That group is not in this network."))
    space = Space(
        network=network,
        title=title,
        description=description.strip(),
        audience=audience,
        kind=SpaceKind.GROUP if group is not None else kind,
        group=group,
        school=school,
        moderation=moderation,
        created_by=by,
    )
    space.full_clean()
    space.save()
    if not by.is_superuser:
        space.moderators.add(by)
        policy.forget_reach(by)
    return space


@transaction.atomic
def set_moderation(*, space: Space, by: Person, moderation: str) -> Space:
    if not policy.can_manage_space(by, space):
        raise PermissionDenied
    if moderation not in Moderation.values:
        raise DiscussionError(_("Choose a moderation mode."))
    if space.moderation != moderation:
        space.moderation = moderation
        space.save(update_fields=["moderation"])
        write_log(
            action=ModerationAction.MODE_CHANGED,
            by=by,
            network_id=space.network_id,
            space=space,
            note=Moderation(moderation).label,
        )
    return space


def _can_be_moderator(person: Person, space: Space) -> bool:
    # The same rule that keeps an appointment standing later (policy), so nobody is appointed
    # who would lose it at once.
    if person.kind != Kind.STAFF or not person.is_active:
        return False
    return policy.moderator_appointment_holds(person, space)


@transaction.atomic
def add_moderator(*, space: Space, person: Person, by: Person) -> Space:
    if not policy.can_manage_space(by, space):
        raise PermissionDenied
    if not _can_be_moderator(person, space):
        raise DiscussionError(
            _("Moderators are staff of the space's school (or of the network's schools).")
        )
    space.moderators.add(person)
    policy.forget_reach(person)
    write_log(
        action=ModerationAction.MODERATOR_ADDED,
        by=by,
        network_id=space.network_id,
        space=space,
        note=person.name,
    )
    return space


@transaction.atomic
def archive_space(*, space: Space, by: Person) -> Space:
    if not policy.can_manage_space(by, space):
        raise PermissionDenied
    if space.archived_at is None:
        space.archived_at = timezone.now()
        space.save(update_fields=["archived_at"])
    return space
