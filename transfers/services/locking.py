"""The case row lock every write takes first (the lock order: case, then flow, then notice), and the
transaction a service opens.

A task's move (``workflows.services.task_execute``) locks and reads the case before the flow's lock,
then runs its service inside ``moving(case)``: the service's first ``lock_case`` of that case is handed
the row already locked and read in this transaction instead of reading it again, and its
``case_atomic`` block needs no savepoint (a refusal rolls the whole move back, the task included).
Outside a task both behave as plain ``lock_case`` and ``transaction.atomic()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Subquery

from ..models import TransferCase


@dataclass
class _Move:
    #: the locked case, until a service's ``lock_case`` takes it
    case: TransferCase | None


_move: ContextVar[_Move | None] = ContextVar("transfers_move", default=None)


@contextmanager
def moving(case: TransferCase) -> Iterator[None]:
    """A task's move on ``case``, locked by ``lock_case`` in the caller's open transaction."""
    token = _move.set(_Move(case=case))
    try:
        yield
    finally:
        _move.reset(token)


def case_atomic() -> Any:
    """A service's transaction: ``transaction.atomic()``, without a savepoint inside a task's move."""
    return transaction.atomic(savepoint=_move.get() is None)


def lock_case(case: TransferCase | int | Subquery) -> TransferCase:
    """The case (or the case of this pk, or of the pk a subquery gives) read afresh under ``SELECT … FOR
    UPDATE``; ``of=("self",)`` locks the case row only (PostgreSQL refuses FOR UPDATE on the nullable
    rule_pack join). Inside a task's move, the first lock of its case is the row the move read."""
    pk = case.pk if isinstance(case, TransferCase) else case
    move = _move.get()
    if move is not None and move.case is not None and isinstance(pk, int) and move.case.pk == pk:
        held, move.case = move.case, None  # once: a second lock in the same move reads afresh
        return held
    return (
        TransferCase.objects.select_for_update(of=("self",))
        .select_related("institution", "rule_pack")
        .get(pk=pk)
    )
