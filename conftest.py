import os

import pytest
from django.core.cache import cache
from hypothesis import settings

from netlearn.networks.tests.world import build_world

# Property tests and the API fuzzer draw the same examples on every run, so a green CI stays
# green; HYPOTHESIS_PROFILE=explore draws new ones to go looking for bugs.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counts live in the cache: each test starts with none, whoever ran before."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    return build_world()
