"""Celery tasks of notifications: thin and idempotent."""

from __future__ import annotations

from celery import shared_task

from .services import deliver_pending_emails


@shared_task(name="notifications.tasks.deliver_pending", ignore_result=True)
def deliver_pending() -> int:
    """Mail every notification not yet mailed; safe to run any number of times."""
    return deliver_pending_emails()
