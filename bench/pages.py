"""The busiest pages under 50 concurrent users, against a bare Django view in the same run.

    .venv/bin/python -m bench.pages [--scale small|national] [--users 50] [--runs 3]
                                    [--duration 20] [--think 1.0] [--workers N] [--threads 2]
                                    [--port 0]

Builds a fresh database (SQLite in a temporary directory, or a new database beside DATABASE_URL's,
dropped at the end), serves it with `netlearn serve` (gunicorn) on 127.0.0.1 with
DJANGO_SETTINGS_MODULE=bench.settings, signs each simulated user in as a network co-leader through
the sign-in form, then has the users request the network home, schools list, people directory,
roles page, a group page, the last page of a 120-post discussion thread, the calendar, a library
search, the charter, a learning focus's golden thread, the impact overview and the bare view
(/bench/bare/) for --runs runs of --duration seconds each. Each network has a charter with
learning foci, goals and progress, activities on its calendar and library resources
(bench/pages_data.py); it holds no impact data, so the impact overview is timed as a network
without outcome data sees it. Each user
waits a random 0.5×–1.5× --think seconds between pages (0: closed loop, the server saturated).

Prints, per page, requests, errors, median and p95 (medians over the runs) and p95 ÷ the bare
view's p95; per run, the server's CPU time per request (gunicorn's processes, from /proc); then
the queries each page makes for the smallest and the largest network (Django's test client
in-process, CaptureQueriesContext). Writes bench/results/pages-<scale>-<date>.json/.md.
Goal (docs/benchmarks.md#targets): p95 < 150 ms, ≤ 5× the bare view, 0 errors, and no list page's
query count growing with its rows.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PAGES = (
    "home",
    "schools",
    "people",
    "roles",
    "group",
    "thread",
    "calendar",
    "library",
    "charter",
    "golden_thread",
    "impact",
    "bare",
)
GOAL_P95_MS = 150.0
GOAL_RATIO = 5.0
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MAX_REQUESTS_PER_USER = 5000
REQUEST_TIMEOUT = 30.0
SIGN_IN_AT_ONCE = 4


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "national"], default="national")
    parser.add_argument("--users", type=int, default=50, help="concurrent users (50)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs; medians are reported (3)")
    parser.add_argument(
        "--duration", type=float, default=None, help="seconds per run (20; 10 small)"
    )
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean seconds between a user's pages (1.0)"
    )
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (serve's)")
    parser.add_argument("--threads", type=int, default=None, help="threads per worker (serve's)")
    parser.add_argument(
        "--port", type=int, default=0, help="the server's port on 127.0.0.1 (0: a free one)"
    )
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    if args.duration is None:
        args.duration = 10.0 if args.scale == "small" else 20.0
    if not (1 <= args.users <= 200 and 1 <= args.runs <= 10 and 0 < args.duration <= 300):
        parser.error("keep --users in 1..200, --runs in 1..10 and --duration in (0, 300]")
    return args


# --- a fresh database -------------------------------------------------------------------------


def fresh_database(home: Path) -> tuple[str, str | None]:
    """The URL of a new, empty database, and the name to drop at the end (None for SQLite)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return f"sqlite:///{home / 'bench.sqlite3'}", None
    parts = urllib.parse.urlsplit(url)
    if not parts.scheme.startswith(("postgres", "pgsql")):
        raise SystemExit("bench.pages handles SQLite and PostgreSQL DATABASE_URLs only.")
    import psycopg

    name = f"netlearn_bench_pages_{os.getpid()}"
    with psycopg.connect(_libpq(url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}")), name


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(_libpq(os.environ["DATABASE_URL"]), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _libpq(url: str) -> str:
    return re.sub(r"^(postgres(ql)?|pgsql)(\+\w+)?://", "postgresql://", url)


# --- in-process: build, collect static files, count queries -----------------------------------


def setup_django(home: Path, database_url: str) -> None:
    os.environ["NETLEARN_HOME"] = str(home)
    os.environ["BENCH_DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()


def prepare(scale_name: str, seed: int):
    from django.core.management import call_command

    from bench.pages_data import SCALES, build

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    dataset = build(SCALES[scale_name], seed=seed)
    _analyze()
    built = time.perf_counter()
    call_command("collectstatic", verbosity=0, interactive=False)
    timings = {
        "migrate_s": round(migrated - started, 2),
        "build_s": round(built - migrated, 2),
        "collectstatic_s": round(time.perf_counter() - built, 2),
    }
    return dataset, timings


def _analyze() -> None:
    """PostgreSQL plans from table statistics, which a database filled in one go has none of
    until autovacuum gets round to it (or never, where it is off): without them the people page's
    posts were read by a scan of every post (30 ms; 3 ms after ANALYZE)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def page_paths(dataset, slug: str, group_id: int) -> dict[str, str]:
    return {
        "home": f"/n/{slug}/",
        "schools": f"/n/{slug}/schools/",
        "people": f"/n/{slug}/people/",
        "roles": f"/n/{slug}/roles/",
        "group": f"/n/{slug}/groups/{group_id}/",
        # Its last page, where the latest replies are.
        "thread": f"/discussions/threads/{dataset.threads[slug]}/?page={_last_thread_page()}",
        "calendar": f"/n/{slug}/calendar/",
        "library": f"/n/{slug}/library/?q=reading",
        "charter": f"/n/{slug}/charter/",
        "golden_thread": f"/n/{slug}/charter/foci/{dataset.foci[slug]}/thread/",
        "impact": f"/n/{slug}/impact/",
        "bare": "/bench/bare/",
    }


def _last_thread_page() -> int:
    from django.conf import settings

    from bench.pages_data import THREAD_POSTS

    return -(-THREAD_POSTS // settings.PAGE_SIZE)


def extremes(dataset) -> dict[str, tuple[str, int]]:
    """The smallest and the largest network by directory size, each with its headteachers' group
    (one member per school), so that the same page is compared at two sizes."""
    from netlearn.networks.models import GroupKind

    by_size = sorted(dataset.directory_size, key=dataset.directory_size.get)

    def heads(slug):
        return next(
            g for g in dataset.groups[slug] if dataset.group_kind[g] == GroupKind.HEADTEACHER
        )

    return {
        label: (slug, heads(slug))
        for label, slug in (("smallest", by_size[0]), ("largest", by_size[-1]))
    }


def count_queries(dataset, solo_requests: int = 15) -> dict:
    """Queries per page for the smallest and largest network, and solo in-process timings."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from netlearn.accounts.models import Person

    out: dict = {"queries": {}, "rows": {}, "solo_ms": {}}
    for label, (slug, group_id) in extremes(dataset).items():
        client = Client()
        client.force_login(Person.objects.get(username=dataset.leaders[slug]))
        paths = page_paths(dataset, slug, group_id)
        out["rows"][label] = {
            "network": slug,
            "people_in_directory": dataset.directory_size[slug],
            "group_members": dataset.group_size[group_id],
        }
        out["queries"][label] = {}
        for page, path in paths.items():
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code} in-process")
            out["queries"][label][page] = len(captured.captured_queries)
            if label == "largest":
                times = []
                for _ in range(solo_requests):
                    began = time.perf_counter()
                    client.get(path)
                    times.append(time.perf_counter() - began)
                out["solo_ms"][page] = round(1000 * statistics.median(times), 1)
    connection.close()
    return out


# --- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(home: Path, port: int, workers: int | None, threads: int | None):
    command = [str(Path(sys.executable).with_name("netlearn")), "serve"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    if workers:
        command += ["--workers", str(workers)]
    if threads:
        command += ["--threads", str(threads)]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
    }
    log = (home / "server.log").open("wb")
    # Its own session, so that the whole process group (master and workers) can be stopped.
    process = subprocess.Popen(
        command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    log.close()
    return process


def wait_until_up(process, port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}; see server.log")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the server did not answer /healthz within a minute")


def server_cpu_seconds(process) -> float | None:
    """CPU time of gunicorn's master and workers so far, from /proc (Linux only)."""
    tick = os.sysconf("SC_CLK_TCK")
    try:
        pids = [process.pid]
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        pids += [int(child) for child in children]
        total = 0
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / tick
    except (OSError, ValueError, IndexError):
        return None


def stop_server(process) -> None:
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=25)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


# --- the users --------------------------------------------------------------------------------


@dataclass
class Sample:
    page: str
    seconds: float
    ok: bool
    detail: str = ""


@dataclass
class User:
    port: int
    username: str
    paths: dict[str, list[str]]
    rng: random.Random
    cookies: dict[str, str] = field(default_factory=dict)
    conn: http.client.HTTPConnection | None = None
    reconnects: int = 0

    def _connect(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        """One request on a kept-alive connection; a connection the server closed while idle is
        reopened once, as a browser would. Returns (status, headers, body)."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            conn = self._connect()
            fresh = conn.sock is None
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if fresh or attempt == 2:
                    raise
                self.reconnects += 1
                continue
            for value in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    self.cookies[name] = morsel.value
            if response.will_close:
                self.close()
            return response.status, response.headers, data
        raise AssertionError("unreachable")

    def sign_in(self, password: str) -> float:
        began = time.perf_counter()
        status, _, body = self.request("GET", "/accounts/sign-in/")
        match = CSRF_INPUT.search(body.decode())
        if status != 200 or not match or "csrftoken" not in self.cookies:
            raise RuntimeError(f"sign-in page answered {status} without a CSRF token")
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": match.group(1), "username": self.username, "password": password}
        )
        status, headers, _ = self.request(
            "POST",
            "/accounts/sign-in/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"http://127.0.0.1:{self.port}",
                "Referer": f"http://127.0.0.1:{self.port}/accounts/sign-in/",
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"sign-in of {self.username} answered {status}")
        return time.perf_counter() - began

    def fetch(self, page: str) -> Sample:
        path = self.rng.choice(self.paths[page])
        began = time.perf_counter()
        try:
            status, _, body = self.request("GET", path)
        except (OSError, http.client.HTTPException) as error:
            return Sample(page, time.perf_counter() - began, False, type(error).__name__)
        elapsed = time.perf_counter() - began
        if status != 200:
            return Sample(page, elapsed, False, f"HTTP {status}")
        if not body.rstrip().endswith(b"</html>"):
            return Sample(page, elapsed, False, "truncated page")
        return Sample(page, elapsed, True)


def run_users(users: list[User], *, duration: float, think: float) -> tuple[list[Sample], float]:
    """Every user requests pages in random order until the deadline or its request cap."""
    samples: list[list[Sample]] = [[] for _ in users]
    start = threading.Barrier(len(users) + 1)
    deadline = [0.0]

    def work(index: int, user: User) -> None:
        start.wait()
        own = samples[index]
        while time.monotonic() < deadline[0] and len(own) < MAX_REQUESTS_PER_USER:
            own.append(user.fetch(user.rng.choice(PAGES)))
            if think:
                pause = user.rng.uniform(0.5 * think, 1.5 * think)
                time.sleep(max(0.0, min(pause, deadline[0] - time.monotonic())))

    threads = [
        threading.Thread(target=work, args=(i, user), daemon=True) for i, user in enumerate(users)
    ]
    for thread in threads:
        thread.start()
    deadline[0] = time.monotonic() + duration
    began = time.monotonic()
    start.wait()
    for thread in threads:
        thread.join(timeout=duration + 2 * REQUEST_TIMEOUT + 5)
    return [sample for own in samples for sample in own], time.monotonic() - began


def sign_in_all(users: list[User], password: str) -> list[float]:
    """Signs every user in, SIGN_IN_AT_ONCE at a time: each sign-in hashes a password (PBKDF2,
    most of a second of CPU), so fifty at once on two cores would time out before the load."""
    times: list[float] = []
    errors: list[str] = []
    at_once = threading.Semaphore(SIGN_IN_AT_ONCE)

    def work(user: User) -> None:
        try:
            with at_once:
                times.append(user.sign_in(password))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(f"{user.username}: {error}")

    threads = [threading.Thread(target=work, args=(user,), daemon=True) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    if errors or len(times) != len(users):
        raise RuntimeError(f"{len(errors)} sign-ins failed, e.g. {errors[:1]}")
    return times


# --- figures ----------------------------------------------------------------------------------


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def summarise_run(samples: list[Sample], seconds: float) -> dict:
    run: dict = {"seconds": round(seconds, 2), "requests": len(samples), "pages": {}}
    run["throughput_rps"] = round(len(samples) / seconds, 1) if seconds else 0.0
    for page in PAGES:
        mine = [s for s in samples if s.page == page]
        good = [1000 * s.seconds for s in mine if s.ok]
        details = sorted({s.detail for s in mine if not s.ok})
        run["pages"][page] = {
            "count": len(mine),
            "errors": sum(not s.ok for s in mine),
            "error_kinds": details,
            "median_ms": round(statistics.median(good), 1) if good else None,
            "p95_ms": round(p95(good), 1) if good else None,
        }
    return run


def combine(runs: list[dict]) -> dict:
    pages = {}
    for page in PAGES:
        rows = [run["pages"][page] for run in runs]
        medians = [row["median_ms"] for row in rows if row["median_ms"] is not None]
        p95s = [row["p95_ms"] for row in rows if row["p95_ms"] is not None]
        pages[page] = {
            "count": sum(row["count"] for row in rows),
            "errors": sum(row["errors"] for row in rows),
            "median_ms": round(statistics.median(medians), 1) if medians else None,
            "p95_ms": round(statistics.median(p95s), 1) if p95s else None,
        }
    bare = pages["bare"]["p95_ms"]
    for page, row in pages.items():
        row["ratio_to_bare"] = round(row["p95_ms"] / bare, 2) if bare and row["p95_ms"] else None
        row["meets_goal"] = (
            row["errors"] == 0
            and row["p95_ms"] is not None
            and row["p95_ms"] < GOAL_P95_MS
            and (page == "bare" or row["ratio_to_bare"] <= GOAL_RATIO)
        )
    return pages


def markdown(result: dict) -> str:
    q = result["queries"]
    lines = [
        f"# Busiest pages, scale {result['scale']}, {result['date']}",
        "",
        f"Dataset: {', '.join(f'{v:,} {k}' for k, v in result['dataset'].items())}. "
        f"Build {result['timings']['build_s']} s (migrate {result['timings']['migrate_s']} s).",
        f"Server: `netlearn serve` (gunicorn) on 127.0.0.1, {result['server']}, "
        f"{result['database']}.",
        f"Load: {result['users']} users signed in as co-leaders, think time "
        f"{result['think_s']} s (0.5×–1.5×), {result['runs']} runs × {result['duration_s']} s; "
        f"throughput {', '.join(str(r['throughput_rps']) for r in result['run_details'])} req/s; "
        f"sign-in median {result['sign_in_median_ms']} ms.",
        f"Server CPU per request: "
        f"{', '.join(str(r.get('server_cpu_ms_per_request')) for r in result['run_details'])} ms; "
        f"cores the server used: "
        f"{', '.join(str(r.get('server_cores_used')) for r in result['run_details'])}; "
        f"1-minute load average before/after each run: "
        f"{', '.join(str(r['load_average_1min']) for r in result['run_details'])} "
        f"(on {os.cpu_count()} CPUs; other work on the machine inflates p95).",
        "Figures: medians over the runs. Goal: p95 < 150 ms, ≤ 5× bare p95, 0 errors.",
        *([f"WARNING: {result['urlconf_warning']}."] if result.get("urlconf_warning") else []),
        "",
        "| page | requests | errors | median ms | p95 ms | p95 ÷ bare | goal | queries "
        "(smallest / largest network) | solo ms |",
        "|---|---:|---:|---:|---:|---:|---|---|---:|",
    ]
    for page, row in result["pages"].items():
        lines.append(
            f"| {page} | {row['count']} | {row['errors']} | {row['median_ms']} | {row['p95_ms']} "
            f"| {row['ratio_to_bare']} | {'met' if row['meets_goal'] else 'MISSED'} "
            f"| {q['smallest'][page]} / {q['largest'][page]} | {result['solo_ms'][page]} |"
        )
    small, large = result["rows"]["smallest"], result["rows"]["largest"]
    lines += [
        "",
        f"Smallest network {small['network']}: {small['people_in_directory']} people, group of "
        f"{small['group_members']}; largest {large['network']}: {large['people_in_directory']} "
        f"people, group of {large['group_members']}. Solo: one request at a time in-process "
        "(Django test client), largest network.",
        "",
    ]
    return "\n".join(lines)


def print_query_comparison(result: dict) -> None:
    """Query counts against the latest result of the other scale, when there is one."""
    other = "small" if result["scale"] == "national" else "national"
    found = sorted(RESULTS.glob(f"pages-{other}-*.json"))
    if not found:
        return
    previous = json.loads(found[-1].read_text())
    print(f"\nQueries per page, largest network: {result['scale']} vs {other} ({found[-1].name})")
    for page in PAGES:
        before = previous["queries"]["largest"].get(page, "-")  # older results lack new pages
        print(f"  {page:8} {result['queries']['largest'][page]:3} vs {before:>3}")


# --- main -------------------------------------------------------------------------------------


def main(argv=None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT))
    home = Path(tempfile.mkdtemp(prefix="netlearn-bench-pages-"))
    server = None
    dropped_name = None
    users: list[User] = []

    def on_signal(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    try:
        database_url, dropped_name = fresh_database(home)
        setup_django(home, database_url)
        from bench.pages_data import PASSWORD

        print(f"Building the {args.scale} dataset in {home} …", flush=True)
        dataset, timings = prepare(args.scale, args.seed)
        print(f"  {dataset.counts} in {timings}", flush=True)
        counted = count_queries(dataset)
        print(f"  queries per page: {counted['queries']}", flush=True)

        port = args.port or free_port()
        server = start_server(home, port, args.workers, args.threads)
        wait_until_up(server, port)

        rng = random.Random(args.seed)
        slugs = sorted(dataset.leaders)
        chosen = set(rng.sample(slugs, min(len(slugs), args.users)))
        chosen |= {slug for slug, _ in extremes(dataset).values()}
        chosen = sorted(chosen)
        for index in range(args.users):
            slug = chosen[index % len(chosen)]
            groups = dataset.groups[slug]
            paths = {
                page: [path]
                for page, path in page_paths(dataset, slug, groups[0]).items()
                if page != "group"
            }
            paths["group"] = [page_paths(dataset, slug, gid)["group"] for gid in groups]
            users.append(User(port, dataset.leaders[slug], paths, random.Random(args.seed + index)))
        print(f"Signing in {len(users)} users on 127.0.0.1:{port} …", flush=True)
        sign_ins = sign_in_all(users, PASSWORD)
        for user in users:  # warm-up: each page once, not timed
            for page in PAGES:
                user.fetch(page)

        runs = []
        for number in range(1, args.runs + 1):
            load_before, cpu_before = os.getloadavg()[0], server_cpu_seconds(server)
            samples, seconds = run_users(users, duration=args.duration, think=args.think)
            run = summarise_run(samples, seconds)
            cpu_after = server_cpu_seconds(server)
            if cpu_before is not None and cpu_after is not None and samples:
                run["server_cpu_ms_per_request"] = round(
                    1000 * (cpu_after - cpu_before) / len(samples), 1
                )
                # The cores gunicorn got: well under the machine's while other work runs on it,
                # and the throughput at which this server saturates is then what it served.
                run["server_cores_used"] = round((cpu_after - cpu_before) / seconds, 2)
            run["load_average_1min"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
            runs.append(run)
            print(
                f"  run {number}: {run['requests']} requests in {run['seconds']} s "
                f"({run['throughput_rps']} req/s, server CPU "
                f"{run.get('server_cpu_ms_per_request')} ms/request on "
                f"{run.get('server_cores_used')} cores, load average "
                f"{run['load_average_1min']})",
                flush=True,
            )
        pages = combine(runs)
        urlconf_warning = (
            "the bare view answered errors: is the server using bench.urls?"
            if pages["bare"]["errors"]
            else ""
        )
        settings_line = _server_line(args)
        today = datetime.date.today().isoformat()
        result = {
            "scale": args.scale,
            "date": today,
            "dataset": dataset.counts,
            "timings": timings,
            "database": "PostgreSQL" if dropped_name else "SQLite",
            "server": settings_line,
            "users": args.users,
            "networks_signed_in": len(chosen),
            "think_s": args.think,
            "runs": args.runs,
            "duration_s": args.duration,
            "sign_in_median_ms": round(1000 * statistics.median(sign_ins), 1),
            "reconnects": sum(user.reconnects for user in users),
            "pages": pages,
            "urlconf_warning": urlconf_warning,
            "run_details": runs,
            **counted,
        }
        RESULTS.mkdir(parents=True, exist_ok=True)
        stem = RESULTS / f"pages-{args.scale}-{today}"
        stem.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n")
        table = markdown(result)
        stem.with_suffix(".md").write_text(table)
        print()
        print(table)
        print(f"Wrote {stem}.json and .md")
        print_query_comparison(result)
        return 0 if all(row["meets_goal"] for row in pages.values()) else 1
    finally:
        for user in users:
            user.close()
        stop_server(server)
        if dropped_name:
            from django.db import connections

            connections.close_all()
            drop_database(dropped_name)
        if args.keep:
            print(f"Kept {home}")
        else:
            shutil.rmtree(home, ignore_errors=True)


def _server_line(args) -> str:
    from netlearn.web.management.commands.serve import DEFAULT_THREADS, default_workers

    workers = args.workers or default_workers()
    threads = args.threads or DEFAULT_THREADS
    return f"{workers} workers × {threads} threads (gthread), DEBUG off"


if __name__ == "__main__":
    sys.exit(main())
