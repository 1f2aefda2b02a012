"""Settings for bench/pages.py: the product's base settings with DEBUG off and a fresh database.

bench/pages.py sets NETLEARN_HOME (so var/ and collected static files go to its temporary
directory) and BENCH_DATABASE_URL before anything imports these settings.
"""

from pathlib import Path

from netlearn.config.settings.base import *  # noqa: F403
from netlearn.config.settings.base import TEMPLATES, VAR_DIR, env

DEBUG = False
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
DATABASES = {
    "default": env.db("BENCH_DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'bench.sqlite3'}"),
}
TEMPLATES = [
    {**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]}
]
