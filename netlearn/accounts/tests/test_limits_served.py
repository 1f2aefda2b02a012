"""Sign-in and password-reset limits hold against `netlearn serve` itself: gunicorn with several
worker processes, over HTTP, with no Redis (docs/safety.md#real-conditions). One
process's test client would not see counts kept in each worker's memory.

The server runs with the embedded settings (production ones refuse plain HTTP) under a temporary
NETLEARN_HOME, on a fresh database migrated first: SQLite, or a new PostgreSQL database beside the
test database when DATABASE_URL names a PostgreSQL server. Requests come from different loopback
addresses (127.0.0.x), so the per-address count never hides the per-account one.
"""

import concurrent.futures
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

import netlearn
from tests.migrated import postgresql_server_named

# Runs beside one another with `--dist loadgroup`: one migrated home, not one per xdist worker.
pytestmark = pytest.mark.xdist_group("served")

PASSWORD = "a long and proper passphrase"
CODE_ROOT = Path(netlearn.__file__).resolve().parents[1]
WORKERS = 3


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(home: Path, **extra) -> dict:
    database_url = (home / "database-url").read_text()
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CACHE_URL", "REDIS_URL"}
    }
    environment.update(
        PYTHONPATH=str(CODE_ROOT),
        DJANGO_SETTINGS_MODULE="netlearn.config.settings.base",
        NETLEARN_HOME=str(home),
        NETLEARN_TASK_WORKER="0",
        WEB_CONCURRENCY=str(WORKERS),
        EMAIL_URL="consolemail://",
        **extra,
    )
    if database_url:
        environment["DATABASE_URL"] = database_url
    return environment


def netlearn_command(home: Path, *arguments: str, **extra) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "netlearn", *arguments],
        env=server_environment(home, **extra),
        cwd=home,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(process: subprocess.Popen) -> None:
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, output


CREATE_PEOPLE = f"""
from netlearn.accounts.models import Person
for username in ("teacher", "colleague", "partner", "reset"):
    Person.objects.create_user(
        username, username.title() + "@example.org", {PASSWORD!r}, name=username.title()
    )
"""


def migrated_database(home: Path, migrated_homes) -> str:
    """Gives `home` a freshly migrated database (tests/migrated.py): a copy of the run's migrated
    SQLite file, or a new database on the PostgreSQL server DATABASE_URL names. Returns its URL,
    "" for SQLite, and records it in the home for `server_environment`."""
    if postgresql_server_named():
        database_url = migrated_homes.new_postgresql_database()
    else:
        database_url = ""
        migrated_homes.copy_sqlite_into(home)
    (home / "database-url").write_text(database_url)
    return database_url


def drop_postgresql_database(database_url: str) -> None:
    import psycopg

    url = urllib.parse.urlsplit(database_url)
    with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{url.path[1:]}" WITH (FORCE)')


@pytest.fixture(scope="module")
def home(tmp_path_factory, migrated_homes):
    """A migrated database with four staff accounts, and the static files' manifest."""
    home = tmp_path_factory.mktemp("netlearn-home")
    database_url = migrated_database(home, migrated_homes)
    try:
        migrated_homes.copy_static_into(home)
        finish(netlearn_command(home, "shell", "-c", CREATE_PEOPLE))
        yield home
    finally:
        if database_url:
            drop_postgresql_database(database_url)


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    executable = shutil.which("redis-server")
    if executable is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    directory = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [executable, "--port", str(port), "--save", "", "--appendonly", "no", "--dir", directory],
        stdout=subprocess.DEVNULL,
    )
    wait_for_port(port, process)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=30)


def wait_for_port(port: int, process: subprocess.Popen, path: str | None = None) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server stopped"
        try:
            if path is None:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"nothing answered on port {port}")


@pytest.fixture(scope="module", params=["database", "redis"])
def server(request, home):
    """`netlearn serve` with WORKERS worker processes: counting in the database (no Redis), or
    in Redis when CACHE_URL names one."""
    extra = {}
    if request.param == "redis":
        extra["CACHE_URL"] = request.getfixturevalue("redis_url")
    port = free_port()
    log = open(home / f"serve-{request.param}.log", "w+")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "netlearn", "serve", "--port", str(port)],
        env=server_environment(home, **extra),
        cwd=home,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for_port(port, process, path="/healthz")
        yield Server(port, Path(log.name))
    finally:
        os.killpg(process.pid, signal.SIGINT)  # gunicorn: stop now, not gracefully
        process.wait(timeout=60)
        log.close()


class Server:
    def __init__(self, port: int, log: Path):
        self.port = port
        self.log = log
        status, headers, body = self.request("GET", "/accounts/sign-in/")
        assert status == 200
        self.csrf_cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
        self.csrf_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)

    def request(self, method, path, form=None, *, source="127.0.0.1", cookie=""):
        # A new connection from `source`: a client at that address, as REMOTE_ADDR tells.
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=120, source_address=(source, 0)
        )
        headers = {"Cookie": cookie} if cookie else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.headers, response.read().decode()
        finally:
            connection.close()

    def post(self, path, form, *, source):
        form = {**form, "csrfmiddlewaretoken": self.csrf_token}
        status, headers, _ = self.request(
            "POST", path, form, source=source, cookie=f"csrftoken={self.csrf_cookie}"
        )
        return status, " ".join(headers.get_all("Set-Cookie") or [])

    def sign_in(self, username, password, *, source) -> tuple[int, str]:
        """The answer's status and the cookies it sets."""
        form = {"username": username, "password": password}
        return self.post("/accounts/sign-in/", form, source=source)

    def reset(self, email, *, source):
        return self.post("/accounts/password-reset/", {"email": email}, source=source)[0]

    def logged(self) -> str:
        return self.log.read_text()


CHECK_THE_CACHE = """
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
assert isinstance(caches["default"], DatabaseCache), caches["default"]
cache.set("served", "shared")
print(cache.get("served"))
"""


def test_a_fresh_migrate_makes_the_database_cache_table(home):
    # Nothing but `netlearn migrate` made the database (tests/migrated.py): the default cache, a
    # table, works at once.
    process = netlearn_command(home, "shell", "-c", CHECK_THE_CACHE)
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0 and output.strip().endswith("\nshared"), output


def address(n: int) -> str:
    return f"127.0.{n // 250}.{n % 250 + 2}"


def test_the_sixth_failed_sign_in_for_one_account_answers_429_whatever_name_was_typed(server):
    names = ["teacher", "teacher@example.org", "Teacher@Example.org"]
    for n in range(5):
        status, _ = server.sign_in(names[n % 3], "wrong guess", source=address(n))
        assert status == 200, f"failure {n + 1} answered {status}"
    status, _ = server.sign_in("teacher", "wrong guess", source=address(5))
    assert status == 429
    # The right password is refused while the account is limited, and no session starts.
    status, cookies = server.sign_in("teacher@example.org", PASSWORD, source=address(6))
    assert status == 429 and "sessionid" not in cookies
    # Another account is not held up.
    status, cookies = server.sign_in("colleague", PASSWORD, source=address(7))
    assert status == 302 and "sessionid" in cookies
    log = server.logged()
    assert "Rate limit sign-in-failures reached for person:" in log
    assert "Failed sign-in for person:" in log
    assert "Sign-in by person:" in log
    assert "teacher@example.org" not in log.lower()


def test_guesses_sent_at_once_to_every_worker_get_five_checked(server):
    attempts = [
        ("partner" if n % 2 else "partner@example.org", address(100 + n)) for n in range(12)
    ]
    with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(
            pool.map(lambda a: server.sign_in(a[0], "wrong guess", source=a[1])[0], attempts)
        )
    assert sorted(statuses) == [200] * 5 + [429] * 7


def test_password_resets_are_limited_across_workers(server):
    sources = [address(200 + n) for n in range(14)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=14) as pool:
        statuses = list(pool.map(lambda s: server.reset("reset@example.org", source=s), sources))
    assert sorted(statuses) == [302] * 5 + [429] * 9
    # And per client address, whichever addresses it asks for.
    statuses = [server.reset(f"someone{n}@example.org", source=address(300)) for n in range(6)]
    assert statuses == [302] * 5 + [429]
    assert "Rate limit password-reset reached for ip:127.0.1.52" in server.logged()
