"""The search index of each engine (netlearn/library/search.py): a GIN index on the stored
tsvector on PostgreSQL, an FTS5 virtual table on SQLite. Each runs only on its own database."""

from django.db import migrations

FTS = "library_resource_fts"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX library_resourcesearch_document_gin "
            "ON library_resourcesearch USING gin (document)"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS} USING fts5("
            "title, summary, tags, body, tokenize = 'porter unicode61 remove_diacritics 2')"
        )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS library_resourcesearch_document_gin")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
