"""The audit trail refuses UPDATE and DELETE in PostgreSQL itself (issue 11), not only in the ORM
(``AuditEventQuerySet``): a trigger raises on either. TRUNCATE (a test database's flush) is not a row
change and stays possible for the database owner. SQLite keeps the ORM's refusal only."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION transfers_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'transfers_auditevent is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS transfers_auditevent_append_only ON transfers_auditevent;
CREATE TRIGGER transfers_auditevent_append_only BEFORE UPDATE OR DELETE ON transfers_auditevent
    FOR EACH ROW EXECUTE FUNCTION transfers_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS transfers_auditevent_append_only ON transfers_auditevent;
DROP FUNCTION IF EXISTS transfers_audit_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)  # the % of RAISE is not a placeholder


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("transfers", "0019_imported_transfers")]

    operations = [migrations.RunPython(create, drop)]
