"""Trusted set-up for other apps' demo seeds: no policy check, nobody acting."""

from ..models import Network, School


def create_network(**fields) -> Network:
    return Network.objects.create(**fields)


def create_school(**fields) -> School:
    return School.objects.create(**fields)
