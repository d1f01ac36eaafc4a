"""Celery tasks of the flow: a thin beat wrapper around viewflow's timer firing."""

from __future__ import annotations

from celery import shared_task
from viewflow.workflow.timers import fire_due_timers


@shared_task(name="workflows.tasks.fire_timers", ignore_result=True)
def fire_timers() -> None:
    fire_due_timers()


@shared_task(name="workflows.tasks.stage_deadlines", ignore_result=True)
def stage_deadlines() -> int:
    """Reminders, overdue flags and escalations of stage deadlines (``workflows.deadlines``)."""
    from .deadlines import stage_deadlines as send

    return send()


@shared_task(name="workflows.tasks.sweep_stash", ignore_result=True)
def sweep_stash() -> int:
    """Uploads kept for a confirmation that never came (``workflows.stash``)."""
    from .stash import sweep

    return sweep()
