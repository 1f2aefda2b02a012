"""Small helpers the other service modules share."""

import datetime

from django.utils import timezone

from netlearn.networks import selectors as network_selectors
from netlearn.networks.models import Network


def _now() -> datetime.datetime:
    return timezone.now()


def _network_people(network: Network):
    return network_selectors.people_of_network(network=network)
