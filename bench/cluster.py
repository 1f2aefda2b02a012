"""Netlearn past one machine, without containers: two web processes as if on two hosts, one
separate task worker, PostgreSQL, Redis, behind a round-robin proxy, under load.

    .venv/bin/python -m bench.cluster [--users 20] [--duration 30] [--think 1.0]
                                      [--workers 1] [--threads 4] [--keep]

What it starts (docs/operations.md#several-machines describes the deployment it stands for):
- a new PostgreSQL database beside DATABASE_URL's (or postgres://postgres@127.0.0.1:5432/),
  dropped at the end, filled with bench/pages_data.py's small programme (20 networks);
- `redis-server` on a free port, with nothing saved to disk: the shared cache (CACHE_URL), so
  sessions' rate limits and cached fragments are one for both web processes;
- two `netlearn serve` web processes, each with its own NETLEARN_HOME (its own var/: static
  files collected once and copied, as an image would carry them; its own search index directory,
  unused: LIBRARY_SEARCH_BACKEND=database, since the hosts share no disk) and
  NETLEARN_TASK_WORKER=0, so neither runs tasks;
- one `netlearn db_worker` with a third home: the task worker of a worker host;
- a small round-robin HTTP proxy in this process (each request to the next web process, as
  nginx's upstream does by default), which sets X-Forwarded-For and X-Request-ID.
MEDIA_ROOT is one directory for all three, standing for the S3-compatible bucket a real
deployment uses (AWS_STORAGE_BUCKET_NAME): no S3 server runs here.

What it checks, and exits 1 if any fails:
1. both web processes answer /healthz with every check ok (database, Redis cache, storage, the
   task worker: no task waiting);
2. a profile saved through web process A is read back through web process B, the same session
   cookie signed in on both (sessions live in the shared database);
3. a task queued by a web process (a password reset's email, asked through the proxy) is run by
   the separate worker: its row in the task queue reaches SUCCESSFUL;
4. --users co-leaders signed in through the proxy request the busiest pages for --duration
   seconds with --think seconds between pages: 0 errors, and both web processes served requests.
Writes bench/results/cluster-<date>.json/.md with p50/p95 per page and the load average.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import http.server
import itertools
import json
import os
import random
import shutil
import signal
import socketserver
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from bench import pages

ROOT = Path(__file__).resolve().parents[1]
HOP_HEADERS = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailers",
    "transfer-encoding",
    "upgrade",
}
LOAD_PAGES = ("home", "schools", "people", "thread", "calendar", "library", "charter", "bare")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers per web process")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    return parser.parse_args(argv)


# --- the proxy --------------------------------------------------------------------------------


class RoundRobinProxy(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, backends: list[int]):
        self.backends = backends
        self.turn = itertools.cycle(range(len(backends)))
        self.lock = threading.Lock()
        self.served = [0] * len(backends)
        super().__init__(("127.0.0.1", 0), ProxyHandler)

    def next_backend(self) -> int:
        with self.lock:
            index = next(self.turn)
            self.served[index] += 1
            return index


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def _forward(self):
        server: RoundRobinProxy = self.server  # type: ignore[assignment]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        port = server.backends[server.next_backend()]
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
        headers["X-Forwarded-For"] = self.client_address[0]
        upstream = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            upstream.request(self.command, self.path, body=body, headers=headers)
            response = upstream.getresponse()
            data = response.read()
        except OSError:
            self.send_error(502)
            return
        finally:
            upstream.close()
        self.send_response_only(response.status, response.reason)
        for key, value in response.getheaders():
            if key.lower() not in HOP_HEADERS and key.lower() != "content-length":
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Served-By", str(port))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_HEAD = _forward


# --- processes --------------------------------------------------------------------------------


def start_redis(home: Path) -> tuple[subprocess.Popen, int]:
    port = pages.free_port()
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(home),
        ],  # fmt: skip
        stdout=(home / "redis.log").open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            import redis

            redis.Redis(port=port).ping()
            return process, port
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.1)
    raise RuntimeError("redis-server did not start")


def host_env(home: Path, shared: dict[str, str]) -> dict[str, str]:
    return {
        **os.environ,
        **shared,
        "NETLEARN_HOME": str(home),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
    }


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def get(port: int, path: str, cookies: dict[str, str] | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())}
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


def post_form(user: pages.User, path: str, fields: dict[str, str]) -> int:
    """GETs the form for its CSRF token, then POSTs it, through the user's port."""
    status, _, body = user.request("GET", path)
    match = pages.CSRF_INPUT.search(body.decode())
    if status != 200 or not match:
        raise RuntimeError(f"GET {path} answered {status} without a form")
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": match.group(1), **fields})
    status, _, _ = user.request(
        "POST",
        path,
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"http://127.0.0.1:{user.port}",
            "Referer": f"http://127.0.0.1:{user.port}{path}",
        },
    )
    return status


# --- checks -----------------------------------------------------------------------------------


def check_health(ports: list[int]) -> dict:
    out = {}
    for port in ports:
        status, body = get(port, "/healthz")
        out[port] = {"http_status": status, **json.loads(body)}
    return out


def check_write_read_across(dataset, ports: list[int], password: str) -> dict:
    from netlearn.accounts.models import Person

    slug = sorted(dataset.leaders)[0]
    on_a = pages.User(ports[0], dataset.leaders[slug], {}, random.Random(1))
    on_a.sign_in(password)
    marker = f"Cross-host check {random.randrange(10**9)}"
    email = Person.objects.get(username=on_a.username).email
    status = post_form(
        on_a, "/accounts/me/edit/", {"name": "Bench Leader", "email": email, "bio": marker}
    )
    # The same session, now on web process B.
    on_b = pages.User(ports[1], on_a.username, {}, random.Random(2), cookies=dict(on_a.cookies))
    read_status, _, body = on_b.request("GET", "/accounts/me/")
    on_a.close()
    on_b.close()
    return {
        "saved_on": ports[0],
        "save_status": status,
        "read_on": ports[1],
        "read_status": read_status,
        "found": marker in body.decode(),
    }


def check_task_runs_on_worker(proxy_port: int, email: str, timeout: float = 90.0) -> dict:
    from django_tasks_db.models import DBTaskResult

    before = set(DBTaskResult.objects.values_list("pk", flat=True))
    asker = pages.User(proxy_port, "", {}, random.Random(3))
    status = post_form(asker, "/accounts/password-reset/", {"email": email})
    asker.close()
    deadline = time.monotonic() + timeout
    row = None
    while time.monotonic() < deadline:
        row = (
            DBTaskResult.objects.exclude(pk__in=before)
            .filter(task_path__endswith="send_password_reset")
            .values("status", "worker_ids", "enqueued_at", "finished_at")
            .first()
        )
        if row and row["status"] in ("SUCCESSFUL", "FAILED"):
            break
        time.sleep(0.5)
    return {
        "ask_status": status,
        "task_status": row and row["status"],
        "worker_ids": row and row["worker_ids"],
        "seconds_to_run": row
        and row["finished_at"]
        and round((row["finished_at"] - row["enqueued_at"]).total_seconds(), 2),
    }


def load(dataset, proxy_port: int, args, password: str) -> dict:
    rng = random.Random(args.seed)
    slugs = sorted(dataset.leaders)
    users = []
    for index in range(args.users):
        slug = slugs[index % len(slugs)]
        group = dataset.groups[slug][0]
        paths = {page: [path] for page, path in pages.page_paths(dataset, slug, group).items()}
        users.append(pages.User(proxy_port, dataset.leaders[slug], paths, rng))
    # Several users share a network's co-leader: sign each account in once per user anyway.
    pages.sign_in_all(users, password)
    original = pages.PAGES
    pages.PAGES = LOAD_PAGES  # run_users picks pages from this tuple
    try:
        load_before = os.getloadavg()[0]
        samples, seconds = pages.run_users(users, duration=args.duration, think=args.think)
        load_after = os.getloadavg()[0]
    finally:
        pages.PAGES = original
        for user in users:
            user.close()
    rows = {}
    for page in LOAD_PAGES:
        mine = [s for s in samples if s.page == page]
        good = [1000 * s.seconds for s in mine if s.ok]
        rows[page] = {
            "count": len(mine),
            "errors": sum(not s.ok for s in mine),
            "error_kinds": sorted({s.detail for s in mine if not s.ok}),
            "median_ms": round(statistics.median(good), 1) if good else None,
            "p95_ms": round(pages.p95(good), 1) if good else None,
        }
    return {
        "requests": len(samples),
        "errors": sum(not s.ok for s in samples),
        "throughput_rps": round(len(samples) / seconds, 1),
        "load_average_1min": [round(load_before, 2), round(load_after, 2)],
        "pages": rows,
    }


# --- main -------------------------------------------------------------------------------------


def main(argv=None) -> int:
    args = parse_args(argv)
    if shutil.which("redis-server") is None:
        raise SystemExit("bench.cluster needs redis-server (apt install redis-server).")
    base = Path(tempfile.mkdtemp(prefix="netlearn-bench-cluster-"))
    homes = {name: base / name for name in ("web-a", "web-b", "worker")}
    for home in homes.values():
        home.mkdir()
    (base / "media").mkdir()
    processes: list[subprocess.Popen] = []
    proxy = None
    dropped = None

    def on_signal(signum, frame):
        raise SystemExit(128 + signum)  # through the finally below: stop, drop, remove

    signal.signal(signal.SIGTERM, on_signal)
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/postgres"
    try:
        database_url, dropped = pages.fresh_database(base)
        if dropped is None:
            raise SystemExit("bench.cluster runs on PostgreSQL: set DATABASE_URL to one.")
        redis_process, redis_port = start_redis(base)
        processes.append(redis_process)
        shared = {
            "BENCH_DATABASE_URL": database_url,
            "CACHE_URL": f"redis://127.0.0.1:{redis_port}/0",
            "SECRET_KEY": "bench-cluster-" + "x" * 50,
            "MEDIA_ROOT": str(base / "media"),
            "LIBRARY_SEARCH_BACKEND": "database",
            "NETLEARN_TASK_WORKER": "0",
            "LOG_FORMAT": "json",
        }
        os.environ.update({k: v for k, v in shared.items() if k != "NETLEARN_TASK_WORKER"})
        pages.setup_django(homes["web-a"], database_url)
        from bench.pages_data import PASSWORD

        print(f"Building the small programme in {base} …", flush=True)
        dataset, timings = pages.prepare("small", args.seed)
        print(f"  {timings}", flush=True)
        # Static files collected once (into web-a's home) and copied: what an image carries.
        shutil.copytree(homes["web-a"] / "var" / "static", homes["web-b"] / "var" / "static")

        netlearn = str(Path(sys.executable).with_name("netlearn"))
        web_ports = [pages.free_port(), pages.free_port()]
        for name, port in zip(("web-a", "web-b"), web_ports, strict=True):
            command = [netlearn, "serve", "--host", "127.0.0.1", "--port", str(port)]
            command += ["--workers", str(args.workers), "--threads", str(args.threads)]
            env = host_env(homes[name], shared)
            processes.append(start(command, env, homes[name] / "serve.log"))
        worker_env = host_env(homes["worker"], shared)
        processes.append(start([netlearn, "db_worker"], worker_env, homes["worker"] / "worker.log"))
        for process, port in zip(processes[1:3], web_ports, strict=True):
            pages.wait_until_up(process, port)
        proxy = RoundRobinProxy(web_ports)
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
        proxy_port = proxy.server_address[1]
        print(f"Web processes on {web_ports}, proxy on {proxy_port}, Redis on {redis_port}")

        health = check_health(web_ports)
        across = check_write_read_across(dataset, web_ports, PASSWORD)
        from netlearn.accounts.models import Person

        email = Person.objects.get(username=dataset.leaders[sorted(dataset.leaders)[1]]).email
        task = check_task_runs_on_worker(proxy_port, email)
        served_before = list(proxy.served)
        result_load = load(dataset, proxy_port, args, PASSWORD)
        served = [after - before for after, before in zip(proxy.served, served_before, strict=True)]
        worker_alive = processes[3].poll() is None

        checks = {
            "health_ok": all(
                row["http_status"] == 200
                and all(c["status"] == "ok" for c in row["checks"].values())
                for row in health.values()
            ),
            "write_on_a_read_on_b": across["found"] and across["save_status"] == 302,
            "task_run_by_worker": task["task_status"] == "SUCCESSFUL",
            "load_without_errors": result_load["errors"] == 0,
            "both_web_processes_served": all(count > 0 for count in served),
            "worker_still_running": worker_alive,
        }
        result = {
            "date": datetime.date.today().isoformat(),
            "users": args.users,
            "duration_s": args.duration,
            "think_s": args.think,
            "web_processes": f"2 × `netlearn serve` ({args.workers} worker × {args.threads} "
            "threads), NETLEARN_TASK_WORKER=0, separate homes",
            "checks": checks,
            "health": health,
            "write_read_across": across,
            "task": task,
            "served_per_web_process": served,
            "load": result_load,
            "dataset": dataset.counts,
        }
        pages.RESULTS.mkdir(parents=True, exist_ok=True)
        stem = pages.RESULTS / f"cluster-{result['date']}"
        stem.with_suffix(".json").write_text(json.dumps(result, indent=2, default=str) + "\n")
        text = report(result)
        stem.with_suffix(".md").write_text(text)
        print(text)
        return 0 if all(checks.values()) else 1
    finally:
        if proxy is not None:
            proxy.shutdown()
        for process in reversed(processes):
            pages.stop_server(process)
        if dropped:
            from django.db import connections

            connections.close_all()
            pages.drop_database(dropped)
        if args.keep:
            print(f"Kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


def report(result: dict) -> str:
    load = result["load"]
    lines = [
        f"# Two web processes, one worker, PostgreSQL and Redis behind a proxy, {result['date']}",
        "",
        f"{result['web_processes']}; one `netlearn db_worker`; a round-robin proxy. Load: "
        f"{result['users']} users, think {result['think_s']} s, {result['duration_s']} s: "
        f"{load['requests']} requests ({load['throughput_rps']} req/s), {load['errors']} errors; "
        f"served per web process {result['served_per_web_process']}; 1-minute load average "
        f"before/after {load['load_average_1min']} on {os.cpu_count()} CPUs.",
        "",
        "| check | passed |",
        "|---|---|",
        *(f"| {name} | {'yes' if ok else 'NO'} |" for name, ok in result["checks"].items()),
        "",
        f"Task: {result['task']}. Write/read: {result['write_read_across']}.",
        "",
        "| page | requests | errors | median ms | p95 ms |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| {page} | {row['count']} | {row['errors']} | {row['median_ms']} | {row['p95_ms']} |"
            for page, row in load["pages"].items()
        ),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
