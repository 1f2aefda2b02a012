"""Against the real thing (docs: threat model): `netlearn serve` with its database task worker,
no test settings. A hostile Word document answers its upload at once, the web worker stays
free, and the task worker records the failed extraction instead of running out of memory."""

import os
import re
import socket
import subprocess
import sys
import time

import pytest
import requests

from netlearn.networks.tests.world import PASSWORD

from .test_extraction_sandbox import zip_bomb_docx

MAKE_WORLD = "from netlearn.networks.tests.world import build_world; build_world()"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _netlearn(env, *args, timeout=300):
    return subprocess.run(
        [sys.executable, "-m", "netlearn", *args],
        env=env,
        capture_output=True,
        timeout=timeout,
        check=True,
    )


@pytest.fixture
def served(tmp_path, migrated_homes):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="netlearn.config.settings.base",
        NETLEARN_HOME=str(tmp_path),
        LIBRARY_EXTRACTION_MEMORY_MB="128",
    )
    # A freshly migrated database and the collected static files (tests/migrated.py).
    migrated_homes.copy_sqlite_into(tmp_path)
    migrated_homes.copy_static_into(tmp_path)
    _netlearn(env, "shell", "-c", MAKE_WORLD)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "netlearn", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(f"{base}/healthz", timeout=2)
            break
        except requests.ConnectionError:
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("netlearn serve did not start")
            time.sleep(0.3)
    try:
        yield base
    finally:
        server.terminate()
        server.wait(timeout=60)


def _csrf(session, url) -> str:
    answer = session.get(url, timeout=10)
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', answer.text)
    assert found, f"{answer.status_code} {answer.url}: {answer.text[:3000]}"
    return found.group(1)


@pytest.mark.sqlite_home
def test_a_zip_bomb_upload_answers_at_once_and_fails_in_the_background(served):
    session = requests.Session()
    sign_in = f"{served}/accounts/sign-in/"
    session.post(
        sign_in,
        data={
            "username": "teacher",
            "password": PASSWORD,
            "csrfmiddlewaretoken": _csrf(session, sign_in),
        },
        headers={"Referer": sign_in},
        timeout=10,
    )
    add = f"{served}/n/riverside/library/new/"
    started = time.monotonic()
    answer = session.post(
        add,
        data={
            "csrfmiddlewaretoken": _csrf(session, add),
            "title": "Termly report",
            "kind": "lesson_plan",
            "stages": ["ks2"],
            "licence": "cc-by-4.0",
            "sharing": "network",
        },
        files={"upload": ("report.docx", zip_bomb_docx())},
        headers={"Referer": add},
        timeout=30,
    )
    # Read in the request, this file held a worker for about 20 seconds and 600 MB.
    assert time.monotonic() - started < 5
    assert answer.status_code == 200 and "/library/resources/" in answer.url
    assert requests.get(f"{served}/healthz", timeout=2).status_code == 200
    deadline = time.monotonic() + 60
    while "Could not be read" not in (page := session.get(answer.url, timeout=10).text):
        assert time.monotonic() < deadline, "the extraction never finished"
        time.sleep(0.5)
    assert "128 MB of memory" in page
