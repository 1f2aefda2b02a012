"""A network's activity settings (the attendance commitment)."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext

from netlearn.accounts.models import Person
from netlearn.core.policy import require
from netlearn.networks.models import Network

from .. import policy
from ..errors import ActivityError
from ..models import ActivitySettings


@transaction.atomic
def set_attendance_commitment(*, network: Network, by: Person, percent: Decimal):
    require(policy.can_change_activity_settings(by, network))
    if percent is None or not 0 <= percent <= 100:
        raise ActivityError(gettext("The commitment is a percentage from 0 to 100."))
    settings_row, _ = ActivitySettings.objects.update_or_create(
        network=network, defaults={"attendance_commitment_percent": percent}
    )
    return settings_row
