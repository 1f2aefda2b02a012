"""A network's discussion settings: its blocked words and how long pupil discussion is kept."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from netlearn.accounts.models import Person
from netlearn.networks.models import Network

from .. import policy
from ..errors import DiscussionError
from ..models import ModerationAction, NetworkDiscussionSettings
from .log import write_log


def settings_for(network: Network) -> NetworkDiscussionSettings:
    found = NetworkDiscussionSettings.objects.filter(network=network).first()
    return found or NetworkDiscussionSettings(network=network)


@transaction.atomic
def set_network_settings(
    *, network: Network, by: Person, blocked_words: str, retention_days: int
) -> NetworkDiscussionSettings:
    if not policy.can_change_network_settings(by, network):
        raise PermissionDenied
    if not 30 <= retention_days <= 3650:
        raise DiscussionError(_("Keep pupil discussion between 30 and 3650 days."))
    found = settings_for(network)
    words = "\n".join(line.strip() for line in blocked_words.splitlines() if line.strip())
    changed = found.blocked_words != words
    found.blocked_words, found.retention_days = words, retention_days
    found.save()
    if changed:
        write_log(
            action=ModerationAction.BLOCKED_WORDS_CHANGED,
            by=by,
            network_id=network.pk,
            note=f"{len(found.blocked_list())} blocked words",
        )
    return found
