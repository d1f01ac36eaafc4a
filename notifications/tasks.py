"""Celery tasks of notifications: thin and idempotent.

Delivery is acknowledged to the broker only once it has run (``acks_late``), and a worker process that
dies running it (killed, out of memory) hands the message back (``reject_on_worker_lost``): another
worker runs it again, and the outbox's row lock sends each message once (``services``)."""

from __future__ import annotations

from celery import shared_task

from .services import deliver_pending_emails


@shared_task(name="notifications.tasks.deliver_pending", ignore_result=True, acks_late=True,
             reject_on_worker_lost=True)
def deliver_pending() -> int:
    """Mail every notification not yet mailed; safe to run any number of times."""
    return deliver_pending_emails()
