import copy
import os
import threading
from pathlib import Path

import pytest
from django.core.cache import cache
from hypothesis import settings

from netlearn.networks.tests.world import build_world
from tests.migrated import MigratedHomes, drop_postgresql_template

# The single sign-on tests' own OpenID Connect provider, run as a process (tests/sso/).
pytest_plugins = ["tests.sso.fixtures"]

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


# The world, built once per worker ----------------------------------------------------------------
#
# Building the world takes about 40 queries; ~580 tests use it. Each worker builds it once, inside a
# transaction it keeps open, and every test that uses it runs in a savepoint of that transaction
# (pytest-django's per-test atomic nests inside it), so each test still starts from the same world
# and its writes are rolled back. A test that needs a clean database (any other database test) or
# a committed one (transactional tests, live servers) first rolls the world back; the collection is
# ordered so that each worker builds the world about once.


def _is_transactional(item) -> bool:
    """Whether pytest-django gives this test a TransactionTestCase (`_django_db_helper`'s rule)."""
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    names = item.fixturenames
    return any(
        name in names for name in ("transactional_db", "live_server", "django_db_reset_sequences")
    )


def _shares_the_world(item) -> bool:
    return "world" in item.fixturenames and not _is_transactional(item)


class _SharedWorld:
    """The worker's world and the open transaction that holds it."""

    def __init__(self):
        self.atomic = None
        self.world = None

    def open(self, databases_ready, blocker) -> None:
        if self.atomic is not None:
            return
        from django.db import transaction

        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.world = build_world()
        # Roll back before the test databases are destroyed.
        databases_ready.addfinalizer(lambda: self.close_with(blocker))

    def close_with(self, blocker) -> None:
        with blocker.unblock():
            self.close()

    def close(self) -> None:
        if self.atomic is None:
            return
        from django.db import transaction

        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)
        self.atomic = self.world = None


_shared_world = _SharedWorld()


def pytest_collection_modifyitems(items):
    # Tests sharing the world first, in their collected order: each worker builds it about once.
    items.sort(key=lambda item: not _shares_the_world(item))


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    # Before pytest-django opens a test's transaction: open or roll back the worker's world.
    if fixturedef.scope != "function" and "django_db_blocker" in fixturedef.argnames:
        # A wider fixture that writes to the database (the demo's, say) needs it without the world.
        with request.getfixturevalue("django_db_blocker").unblock():
            _shared_world.close()
    elif fixturedef.argname == "_django_db_helper":
        item = request.node
        blocker = request.getfixturevalue("django_db_blocker")
        with blocker.unblock():
            if _shares_the_world(item):
                _shared_world.open(request._get_active_fixturedef("django_db_setup"), blocker)
            else:
                _shared_world.close()
    return (yield)


@pytest.fixture
def world(request, db):
    if _shared_world.world is None:
        # A transactional test, or a live server: the world must be committed like its data.
        return build_world()
    # A copy: a test that changes the objects in memory must not change them for the next test.
    return copy.deepcopy(_shared_world.world)


# A migrated database per run, for tests that serve Netlearn from a new home (tests/migrated.py) --


def _run_root(tmp_path_factory, config) -> Path:
    # Every xdist worker's temporary folder lies in the folder of the process that started them.
    base = tmp_path_factory.getbasetemp()
    return base.parent if hasattr(config, "workerinput") else base


@pytest.fixture(scope="session")
def migrated_homes(tmp_path_factory, pytestconfig) -> MigratedHomes:
    return MigratedHomes(_run_root(tmp_path_factory, pytestconfig) / "migrated")


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_modify_db_settings,
    migrated_homes,
):
    """pytest-django's own set-up, on a test database that starts as a copy of the run's migrated
    one (tests/migrated.py): Django then finds every migration applied and runs none."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        keeper = migrated_homes.fill_test_database(connection)
        old_config = setup_databases(
            verbosity=verbosity, interactive=False, aliases={"default"}, keepdb=True
        )
    yield
    with django_db_blocker.unblock():
        teardown_databases(old_config, verbosity=verbosity)
        if keeper is not None:
            keeper.close()


_preparing: threading.Thread | None = None


def pytest_sessionstart(session):
    """The process that starts the xdist workers makes the migrated homes while they start, so
    neither worker waits for them later (a single process makes them when first asked)."""
    global _preparing
    config = session.config
    if hasattr(config, "workerinput") or not config.pluginmanager.hasplugin("dsession"):
        return
    homes = MigratedHomes(config._tmp_path_factory.getbasetemp() / "migrated")
    _preparing = threading.Thread(target=homes.prepare, name="migrated-homes", daemon=True)
    _preparing.start()


def pytest_sessionfinish(session):
    if hasattr(session.config, "workerinput"):
        return  # a worker: the template is dropped once, after every worker has finished
    if _preparing is not None:
        _preparing.join()
    drop_postgresql_template(session.config._tmp_path_factory.getbasetemp())
