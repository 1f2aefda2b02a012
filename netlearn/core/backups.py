"""Backups of the database and the media files into one folder with a manifest of checksums,
and their restore (docs/operations.md#backup-and-restore).

SQLite: SQLite's online backup API (a consistent copy while the site runs). PostgreSQL:
`pg_dump -Fc` and `pg_restore`, the PostgreSQL client tools (their major version at least the
server's). Media: every file under MEDIA_ROOT, copied. The manifest is written last, so a folder
without one is an unfinished backup; restore checks every checksum before it changes anything.

What is derived from the tables (library search) and the cache are not the backup's to carry:
the `restore` command rebuilds and empties them after this module has put the data back.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Tables a fresh `netlearn migrate` fills by itself; rows anywhere else are somebody's data.
FILLED_BY_MIGRATE = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "impact_measure",
    # Network health's question banks (netlearn/health/banks.py).
    "health_framework",
    "health_dimension",
    "health_bankitem",
}


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why and what to do."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _described(path: Path, name: str) -> dict:
    return {"path": name, "bytes": path.stat().st_size, "sha256": _sha256(path)}


def _connection():
    return connections[DEFAULT_DB_ALIAS]


def engine() -> str:
    vendor = _connection().vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Backups cover SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _media_root() -> Path | None:
    """MEDIA_ROOT when files are stored there; None for a bucket (S3), which its provider's
    tools back up."""
    if not settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
        return None
    return Path(settings.MEDIA_ROOT)


def _media_files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file() and not path.is_symlink())


# SQLite --------------------------------------------------------------------------------------


def _sqlite_path() -> Path:
    name = str(_connection().settings_dict["NAME"])
    if name in ("", ":memory:") or "mode=memory" in name:
        raise BackupError("The SQLite database is in memory: there is nothing on disk to back up.")
    return Path(name)


def _sqlite_copy(source: Path, target: Path) -> None:
    # The backup API copies a consistent snapshot page by page, whatever writers are doing,
    # and replaces everything in the target (a restore needs no emptying first).
    with sqlite3.connect(source) as reader, sqlite3.connect(target) as writer:
        reader.backup(writer)
    reader.close()
    writer.close()


# PostgreSQL ----------------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found: install the PostgreSQL client tools (of the server's major "
            "version or newer) and try again."
        )
    return found


def _pg_environment() -> dict:
    """The connection as libpq's variables: the password never appears in a command line."""
    database = _connection().settings_dict
    environment = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if database.get(key):
            environment[variable] = str(database[key])
    if database.get("OPTIONS", {}).get("sslmode"):
        environment["PGSSLMODE"] = database["OPTIONS"]["sslmode"]
    return environment


def _run(command: list[str]) -> None:
    result = subprocess.run(
        command, env=_pg_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed:\n{result.stderr.strip()}")


def _pg_dump(target: Path) -> None:
    _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "-f", target])


def _pg_restore(source: Path) -> None:
    # --clean --if-exists: a database `migrate` already made (empty, or not with --force) takes
    # the backup's tables in place of its own; one transaction, so a failure changes nothing.
    _run(
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            _connection().settings_dict["NAME"],
            source,
        ]
    )


# Backup --------------------------------------------------------------------------------------


def _applied_migrations() -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(_connection()).applied_migrations():
        latest[app] = max(latest.get(app, name), name)
    return dict(sorted(latest.items()))


def backup(folder: Path) -> dict:
    """Writes the database, the media files and the manifest into `folder` (new or empty)."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: back up into a new folder.")
    vendor = engine()
    folder.mkdir(parents=True, exist_ok=True)
    database_file = folder / DATABASE_FILES[vendor]
    migrations = _applied_migrations()
    if vendor == "sqlite":
        _sqlite_copy(_sqlite_path(), database_file)
    else:
        _pg_dump(database_file)
    root = _media_root()
    media = None
    if root is not None:
        media = []
        for path in _media_files(root):
            name = path.relative_to(root).as_posix()
            copy = folder / MEDIA / name
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, copy)
            media.append(_described(copy, name))
    manifest = {
        "format": FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "engine": vendor,
        "database": _described(database_file, database_file.name),
        "migrations": migrations,
        "media": media,  # None: stored in a bucket, not in this backup
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


# Restore -------------------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict:
    """The backup's manifest, after checking every file against its checksum."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError as error:
        raise BackupError(f"{folder} has no {MANIFEST}: it is not a finished backup.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{folder} is a backup of format {manifest.get('format')}, not {FORMAT}.")
    problems = []
    names = [manifest["database"]["path"], *(item["path"] for item in manifest["media"] or [])]
    for name in names:
        # A manifest names files inside the backup only: never a path out of MEDIA_ROOT.
        if Path(name).is_absolute() or ".." in Path(name).parts:
            raise BackupError(f"The manifest names a file outside the backup: {name!r}.")
    expected = [(folder / manifest["database"]["path"], manifest["database"])]
    expected += [(folder / MEDIA / item["path"], item) for item in manifest["media"] or []]
    for path, item in expected:
        if not path.is_file():
            problems.append(f"missing: {path}")
        elif path.stat().st_size != item["bytes"] or _sha256(path) != item["sha256"]:
            problems.append(f"changed: {path}")
    if problems:
        raise BackupError("The backup does not match its manifest:\n" + "\n".join(problems))
    return manifest


def database_is_empty() -> bool:
    """Whether the database holds nothing but what `migrate` puts there."""
    connection = _connection()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(only_existing=True):
            if table in FILLED_BY_MIGRATE:
                continue
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")
            if cursor.fetchone() is not None:
                return False
    return True


def restore(folder: Path, *, force: bool = False) -> dict:
    """Puts the backup's database and media files in place of the current ones. Without
    `force`, only into an empty database and an empty MEDIA_ROOT."""
    manifest = read_manifest(folder)
    vendor = engine()
    if manifest["engine"] != vendor:
        raise BackupError(
            f"This is a {manifest['engine']} backup and the database is {vendor}: restore it "
            f"into {manifest['engine']}, or move the data with dumpdata/loaddata and then "
            "`netlearn reindex` (docs/operations.md)."
        )
    root = _media_root()
    if not force:
        if not database_is_empty():
            raise BackupError(
                "The database is not empty: restoring would replace everything in it. "
                "Add --force to do so."
            )
        if root is not None and _media_files(root):
            raise BackupError(
                f"MEDIA_ROOT ({root}) holds files: restoring would replace them. "
                "Add --force to do so."
            )
    database_file = Path(folder) / manifest["database"]["path"]
    connections.close_all()
    if vendor == "sqlite":
        target = _sqlite_path()
        target.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(database_file, target)
    else:
        _pg_restore(database_file)
    if root is not None and manifest["media"] is not None:
        _restore_media(Path(folder) / MEDIA, root, manifest["media"])
    # What the cache remembers (people's access, sessions, counts) belonged to the database that
    # was replaced.
    cache.clear()
    return manifest


def _restore_media(source: Path, root: Path, files: list[dict]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for path in _media_files(root):
        path.unlink()
    for item in files:
        target = root / item["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / item["path"], target)
        if _sha256(target) != item["sha256"]:
            raise BackupError(f"{target} did not copy intact; restore again.")
