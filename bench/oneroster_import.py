"""Times `import_roster` on a OneRoster 1.2 export of a school of 1,200 pupils and 90 staff.

    .venv/bin/python -m bench.oneroster_import [--pupils 1200] [--staff 90] [--runs 3]
                                               [--hasher fast|project]

Uses DATABASE_URL when set; otherwise a fresh SQLite file, var/bench_oneroster.sqlite3. Goal: the
first import under 10 s on SQLite; a second import of the same export changes nothing.

Each new account stores a hashed password (every new pupil's, for their slip; every invited
colleague's, a random one). With the project's hasher (PBKDF2, 1,000,000 iterations in Django
5.2) that is about a second a hash on a small server, so it is reported apart: `--hasher fast`
(the default) uses the tests' MD5 hasher to time the import's own work, and prints what the
project's hasher would add; `--hasher project` times it all.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=1200)
    parser.add_argument("--staff", type=int, default=90)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--hasher", choices=["fast", "project"], default="fast")
    args = parser.parse_args()

    if "DATABASE_URL" not in os.environ:
        database = ROOT / "var" / "bench_oneroster.sqlite3"
        database.parent.mkdir(exist_ok=True)
        for leftover in (database, *database.parent.glob(f"{database.name}-*")):
            leftover.unlink(missing_ok=True)  # a killed run leaves its journal behind
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netlearn.config.settings.base")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import hashers
    from django.core.management import call_command
    from django.db import connection

    project_hasher = settings.PASSWORD_HASHERS[0]
    started = time.perf_counter()
    hashers.make_password("four short easy words")
    seconds_a_hash = time.perf_counter() - started
    if args.hasher == "fast":
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        # Django keeps the hashers it made; only override_settings would tell it to forget them.
        hashers.get_hashers.cache_clear()
        hashers.get_hashers_by_algorithm.cache_clear()

    from netlearn.accounts.models import Person
    from netlearn.networks import services as network_services
    from netlearn.networks.models import PostLevel, School
    from netlearn.rostering.services import import_roster
    from netlearn.rostering.tests.bundles import school_bundle

    call_command("migrate", verbosity=0)

    def snapshot() -> tuple:
        """Row counts and the latest change of every table the import writes."""
        with connection.cursor() as cursor:
            counts = []
            for table in connection.introspection.table_names():
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
                counts.append((table, cursor.fetchone()[0]))
        return tuple(counts)

    first, again, changed = [], [], []
    for run in range(args.runs):
        reference = str(700000 + run)
        school = School.objects.create(name=f"Bench roster school {run}", reference=reference)
        lead = Person.objects.create_user(
            username=f"bench-roster-lead-{run}", name="Bench lead", email=f"lead{run}@bench.test"
        )
        network_services.add_staff_post(
            person=lead, school=school, job_title="Head", level=PostLevel.HEAD, leads_school=True
        )
        bundle = school_bundle(
            identifier=reference,
            name=school.name,
            pupils=args.pupils,
            staff=args.staff,
            year_groups=range(7, 12),
            forms_per_year=8,
            email_domain=f"run{run}.bench.test",
        )
        data = bundle.zip()

        started = time.perf_counter()
        result = import_roster(school=school, by=lead, file=data)
        first.append(time.perf_counter() - started)
        if run == 0:
            hasher = "the project's hasher" if args.hasher == "project" else "MD5"
            print(
                f"{connection.vendor}, {hasher}: {args.pupils} pupils, {args.staff} staff, "
                f"a {len(data) / 1024:.0f} KiB zip"
            )
            print(
                f"  first import: {result.pupils_created} pupil accounts and slips, "
                f"{result.staff_invited} staff invited"
            )

        before = snapshot()
        started = time.perf_counter()
        result = import_roster(school=school, by=lead, file=data)
        again.append(time.perf_counter() - started)
        assert not result.changed and snapshot() == before, "a second import changed something"

        # A term later: 60 pupils left, 60 joined, 200 moved class, 5 staff left.
        users = bundle.rows["users"]
        gone = {f"p{n}" for n in range(1, 61)} | {f"s{n}" for n in range(1, 6)}
        for file in ("users", "roles", "enrollments"):
            key = "sourcedId" if file == "users" else "userSourcedId"
            bundle.rows[file] = [row for row in bundle.rows[file] if row[key] not in gone]
        for row in bundle.rows["enrollments"][: 200 + args.staff]:
            if row["role"] == "student":
                row["classSourcedId"] = row["classSourcedId"][:-1] + "A"
        later = school_bundle(
            identifier=reference,
            pupils=args.pupils + 60,
            staff=0,
            forms_per_year=8,
        )
        for file in ("users", "roles", "enrollments"):
            bundle.rows[file] += later.rows[file][-60:]
        del users
        started = time.perf_counter()
        result = import_roster(school=school, by=lead, file=bundle.zip())
        changed.append(time.perf_counter() - started)
        if run == 0:
            print(
                f"  a term later: {result.pupils_created} made, {result.pupils_updated} updated, "
                f"{result.pupils_left} left, {result.staff_ended} staff posts ended, "
                f"{result.unchanged} unchanged"
            )

    def line(label: str, values: list[float]) -> None:
        print(
            f"  {label}: median {statistics.median(values):.2f} s "
            f"of {', '.join(f'{s:.2f}' for s in values)}"
        )

    line("first import", first)
    line("second import of the same export (nothing changes)", again)
    line("import a term later", changed)
    hashes = args.pupils + args.staff
    if args.hasher == "fast":
        print(
            f"  {project_hasher.rsplit('.', 1)[-1]} takes {seconds_a_hash:.2f} s a hash here: "
            f"with it, a first import hashes {hashes} new passwords, about "
            f"{hashes * seconds_a_hash:.0f} s more"
        )


if __name__ == "__main__":
    main()
