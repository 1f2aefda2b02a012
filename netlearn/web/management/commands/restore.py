"""`netlearn restore <folder>`: puts a backup's database and media files back, then brings the
database up to this version's migrations and rebuilds what is derived from it (library search)
(docs/operations.md#backup-and-restore)."""

from pathlib import Path

from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from netlearn.core.backups import BackupError, restore
from netlearn.library import services as library_services


def pending_migrations() -> bool:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


class Command(BaseCommand):
    help = (
        "Restores a backup made by `netlearn backup` into an empty database (or any, with "
        "--force), then migrates and rebuilds library search."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="A folder written by `netlearn backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database and media files that are not empty.",
        )

    def handle(self, *args, **options):
        try:
            manifest = restore(options["folder"], force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the {manifest['engine']} database of {manifest['created_at']}"
            + ("" if manifest["media"] is None else f" and {len(manifest['media'])} media files")
            + "."
        )
        if pending_migrations():
            # The backup is older than the code: the site runs only on its own migrations.
            self.stdout.write("Migrating it to this version…")
            call_command("migrate", interactive=False, verbosity=0)
        indexed = library_services.reindex_all()
        self.stdout.write(f"Rebuilt library search ({indexed} resources).")
        # The cache may hold pages and counts of the data that was replaced.
        cache.clear()
