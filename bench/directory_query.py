"""The people directory's query: people with a role in a network OR a post at one of its schools.

    .venv/bin/python -m bench.directory_query [--scale small|national] [--runs 30]

Builds bench/pages.py's dataset in a fresh database (SQLite, or beside DATABASE_URL's PostgreSQL,
dropped at the end) and times, for the largest network, the directory's first page and its count
written two ways: `pk IN (roles) OR pk IN (posts)` (before issue 23) and `pk IN (roles UNION
posts)` (now, networks.selectors.people_of_network). Prints medians and p95 and the plans.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.pages import drop_database, fresh_database, p95, prepare, setup_django


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "national"], default="small")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv)
    home = Path(tempfile.mkdtemp(prefix="netlearn-bench-directory-"))
    dropped = None
    try:
        url, dropped = fresh_database(home)
        setup_django(home, url)
        dataset, _ = prepare(args.scale, 2024)
        from django.db import connection
        from django.db.models import Q

        from netlearn.accounts.models import Person
        from netlearn.networks import selectors
        from netlearn.networks.models import Network, NetworkRole

        slug = max(dataset.directory_size, key=dataset.directory_size.get)
        network = Network.objects.get(slug=slug)

        def before():
            roles = NetworkRole.objects.current().filter(network=network).values("person_id")
            posts = selectors.staff_ids_of_schools(
                school_ids=selectors.member_school_ids(network=network)
            )
            return Person.objects.filter(Q(pk__in=roles) | Q(pk__in=posts)).exclude(kind="pupil")

        def now():
            return selectors.people_of_network(network=network)

        print(
            f"{connection.vendor}, {args.scale}: network {slug}, "
            f"{dataset.directory_size[slug]} people in its directory, "
            f"{dataset.counts['people']:,} people in all"
        )
        for label, make in (("OR of two IN", before), ("IN of a UNION", now)):
            first_page = lambda make=make: list(make().order_by("name", "pk")[:50])  # noqa: E731
            count = lambda make=make: make().count()  # noqa: E731
            assert {p.pk for p in make()} == {p.pk for p in now()}
            for what, run in (("count", count), ("first page", first_page)):
                run()
                times = []
                for _ in range(args.runs):
                    began = time.perf_counter()
                    run()
                    times.append(1000 * (time.perf_counter() - began))
                print(
                    f"  {label:14} {what:10} median {statistics.median(times):7.2f} ms"
                    f"  p95 {p95(times):7.2f} ms"
                )
            print(
                "    plan:", make().order_by("name", "pk")[:50].explain().replace("\n", "\n      ")
            )
        connection.close()
        return 0
    finally:
        if dropped:
            from django.db import connections

            connections.close_all()
            drop_database(dropped)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
