"""Mail survives the crashes of production (issue 11): a worker killed in the middle of a delivery,
a process that dies between its commit and the enqueue. A real Redis, real Celery workers and beat,
PostgreSQL; the mail server is a folder of files (``mailbox.py``), so "sent once" is one file."""

from __future__ import annotations

import os
import signal

import pytest
from django.conf import settings
from django.db import connection

from notifications import handlers
from notifications.models import Notification
from notifications.tasks import deliver_pending
from tests.factories import file_case
from tests.production.conftest import wait_until
from transfers.services import cases as svc

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def submit(side):
    """The applicant submits: the outbox row for the TTO officer is committed with the case, and its
    delivery is queued after commit (on the test's Redis)."""
    svc.case_submit(case=file_case(side), by=side.applicant)
    return Notification.objects.get(recipient=side.tto_officer)


def assert_mailed_once(servers, row):
    servers.wait_until_idle()
    mails = servers.mails()
    assert [m["To"] for m in mails] == [row.recipient.email]
    assert "初审" in mails[0]["Subject"]
    row.refresh_from_db()
    assert row.emailed_at is not None
    assert row.attempts == 1


def test_a_pool_process_killed_inside_the_mail_server_call_is_run_again_and_mails_once(world, servers):
    servers.hold()
    worker = servers.worker()
    row = submit(world.a)
    sender = servers.wait_for_sender()
    assert sender != worker.popen.pid  # a pool process, not the worker's main process
    os.kill(sender, signal.SIGKILL)  # as the kernel's out-of-memory killer does
    # the lost task is handed back (reject_on_worker_lost) and run again by the other pool process
    servers.release()
    wait_until(servers.mails, 30, "the mail sent after the pool process died")
    assert_mailed_once(servers, row)
    assert "WorkerLostError" in worker.log.read_text()


def test_a_worker_killed_whole_mid_delivery_delivers_once_after_its_restart(world, servers):
    servers.hold()
    worker = servers.worker()
    row = submit(world.a)
    servers.wait_for_sender()
    worker.kill(signal.SIGKILL)  # the main process and its pool: a machine that lost power, a `kill -9`
    # PostgreSQL rolled back the dead worker's transaction: nothing was mailed, the row waits
    row.refresh_from_db()
    assert row.emailed_at is None and servers.mails() == []
    servers.release()
    # the message, never acknowledged (acks_late), comes back to the restarted worker
    servers.worker(visibility_timeout=2)
    wait_until(servers.mails, 30, "the mail sent by the restarted worker")
    assert_mailed_once(servers, row)


def test_delivering_twice_at_once_sends_once(world, servers):
    """Two deliveries of the same row run at the same time in two pool processes: the second waits for
    the first's row lock, then finds the row mailed."""
    servers.hold()
    servers.worker(concurrency=2)
    row = submit(world.a)
    deliver_pending.delay()
    servers.wait_for_sender()

    def second_delivery_waits_on_the_row_lock() -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND wait_event_type = 'Lock'")
            return cursor.fetchone()[0] == 1

    wait_until(second_delivery_waits_on_the_row_lock, 30, "the second delivery waiting for the row lock")
    servers.release()
    assert_mailed_once(servers, row)


def test_a_row_committed_but_never_queued_is_mailed_by_the_beat_sweep(world, servers, monkeypatch):
    """The web process dies between its commit and the enqueue: the outbox row is committed, no task
    is queued. Beat's sweep (the production schedule's entry, run every second here) mails it."""
    assert settings.CELERY_BEAT_SCHEDULE["deliver-outbox"]["task"] == deliver_pending.name
    monkeypatch.setattr(handlers, "_deliver_after_commit", lambda: None)  # the enqueue never happens
    servers.worker()
    row = submit(world.a)
    assert servers.queued() == 0
    servers.wait_until_idle()
    assert servers.mails() == []  # a worker alone never hears of it
    servers.beat()
    wait_until(servers.mails, 30, "the mail sent by beat's sweep")
    assert_mailed_once(servers, row)
