"""`netlearn backup <folder>`: the database and media files, with a manifest of checksums
(docs/operations.md#backup-and-restore)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from netlearn.core.backups import BackupError, backup


class Command(BaseCommand):
    help = "Backs up the database and the media files into a new folder, with checksums."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="A new (or empty) folder for the backup.")

    def handle(self, *args, **options):
        try:
            manifest = backup(options["folder"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        media = manifest["media"]
        files = (
            "media files are in the storage bucket, not in this backup"
            if media is None
            else f"{len(media)} media files"
        )
        self.stdout.write(
            f"Backed up the {manifest['engine']} database "
            f"({manifest['database']['bytes']} bytes) and {files} into {options['folder']}."
        )
