import copy
import os
import threading
from pathlib import Path

import pytest
from django.core.cache import cache
from hypothesis import settings
from pytest_django.django_compat import is_django_unittest

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


# The world and the demo, each built once per worker ---------------------------------------------
#
# Building the world takes about 40 queries; ~580 tests use it. Each worker builds it once, inside a
# transaction it keeps open, and every test that uses it runs in a savepoint of that transaction
# (pytest-django's per-test atomic nests inside it), so each test still starts from the same world
# and its writes are rolled back. The authorization walks' objects (one of each kind in both
# networks, netlearn/web/tests/walk.py: about a second to make) are built into a second shared
# world for the tests marked `walk_objects`, so that the other tests' world stays as they know it.
# The demo (some 10 s to load) is shared in the same way by the modules that read it, which
# `--dist loadgroup` keeps on one worker. A test that needs a clean database (any other database
# test), the other shared state, or a committed database (transactional tests, live servers) first
# rolls back what is open; the collection is ordered so that each worker builds each about once.


def _is_transactional(item) -> bool:
    """Whether pytest-django gives this test a TransactionTestCase (`_django_db_helper`'s rule)."""
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    names = item.fixturenames
    return any(
        name in names for name in ("transactional_db", "live_server", "django_db_reset_sequences")
    )


class _Shared:
    """Data built once per worker, and the open transaction that holds it: for the tests that ask
    for `fixture_name` and carry `marker` (without one: no other shared data's marker)."""

    def __init__(self, fixture_name: str, build, *, marker: str | None = None):
        self.fixture_name = fixture_name
        self.build = build
        self.marker = marker
        self.atomic = None
        self.value = None

    def wanted_by(self, item) -> bool:
        if self.fixture_name not in item.fixturenames or _is_transactional(item):
            return False
        markers = {shared.marker for shared in _SHARED if shared.marker} & {
            mark.name for mark in item.iter_markers()
        }
        return markers == ({self.marker} if self.marker else set())

    def open(self, databases_ready, blocker) -> None:
        if self.atomic is not None:
            return
        from django.db import transaction

        self.atomic = transaction.atomic()
        # Part of the test's own transaction, as Django marks its TestCase's (networks/access.py).
        self.atomic._from_testcase = True
        self.atomic.__enter__()
        self.value = self.build()
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
        self.atomic = self.value = None


def _build_demo():
    from netlearn.demo.seed import load_demo
    from netlearn.impact.tests.factories import shared_measure

    shared_measure()  # the data migration's catalogue, in case a transactional test flushed it
    return load_demo()


def _build_walked_world():
    from netlearn.web.tests import walk

    world = build_world()
    # Each app's walk module keeps what it makes on the world (netlearn/web/tests/walk.py).
    walk.object_ids(world, foreign=False)
    walk.object_ids(world, foreign=True)
    return world


_shared_world = _Shared("world", build_world)
_shared_walked_world = _Shared("world", _build_walked_world, marker="walk_objects")
_shared_demo = _Shared("demo_sign_ins", _build_demo)
_SHARED = (_shared_world, _shared_walked_world, _shared_demo)


_LOST_GROUP = (
    "--dist loadgroup did not keep this test's xdist_group on one worker (its id lacks the group): "
    "check the pytest and pytest-xdist versions (pyproject.toml)"
)


def pytest_runtest_setup(item):
    """`--dist loadgroup` keeps each `xdist_group` on one worker by adding the group to the test's
    id. If a pytest or xdist upgrade loses that, every group is silently split across the workers
    (the demo loaded twice, servers competing for the cores): fail the grouped tests instead."""
    grouped = getattr(item.config.option, "loadgroup", False)
    if grouped and item.get_closest_marker("xdist_group") and "@" not in item.nodeid:
        pytest.fail(_LOST_GROUP)


def _needs_a_database(item) -> bool:
    """Whether the test waits for the run's migrated database (tests/migrated.py) to be made."""
    if item.get_closest_marker("django_db") or item.get_closest_marker("xdist_group"):
        return True
    return bool({"django_db_setup", "migrated_homes"} & set(item.fixturenames))


# The name of the groups of tests that need no database (below).
_WHILE_MIGRATING = "while-the-database-is-migrated"

# `make test-postgres`: the tests whose outcome cannot depend on the database the run names (they
# need none, or serve Netlearn from a SQLite home of their own) have run in the SQLite run of the
# same `make test`, and would run the same again.
_DATABASE_TESTS_ONLY = "--database-tests-only"


def pytest_addoption(parser):
    parser.addoption(
        _DATABASE_TESTS_ONLY,
        action="store_true",
        help="run only the tests that use the database DATABASE_URL names (make test-postgres)",
    )


def _uses_the_runs_database(item) -> bool:
    return _needs_a_database(item) and not item.get_closest_marker("sqlite_home")


@pytest.hookimpl(tryfirst=True)  # before xdist adds each test's group to its id
def pytest_collection_modifyitems(config, items):
    if config.getoption(_DATABASE_TESTS_ONLY):
        uses = {item.nodeid: _uses_the_runs_database(item) for item in items}
        config.hook.pytest_deselected(items=[item for item in items if not uses[item.nodeid]])
        items[:] = [item for item in items if uses[item.nodeid]]
    # First the tests that need no database: they run while the database is migrated. Then the
    # xdist groups (each runs whole on one worker); then the tests sharing the world, the walked
    # world and the demo, each in their collected order, so that each worker builds each about
    # once.
    needs_a_database = {item.nodeid: _needs_a_database(item) for item in items}
    items.sort(
        key=lambda item: [
            needs_a_database[item.nodeid],
            item.get_closest_marker("xdist_group") is None,
            *(not shared.wanted_by(item) for shared in _SHARED),
        ]
    )
    # `--dist loadgroup` hands out the largest groups first, whatever the order above, and every
    # group needs the database: each worker would begin by waiting for it. So the tests that need
    # none are dealt into one group per worker, larger than any other, and each worker begins
    # with its share of them while the database is migrated.
    workers = getattr(config, "workerinput", {}).get("workercount", 0)
    if workers > 1 and config.getvalue("loadgroup"):
        without = [item for item in items if not needs_a_database[item.nodeid]]
        for index, item in enumerate(without):
            item.add_marker(pytest.mark.xdist_group(f"{_WHILE_MIGRATING}-{index % workers}"))


def _writes_outside_a_test(fixturedef, request) -> bool:
    """A fixture wider than a test that may write to the database. pytest-django's own
    `_django_setup_unittest` is set up before every test but touches the database only for Django's
    unittest classes: counting it would roll the world back before each test that shares it."""
    if fixturedef.scope == "function" or "django_db_blocker" not in fixturedef.argnames:
        return False
    if fixturedef.argname == "_django_setup_unittest":
        return is_django_unittest(request)
    return True


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    # Before pytest-django opens a test's transaction: open what it shares, roll back the rest.
    if _writes_outside_a_test(fixturedef, request):
        # A wider fixture that writes to the database needs it without anything shared.
        with request.getfixturevalue("django_db_blocker").unblock():
            for shared in _SHARED:
                shared.close()
    elif fixturedef.argname == "_django_db_helper":
        item = request.node
        blocker = request.getfixturevalue("django_db_blocker")
        wanted = next((shared for shared in _SHARED if shared.wanted_by(item)), None)
        with blocker.unblock():
            for shared in _SHARED:
                if shared is not wanted:
                    shared.close()
            if wanted is not None:
                wanted.open(request._get_active_fixturedef("django_db_setup"), blocker)
    return (yield)


@pytest.fixture
def world(request, db):
    # At most one of the two is open (the other was rolled back before this test).
    shared = _shared_world.value or _shared_walked_world.value
    if shared is None:
        # A transactional test, or a live server: the world must be committed like its data.
        return build_world()
    # A copy: a test that changes the objects in memory must not change them for the next test.
    return copy.deepcopy(shared)


@pytest.fixture
def demo_sign_ins(db):
    """The demo, loaded (its sign-ins, as `load_demo` returns them)."""
    if _shared_demo.value is None:
        return _build_demo()  # a transactional test
    return _shared_demo.value


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
