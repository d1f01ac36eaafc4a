"""Backups restore (issue 11): notices issued with their PDFs through the real services, then
``config/deploy/backup.sh`` (pg_dump and the media folder), the database dropped and created empty and the media
folder lost, then ``config/deploy/restore.sh``: every notice is back and its PDF still has the SHA-256 it
was published with, as the public downloads it."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, connections, transaction
from django.urls import reverse

from tests.factories import file_case
from tests.public.test_notices import to_publicity
from transfers.models import AuditEvent, Notice

REPO = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="backups are PostgreSQL dumps"),
    pytest.mark.skipif(shutil.which("pg_dump") is None or shutil.which("pg_restore") is None,
                       reason="pg_dump and pg_restore are not installed (apt-get install postgresql-client)"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def run(script: str, *args: str, media: Path) -> str:
    db = connection.settings_dict
    env = {**os.environ, "STACK_ENV_FILE": "/nonexistent", "POSTGRES_DB": db["NAME"], "POSTGRES_USER": db["USER"],
           "POSTGRES_PASSWORD": db["PASSWORD"], "POSTGRES_HOST": db["HOST"] or "localhost",
           "POSTGRES_PORT": str(db["PORT"] or 5432), "DJANGO_MEDIA_ROOT": str(media)}
    done = subprocess.run([str(REPO / "config" / "deploy" / script), *args], env=env, capture_output=True, text=True,  # noqa: S603
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def drop_and_create_empty(name: str) -> None:
    """The database lost: dropped, and created empty again as on a new server."""
    connections.close_all()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}" OWNER "{connection.settings_dict["USER"]}"')


def test_a_backup_restored_after_losing_database_and_files_verifies_every_notice(world, settings, tmp_path, client):
    for side in (world.a, world.b):
        to_publicity(side)
    published = {n.number: n.pdf_sha256 for n in Notice.objects.all()}
    assert len(published) == 2 and all(len(sha) == 64 for sha in published.values())
    audit_events = AuditEvent.objects.count()
    media = Path(settings.MEDIA_ROOT)

    folder = Path(run("backup.sh", str(tmp_path / "backups"), media=media))
    assert sorted(p.name for p in folder.iterdir()) == ["SHA256SUMS", "database.dump", "media.tar.gz"]

    drop_and_create_empty(connection.settings_dict["NAME"])
    shutil.rmtree(media)
    assert "transfers_notice" not in connection.introspection.table_names()

    run("restore.sh", str(folder), "--yes", media=media)
    notices = list(Notice.objects.all())
    assert {n.number: n.pdf_sha256 for n in notices} == published
    for notice in notices:
        assert hashlib.sha256(Path(notice.pdf.path).read_bytes()).hexdigest() == notice.pdf_sha256
        response = client.get(reverse("public:notice_pdf", args=[notice.number]))
        assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == notice.pdf_sha256
    assert AuditEvent.objects.count() == audit_events
    # the restored database keeps working, and its audit trail is still append-only in PostgreSQL itself
    file_case(world.a)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM transfers_auditevent")


def test_restore_refuses_a_backup_whose_files_were_altered(world, settings, tmp_path):
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    folder = Path(run("backup.sh", str(tmp_path / "backups"), media=media))
    with (folder / "database.dump").open("ab") as dump:
        dump.write(b"\0")
    with pytest.raises(AssertionError, match="do not match"):
        run("restore.sh", str(folder), "--yes", media=media)
