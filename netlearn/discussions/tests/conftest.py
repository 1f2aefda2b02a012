import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_posting_limits():
    """Posting limits live in the cache, which outlives a test's transaction."""
    cache.clear()
    yield
    cache.clear()
