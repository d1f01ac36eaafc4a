"""Keeps the flow in step with the case when a move starts outside a task.

Registered in ``WorkflowsConfig.ready()`` as a ``transfers.events`` handler; runs inside the
service's transaction, so a failure here rolls the transition back.

- submit: starts the process (its first task is the preliminary review);
- a move made by a task view: nothing to do here, the view completes its task and the flow's
  switch routes by the new stage (a STARTED task of the process marks this case);
- a case ending from outside a task (withdrawal, termination): cancels the process and its open
  tasks;
- any other move from outside a task would leave the flow behind: refused loudly.
"""

from __future__ import annotations

from viewflow.workflow.status import STATUS

from transfers.events import CaseTransitioned
from transfers.models import FINAL_STAGES

from .selectors import active_process_of


class FlowOutOfStep(RuntimeError):
    """A case moved where no task and no handler can follow it."""


def sync_flow_with_case(event: CaseTransitioned) -> None:
    from .flow import TransferFlow

    case = event.case
    process = active_process_of(case)
    if event.action == "submit":
        if process is None:
            TransferFlow.start.run(case=case)
        return
    if process is None:
        return  # a draft that never entered the flow, or a process already finished
    if process.task_set.filter(status=STATUS.STARTED).exists():
        return  # a task view is executing this move and will route the flow itself
    if event.to_stage in FINAL_STAGES:
        TransferFlow.instance.cancel(process)
        return
    raise FlowOutOfStep(f"{case.reference}: {event.action} happened outside a task")
