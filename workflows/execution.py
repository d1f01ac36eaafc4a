"""What the task this thread is executing has done so far, so the flow need not ask the database.

``workflows.services`` runs a task's service inside ``executing``; the domain-event handler then knows
the move is the task's (the flow routes it when the task completes) and the switch after the task
routes on the stage the service left the case in: the case it returned, read under the case's row
lock in this very transaction. Outside a task (the public's objection, the legal clock) nothing is
known here and both read the database, as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass
class Execution:
    flow_class: Any
    case_pk: int
    #: the case's stage once the task's service has returned
    stage: str | None = None


_current: ContextVar[Execution | None] = ContextVar("workflows_execution", default=None)


@contextmanager
def executing(flow_class: Any, case_pk: int) -> Iterator[Execution]:
    token = _current.set(Execution(flow_class=flow_class, case_pk=case_pk))
    try:
        yield _current.get()  # type: ignore[misc]
    finally:
        _current.reset(token)


def task_driven(flow_class: Any, case_pk: int) -> bool:
    """Is a task of ``flow_class`` on this case being executed by this thread right now?"""
    execution = _current.get()
    return execution is not None and execution.flow_class is flow_class and execution.case_pk == case_pk


def stage_left(case_pk: int) -> str | None:
    """The stage the executing task's service left the case in, once it has returned."""
    execution = _current.get()
    return execution.stage if execution is not None and execution.case_pk == case_pk else None
