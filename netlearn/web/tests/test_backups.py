"""`netlearn backup` and `netlearn restore` on both engines (docs/operations.md): a round trip
between two real databases (a file for SQLite, a fresh database for PostgreSQL, never the test
transaction) keeps every table's rows and every media file, and search still finds everything."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from netlearn.core import backups

# The SQLite round trips use homes of their own, whatever database the run uses.
SQLITE = pytest.param("sqlite", marks=pytest.mark.sqlite_home)

SEED = """
from netlearn.library.tests.factories import add_resource, pdf_upload
from netlearn.networks.tests.world import build_world

world = build_world()
for number, word in enumerate(["cumulonimbus", "ammonite", "meander"]):
    add_resource(
        world.network,
        by=world.teacher,
        title=f"Field notes {number}",
        tags="outdoors, observation",
        upload=pdf_upload(f"Pupils sketch the {word} and label each part carefully."),
    )
add_resource(world.network, by=world.teacher, title="Volcano models", summary="Clay and vinegar")
"""

# Every table's rows (the cache's apart: restore empties it; the FTS5 table's storage apart: the
# reindex rebuilds it, and the search check below covers it).
DUMP = """
import json, sys
from django.db import connection
tables = {}
with connection.cursor() as cursor:
    for table in connection.introspection.table_names():
        if table == "netlearn_cache" or table.startswith("library_resource_fts_"):
            continue
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        tables[table] = sorted(repr(row) for row in cursor.fetchall())
    cursor.execute("SELECT COUNT(*) FROM netlearn_cache")
    tables["(cache rows)"] = cursor.fetchone()[0]
json.dump(tables, open(sys.argv[-1], "w"))
"""

FIND_EVERYTHING = """
from netlearn.library import search
from netlearn.library.models import Resource, ResourceFile

everything = Resource.objects.all()
def found(text):
    return {row.pk for row in search.search(everything, text, limit=500).resources}
missed, texts = [], 0
for resource in everything:
    if resource.pk not in found(resource.title):
        missed.append(("title", resource.pk))
for stored in ResourceFile.objects.filter(superseded_at__isnull=True).exclude(text=""):
    texts += 1
    if stored.resource_id not in found(stored.text):
        missed.append(("file text", stored.resource_id))
print(f"resources={everything.count()} texts={texts} missed={missed}")
"""


def netlearn(env, *args, check=True):
    result = subprocess.run(
        [sys.executable, "-m", "netlearn", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check:
        assert result.returncode == 0, result.stderr[-3000:]
    return result


def site(home: Path, database_url: str | None) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="netlearn.config.settings.base",
        NETLEARN_HOME=str(home),
        # Text extraction runs at once, so the backup holds the files' text.
        TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
    )
    env.pop("MEDIA_ROOT", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    (home / "var").mkdir(parents=True)
    return env


@pytest.fixture(params=[SQLITE, "postgresql"])
def two_sites(request, tmp_path, migrated_homes):
    """Two sites on the same engine: the one backed up, freshly migrated (tests/migrated.py), and
    an empty one restored into."""
    if request.param == "sqlite":
        source = site(tmp_path / "a", None)
        migrated_homes.copy_sqlite_into(tmp_path / "a")
        yield source, site(tmp_path / "b", None)
        return
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgres"):
        pytest.skip("PostgreSQL round trip: run the tests with DATABASE_URL=postgres://…")
    if not backups.shutil.which("pg_dump") or not backups.shutil.which("pg_restore"):
        pytest.skip("pg_dump/pg_restore are not installed")
    import psycopg

    parts = urlsplit(server)
    admin = urlunsplit(parts._replace(path="/postgres"))
    source_url = migrated_homes.new_postgresql_database()
    target = f"netlearn_backup_b_{uuid.uuid4().hex[:8]}"
    target_url = urlunsplit(parts._replace(path=f"/{target}"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{target}"')
    try:
        yield site(tmp_path / "a", source_url), site(tmp_path / "b", target_url)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            for url in (source_url, target_url):
                connection.execute(
                    f'DROP DATABASE IF EXISTS "{urlsplit(url).path[1:]}" WITH (FORCE)'
                )


def tables_of(env, tmp_path, name) -> dict:
    out = tmp_path / f"{name}.json"
    netlearn(env, "shell", "-c", DUMP.replace("sys.argv[-1]", repr(str(out))))
    return json.loads(out.read_text())


def media_of(env) -> dict:
    root = Path(env["NETLEARN_HOME"]) / "var" / "media"
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


def test_a_backup_restores_every_row_and_file_and_search_finds_everything(two_sites, tmp_path):
    source, target = two_sites
    netlearn(source, "shell", "-c", SEED)
    folder = tmp_path / "backup"
    made = netlearn(source, "backup", str(folder))
    assert "3 media files" in made.stdout
    manifest = json.loads((folder / "manifest.json").read_text())
    assert len(manifest["media"]) == 3 and manifest["database"]["sha256"]

    restored = netlearn(target, "restore", str(folder))
    assert "Rebuilt library search (4 resources)" in restored.stdout

    before, after = tables_of(source, tmp_path, "a"), tables_of(target, tmp_path, "b")
    assert after.pop("(cache rows)") == 0
    before.pop("(cache rows)")
    assert before.keys() == after.keys()
    assert "library_resource" in after and len(after["library_resource"]) == 4
    different = [table for table in before if before[table] != after[table]]
    assert different == []
    assert media_of(target) == media_of(source) and len(media_of(target)) == 3
    found = netlearn(target, "shell", "-c", FIND_EVERYTHING).stdout
    assert "resources=4 texts=3 missed=[]" in found

    # A second restore would replace what is now there: only when told.
    refused = netlearn(target, "restore", str(folder), check=False)
    assert refused.returncode != 0 and "not empty" in refused.stderr
    assert "Restored" in netlearn(target, "restore", str(folder), "--force").stdout
    assert tables_of(target, tmp_path, "b2") == {**before, "(cache rows)": 0}


@pytest.fixture(params=[SQLITE, "postgresql"])
def sqlite_and_another(request, tmp_path, migrated_homes):
    """A SQLite site, and a site on the engine the data moves to (docs/operations.md#reindex), both
    freshly migrated (tests/migrated.py)."""
    source = site(tmp_path / "a", None)
    migrated_homes.copy_sqlite_into(tmp_path / "a")
    if request.param == "sqlite":
        target = site(tmp_path / "b", None)
        migrated_homes.copy_sqlite_into(tmp_path / "b")
        yield source, target
        return
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgres"):
        pytest.skip("SQLite → PostgreSQL: run the tests with DATABASE_URL=postgres://…")
    import psycopg

    target_url = migrated_homes.new_postgresql_database()
    try:
        yield source, site(tmp_path / "b", target_url)
    finally:
        admin = urlunsplit(urlsplit(server)._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as connection:
            name = urlsplit(target_url).path[1:]
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_data_moved_with_dumpdata_and_loaddata_is_found_by_search_after_reindex(
    sqlite_and_another, tmp_path
):
    source, target = sqlite_and_another
    netlearn(source, "shell", "-c", SEED)
    dump = tmp_path / "netlearn.json"
    # The commands docs/operations.md#reindex gives.
    netlearn(
        source,
        "dumpdata",
        "--natural-foreign",
        "--natural-primary",
        *("-e", "contenttypes", "-e", "auth.permission", "-e", "sessions"),
        "-o",
        str(dump),
    )
    # `netlearn migrate` on the new database is what made the target (tests/migrated.py).
    netlearn(target, "loaddata", str(dump))
    shutil.copytree(
        Path(source["NETLEARN_HOME"]) / "var" / "media",
        Path(target["NETLEARN_HOME"]) / "var" / "media",
        dirs_exist_ok=True,
    )
    assert "Reindexed" in netlearn(target, "reindex").stdout

    found = netlearn(target, "shell", "-c", FIND_EVERYTHING).stdout
    assert "resources=4 texts=3 missed=[]" in found
    assert media_of(target) == media_of(source) and len(media_of(target)) == 3


def test_backing_up_into_a_folder_in_use_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(backups.BackupError, match="not empty"):
        backups.backup(tmp_path)


def fake_backup(folder: Path) -> Path:
    (folder / "media" / "library").mkdir(parents=True)
    (folder / "database.sqlite3").write_bytes(b"database")
    (folder / "media" / "library" / "a.pdf").write_bytes(b"%PDF-1.4 a")
    manifest = {
        "format": 1,
        "engine": "sqlite",
        "database": backups._described(folder / "database.sqlite3", "database.sqlite3"),
        "media": [backups._described(folder / "media/library/a.pdf", "library/a.pdf")],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def test_a_backup_that_does_not_match_its_manifest_is_refused(tmp_path):
    folder = fake_backup(tmp_path)
    assert backups.read_manifest(folder)["engine"] == "sqlite"
    (folder / "media" / "library" / "a.pdf").write_bytes(b"%PDF-1.4 b")
    with pytest.raises(backups.BackupError, match="changed: .*a.pdf"):
        backups.read_manifest(folder)
    (folder / "database.sqlite3").unlink()
    with pytest.raises(backups.BackupError, match="missing: .*database.sqlite3"):
        backups.read_manifest(folder)


def test_a_manifest_cannot_name_a_file_outside_the_backup(tmp_path):
    folder = fake_backup(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["media"][0]["path"] = "../../../etc/cron.d/x"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(backups.BackupError, match="outside the backup"):
        backups.read_manifest(folder)


def test_a_folder_without_a_manifest_is_no_backup(tmp_path):
    with pytest.raises(backups.BackupError, match="not a finished backup"):
        backups.read_manifest(tmp_path)


def test_a_freshly_migrated_database_counts_as_empty(db):
    assert backups.database_is_empty()


def test_a_database_with_people_is_not_empty(world):
    assert not backups.database_is_empty()
