"""Doing a task: claim it if unclaimed, start it, run the domain service, complete it, so the flow
routes on by the case's new stage. All or nothing, under the flow's lock."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from transfers import events, permissions
from transfers.limits import PUBLIC_REASON_MAX
from transfers.models import Role, TransferCase
from transfers.services import panels
from transfers.services.cases import acting_for, record_audit, require_text
from transfers.services.errors import ActionRefused
from transfers.services.locking import lock_case, moving
from transfers.wording import long_datetime, person_name

from .execution import executing
from .selectors import open_tasks_of

Runner = Callable[[], TransferCase]


def _lock_case_of(task: Task) -> TransferCase:
    """The case row before the flow's lock: the order a move from outside a task (the public's
    objection, the clock) takes them in too, so the two never wait on each other crosswise. One
    statement: the process row is read inside it, not before."""
    return lock_case(Subquery(Process.objects.filter(pk=task.process_id).values("artifact_object_id")))


def task_execute(*, task: Task, user: Any, run: Runner) -> TransferCase:
    """Claim (if needed), start, run the service, complete; a refusal changes nothing."""
    with transaction.atomic():
        case = _lock_case_of(task)
        return _execute(task=task, user=user, run=run, case=case)


def gone(task: Task) -> str:
    """Why a task can no longer be acted on, naming what happened: who completed it and when, or that it
    was cancelled with its case."""
    if task.status == STATUS.DONE and task.owner_id is not None and task.finished is not None:
        return _("该任务已由 %(name)s 于 %(when)s 处理完毕，无需重复提交。") % {
            "name": person_name(task.owner), "when": long_datetime(task.finished)}
    if task.status == STATUS.CANCELED:
        return _("该任务已取消：案件已撤回或终止，或已转入其他环节。")
    return _("该任务已经处理完毕，无需重复提交。")


def _execute(*, task: Task, user: Any, run: Runner, case: TransferCase) -> TransferCase:
    with task.activation() as activation:  # locks the process, then reads the task afresh
        task.process.artifact = case  # the locked case, for the task's permission checks (not read again)
        if task.status not in (STATUS.NEW, STATUS.ASSIGNED):
            raise ActionRefused(gone(task), code="task_done")
        principal = None
        if task.status == STATUS.NEW:
            if not activation.assign.has_perm(user):
                raise ActionRefused(_("该任务不属于您的职责范围。"), code="not_your_task")
            activation.assign(user)
        elif task.owner_id != user.pk:
            if task.owner_id not in permissions.principals_of(user) or task.flow_task.name in PERSONAL_TASKS:
                raise ActionRefused(
                    _("该任务已由 %(name)s 认领，您不能处理。") % {"name": person_name(task.owner)},
                    code="not_your_task",
                )
            principal = task.owner  # a substitute acts for the holder: the trail names both
        activation.start(None)
        # the domain-event handler knows this task drives the move; the switch after it routes on
        # the stage the service returned
        with executing(task.flow_task.flow_class, case.pk) as execution:
            with acting_for(person_name(principal) if principal is not None else ""), moving(case):
                returned = run()
            # the stage the service left: known when it moved the very row this move locked (``moving``
            # hands it to the service's lock); a copy read earlier (a view's own ``self.case``) may be
            # stale, so the routing then reads the database
            execution.stage = returned.stage if returned is case else None
            activation.execute()
        return returned


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


#: tasks given to one person by name that another cannot take over: an expert's seat is personal (a
#: conflict is declared and the officer invites a replacement instead)
PERSONAL_TASKS = {"expert_review"}


def qualified_for(task: Task, case: TransferCase, user: Any) -> bool:
    """May ``user`` do ``task``: hold its role in the case's institution, or (a task given by name,
    the applicant's revision) be one who may act for the applicant, a TTO officer."""
    if not user.is_active:
        return False
    if task.owner_permission:
        role = task.owner_permission.removeprefix(permissions.ROLE_PERMISSION_PREFIX)
        return permissions.has_role(user, case.institution_id, [role])
    return permissions.is_case_owner(user, case)


def task_reassign(*, task: Task, by: Any, to: Any, reason: str, ip: str | None = None) -> Task:
    """A TTO officer gives an open task to another qualified person, with a reason; audited, and the
    new holder is told. An expert's personal task cannot be passed on."""
    with transaction.atomic():
        case = lock_case(int(task.process.artifact_object_id))
        with task.activation() as activation:
            task.refresh_from_db()
            if task.status not in (STATUS.NEW, STATUS.ASSIGNED):
                raise ActionRefused(_("该任务已经处理完毕或已取消，不能转交。"), code="task_done")
            if not permissions.has_role(by, case.institution_id, [Role.TTO_OFFICER]):
                raise ActionRefused(_("只有技术转移办公室专员可以转交任务。"), code="forbidden")
            if task.flow_task.name in PERSONAL_TASKS:
                raise ActionRefused(_("专家的论证任务不能转交：专家不能参加的，请其声明回避后另请专家。"),
                                    code="personal_task")
            if task.owner_id == to.pk:
                raise ActionRefused(_("该任务已由 %(name)s 办理。") % {"name": person_name(to)}, code="same_owner")
            if not qualified_for(task, case, to):
                raise ActionRefused(_("%(name)s 在本单位没有办理该任务的角色。") % {"name": person_name(to)},
                                    code="not_qualified")
            reason = require_text(reason, gettext_lazy("转交理由"), max_length=PUBLIC_REASON_MAX)
            previous = task.owner
            if task.status == STATUS.NEW:
                activation.assign(to)
            else:
                activation.reassign(to)
            record_audit(case, by=by, action="reassign_task", from_stage=case.stage, comment=reason, ip=ip,
                         note="task_reassigned",
                         note_params={"task": str(task.flow_task.task_title),
                                      "previous": person_name(previous) if previous else "—",
                                      "to": person_name(to)})
            events.emit(events.PeopleToTell(case=case, recipients=(to,), kind="task_assigned",
                                            params={"stage": case.stage, "reason": reason,
                                                    "by": person_name(by)}))
            return task


def case_act(*, case: TransferCase, user: Any, run: Runner, node: str | None = None) -> TransferCase:
    """Do the open task of a case (the one for its stage, or the first of ``node``); used by the demo
    seeder and tests."""
    tasks = open_tasks_of(case)
    if node is not None:
        tasks = tasks.filter(flow_task=getattr(task_flow(), node))
    if user is not None and node == "expert_review":
        tasks = tasks.filter(owner=user)
    task = tasks.first()
    if task is None:
        raise ActionRefused(_("本案当前没有待办任务。"), code="no_task")
    return task_execute(task=task, user=user, run=run)


def task_flow() -> Any:
    from .flow import TransferFlow  # the flow imports the views, which import this module

    return TransferFlow


def panel_walk(
    *,
    case: TransferCase,
    officer: Any,
    experts: list[Any],
    opinions: Sequence[panels.OpinionData | None],
    approvals_needed: int | None = None,
    conclude: bool = True,
) -> TransferCase:
    """Drive 论证 through the flow as people would: the officer forms the panel; each expert with an
    opinion declares no conflict and gives it (``None``: the expert has not answered yet); then, if
    ``conclude``, the officer passes it. Used by the demo seeder and tests."""

    def form() -> TransferCase:
        panels.panel_form(case=case, by=officer, experts=experts,
                          approvals_needed=approvals_needed or panels.majority(case.applicable_rule_pack.expert_quorum))
        return case

    case = case_act(case=case, user=officer, run=form, node="form_panel")
    seats = {seat.expert_id: seat for seat in case.current_panel().seats.all()}  # type: ignore[union-attr]
    for expert, data in zip(experts, opinions, strict=False):
        if data is None:
            continue
        seat = seats[expert.pk]
        panels.seat_declare(seat=seat, by=expert, conflict=False)

        def give(seat: Any = seat, expert: Any = expert, data: panels.OpinionData = data) -> TransferCase:
            panels.opinion_submit(seat=seat, by=expert, data=data)
            return case

        case_act(case=case, user=expert, run=give, node="expert_review")
    if not conclude:
        return case
    return case_act(
        case=case,
        user=officer,
        run=lambda: panels.panel_conclude(case=case, by=officer, conclusion="pass", comment=""),
        node="conclude_panel",
    )
