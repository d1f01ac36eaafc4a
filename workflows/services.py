"""Doing a task: claim it if unclaimed, start it, run the domain service, complete it, so the flow
routes on by the case's new stage. All or nothing, under the flow's lock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from transfers.models import TransferCase
from transfers.services.errors import ActionRefused
from transfers.services.locking import lock_case

from .selectors import open_tasks_of

Runner = Callable[[], TransferCase]


def _lock_case_of(task: Task) -> None:
    """The case row before the flow's lock: the order a move from outside a task (the public's
    objection, the clock) takes them in too, so the two never wait on each other crosswise."""
    lock_case(int(task.process.artifact_object_id))


def task_execute(*, task: Task, user: Any, run: Runner) -> TransferCase:
    """Claim (if needed), start, run the service, complete; a refusal changes nothing."""
    with transaction.atomic():
        _lock_case_of(task)
        return _execute(task=task, user=user, run=run)


def _execute(*, task: Task, user: Any, run: Runner) -> TransferCase:
    with task.activation() as activation:
        task.refresh_from_db()  # the status as of the lock
        if task.status not in (STATUS.NEW, STATUS.ASSIGNED):
            raise ActionRefused(_("该任务已经处理完毕，无需重复提交。"), code="task_done")
        if task.status == STATUS.NEW:
            if not activation.assign.has_perm(user):
                raise ActionRefused(_("该任务不属于您的职责范围。"), code="not_your_task")
            activation.assign(user)
        elif task.owner_id != user.pk:
            raise ActionRefused(
                _("该任务已由 %(name)s 认领，您不能处理。")
                % {"name": task.owner.get_full_name() or task.owner},
                code="not_your_task",
            )
        activation.start(None)
        task.save()  # STARTED is how the domain-event handler knows a task drives this move
        case = run()
        activation.execute()
        return case


SYSTEM_USERNAME = "system"


def system_user() -> Any:
    """The account moves without a signed-in person are recorded under (the legal clock, the public)."""
    from django.contrib.auth import get_user_model

    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_active": False, "last_name": "系统"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def complete_on_behalf(task: Task, user: Any) -> None:
    """Complete an open task whose stage was left from outside it; the flow then routes on.
    Runs inside the mover's transaction (the domain-event handler)."""
    with task.activation() as activation:
        if task.status == STATUS.NEW:
            activation.assign(user)
        activation.start(None)
        task.save()
        activation.execute()


def _owner_name(task: Task) -> str:
    return str(task.owner.get_full_name() or task.owner)


def task_claim(*, task: Task, user: Any) -> Task:
    """Take an unclaimed task from the queue into my tasks, so colleagues see it is being handled.

    Under the flow's lock the task is read afresh: if a colleague claimed it meanwhile, or it was
    done or cancelled, the claim is refused and nothing changes. Claiming a task already mine is a
    no-op (a second click)."""
    with transaction.atomic(), task.activation() as activation:  # locks the process, rereads the task
        if task.status not in (STATUS.NEW, STATUS.ASSIGNED):
            raise ActionRefused(_("该任务已经处理完毕或已取消，无需认领。"), code="task_done")
        if task.owner_id == user.pk:
            return task
        if task.owner_id is not None:
            raise ActionRefused(
                _("该任务已由 %(name)s 认领，不能再认领。") % {"name": _owner_name(task)},
                code="task_claimed",
            )
        if not activation.assign.has_perm(user):
            raise ActionRefused(_("该任务不属于您的职责范围，不能认领。"), code="not_your_task")
        activation.assign(user)
        return task


def task_release(*, task: Task, user: Any) -> Task:
    """Put a task I claimed back in the queue of its role group. A task that is not mine, or one the
    flow gave to me by name (the applicant's revision), cannot be released; nothing changes."""
    with transaction.atomic(), task.activation() as activation:
        if task.status not in (STATUS.NEW, STATUS.ASSIGNED):
            raise ActionRefused(_("该任务已经处理完毕或已取消，不能退回。"), code="task_done")
        if task.owner_id != user.pk:
            raise ActionRefused(_("该任务不在您的待办中，不能退回队列。"), code="not_your_task")
        if not task.owner_permission:
            raise ActionRefused(_("该任务指定由您本人处理，不能退回队列。"), code="not_releasable")
        activation.unassign()
        return task


def case_act(*, case: TransferCase, user: Any, run: Runner) -> TransferCase:
    """Do the open task of a case (the one for its stage); used by the demo seeder and tests."""
    task = open_tasks_of(case).first()
    if task is None:
        raise ActionRefused(_("本案当前没有待办任务。"), code="no_task")
    return task_execute(task=task, user=user, run=run)
