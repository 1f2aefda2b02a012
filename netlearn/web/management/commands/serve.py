"""`netlearn serve`: the production web server (gunicorn), not Django's development server."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

DEFAULT_THREADS = 4


def default_workers() -> int:
    try:
        return max(1, int(os.environ.get("WEB_CONCURRENCY", "2")))
    except ValueError as error:
        raise CommandError("WEB_CONCURRENCY must be a whole number of worker processes.") from error


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

            return application

    return NetlearnApplication(options)


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
        "proc_name": "netlearn",
        # gunicorn 25.1+ opens a control socket in the home directory; concurrent instances
        # would share it. Signals still control the server (HUP reloads, TERM stops).
        "control_socket_disable": True,
    }


def start_task_worker() -> subprocess.Popen | None:
    """A database task worker beside the web server (text extraction, model runs, email), when
    tasks are queued in the database; a deployment with its own workers sets
    NETLEARN_TASK_WORKER=0."""
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if not backend.startswith("django_tasks_db") or os.environ.get("NETLEARN_TASK_WORKER") == "0":
        return None
    return subprocess.Popen(
        [sys.executable, "-m", "netlearn", "db_worker", "--no-reload", "--interval", "1"]
    )


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
            help="Worker processes (default: $WEB_CONCURRENCY or 2).",
        )
        parser.add_argument(
            "--threads", type=int, default=DEFAULT_THREADS, help="Threads per worker (4)."
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
                # Queued runs stay in the database; a run cut short is taken up again later.
                worker.terminate()
                worker.wait(timeout=30)
