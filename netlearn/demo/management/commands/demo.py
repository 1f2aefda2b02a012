"""`netlearn demo`: migrate, collect static files, load the demo networks and serve them."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from netlearn.demo.seed import DemoError, DemoSignIn, load_demo


def sign_in_table(sign_ins: list[DemoSignIn]) -> str:
    headers = ("Role", "Username", "Password", "What they see")
    rows = [headers, *[(s.role, s.username, s.password, s.sees) for s in sign_ins]]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = []
    for index, row in enumerate(rows):
        cells = [row[i].ljust(widths[i]) for i in range(3)]
        lines.append("  ".join([*cells, row[3]]))
        if index == 0:
            lines.append("  ".join("-" * width for width in [*widths, len(headers[3])]))
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Sets up the demo (migrate, collectstatic, fictional networks) and serves it."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-serve", action="store_true", help="Set up the demo but do not start the server."
        )
        parser.add_argument("--host", default="127.0.0.1", help="Address to serve on.")
        parser.add_argument("--port", type=int, default=8000, help="Port to serve on (8000).")

    def handle(self, *args, **options):
        Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
        verbosity = options["verbosity"]
        self.stdout.write("Migrating the database…")
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        self.stdout.write("Collecting static files…")
        call_command("collectstatic", interactive=False, verbosity=max(verbosity - 1, 0))
        self.stdout.write("Loading the demo networks…")
        started = time.monotonic()
        try:
            sign_ins = load_demo()
        except DemoError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Demo ready in {time.monotonic() - started:.1f} s.\n")
        self.stdout.write("Sign in as any of these (all fictional, all demo data):\n")
        self.stdout.write(sign_in_table(sign_ins))
        host = "127.0.0.1" if options["host"] in ("0.0.0.0", "") else options["host"]
        url = f"http://{host}:{options['port']}"
        if options["no_serve"]:
            self.stdout.write(
                f"\nStart it with `netlearn serve --port {options['port']}`, then open {url}\n"
            )
            return
        self.stdout.write(f"\nOpen {url}\n")
        call_command("serve", host=options["host"], port=options["port"])
