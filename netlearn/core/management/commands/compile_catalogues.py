"""`netlearn compile_catalogues`: .po catalogues to .mo with no GNU gettext (core/catalogues.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from netlearn.core.catalogues import compile_all


class Command(BaseCommand):
    help = "Compiles the translation catalogues (te reo Māori falling back to en-NZ)."

    def handle(self, *args, **options):
        for locale_dir in settings.LOCALE_PATHS:
            for path in compile_all(Path(locale_dir)):
                self.stdout.write(f"Compiled {path}")
