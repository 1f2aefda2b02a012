"""`netlearn close_decisions`: counts and closes every proposal past its closing time, and tells
each group its outcome. Safe to run twice or alongside itself; schedule it every few minutes
(docs/operations.md)."""

from django.core.management.base import BaseCommand

from netlearn.decisions import services


class Command(BaseCommand):
    help = "Closes and counts proposals past their closing time."

    def handle(self, *args, **options):
        closed = services.close_due_proposals()
        self.stdout.write(f"Closed {closed} proposal{'s' if closed != 1 else ''}.")
