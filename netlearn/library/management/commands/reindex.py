"""`netlearn reindex`: rebuilds library search from the database (docs/operations.md#reindex)."""

import time

from django.core.management.base import BaseCommand

from netlearn.library import services


class Command(BaseCommand):
    help = (
        "Rebuilds library search from the resources and their files' text: after a restore or "
        "a dumpdata/loaddata move between databases."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        count = services.reindex_all()
        self.stdout.write(
            f"Reindexed {count} resources in {time.monotonic() - started:.1f} s.", ending="\n"
        )
