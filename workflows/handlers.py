"""Keeps the flow in step with the case when a move starts outside a task.

Registered in ``WorkflowsConfig.ready()`` as a ``transfers.events`` handler; runs inside the
service's transaction, so a failure here rolls the transition back.

- submit: starts the process (its first task is the preliminary review); an import of a transfer approved
  before the system starts it at the implementation task;
- a move made inside a task (``execution.task_driven``): nothing to do here, the task completes and
  opens the task of the new stage;
- a case ending from outside a task (withdrawal, termination): cancels the process and its open
  tasks;
- any other move from outside a task (the public files an objection, the legal clock ends
  publicity): completes the open task on the mover's behalf (the system account when nobody signed
  in made it), so the flow opens the task of the new stage exactly as after a task.
"""

from __future__ import annotations

from viewflow.workflow.status import STATUS

from transfers.events import CaseTransitioned, DistributionSubmitted
from transfers.models import FINAL_STAGES

from .execution import task_driven
from .selectors import active_process_of
from .services import complete_on_behalf, system_user


class FlowOutOfStep(RuntimeError):
    """A case moved where no task and no handler can follow it."""


def sync_flow_with_case(event: object) -> None:
    from .flow import TransferFlow

    if not isinstance(event, CaseTransitioned):
        return
    case = event.case
    if task_driven(TransferFlow, case.pk):
        return  # a task view is executing this move and will route the flow itself
    process = active_process_of(case)
    if event.action in ("submit", "import_approved"):
        if process is None:  # an imported transfer starts at its implementation task
            start = TransferFlow.start if event.action == "submit" else TransferFlow.start_imported
            start.run(case=case)
        return
    if process is None:
        return  # a draft that never entered the flow, or a process already finished
    if event.to_stage in FINAL_STAGES:
        TransferFlow.instance.cancel(process)
        return
    open_tasks = list(process.task_set.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED], flow_task_type="HUMAN"))
    if len(open_tasks) != 1:
        raise FlowOutOfStep(f"{case.reference}: {event.action} happened outside a task")
    complete_on_behalf(open_tasks[0], event.actor or system_user())


def start_reward_approval(event: object) -> None:
    """A distribution was proposed (or adjusted after a return): its approval task opens."""
    from .flow import RewardFlow

    if isinstance(event, DistributionSubmitted):
        RewardFlow.start.run(distribution=event.distribution)
