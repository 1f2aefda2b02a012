"""Small helpers the other service modules share."""

import datetime

from django.utils import timezone

from netlearn.accounts import selectors as account_selectors
from netlearn.networks import selectors as network_selectors
from netlearn.networks.models import Network
from netlearn.notifications import services as notifications


def _now() -> datetime.datetime:
    return timezone.now()


def _network_people(network: Network):
    return network_selectors.people_of_network(network=network)


def _tell(person_ids, *, kind: str, text: str, url: str, by=None) -> None:
    """In-app notifications (and mail by each person's choice) once the change commits; never
    to `by`, who made it."""
    people = account_selectors.people().filter(pk__in=person_ids)
    notifications.notify_on_commit(recipients=people, kind=kind, text=text, url=url, exclude=by)
