"""Celery tasks of notifications: thin and idempotent."""

from __future__ import annotations

from celery import shared_task

from .services import deliver_pending_emails, mail_objection_confirmation


@shared_task(name="notifications.tasks.deliver_pending", ignore_result=True)
def deliver_pending() -> int:
    """Mail every notification not yet mailed; safe to run any number of times."""
    return deliver_pending_emails()


@shared_task(
    name="notifications.tasks.confirm_objection_by_mail",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def confirm_objection_by_mail(objection_pk: int) -> None:
    """Mail an objector the confirmation of their objection (retried when the mail server fails)."""
    mail_objection_confirmation(objection_pk)
