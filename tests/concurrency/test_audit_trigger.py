"""The audit trail is append-only in PostgreSQL itself (issue 11): a statement that bypasses the ORM's
refusal (``AuditEventQuerySet``) is refused by a trigger."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from tests.factories import file_case
from transfers.models import AuditEvent

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's"),
    pytest.mark.django_db,
]


@pytest.mark.parametrize("statement", [
    "UPDATE transfers_auditevent SET comment = 'rewritten' WHERE id = %s",
    "DELETE FROM transfers_auditevent WHERE id = %s",
])
def test_postgresql_itself_refuses_to_change_or_delete_the_audit_trail(world, statement):
    case = file_case(world.a)
    event = AuditEvent.objects.filter(case=case).first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, comment=event.comment).exists()
