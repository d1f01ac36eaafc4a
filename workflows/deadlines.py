"""Deadlines of the stages: a reminder one working day before the due time, an overdue flag at it,
and an escalation to the institution's TTO head one working day after, each once per stage entry,
as in-app notifications and e-mail through the outbox.

A beat job (``workflows.tasks.stage_deadlines``) rather than viewflow timers: a stage's due time
comes from the pinned rule pack in China's working days and is recomputed by every transition, and a
stage may have several tasks open (the expert panel); one sweep over ``stage_due_at`` (indexed) reads
the truth every time (docs/decisions/0007-deadline-alerts-by-beat.md).
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef

from transfers import clock, events, permissions
from transfers.models import FINAL_STAGES, Role, TransferCase
from transfers.publicity_clock import working_day_shift
from transfers.selectors import role_holders
from transfers.wording import person_name

from .models import StageAlert
from .selectors import open_tasks_of

log = logging.getLogger(__name__)

#: how far ahead of its due time a case can need a reminder (one working day, across the longest holiday)
LOOKAHEAD = datetime.timedelta(days=12)


def _responsible(case: TransferCase) -> list[Any]:
    """Who holds the stage's work: the owners of its open tasks, and for a task nobody has claimed,
    everyone of its role group in the case's institution."""
    people: dict[int, Any] = {}
    for task in open_tasks_of(case).select_related("owner"):
        if task.owner is not None:
            people[task.owner.pk] = task.owner
        elif task.owner_permission:
            role = task.owner_permission.removeprefix(permissions.ROLE_PERMISSION_PREFIX)
            people.update((u.pk, u) for u in role_holders(case.institution_id, [role]))
    return list(people.values())


def _heads(case: TransferCase) -> list[Any]:
    heads = list(role_holders(case.institution_id, [Role.TTO_HEAD]))
    return heads or list(role_holders(case.institution_id, [Role.INSTITUTION_ADMIN]))


def _due_alerts(case: TransferCase, now: datetime.datetime) -> list[str]:
    due = case.stage_due_at
    assert due is not None
    kinds: list[str] = []
    if working_day_shift(due, -1) <= now < due:  # a reminder after the due time would say "tomorrow" wrongly
        kinds.append(StageAlert.Kind.REMINDER)
    if now >= due:
        kinds.append(StageAlert.Kind.OVERDUE)
    if now >= working_day_shift(due, 1):
        kinds.append(StageAlert.Kind.ESCALATED)
    return kinds


def _send(case: TransferCase, kind: str, now: datetime.datetime) -> bool:
    """Record the alert and queue its messages in one transaction; False if it was already sent."""
    try:
        with transaction.atomic():
            StageAlert.objects.create(case=case, stage=case.stage, stage_entered_at=case.stage_entered_at,
                                      kind=kind, sent_at=now)
            responsible = _responsible(case)
            recipients = _heads(case) if kind == StageAlert.Kind.ESCALATED else responsible
            params = {"stage": case.stage, "due": case.stage_due_at.isoformat() if case.stage_due_at else "",
                      "people": "、".join(person_name(p) for p in responsible)}
            events.emit(events.PeopleToTell(case=case, recipients=tuple(recipients), kind=f"stage_{kind}",
                                            params=params))
    except IntegrityError:
        return False  # another run sent it
    return True


def stage_deadlines(now: datetime.datetime | None = None) -> int:
    """Send the deadline alerts that are due; returns how many were sent."""
    now = now or clock.now()
    done = StageAlert.objects.filter(case=OuterRef("pk"), stage_entered_at=OuterRef("stage_entered_at"),
                                     kind=StageAlert.Kind.ESCALATED)
    cases = (
        TransferCase.objects.filter(stage_due_at__isnull=False, stage_due_at__lte=now + LOOKAHEAD)
        .exclude(stage__in=FINAL_STAGES)
        .exclude(Exists(done))
        .order_by("stage_due_at")
    )
    sent = 0
    for case in cases.iterator():
        already = set(StageAlert.objects.filter(case=case, stage_entered_at=case.stage_entered_at)
                      .values_list("kind", flat=True))
        for kind in _due_alerts(case, now):
            if kind not in already and _send(case, kind, now):
                sent += 1
    if sent:
        log.info("stage deadlines: %d alerts sent", sent)
    return sent
