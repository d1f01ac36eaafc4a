"""The indexes the public pages read (``benchmarks/public_pages.py``): the list and the feed newest first
(``issued_at, id``), the list's validator (its latest write, ``updated_at``), and its counts and filters
from an index holding what makes a notice public (``status, kind, ends_at, pdf_sha256``), never the rows
with their frozen content. On PostgreSQL also trigram indexes on what the public search looks in
(``UPPER(search_text)``, ``UPPER(number)``: ``icontains``), as 0014 has for the cases; SQLite scans."""

from django.db import migrations, models

TRIGRAM = {
    "transfers_notice_search_trgm": "UPPER(search_text)",
    "transfers_notice_number_trgm": "UPPER(number::text)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, expression in TRIGRAM.items():
            schema_editor.execute(f"CREATE INDEX {name} ON transfers_notice USING gin ({expression} gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in TRIGRAM:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("transfers", "0020_audit_append_only_trigger"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="notice",
            index=models.Index(fields=["issued_at", "id"], name="notice_issued_idx"),
        ),
        migrations.AddIndex(
            model_name="notice",
            index=models.Index(fields=["updated_at"], name="notice_updated_idx"),
        ),
        migrations.AddIndex(
            model_name="notice",
            index=models.Index(fields=["status", "kind", "ends_at", "pdf_sha256"], name="notice_public_idx"),
        ),
        migrations.RunPython(create, drop),
    ]
