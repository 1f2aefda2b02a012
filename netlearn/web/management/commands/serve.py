"""`netlearn serve`: the production web server (gunicorn), not Django's development server."""

import gc
import logging
import os
import subprocess
import sys
import threading
import time
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

# Two threads in each of two processes per core. Threads of one process take turns holding
# Python's GIL: a thread whose query has returned waits for the running one's switch interval,
# so four threads in each of two processes left every page queueing behind the heaviest (home
# p95 188 ms under 50 users on two cores; 88 ms with 4 processes × 2 threads, the same 8
# database connections; docs/benchmarks.md#busiest-pages).
DEFAULT_THREADS = 2
WORKERS_PER_CORE = 2
# Each worker thread keeps a database connection: past this, set WEB_CONCURRENCY to what the
# database's max_connections allows.
MOST_DEFAULT_WORKERS = 8
TASK_WORKER_COMMAND = [
    sys.executable,
    "-m",
    "netlearn",
    "db_worker",
    "--no-reload",
    "--interval",
    "1",
]

logger = logging.getLogger("netlearn.serve")


def default_workers() -> int:
    """$WEB_CONCURRENCY, or two processes per core the server may use (at most eight)."""
    value = os.environ.get("WEB_CONCURRENCY")
    if value is None:
        return min(MOST_DEFAULT_WORKERS, WORKERS_PER_CORE * usable_cores())
    try:
        return max(1, int(value))
    except ValueError as error:
        raise CommandError("WEB_CONCURRENCY must be a whole number of worker processes.") from error


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def gunicorn_application(options: dict):
    """A gunicorn application serving netlearn.config.wsgi:application with `options`."""
    from gunicorn.app.base import BaseApplication

    class NetlearnApplication(BaseApplication):
        def __init__(self, gunicorn_options: dict):
            self.gunicorn_options = gunicorn_options
            super().__init__()

        def load_config(self):
            for key, value in self.gunicorn_options.items():
                if key in self.cfg.settings and value is not None:
                    self.cfg.set(key, value)

        def load(self):
            from netlearn.config.wsgi import application

            warm_up()
            return application

    return NetlearnApplication(options)


def warm_up() -> None:
    """Loads every view once, in gunicorn's master process before it forks the workers
    (`preload_app`), then sets what was loaded aside from the garbage collector (`gc.freeze`):
    some 270,000 objects that live as long as the server. Each worker starts with them already
    loaded, in memory it shares with the others until it writes there, and none of its garbage
    collections walks them: left in the collector's care, every full collection walked them all
    (about 0.3 s, inside whichever request set it off), and a stopping worker spent seconds
    collecting them at exit."""
    import_module(settings.ROOT_URLCONF)
    # Loading reads no table, but a worker must never inherit the master's database connection.
    connections.close_all()
    gc.collect()  # what loading threw away goes now, not frozen forever
    gc.freeze()


def gunicorn_options(*, host: str, port: int, workers: int, threads: int) -> dict:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "accesslog": "-",
        "errorlog": "-",
        "timeout": 60,
        "graceful_timeout": 20,
        # The master loads the application (warm_up) and the workers are forked from it: a worker
        # starts, or is started again, at once and shares the loaded code's memory. New code
        # needs `netlearn serve` restarted (HUP restarts the workers from the code already loaded).
        "preload_app": True,
        "proc_name": "netlearn",
        # gunicorn 25.1+ opens a control socket in the home directory; concurrent instances
        # would share it. Signals still control the server (HUP reloads, TERM stops).
        "control_socket_disable": True,
    }


class Supervisor:
    """Keeps one child process running: started with `start`, started again whenever it exits
    (after a pause that doubles while it keeps dying young, so a worker that cannot start does
    not spin), stopped with `stop`. A thread of the serving process watches it: gunicorn's
    arbiter owns the main thread and its signals."""

    def __init__(
        self,
        command: list[str],
        *,
        name: str = "task worker",
        check_every: float = 1.0,
        first_pause: float = 1.0,
        longest_pause: float = 60.0,
        steady_after: float = 60.0,
    ):
        self.command, self.name = command, name
        self.check_every, self.first_pause = check_every, first_pause
        self.longest_pause, self.steady_after = longest_pause, steady_after
        self.process: subprocess.Popen | None = None
        self.restarts = 0
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._watch, name=f"{name} supervisor", daemon=True)

    def start(self) -> "Supervisor":
        with self._lock:
            self._spawn()
        self._thread.start()
        return self

    def _spawn(self) -> None:
        self.process = subprocess.Popen(self.command)
        self.started_at = time.monotonic()
        logger.info("Started the %s (pid %s)", self.name, self.process.pid)

    def _watch(self) -> None:
        pause = self.first_pause
        while not self._stopping.wait(self.check_every):
            # gunicorn's arbiter reaps any child that exits; poll() then reads 0 (ECHILD).
            code = self.process.poll()
            if code is None:
                if time.monotonic() - self.started_at > self.steady_after:
                    pause = self.first_pause
                continue
            logger.error(
                "The %s (pid %s) exited with code %s; starting it again in %.0f s",
                self.name,
                self.process.pid,
                code,
                pause,
            )
            if self._stopping.wait(pause):
                return
            with self._lock:
                if self._stopping.is_set():
                    return
                self._spawn()
                self.restarts += 1
            pause = min(pause * 2, self.longest_pause)

    def stop(self, timeout: float = 30) -> None:
        with self._lock:
            self._stopping.set()
            process = self.process
        if self._thread.is_alive():
            self._thread.join(timeout=self.check_every + 5)
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def start_task_worker() -> Supervisor | None:
    """A database task worker beside the web server (text extraction, model runs, email), kept
    running, when tasks are queued in the database; a deployment with its own workers sets
    NETLEARN_TASK_WORKER=0 (and supervises them itself: docs/operations.md#task-worker)."""
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if not backend.startswith("django_tasks_db") or os.environ.get("NETLEARN_TASK_WORKER") == "0":
        return None
    return Supervisor(TASK_WORKER_COMMAND).start()


def follow_port(host: str, port: int) -> None:
    """Links in emails and calendar feeds name the address actually served, unless SITE_URL says
    otherwise (behind a proxy it names the public address). Set before gunicorn forks its workers
    and in the environment the task worker inherits."""
    if "SITE_URL" in os.environ:
        return
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    settings.SITE_URL = os.environ["SITE_URL"] = f"http://{shown}:{port}"


class Command(BaseCommand):
    help = "Serves Netlearn with gunicorn (a production-grade WSGI server)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to bind (127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="Port to bind (8000).")
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Worker processes (default: $WEB_CONCURRENCY, or 2 per core up to 8).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=DEFAULT_THREADS,
            help=f"Threads per worker ({DEFAULT_THREADS}).",
        )

    def handle(self, *args, **options):
        workers = options["workers"] or default_workers()
        if workers < 1 or options["threads"] < 1:
            raise CommandError("--workers and --threads must be at least 1.")
        Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
        follow_port(options["host"], options["port"])
        # Workers are forked from this process: none may inherit its database connections.
        connections.close_all()
        self.stdout.write(
            f"Serving Netlearn on http://{options['host']}:{options['port']} "
            f"with {workers} workers × {options['threads']} threads (Ctrl-C stops it)."
        )
        self.stdout.flush()
        worker = start_task_worker()
        try:
            gunicorn_application(
                gunicorn_options(
                    host=options["host"],
                    port=options["port"],
                    workers=workers,
                    threads=options["threads"],
                )
            ).run()
        finally:
            if worker is not None:
                # Queued runs stay in the database for the next start.
                worker.stop(timeout=30)
