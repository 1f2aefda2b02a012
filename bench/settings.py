"""Settings for bench/pages.py: the product's base settings with DEBUG off and a fresh database.

bench/pages.py sets NETLEARN_HOME (so var/ and collected static files go to its temporary
directory) and BENCH_DATABASE_URL before anything imports these settings.
"""

from pathlib import Path

from netlearn.config.settings.base import *  # noqa: F403
from netlearn.config.settings.base import (
    PERSISTENT_CONNECTIONS,
    SQLITE_OPTIONS,
    TEMPLATES,
    VAR_DIR,
    env,
)

DEBUG = False
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
DATABASES = {
    "default": env.db("BENCH_DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'bench.sqlite3'}"),
}
DATABASES["default"].update(PERSISTENT_CONNECTIONS)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # As the product's settings do (WAL, busy timeout, immediate transactions).
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
TEMPLATES = [
    {**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]}
]
# Every simulated user signs in from 127.0.0.1 at once, and each attempt counts against the
# address until its password checks out: the product's 5 would refuse most of them with 429.
# The limiter still runs on every sign-in; only its figure is raised.
SIGN_IN_FAILURE_LIMIT = 1000
