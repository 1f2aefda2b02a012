"""The `netlearn` console script: Django's management commands under the product's name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netlearn.config.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["netlearn", *sys.argv[1:]])


if __name__ == "__main__":
    main()
