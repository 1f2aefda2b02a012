import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Each test stores its uploads in its own directory, so tests can count what was stored."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []
