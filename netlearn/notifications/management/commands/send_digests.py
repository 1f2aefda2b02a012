"""`netlearn send_digests --period daily|weekly`: one mail per person with what is new.

Schedule it (docs/operations.md): daily at 07:00 and weekly on Monday at 07:00. Running it twice
sends nothing twice: each notification is marked as it goes into a digest. The command writes the
digests and queues them; the task worker (`netlearn db_worker`) sends them.
"""

from django.core.management.base import BaseCommand

from netlearn.notifications import services


class Command(BaseCommand):
    help = "Emails each person who chose this period a digest of their new notifications."

    def add_arguments(self, parser):
        parser.add_argument("--period", choices=["daily", "weekly"], required=True)

    def handle(self, *args, period, **options):
        queued = services.send_digests(period=period)
        digests = "digest" if queued == 1 else "digests"
        self.stdout.write(f"Queued {queued} {period} {digests}; the task worker sends them.")
