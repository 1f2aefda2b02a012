"""The `netlearn` console script: Django's management commands under the product's name."""

import os
import sys
from pathlib import Path


def main() -> None:
    if sys.argv[1:3] == ["impact", "fit"]:
        # Plain statistics with no database: skipping Django's start-up keeps the whole command
        # close to the fit's own time (bench/impact_fit.py). Imported here, not at the top, so
        # Django's commands do not load numpy and pyarrow.
        from netlearn.analytics.cli import main as impact_fit

        sys.exit(impact_fit(sys.argv[3:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netlearn.config.settings.base")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    # The embedded database lives in var/: a fresh NETLEARN_HOME gets one before any command.
    try:
        Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # a read-only home: the command says what it cannot open

    execute_from_command_line(["netlearn", *sys.argv[1:]])


if __name__ == "__main__":
    main()
