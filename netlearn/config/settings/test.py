"""Only speeds tests up; CI reruns the same suite on PostgreSQL through DATABASE_URL."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATABASES = {"default": env.db("DATABASE_URL", default="sqlite://:memory:")}
# Each test process's own memory: nothing a test checks lives in the cache alone (rate limits
# count in the database unless the cache is Redis), and the conftest empties it for each test.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tasks run in the request that queued them (after its commit), so tests see their result.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The suite's transactions never commit, so the index (fed after each commit) would not see
# them: search tests choose the engine themselves (library/tests/test_search.py runs on both),
# each with an index of its own; this directory is only the default, one per test process.
LIBRARY_SEARCH_BACKEND = "database"
LIBRARY_SEARCH_INDEX_DIR = str(Path(tempfile.gettempdir()) / f"netlearn-test-search-{os.getpid()}")
