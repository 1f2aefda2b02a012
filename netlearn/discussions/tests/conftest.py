import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_posting_limits():
    """Posting limits may live in the cache (Redis), which outlives a test's transaction."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Attachments go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
