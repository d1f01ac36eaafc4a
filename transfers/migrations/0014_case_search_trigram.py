"""On PostgreSQL, a trigram index on what the reviewers' search looks in, so ``search_text__icontains``
(``UPPER(search_text) LIKE UPPER('%…%')``) reads the index instead of every case. ``pg_trgm`` is a
trusted extension: the database's owner may create it. SQLite has no such index and scans the column."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "transfers_case_search_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {INDEX} ON transfers_transfercase USING gin (UPPER(search_text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("transfers", "0013_case_search_text"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create, drop),
    ]
