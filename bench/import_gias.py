"""Times `import_schools` on a synthetic 50,000-row, 140-column GIAS extract.

    .venv/bin/python bench/import_gias.py [--rows 50000] [--runs 3]

Uses DATABASE_URL when set; otherwise a fresh SQLite file, var/bench_import_gias.sqlite3. Goal: a
full extract imports in under 30 s and under 1 GiB. It only deletes the schools it made (named
"Bench …") and its own network, so pointing it at a development database is safe.
"""

import argparse
import csv
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KNOWN = [
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (code)",
    "TypeOfEstablishment (name)",
    "EstablishmentStatus (code)",
    "EstablishmentStatus (name)",
    "PhaseOfEducation (code)",
    "PhaseOfEducation (name)",
    "NumberOfPupils",
    "PercentageFSM",
    "SchoolWebsite",
    "UrbanRural (code)",
    "UrbanRural (name)",
]
COLUMNS = 140
PHASES = ["Primary", "Secondary", "Not applicable", "Nursery", "16 plus", "All-through"]
TYPES = ["Community school", "Academy converter", "Community special school", "Further education"]
LAS = ["Camden", "Derbyshire", "Leeds", "Cornwall", "Kent", "Birmingham", "Cumbria"]
SETTINGS = ["(England/Wales) Urban major conurbation", "(England/Wales) Rural village"]
STATUSES = ["Open"] * 8 + ["Open, but proposed to close", "Closed"]


def write_extract(path: Path, rows: int, seed: int = 2024) -> None:
    """Like edubasealldata: 140 columns, most of them ignored by Netlearn, in Windows-1252."""
    rng = random.Random(seed)
    extra = [f"Extra{n} (name)" for n in range(COLUMNS - len(KNOWN))]
    with path.open("w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(KNOWN + extra)
        for index in range(rows):
            urn = 100000 + index
            known = [
                urn,
                rng.randint(200, 940),
                rng.choice(LAS),
                rng.randint(1000, 7999),
                f"Bench {rng.choice(['St Mary’s', 'Oak', 'Hill', 'Église'])} School {urn}",
                rng.randint(1, 50),
                rng.choice(TYPES),
                1,
                rng.choice(STATUSES),
                rng.randint(0, 7),
                rng.choice(PHASES),
                rng.choice(["", str(rng.randint(20, 2000))]),
                rng.choice(["", "SUPP", f"{rng.uniform(0, 80):.1f}"]),
                f"www.school{urn}.sch.uk",
                rng.choice("ABCDEF"),
                rng.choice(SETTINGS),
            ]
            filler = [
                rng.choice(["", "", "Not applicable", str(rng.randint(0, 99999))]) for _ in extra
            ]
            writer.writerow(known + filler)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    if "DATABASE_URL" not in os.environ:
        database = ROOT / "var" / "bench_import_gias.sqlite3"
        database.parent.mkdir(exist_ok=True)
        database.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netlearn.config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from netlearn.accounts.models import Person
    from netlearn.networks.models import Network, School
    from netlearn.networks.services import import_schools

    call_command("migrate", verbosity=0)
    admin, _ = Person.objects.get_or_create(
        username="bench-admin", defaults={"name": "Bench admin", "is_superuser": True}
    )
    network, _ = Network.objects.get_or_create(slug="bench-import", defaults={"name": "Bench"})

    def clean() -> None:
        network.memberships.all().delete()
        School.objects.filter(name__startswith="Bench ").delete()

    def run() -> tuple[float, object]:
        with path.open("rb") as handle:
            started = time.perf_counter()
            result = import_schools(file=handle, by=admin, network=network)
            return time.perf_counter() - started, result

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "edubasealldata.csv"
        started = time.perf_counter()
        write_extract(path, args.rows)
        size_mb = path.stat().st_size / 1024 / 1024
        print(f"{connection.vendor}: {args.rows} rows × {COLUMNS} columns, {size_mb:.1f} MB "
              f"(written in {time.perf_counter() - started:.1f} s)")  # fmt: skip

        cold, warm = [], []
        for _ in range(args.runs):
            clean()
            seconds, result = run()
            cold.append(seconds)
            seconds, again = run()
            warm.append(seconds)
        print(f"  result: {result}")
        print(f"  re-import: created {again.created}, updated {again.updated}, "
              f"unchanged {again.unchanged}, added {again.added_to_network}")  # fmt: skip
        print(f"  first import (create + add to network): median {statistics.median(cold):.2f} s "
              f"of {', '.join(f'{s:.2f}' for s in cold)}")  # fmt: skip
        print(f"  re-import (nothing changes): median {statistics.median(warm):.2f} s "
              f"of {', '.join(f'{s:.2f}' for s in warm)}")  # fmt: skip
        # A later extract where most schools' figures changed: the bulk_update path.
        write_extract(path, args.rows, seed=2025)
        seconds, changed = run()
        print(f"  import of a changed extract: {seconds:.2f} s ({changed.created} created, "
              f"{changed.updated} updated, {changed.unchanged} unchanged)")  # fmt: skip
        write_extract(path, args.rows)
        peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  peak resident memory of the process: {peak_rss:.0f} MiB")

        clean()
        tracemalloc.start()
        run()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"  peak Python allocations during one first import: {peak / 1024 / 1024:.0f} MiB")
        clean()


if __name__ == "__main__":
    main()
