"""Celery tasks of the domain: thin, idempotent wrappers around services."""

from __future__ import annotations

from celery import shared_task

from .services import notices, orphans, reward_notices
from .services.publicity import publicity_close_due


@shared_task(name="transfers.tasks.close_due_publicity", ignore_result=True)
def close_due_publicity() -> list[str]:
    return publicity_close_due()


@shared_task(name="transfers.tasks.publish_pending_notices", ignore_result=True, acks_late=True)
def publish_pending_notices() -> list[str]:
    """Render and publish every notice whose PDF could not be rendered when it was issued. Acknowledged
    once done; not handed back when its worker dies (a render that ran out of memory would kill the next
    worker too): beat runs it again within two minutes, and publishing a published notice does nothing."""
    return notices.publish_pending_notices()


@shared_task(name="transfers.tasks.close_due_reward_notices", ignore_result=True)
def close_due_reward_notices() -> list[str]:
    """Reward notices whose period is over: ended (the people may be paid from then on anyway)."""
    return reward_notices.reward_notices_close_due()


@shared_task(name="transfers.tasks.sweep_orphan_files", ignore_result=True)
def sweep_orphan_files() -> list[str]:
    """Stored files a rolled-back transaction left, a day old (``services.orphans``)."""
    return orphans.orphan_files_sweep()
