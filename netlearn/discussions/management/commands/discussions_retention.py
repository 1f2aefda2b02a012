"""`netlearn discussions_retention`: deletes pupil discussion older than each network's retention
period and archives pupil spaces left idle (docs/safety.md#retention-and-erasure). Safe to run
twice; schedule it daily (docs/operations.md)."""

from django.core.management.base import BaseCommand

from netlearn.discussions import services


class Command(BaseCommand):
    help = "Deletes expired pupil threads and polls, and archives idle pupil spaces."

    def handle(self, *args, **options):
        deleted, archived = services.apply_retention()
        self.stdout.write(
            f"Deleted {deleted} pupil threads and polls; archived {archived} pupil spaces."
        )
