"""`netlearn serve` keeps its task worker running (docs/operations.md#task-worker)."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from netlearn.web.management.commands.serve import Supervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


def wait_for(condition, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds} s for {what}")
        time.sleep(0.1)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_killed_child_is_started_again_and_stopped_with_the_supervisor():
    supervisor = Supervisor(SLEEPER, check_every=0.05, first_pause=0.05).start()
    try:
        first = supervisor.process.pid
        os.kill(first, signal.SIGKILL)
        wait_for(lambda: supervisor.restarts == 1, seconds=10, what="a restart")
        second = supervisor.process.pid
        assert second != first and alive(second)
    finally:
        supervisor.stop(timeout=10)
    assert supervisor.process.poll() is not None
    time.sleep(0.3)
    assert supervisor.restarts == 1  # stopping is not dying: nothing started after it


def test_a_child_that_keeps_dying_is_restarted_ever_more_slowly():
    supervisor = Supervisor(
        [sys.executable, "-c", "raise SystemExit(3)"], check_every=0.05, first_pause=0.1
    ).start()
    try:
        time.sleep(2.0)
    finally:
        supervisor.stop(timeout=10)
    # Pauses of 0.1, 0.2, 0.4, 0.8 s (plus start-up): a handful of restarts, not forty.
    assert 2 <= supervisor.restarts <= 5


# Against the real command ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def task_workers_of(parent: int) -> list[int]:
    """Pids of `db_worker` processes whose parent is `parent` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == parent and b"db_worker" in command:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_serve_starts_its_task_worker_again_when_it_is_killed(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="netlearn.config.settings.base", NETLEARN_HOME=str(tmp_path))
    env.pop("TASKS_BACKEND", None)
    env.pop("NETLEARN_TASK_WORKER", None)
    (tmp_path / "var").mkdir()
    # The worker reads only the task queue's table.
    subprocess.run(
        [sys.executable, "-m", "netlearn", "migrate", "django_tasks_database", "--no-input", "-v0"],
        env=env,
        check=True,
        timeout=300,
    )
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "netlearn", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        (first,) = wait_for(
            lambda: task_workers_of(server.pid), seconds=60, what="the task worker to start"
        )
        os.kill(first, signal.SIGKILL)
        (second,) = wait_for(
            lambda: [pid for pid in task_workers_of(server.pid) if pid != first],
            seconds=30,
            what="the task worker to be started again",
        )
        assert alive(second) and server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=60)
    wait_for(lambda: not alive(second), seconds=30, what="the worker to stop with the server")
