"""Library search latency through the application, on each engine: the embedded index (Tantivy,
the default) and the database's own full-text search (SQLite FTS5, PostgreSQL tsvector + GIN),
against the best direct top-20 query on the same database, on the same generated library.

    .venv/bin/python -m bench.library_search [--resources 20000] [--runs 3]
                                             [--engines sqlite,postgresql]

Builds a fresh database per engine (SQLite in a temporary directory; PostgreSQL as a new database
beside DATABASE_URL's, or postgres://postgres@127.0.0.1:5432/, dropped at the end), migrates it,
and generates --resources resources (200000 for the goal's scale) with realistic text: titles,
summaries and about 1,500 characters of "file text" each, words drawn Zipf-like from the seed
vocabulary of docs/ and a curriculum word list; a tenth endorsed. Then it builds the embedded
index from the database (`indexing.rebuild_index`, as `netlearn reindex` does), timed apart.

For a fixed set of 24 queries (rare, middling and common words, and pairs), it times a search
through the application as a network member would run it (`selectors.find` over the viewer's
scope: the count, the ranked top 20 with endorsement boost, and the highlights) --runs times
each, with LIBRARY_SEARCH_BACKEND "index" and "database", and the rival: the top 20 straight
from SQL on the same rows (PostgreSQL: ts_rank over the GIN match; SQLite: FTS5's bm25
`ORDER BY rank LIMIT 20`). Prints p50/p95/p99 (ms) of each; writes
bench/results/library-search-<resources>-<date>.json/.md. Goal (docs/benchmarks.md#targets):
p95 < 50 ms through the application, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
VOCABULARY_DIRS = [ROOT / "docs"]
GOAL_P95_MS = 50.0
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
CURRICULUM = (
    "fractions decimals percentages algebra equations quadratic geometry angles triangles "
    "photosynthesis electricity circuits magnets forces gravity volcanoes rivers glaciers "
    "coastlines settlements rainforest tudors victorians romans egyptians vikings democracy "
    "persuasive narrative poetry grammar punctuation spelling phonics reading comprehension "
    "francais vocabulary greetings numbers colours instruments rhythm melody composition "
    "painting sculpture printmaking coding algorithms spreadsheets databases networks "
    "nutrition fitness athletics gymnastics swimming citizenship religions festivals "
    "ecosystems habitats adaptation evolution inheritance chemistry titration molecules "
    "statistics probability graphs measurement estimation multiplication division"
).split()
STOP = set(
    "the and for with that this from have were which their there been they them will would "
    "into more also than when what some such about other these those only most each then "
    "over very could should where while being both made many much upon your".split()
)


def vocabulary() -> list[str]:
    counts: dict[str, int] = {}
    for folder in VOCABULARY_DIRS:
        if not folder.exists():
            continue
        for path in sorted(folder.glob("*.txt")) + sorted(folder.glob("*.md")):
            for word in re.findall(r"[a-z]{4,}", path.read_text(errors="ignore").lower()):
                if word not in STOP:
                    counts[word] = counts.get(word, 0) + 1
    words = sorted(counts, key=lambda word: (-counts[word], word))
    for word in CURRICULUM:
        if word not in counts:
            words.append(word)
    return words


def query_set(words: list[str]) -> list[str]:
    """24 queries: common, middling and rare words, and two-word searches (fixed by the seed)."""
    pick = random.Random(6)
    common = pick.sample(words[10:60], 6)
    middling = pick.sample(words[200:800], 6)
    rare = pick.sample(words[1500:4000] if len(words) > 4000 else words[-800:], 6)
    curriculum = pick.sample(CURRICULUM, 6)
    pairs = [f"{curriculum[i]} {common[i]}" for i in range(3)] + [
        f"{middling[i]} {rare[i]}" for i in range(3)
    ]
    return common[:3] + middling + rare[:3] + curriculum[3:] + pairs


# The worker: one engine, one process ------------------------------------------------------------


def _text(pick: random.Random, words, weights, count: int) -> str:
    return " ".join(pick.choices(words, cum_weights=weights, k=count))


def build(resources: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from netlearn.accounts.models import Person
    from netlearn.library import search
    from netlearn.library.models import Resource, ResourceSearch, Stage, Subject, join_codes
    from netlearn.networks.models import Network, NetworkMembership, School, StaffPost

    call_command("migrate", verbosity=0)
    words = vocabulary()
    cumulative, total = [], 0.0
    for rank in range(len(words)):
        total += 1.0 / (rank + 1) ** 1.05
        cumulative.append(total)
    pick = random.Random(2004)
    network = Network.objects.create(name="Bench network", slug="bench")
    schools = [School.objects.create(name=f"School {n}", reference=f"B{n}") for n in range(20)]
    for school in schools:
        NetworkMembership.objects.create(network=network, school=school)
    author = Person.objects.create(username="author", name="Author", email="a@example.org")
    viewer = Person.objects.create(username="viewer", name="Viewer", email="v@example.org")
    StaffPost.objects.create(person=author, school=schools[0], job_title="Teacher")
    StaffPost.objects.create(person=viewer, school=schools[1], job_title="Teacher")
    stages, subjects = list(Stage.values), list(Subject.values)
    now = timezone.now()
    started = time.perf_counter()
    batch = 2000
    for start in range(0, resources, batch):
        rows, entries = [], []
        for number in range(start, min(start + batch, resources)):
            rows.append(
                Resource(
                    network=network,
                    title=_text(pick, words, cumulative, pick.randint(3, 8)).capitalize(),
                    summary=_text(pick, words, cumulative, pick.randint(15, 40)),
                    stages=join_codes(pick.sample(stages, pick.randint(1, 2))),
                    subjects=join_codes(pick.sample(subjects, 1)),
                    tags=", ".join(pick.sample(CURRICULUM, 3)),
                    author=author,
                    school=schools[number % len(schools)],
                    endorsed_at=now if number % 10 == 0 else None,
                )
            )
        with transaction.atomic():
            Resource.objects.bulk_create(rows)
            for resource in rows:
                entries.append(
                    ResourceSearch(
                        resource=resource,
                        title=resource.title,
                        summary=resource.summary,
                        tags=resource.tags.replace(",", ""),
                        body=_text(pick, words, cumulative, pick.randint(150, 300)),
                    )
                )
            ResourceSearch.objects.bulk_create(entries)
            if search.is_postgresql():
                continue
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {search.FTS_TABLE} (rowid, title, summary, tags, body) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    [(e.resource_id, e.title, e.summary, e.tags, e.body) for e in entries],
                )
    build_seconds = round(time.perf_counter() - started, 1)
    with connection.cursor() as cursor:
        if search.is_postgresql():
            cursor.execute(
                "UPDATE library_resourcesearch SET document = "
                "setweight(to_tsvector('english', title), 'A') || "
                "setweight(to_tsvector('english', tags), 'B') || "
                "setweight(to_tsvector('english', summary), 'B') || "
                "setweight(to_tsvector('english', body), 'C')"
            )
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute(f"INSERT INTO {search.FTS_TABLE}({search.FTS_TABLE}) VALUES('optimize')")
            cursor.execute("ANALYZE")
    database_index_seconds = round(time.perf_counter() - started - build_seconds, 1)
    from netlearn.library import indexing

    started = time.perf_counter()
    indexing.rebuild_index()
    return {
        "viewer": viewer,
        "build_seconds": build_seconds,
        "database_index_seconds": database_index_seconds,
        "index_seconds": round(time.perf_counter() - started, 1),
    }


def _percentile(ordered: list[float], share: float) -> float:
    """Nearest rank: the smallest value with at least `share` of the samples at or below it."""
    return ordered[max(0, math.ceil(len(ordered) * share) - 1)]


def measure(runs: int, resources: int) -> dict:
    built = build(resources)
    from django.conf import settings
    from django.db import connection

    from netlearn.library import search, selectors

    viewer = built["viewer"]
    queries = query_set(vocabulary())

    def app(query):
        rows, count = selectors.find(
            selectors.visible_to(viewer=viewer),
            selectors.Filters(q=query),
            viewer=viewer,
            limit=20,
        )
        return count

    def through(backend):
        def run(query):
            settings.LIBRARY_SEARCH_BACKEND = backend
            return app(query)

        return run

    def rival(query):
        with connection.cursor() as cursor:
            if search.is_postgresql():
                cursor.execute(
                    "SELECT resource_id FROM library_resourcesearch, "
                    "plainto_tsquery('english', %s) query WHERE document @@ query "
                    "ORDER BY ts_rank(document, query) DESC LIMIT 20",
                    [query],
                )
            else:
                cursor.execute(
                    f"SELECT rowid FROM {search.FTS_TABLE} WHERE {search.FTS_TABLE} MATCH %s "
                    f"AND rank MATCH 'bm25(10.0, 4.0, 6.0, 1.0)' ORDER BY rank LIMIT 20",
                    [search._match_expression(search.words_of(query))],
                )
            return len(cursor.fetchall())

    contenders = {
        "application_index": through("index"),
        "application_database": through("database"),
        "rival": rival,
    }
    load_before = os.getloadavg()[0]
    timings = {name: [] for name in contenders}
    matches = {}
    for query in queries:  # warm the caches once
        for name, function in contenders.items():
            found = function(query)
            if name == "application_index":
                matches[query] = found
    for _ in range(runs):
        for query in queries:
            for name, function in contenders.items():
                started = time.perf_counter()
                function(query)
                timings[name].append((time.perf_counter() - started) * 1000)
    settings.LIBRARY_SEARCH_BACKEND = "index"
    # The machine is shared: its load while timing says how far to trust absolute figures.
    load = [round(load_before, 1), round(os.getloadavg()[0], 1)]
    summary = {}
    for name, values in timings.items():
        ordered = sorted(values)
        summary[name] = {
            "p50_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(_percentile(ordered, 0.95), 2),
            "p99_ms": round(_percentile(ordered, 0.99), 2),
            "max_ms": round(ordered[-1], 2),
            "samples": len(ordered),
        }
    return {
        "engine": connection.vendor,
        "resources": resources,
        "build_seconds": built["build_seconds"],
        "database_index_seconds": built["database_index_seconds"],
        "index_seconds": built["index_seconds"],
        "load_average": load,
        "matches_per_query": matches,
        **summary,
    }


# The driver ------------------------------------------------------------------------------------


def _pg_url(name: str | None) -> str:
    base = os.environ.get("DATABASE_URL", "")
    base = base if base.startswith("postgres") else DEFAULT_PG
    return base.rsplit("/", 1)[0] + f"/{name}" if name else base


def _pg_admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(_pg_url("postgres"), autocommit=True) as connection:
        connection.execute(statement)


def run_engine(engine: str, args) -> dict:
    with tempfile.TemporaryDirectory(prefix="netlearn-bench-library-") as home:
        env = {**os.environ, "NETLEARN_HOME": home, "DJANGO_SETTINGS_MODULE": "bench.settings"}
        name = None
        if engine == "postgresql":
            name = f"netlearn_bench_library_{os.getpid()}"
            _pg_admin(f'DROP DATABASE IF EXISTS "{name}"')
            _pg_admin(f'CREATE DATABASE "{name}"')
            env["BENCH_DATABASE_URL"] = _pg_url(name)
        else:
            env["BENCH_DATABASE_URL"] = f"sqlite:///{home}/bench.sqlite3"
        try:
            output = subprocess.run(
                [sys.executable, "-m", "bench.library_search", "--worker", *_pass(args)],
                env=env,
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        finally:
            if name:
                _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return json.loads(output.strip().splitlines()[-1])


def _pass(args) -> list[str]:
    return ["--resources", str(args.resources), "--runs", str(args.runs)]


def report(results: list[dict], args) -> str:
    lines = [
        f"# Library search, {args.resources:,} resources ({datetime.date.today()})",
        "",
        f"24 fixed queries × {args.runs} runs; through the application = `selectors.find` "
        "(scope, count, ranked top 20 with endorsement boost, highlights), with the embedded "
        "index (the default) and with the database's full-text search; the rival is the direct "
        f"top-20 SQL query on the same engine. Goal: p95 < {GOAL_P95_MS:.0f} ms through the "
        "application.",
        "",
        "| engine | build s | database index s | embedded index s | load (start, end) "
        "| contender | p50 ms | p95 ms | p99 ms | goal |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        for name in ("application_index", "application_database", "rival"):
            figures = result[name]
            goal = (
                "" if name == "rival" else ("met" if figures["p95_ms"] < GOAL_P95_MS else "missed")
            )
            lines.append(
                f"| {result['engine']} | {result['build_seconds']} | "
                f"{result['database_index_seconds']} | {result['index_seconds']} | "
                f"{result['load_average'][0]}, {result['load_average'][1]} | {name} | "
                f"{figures['p50_ms']} | {figures['p95_ms']} | {figures['p99_ms']} | {goal} |"
            )
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=20000, help="(200000: the goal's scale)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(measure(args.runs, args.resources)))
        return 0
    results = []
    for engine in args.engines.split(","):
        print(f"== {engine}: {args.resources:,} resources", flush=True)
        results.append(run_engine(engine, args))
    text = report(results, args)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / f"library-search-{args.resources}-{datetime.date.today()}"
    stem.with_suffix(".json").write_text(json.dumps(results, indent=2))
    stem.with_suffix(".md").write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
