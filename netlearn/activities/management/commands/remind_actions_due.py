"""`netlearn remind_actions_due`: tells each owner of an open action that it falls due.

Schedule it daily (docs/operations.md). An action is reminded once, from `--days` before its due
date (and when already overdue): running the command twice tells nobody twice.
"""

from django.core.management.base import BaseCommand

from netlearn.activities import services


class Command(BaseCommand):
    help = "Reminds the owners of open actions that fall due within --days (default 1)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=1)

    def handle(self, *args, days, **options):
        reminded = services.remind_actions_due(days=days)
        actions = "action" if reminded == 1 else "actions"
        self.stdout.write(f"Reminded the owners of {reminded} {actions}.")
