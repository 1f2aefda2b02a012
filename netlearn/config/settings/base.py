"""Settings that run embedded with no environment: SQLite and files under var/, in-process tasks.

Environment variables scale it out: DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS, EMAIL_URL, ...
"""

import sys
from pathlib import Path

import environ

PACKAGE_DIR = Path(__file__).resolve().parents[2]
BASE_DIR = Path(environ.Env().str("NETLEARN_HOME", default=str(PACKAGE_DIR.parent)))
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
# The embedded default key only suits the demo on one machine; production settings refuse it.
SECRET_KEY = env.str("SECRET_KEY", default="netlearn-embedded-demo-key-change-me-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    # Single sign-on through OpenID Connect (Google, Microsoft Entra ID, any provider): allauth's
    # social accounts; its own password pages are never routed (accounts/sso.py).
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "netlearn.core",
    "netlearn.accounts",
    "netlearn.networks",
    "netlearn.activities",
    "netlearn.charter",
    "netlearn.discussions",
    "netlearn.notifications",
    "netlearn.rostering",
    "netlearn.library",
    "netlearn.enquiry",
    "netlearn.impact",
    "netlearn.decisions",
    "netlearn.exchange",
    "netlearn.health",
    "netlearn.web",
    # After every app whose demo data the golden threads read (its demo loader runs last).
    "netlearn.golden_thread",
    "netlearn.reports",
    # After reports: the programme's page lists the networks' published reports.
    "netlearn.evaluation",
    # After activities (its sessions) and exchange: its demo builds on both networks' people.
    "netlearn.programmes",
    "netlearn.demo",
]

MIDDLEWARE = [
    # First, so every log record of the request carries its id (docs/operations.md#logs).
    "netlearn.core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: the person's language, else their network's (core/languages.py).
    "netlearn.web.languages.PersonLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A 405 in the frame with a way back, as the 403, 404 and 500 pages (templates/405.html).
    "netlearn.web.error_pages.MethodNotAllowedPageMiddleware",
    "csp.middleware.CSPMiddleware",
    # Innermost: a keyed API write runs in one transaction with the record of its key.
    "netlearn.core.idempotency.IdempotencyMiddleware",
]

ROOT_URLCONF = "netlearn.config.urls"
WSGI_APPLICATION = "netlearn.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "netlearn.web.context_processors.navigation",
                "netlearn.core.languages.context",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'netlearn.sqlite3'}"),
}
# SQLite as a real server's database: readers never wait for the writer (WAL); a writer waits
# for the one before it instead of answering "database is locked" (the busy timeout, seconds);
# and every transaction takes the write lock as it begins (IMMEDIATE), since a deferred one that
# reads and then writes cannot wait: SQLite refuses its upgrade at once. NORMAL is durable in WAL
# mode when a process dies; only an operating-system crash may lose the last commits.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; "
        "PRAGMA cache_size=-20000"
    ),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
# Each web thread keeps its connection between requests: a new PostgreSQL connection per request
# forks a server process and warms its catalogue caches again, which cost more CPU than most of
# our pages' queries (docs/benchmarks.md#busiest-pages). Checked before reuse, so a restarted
# database costs one failed check, not an error page.
PERSISTENT_CONNECTIONS = {
    "CONN_MAX_AGE": env.int("CONN_MAX_AGE", default=300),
    "CONN_HEALTH_CHECKS": True,
}
DATABASES["default"].update(PERSISTENT_CONNECTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.Person"
AUTHENTICATION_BACKENDS = ["netlearn.accounts.backends.UsernameOrEmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# English of the United Kingdom and of New Zealand, and te reo Māori (docs/languages.md). The
# catalogues are in netlearn/locale, compiled .mo files committed beside their .po files
# (`netlearn compile_catalogues`, no GNU gettext needed).
LANGUAGES = [
    ("en-gb", "English (United Kingdom)"),
    ("en-nz", "English (New Zealand)"),
    ("mi", "Te reo Māori"),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# A signed-out visitor's choice of language is remembered for a year.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
# ISO dates first in every form, as browsers' date inputs need (config/formats).
FORMAT_MODULE_PATH = ["netlearn.config.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Links in emails (invitations) point here.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Netlearn <netlearn@localhost>")

# A table in the database by default, so every web process sees one cache with no Redis
# (`netlearn migrate` creates the table); CACHE_URL=redis://… for Redis. Rate limits count in
# Redis or memcached when the cache is one, otherwise in the database (core/rate_limits.py).
CACHES = {
    "default": env.cache("CACHE_URL", default="dbcache://netlearn_cache"),
}
# With a cache outside the database (Redis, memcached), sessions are read from it and written
# through to the database: a page's session costs no query. With the database's own cache that
# would be two tables for one.
if CACHES["default"]["BACKEND"] != "django.core.cache.backends.db.DatabaseCache":
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# A strict policy: our own scripts and styles only, no inline script, no third-party requests
# (pupil pages must make none: ICO Age Appropriate Design Code).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Sign-in: the 6th failed attempt for one account or address within 30 minutes answers 429.
SIGN_IN_FAILURE_LIMIT = 5
SIGN_IN_FAILURE_WINDOW = 30 * 60
# Single sign-on (docs/operations.md#single-sign-on). SSO_PROVIDERS is a JSON list, one object a
# provider: {"id": "la", "name": "Local authority", "client_id": ..., "secret": ...,
# "server_url": "https://idp.example.org"} and optionally "verified_email_claim" (the claim that
# must be true for the address to count as verified: "email_verified" unless given; Microsoft
# Entra ID's is "xms_edov"). Google and Microsoft have shortcuts of their own.
SSO_PROVIDERS = env.json("SSO_PROVIDERS", default=[])
if env.str("GOOGLE_CLIENT_ID", default=""):
    SSO_PROVIDERS.append(
        {
            "id": "google",
            "name": "Google",
            "client_id": env.str("GOOGLE_CLIENT_ID"),
            "secret": env.str("GOOGLE_CLIENT_SECRET"),
            "server_url": "https://accounts.google.com",
        }
    )
if env.str("MICROSOFT_CLIENT_ID", default=""):
    # One tenant's issuer, never "common": only the school's own directory signs its people in.
    SSO_PROVIDERS.append(
        {
            "id": "microsoft",
            "name": "Microsoft",
            "client_id": env.str("MICROSOFT_CLIENT_ID"),
            "secret": env.str("MICROSOFT_CLIENT_SECRET"),
            "server_url": (
                f"https://login.microsoftonline.com/{env.str('MICROSOFT_TENANT_ID')}/v2.0"
            ),
            "verified_email_claim": "xms_edov",
        }
    )
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": provider["id"],
                "name": provider["name"],
                "client_id": provider["client_id"],
                "secret": provider["secret"],
                "settings": {"server_url": provider["server_url"]},
            }
            for provider in SSO_PROVIDERS
        ],
    }
}
SOCIALACCOUNT_ADAPTER = "netlearn.accounts.sso.SocialAccountAdapter"
ACCOUNT_ADAPTER = "netlearn.accounts.sso.AccountAdapter"
# Netlearn decides who signs in (accounts/sso.py): never allauth's sign-up form, never a link by
# an address the provider did not verify, no mail of allauth's own.
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_NOTIFICATIONS = False
SOCIALACCOUNT_STORE_TOKENS = False
# Sign-in starts with a POST from the sign-in page (a GET shows allauth's confirmation: no link
# can send a browser to a provider unasked).
SOCIALACCOUNT_LOGIN_ON_GET = False
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"

# Password reset requests per email address and per client address, and personal-data exports per
# person, within each window (seconds); the next answers 429 (core/rate_limits.py).
PASSWORD_RESET_LIMIT = env.int("PASSWORD_RESET_LIMIT", default=5)
PASSWORD_RESET_WINDOW = 60 * 60
PERSONAL_DATA_EXPORT_LIMIT = env.int("PERSONAL_DATA_EXPORT_LIMIT", default=3)
PERSONAL_DATA_EXPORT_WINDOW = 60 * 60
# A staff invitation lapses after this many days unanswered; sending it again renews it. One list
# invites at most STAFF_INVITATION_BATCH colleagues.
STAFF_INVITATION_DAYS = env.int("STAFF_INVITATION_DAYS", default=30)
STAFF_INVITATION_BATCH = 200
# A retried API write with the same Idempotency-Key gets the first answer for this long.
IDEMPOTENCY_KEY_HOURS = env.int("IDEMPOTENCY_KEY_HOURS", default=24)

# Library (issue 6): uploads up to this size, of these kinds (judged by content, library/uploads).
LIBRARY_MAX_UPLOAD_BYTES = env.int("LIBRARY_MAX_UPLOAD_BYTES", default=50 * 1024 * 1024)
LIBRARY_ALLOWED_FILE_TYPES = env.list(
    "LIBRARY_ALLOWED_FILE_TYPES",
    default=[
        "pdf",
        "docx",
        "pptx",
        "xlsx",
        "odt",
        "odp",
        "ods",
        "png",
        "jpeg",
        "gif",
        "mp3",
        "mp4",
        "txt",
    ],
)
# Text extraction runs as a background task (TASKS below), in a child process that may use this
# much CPU time (seconds; it is killed a few seconds after) and memory (MB) for one file.
LIBRARY_EXTRACTION_SECONDS = env.int("LIBRARY_EXTRACTION_SECONDS", default=20)
LIBRARY_EXTRACTION_MEMORY_MB = env.int("LIBRARY_EXTRACTION_MEMORY_MB", default=512)
# Library search (netlearn/library/search.py): "index", an embedded Tantivy index on disk here,
# kept in step by a task after each change and rebuilt by `netlearn reindex`: top-k in tens of
# milliseconds at 200,000 resources (docs/benchmarks.md); or "database", the database's own
# full-text search (ranks every match: slow for frequent words in a large library). One index
# directory per machine: several hosts each need their own (or choose "database").
LIBRARY_SEARCH_BACKEND = env.str("LIBRARY_SEARCH_BACKEND", default="index")
LIBRARY_SEARCH_INDEX_DIR = env.str(
    "LIBRARY_SEARCH_INDEX_DIR", default=str(VAR_DIR / "search" / "library")
)
# S3-compatible storage through django-storages when a bucket is configured; local files if not.
# (django-storages reads AWS_S3_ENDPOINT_URL and the keys from the environment itself.)
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}

# Pages list this many rows at a time; the API's default and maximum page size.
PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 200

# Discussions: posts a person may make in DISCUSSION_POST_WINDOW seconds
# (docs/safety.md#rate-limits).
DISCUSSION_PUPIL_POST_LIMIT = env.int("DISCUSSION_PUPIL_POST_LIMIT", default=10)
DISCUSSION_STAFF_POST_LIMIT = env.int("DISCUSSION_STAFF_POST_LIMIT", default=40)
DISCUSSION_POST_WINDOW = 10 * 60
# Discussions: each attachment up to this size (checked before the library's own limit).
DISCUSSION_MAX_ATTACHMENT_BYTES = env.int(
    "DISCUSSION_MAX_ATTACHMENT_BYTES", default=10 * 1024 * 1024
)
# Enquiries with no activity for this many days are flagged on the enquiry overview.
ENQUIRY_STALE_DAYS = 42

# Impact (issue 7): figures resting on fewer pupils than this are shown as "c" everywhere
# (docs/safety.md#suppression); "england" or "nz" (random rounding to base 3, means over 20 or
# more pupils).
IMPACT_SUPPRESSION_THRESHOLD = env.int("IMPACT_SUPPRESSION_THRESHOLD", default=6)
IMPACT_DISCLOSURE_MODE = env.str("IMPACT_DISCLOSURE_MODE", default="england")
# CSV downloads of impact tables per person within the window (seconds); the next answers 429.
IMPACT_CSV_EXPORT_LIMIT = env.int("IMPACT_CSV_EXPORT_LIMIT", default=60)
IMPACT_CSV_EXPORT_WINDOW = 60 * 60
# The band of schools against the odds: FSM 35% to 50% (docs/seed-practices.md#impact).
IMPACT_AGAINST_THE_ODDS_BAND = (
    env.float("IMPACT_ODDS_BAND_LOW", default=35.0),
    env.float("IMPACT_ODDS_BAND_HIGH", default=50.0),
)
# New Zealand: the band on the Equity Index, an index (about 344 to 569), not a percentage
# (netlearn.analytics.schools.EQUITY_INDEX_BAND says where the default comes from).
IMPACT_AGAINST_THE_ODDS_EQI_BAND = (
    env.float("IMPACT_ODDS_EQI_BAND_LOW", default=470.0),
    env.float("IMPACT_ODDS_EQI_BAND_HIGH", default=569.0),
)
# Background tasks (library text extraction, impact model runs, email) through Django's tasks
# framework (netlearn.core.deferred), queued in the database by default: `netlearn serve` starts
# a worker beside the web server (netlearn db_worker runs one alone). TASKS_BACKEND names any
# other backend (e.g. django_tasks.backends.immediate.ImmediateBackend: in the request, after
# its commit).
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Tasks queued in the database and still waiting this long (seconds) make the health check fail:
# no worker is taking them (docs/operations.md#health).
TASK_WORKER_STALE_SECONDS = env.int("TASK_WORKER_STALE_SECONDS", default=300)

# Logs on stderr, each line with the request id: one JSON object a line for a log collector, plain
# text when stderr is a terminal (`make demo`); LOG_FORMAT chooses. Django's request errors (every
# 500) come with their traceback (docs/operations.md#logs).
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "netlearn.core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "netlearn.core.logs.JsonFormatter"},
        "text": {"()": "netlearn.core.logs.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env.str("LOG_FORMAT", default="text" if sys.stderr.isatty() else "json"),
            "filters": ["request_id"],
        }
    },
    "loggers": {
        "netlearn": {"handlers": ["console"], "level": LOG_LEVEL},
        # Replaces Django's default (printed only with DEBUG, otherwise mailed to ADMINS).
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # 5xx with their traceback; 4xx are the access log's (gunicorn) to count.
        "django.request": {"level": "ERROR"},
        # The task worker's own lines (`netlearn db_worker`), failures with their traceback.
        "django_tasks": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django_tasks_db": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
    },
}
