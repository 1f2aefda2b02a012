"""`netlearn import_schools FILE [--network SLUG]`: a trusted site-admin import, all or nothing."""

from django.core.management.base import BaseCommand, CommandError

from netlearn.networks import services
from netlearn.networks.imports import SchoolFileRefused
from netlearn.networks.models import Network


class Command(BaseCommand):
    help = (
        "Creates or updates schools from a GIAS establishment extract or the New Zealand "
        "Directory of Schools (CSV). Refuses the whole file if any row is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the CSV file.")
        parser.add_argument("--network", metavar="SLUG", help="Also add every school to it.")

    def handle(self, *args, file, network=None, **options):
        target = None
        if network:
            target = Network.objects.filter(slug=network).first()
            if target is None:
                raise CommandError(f"No network with the slug “{network}”.")
        try:
            with open(file, "rb") as handle:
                result = services.import_schools(file=handle, by=None, network=target)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}") from None
        except SchoolFileRefused as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Nothing was imported: {exc.total} problem(s) in {file}.") from None
        self.stdout.write(
            f"{result.format}: {result.rows} schools; {result.created} created, "
            f"{result.updated} updated, {result.unchanged} unchanged"
            + (f", {result.marked_closed} marked closed" if result.marked_closed else "")
            + (f", {result.skipped_closed} closed skipped" if result.skipped_closed else "")
            + "."
        )
        if result.network is not None:
            self.stdout.write(
                f"{result.added_to_network} added to {result.network.slug}, "
                f"{result.already_in_network} already members."
            )
