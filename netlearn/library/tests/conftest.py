import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Each test stores its uploads in its own directory, so tests can count what was stored."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


class Commits:
    """Runs what the test's transaction queued for its commit, as a commit would: the suite's
    transactions never commit, and the search index is fed only after a commit."""

    def __init__(self, connection, engine: str):
        self.connection = connection
        self.engine = engine
        self.done = len(connection.run_on_commit)

    def commit(self) -> None:
        while self.done < len(self.connection.run_on_commit):
            _, callback, _ = self.connection.run_on_commit[self.done]
            self.done += 1
            callback()


@pytest.fixture
def search_engine(request, settings, tmp_path, db):
    """Search through `request.param` ("index" or "database"); with the index, an empty one of
    this test's own, filled with what the database holds (the world), and `commit()` to run
    what the test's changes queued for it."""
    from django.db import connection

    from netlearn.library import indexing

    engine = getattr(request, "param", "index")
    settings.LIBRARY_SEARCH_BACKEND = engine
    settings.LIBRARY_SEARCH_INDEX_DIR = str(tmp_path / "search-index")
    if engine == "index":
        indexing.rebuild_index()
    return Commits(connection, engine)
