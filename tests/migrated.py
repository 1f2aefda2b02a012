"""One migrated database per test run, copied by every test that serves Netlearn from a new home.

Tests against `netlearn serve` (sign-in limits across workers, concurrent writes, extraction in the
task worker, backups) each need a fresh database, and `netlearn migrate` takes 20 s or more on two
cores. The first test to ask runs `netlearn migrate` (and `collectstatic`) once, exactly as a new
installation would, into a folder every xdist worker shares; the others copy what it made: the
SQLite file, or a new PostgreSQL database created from the migrated one as its template. The
suite's own test databases (one per xdist worker) start from the same copy (`fill_test_database`,
called from the root conftest's `django_db_setup`). Tests that check `migrate` itself still run it.

The migrated SQLite home and the collected static files are kept between runs, in `.test-cache/`
beside the code, under a digest of everything they are made from (`made_from`): every file of the
product outside its tests, every installed package's version, Python's and SQLite's. So the runs
of one `make test` (SQLite, PostgreSQL, browsers) migrate SQLite once, and a run on unchanged code
not at all; any change to a migration, a model, a setting or a package makes them anew.

The PostgreSQL template is made for each run and dropped when it ends (`drop_postgresql_template`,
called from the root conftest's `pytest_sessionfinish` in the process that started the workers).
"""

import fcntl
import hashlib
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import urllib.parse
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

TEMPLATE_NAME_FILE = "postgresql-template"
CODE_ROOT = Path(__file__).resolve().parents[1]
KEPT_ROOT = CODE_ROOT / ".test-cache"
# Homes kept for other digests (another branch's migrations, say) before the oldest is removed.
KEPT_DIGESTS = 3


def made_from() -> str:
    """A digest of what `netlearn migrate` and `collectstatic` read: the product's files (its
    migrations, the modules their data comes from, settings, templates, static files), not its
    tests; the installed packages; Python and SQLite."""
    digest = hashlib.sha256()
    for folder, subfolders, files in os.walk(CODE_ROOT / "netlearn"):
        subfolders[:] = sorted(name for name in subfolders if name not in {"tests", "__pycache__"})
        for name in sorted(files):
            path = Path(folder) / name
            digest.update(f"{path.relative_to(CODE_ROOT)}\0".encode())
            digest.update(path.read_bytes())
    # A set: a package found twice on the path (an editable install and its egg-info) counts once.
    packages = sorted(
        {f"{package.metadata['Name']}=={package.version}" for package in metadata.distributions()}
    )
    digest.update("\n".join([*packages, sys.version, sqlite3.sqlite_version]).encode())
    return digest.hexdigest()[:16]


def _forget_old_digests(kept: Path) -> None:
    others = sorted(
        (path for path in kept.parent.iterdir() if path.is_dir() and path != kept),
        key=lambda path: path.stat().st_mtime,
    )
    for path in others[: max(0, len(others) - (KEPT_DIGESTS - 1))]:
        shutil.rmtree(path, ignore_errors=True)


def _environment(home: Path, database_url: str = "") -> dict:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CACHE_URL", "REDIS_URL", "MEDIA_ROOT"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="netlearn.config.settings.base",
        NETLEARN_HOME=str(home),
        NETLEARN_TASK_WORKER="0",
    )
    if database_url:
        environment["DATABASE_URL"] = database_url
    return environment


def _netlearn(home: Path, *arguments: str, database_url: str = "") -> None:
    result = subprocess.run(
        [sys.executable, "-m", "netlearn", *arguments],
        env=_environment(home, database_url),
        cwd=home,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]


def _server_url(path: str) -> urllib.parse.SplitResult:
    return urllib.parse.urlsplit(os.environ.get("DATABASE_URL", ""))._replace(path=path)


def postgresql_server_named() -> bool:
    """Whether DATABASE_URL names a PostgreSQL server (the suite's PostgreSQL run)."""
    return urllib.parse.urlsplit(os.environ.get("DATABASE_URL", "")).scheme.startswith("postgres")


class MigratedHomes:
    """What `netlearn migrate` and `collectstatic` made once: the PostgreSQL template in the run's
    folder, shared by the workers; the SQLite home and the static files in the kept folder of this
    code's digest, shared by the runs too."""

    def __init__(self, root: Path):
        self.root = root
        self.kept = KEPT_ROOT / made_from()
        root.mkdir(parents=True, exist_ok=True)
        self.kept.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def _locked(self, what: str, folder: Path):
        # Several xdist workers (and runs) may ask at once: one builds, the others wait and copy.
        # One lock per thing made, so that a worker copying the database does not wait for the
        # static files.
        with open(folder / f"{what}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def sqlite_home(self) -> Path:
        """The home `netlearn migrate` made: a new, empty folder it was run in (it makes `var/`)."""
        home = self.kept / "sqlite"
        with self._locked("sqlite", self.kept):
            if not (home / "migrated").exists():
                shutil.rmtree(home, ignore_errors=True)
                home.mkdir(parents=True)
                _netlearn(home, "migrate", "--no-input", "-v0")
                (home / "migrated").touch()
                _forget_old_digests(self.kept)
        return home

    def _static(self) -> Path:
        home = self.kept / "static"
        with self._locked("static", self.kept):
            if not (home / "collected").exists():
                shutil.rmtree(home, ignore_errors=True)
                (home / "var").mkdir(parents=True)
                _netlearn(home, "collectstatic", "--no-input", "-v0")
                (home / "collected").touch()
        return home / "var" / "static"

    def copy_sqlite_into(self, home: Path) -> None:
        """Puts a freshly migrated SQLite database where the embedded settings look for it."""
        (home / "var").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(
            self.sqlite_home() / "var" / "netlearn.sqlite3", home / "var" / "netlearn.sqlite3"
        )

    def copy_static_into(self, home: Path) -> None:
        """The collected static files and their manifest, as `collectstatic` leaves them."""
        shutil.copytree(self._static(), home / "var" / "static", dirs_exist_ok=True)

    def _postgresql_template(self, admin: str) -> str:
        """The migrated template database's name, migrating it if no worker has yet."""
        import psycopg

        name_file = self.root / TEMPLATE_NAME_FILE
        if not name_file.exists():
            template = f"netlearn_migrated_{secrets.token_hex(4)}"
            with psycopg.connect(admin, autocommit=True) as server:
                server.execute(f'CREATE DATABASE "{template}"')
            # Written before migrating, so a failed migration's database is dropped too.
            name_file.write_text(template)
            home = self.root / "postgresql"
            (home / "var").mkdir(parents=True, exist_ok=True)
            _netlearn(
                home,
                "migrate",
                "--no-input",
                "-v0",
                database_url=_server_url(f"/{template}").geturl(),
            )
            (self.root / "postgresql-migrated").touch()
        assert (self.root / "postgresql-migrated").exists(), "the template did not migrate"
        return name_file.read_text()

    def new_postgresql_database(self, name: str = "") -> str:
        """A new migrated database on the PostgreSQL server DATABASE_URL names; its URL."""
        import psycopg

        admin = _server_url("/postgres").geturl()
        name = name or f"netlearn_served_{secrets.token_hex(4)}"
        with self._locked("postgresql", self.root):
            template = self._postgresql_template(admin)
            with psycopg.connect(admin, autocommit=True) as server:
                server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                server.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return _server_url(f"/{name}").geturl()

    def prepare(self) -> None:
        """Makes everything ahead of the tests that copy it: the database of the run's engine first
        (every worker's test database starts from it), then the other engine's (the backup tests
        move between the two) and the static files. The process that starts the xdist workers
        calls it in a thread, so the workers never wait for what they copy later."""
        if postgresql_server_named():
            with self._locked("postgresql", self.root):
                self._postgresql_template(_server_url("/postgres").geturl())
        self.sqlite_home()
        self._static()

    def fill_test_database(self, connection) -> object | None:
        """Gives the suite's own test database (the one Django's `setup_databases` would name) the
        migrated schema and rows, so that setting it up finds every migration applied.

        Each xdist worker would otherwise run every migration in its own process (20 s or more on
        two cores) for the same result. On SQLite the test database lives in memory and lasts while
        a connection to it is open: the connection returned here keeps it (close it at the end).
        """
        test_name = connection.creation._get_test_db_name()
        if connection.vendor == "sqlite":
            source = sqlite3.connect(self.sqlite_home() / "var" / "netlearn.sqlite3")
            keeper = sqlite3.connect(test_name, uri=True)
            try:
                source.backup(keeper)
            finally:
                source.close()
            return keeper
        self.new_postgresql_database(test_name)
        return None


def drop_postgresql_template(root: Path) -> None:
    name_file = root / "migrated" / TEMPLATE_NAME_FILE
    if not name_file.exists() or not postgresql_server_named():
        return
    import psycopg

    with psycopg.connect(_server_url("/postgres").geturl(), autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name_file.read_text()}" WITH (FORCE)')
