"""`netlearn demo --no-serve` sets everything up; `netlearn serve` really serves with gunicorn."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from netlearn.demo.seed import NETWORKS, PASSWORD, SIGN_INS
from netlearn.networks.models import Network
from netlearn.web.management.commands.serve import (
    default_workers,
    follow_port,
    gunicorn_application,
    gunicorn_options,
)


@pytest.mark.django_db
def test_demo_command_sets_up_without_serving(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.STATIC_ROOT = tmp_path / "var" / "static"
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    assert (tmp_path / "var" / "static" / "web" / "netlearn.css").exists()
    assert Network.objects.filter(slug__in=[spec.slug for spec in NETWORKS]).count() == len(
        NETWORKS
    )
    for _, username, _ in SIGN_INS:
        assert f" {username} " in text
    assert PASSWORD in text
    # Nothing is served, so the command says how to start it rather than "Open …".
    assert "Open http" not in text
    assert "netlearn serve --port 8000" in text
    assert "http://127.0.0.1:8000" in text


@pytest.mark.xdist_group("demo")
def test_demo_on_another_port_prints_that_port(settings, tmp_path, demo_sign_ins):
    # In the demo the test worker has loaded once (conftest.py): loading it is the test above's.
    settings.VAR_DIR = tmp_path / "var"
    settings.STATIC_ROOT = tmp_path / "var" / "static"
    out = StringIO()
    call_command("demo", "--no-serve", "--port", "8765", stdout=out)
    assert "http://127.0.0.1:8765" in out.getvalue()
    assert "8000" not in out.getvalue()


def test_links_follow_the_served_port_unless_site_url_is_set(settings, monkeypatch):
    # `follow_port` writes SITE_URL into the settings and the environment, as `netlearn serve`
    # must: here into an override and an environment of the test's own, both undone after it.
    settings.SITE_URL = "http://127.0.0.1:8000"
    monkeypatch.setattr(os, "environ", {k: v for k, v in os.environ.items() if k != "SITE_URL"})
    follow_port("0.0.0.0", 8765)
    assert settings.SITE_URL == "http://127.0.0.1:8765"
    assert os.environ["SITE_URL"] == "http://127.0.0.1:8765"  # the task worker's links too
    monkeypatch.setenv("SITE_URL", "https://netlearn.example.org")
    settings.SITE_URL = "https://netlearn.example.org"
    follow_port("127.0.0.1", 9000)
    assert settings.SITE_URL == "https://netlearn.example.org"


def test_migrate_works_in_a_fresh_home(migrated_homes):
    # The run's one migrated home (tests/migrated.py) is this: `netlearn migrate` run with the
    # embedded settings in a new, empty folder, failing the run if it does not exit 0.
    home = migrated_homes.sqlite_home()
    assert (home / "var" / "netlearn.sqlite3").stat().st_size > 0


def test_serve_configures_gunicorn(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    app = gunicorn_application(gunicorn_options(host="0.0.0.0", port=8123, workers=3, threads=4))
    assert app.cfg.bind == ["0.0.0.0:8123"]
    assert app.cfg.workers == 3
    assert app.cfg.threads == 4
    assert app.cfg.worker_class_str == "gthread"


def test_a_worker_loads_every_view_then_sets_them_aside_from_the_garbage_collector():
    """What a worker loads lives as long as it does: frozen (serve.warm_up), it is walked by no
    full collection during a request, nor when the worker stops."""
    script = (
        "import gc, sys, django; django.setup()\n"
        "from netlearn.web.management.commands import serve\n"
        "options = serve.gunicorn_options(host='127.0.0.1', port=8123, workers=1, threads=1)\n"
        "serve.gunicorn_application(options).load()\n"
        "print('netlearn.config.urls' in sys.modules, gc.get_freeze_count())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    loaded, frozen = result.stdout.split()
    assert loaded == "True"
    assert int(frozen) > 100_000


def test_gunicorn_forks_its_workers_from_a_master_that_loaded_the_views():
    """The master runs warm_up once (`preload_app`): a worker starts without loading anything and
    shares the loaded code's memory (four workers: 165 MB in all, 516 MB each loading its own)."""
    application = gunicorn_application(
        gunicorn_options(host="127.0.0.1", port=8123, workers=2, threads=2)
    )
    assert application.cfg.preload_app is True
    assert application.cfg.worker_class_str == "gthread"


def test_serve_runs_two_processes_per_core_unless_told(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    assert default_workers() == 4
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(32)))
    assert default_workers() == 8  # each thread holds a database connection
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert default_workers() == 3
    monkeypatch.setenv("WEB_CONCURRENCY", "three")
    with pytest.raises(CommandError, match="whole number"):
        default_workers()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_answers_http_with_gunicorn(tmp_path):
    port = free_port()
    # Embedded, as a fresh clone runs it: SQLite under a new var/ that serve must create.
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="netlearn.config.settings.base", NETLEARN_HOME=str(tmp_path))
    server = subprocess.Popen(
        [sys.executable, "-m", "netlearn", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            except urllib.error.HTTPError as error:
                # Nothing has migrated the new database: the server answers, and says so.
                assert error.code == 503, error.code
                assert "gunicorn" in error.headers.get("Server", "")
                checks = json.load(error)["checks"]
                assert checks["database"]["status"] == "ok"
                assert checks["cache"]["status"] == checks["task_worker"]["status"] == "fail"
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    output = server.stdout.read().decode() if server.poll() is not None else ""
                    pytest.fail(f"netlearn serve did not answer: {output}")
                time.sleep(0.2)
            else:
                pytest.fail("an unmigrated database was reported healthy")
        assert (tmp_path / "var").is_dir()
    finally:
        server.terminate()
        server.wait(timeout=30)
