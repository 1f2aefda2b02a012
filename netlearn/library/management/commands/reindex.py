"""`netlearn reindex`: rebuilds the library's search indexes from the database.

Run it after a restore or a `loaddata` (they carry the resources, not SQLite's full-text table
nor the embedded index), after moving the embedded index's directory, or when a new version
changes the index's schema. Search keeps answering from the old index until the new one commits.
"""

import time

from django.core.management.base import BaseCommand

from netlearn.library import services


class Command(BaseCommand):
    help = "Rebuilds the library's search indexes from the database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--index-only",
            action="store_true",
            help="Rebuild only the embedded index, not the database's full-text entries.",
        )

    def handle(self, *args, index_only=False, **options):
        started = time.perf_counter()
        count = services.reindex_all(database=not index_only)
        self.stdout.write(f"Reindexed {count} resources in {time.perf_counter() - started:.1f} s.")
