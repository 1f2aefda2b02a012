"""`netlearn send_digests --period daily|weekly`: one mail per person with what is new.

Schedule it (docs/operations.md): daily at 07:00 and weekly on Monday at 07:00. Running it twice
sends nothing twice: each notification is marked as it goes into a digest.
"""

from django.core.management.base import BaseCommand

from netlearn.notifications import services


class Command(BaseCommand):
    help = "Emails each person who chose this period a digest of their new notifications."

    def add_arguments(self, parser):
        parser.add_argument("--period", choices=["daily", "weekly"], required=True)

    def handle(self, *args, period, **options):
        sent = services.send_digests(period=period)
        self.stdout.write(f"Sent {sent} {period} digests.")
