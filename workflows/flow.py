"""``TransferFlow``: the seven stages of seed 003 三.2 as a chain of human tasks.

start → preliminary_review → assessment → 论证 (form_panel → one expert_review per expert, joined
on the quorum → conclude_panel) → decision → publicity → implementation → end, with a ``revise``
task for the applicant after any return, and ``objection_review`` during publicity. Each task, once
done, opens the task of the stage its service left the case in (``RoutedView``; a case that ended
inside a task, e.g. withdrawn, goes to ``end``), so the flow can never disagree with the FSM
(decision 0008).
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.base import Edge
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.lock import select_for_update_lock
from viewflow.workflow.nodes.split import SplitActivation
from viewflow.workflow.nodes.switch import SwitchActivation
from viewflow.workflow.nodes.view import ViewActivation

from transfers.models import FINAL_STAGES, PanelSeat, Stage, TransferCase
from transfers.permissions import role_permission

from . import views
from .execution import stage_left
from .models import CaseProcess, RewardProcess


def _case(process: Any) -> TransferCase:
    return process.artifact


def _stage_now(activation: Any) -> str:
    """The case's stage as the move left it: what the executing task's service returned (under the
    case's lock, in this transaction), else read from the database once per switch; never from the
    process's cached artifact."""
    pk = activation.process.artifact_object_id
    stage = stage_left(pk) or getattr(activation, "case_stage", None)
    if stage is None:
        stage = TransferCase.objects.filter(pk=pk).values_list("stage", flat=True).get()
        activation.case_stage = stage
    return stage


def _at(*stages: str) -> Any:
    """A switch condition: the case is now in one of these stages."""

    def condition(activation: Any) -> bool:
        return _stage_now(activation) in stages

    return condition


class StageSwitchActivation(SwitchActivation):
    """viewflow's switch without its savepoint and error capture: the conditions only read, and a
    failure to route rolls the whole move back instead of leaving the flow in an error state."""

    @Activation.status.super()
    def activate(self) -> None:
        for node, condition in self.flow_task._branches:
            if condition is None or condition(self):
                self.next_task = node
                break
        if not self.next_task:
            raise FlowRuntimeError(f"No next task available for {self.flow_task.name}")


class StageSwitch(flow.Switch):
    """Routed by the case's stage. No longer on any path (the tasks route themselves, ``RoutedView``):
    the switches stay so the steps they recorded in processes begun before still name a node."""

    activation_class = StageSwitchActivation


class RoutedActivation(ViewActivation):
    """A task that, once done, opens the task of the stage its service left the case in."""

    @Activation.status.super()
    def create_next(self) -> Any:
        stage = _stage_now(self)
        for node, stages in self.flow_task._routes:
            if not stages or stage in stages:
                yield node._create(self, self.task.token)
                return
        raise FlowRuntimeError(f"{self.flow_task.name}: no route for stage {stage}")


class RoutedView(flow.View):
    """A person's task routed by the case's stage (decision 0008): ``.Route(node, *stages)`` in order, the
    first whose stages hold the case's stage wins; a route without stages is the default. The FSM
    decides the stage; the flow only follows it, without a switch node of its own."""

    activation_class = RoutedActivation

    def __init__(self, view: Any, **kwargs: Any) -> None:
        super().__init__(view, **kwargs)
        self._routes: list[tuple[Any, tuple[str, ...]]] = []

    def Route(self, node: Any, *stages: str) -> RoutedView:  # viewflow builder style (.Next, .Case)
        self._routes.append((node, stages))
        return self

    def _resolve(self, instance: Any) -> None:
        super()._resolve(instance)
        self._routes = [(this.resolve(instance, node), stages) for node, stages in self._routes]

    def _outgoing(self) -> Any:
        for node, _stages in self._routes:
            yield Edge(src=self, dst=node, edge_class="next")


def _for(role: str) -> dict[str, Any]:
    return {"permission": role_permission(role), "obj": _case}


# --------------------------------------------------------------------------------------------
# The expert panel: one task per seat (``task.data["seat"]``)


def _seat(task: Any) -> PanelSeat:
    return PanelSeat.objects.select_related("expert").get(pk=task.data["seat"])


def _seat_expert(activation: Any) -> Any:
    return _seat(activation.task).expert


def _seat_declined(activation: Any) -> bool:
    """After an expert's task: did they decline (a replacement is needed) rather than give an opinion?"""
    done = activation.task.previous.get()
    return _seat(done).status == PanelSeat.Status.DECLINED


def _replacement_seat(activation: Any) -> dict[str, Any]:
    """The seat the officer's replacement task created, for the new expert's task."""
    return {"seat": PanelSeat.objects.get(replaces_id=activation.task.data["seat"]).pk}


def _quorum_reached(activation: Any, active_tasks: Any) -> bool:
    panel = TransferCase.objects.get(pk=activation.process.artifact_object_id).current_panel()
    return panel is not None and panel.quorum_reached()


class PanelSplitActivation(SplitActivation):
    """One branch per invited seat of the case's current panel, each carrying its seat."""

    @Activation.status.super()
    def activate(self) -> None:
        case = TransferCase.objects.get(pk=self.process.artifact_object_id)
        panel = case.current_panel()
        seats = [] if panel is None else list(panel.seats.filter(status=PanelSeat.Status.INVITED).order_by("pk"))
        for node, _cond, _data in self.flow_task._branches:
            self.next_tasks.extend((node, {"seat": seat.pk}) for seat in seats)
        if not self.next_tasks:
            raise FlowRuntimeError(f"{case.reference}: a panel split with no invited expert")


class SeatSwitchActivation(StageSwitchActivation):
    """Hands the seat of the expert task it follows to the next task (a switch passes no data)."""

    @Activation.status.super()
    def create_next(self) -> Any:
        seat = self.task.previous.get().data["seat"]
        yield self.next_task._create(self, self.task.token, data={"seat": seat})


class SeatSwitch(flow.Switch):
    activation_class = SeatSwitchActivation


class PanelSplit(flow.Split):
    """viewflow's ``Split(data_source)`` is not in the open-source edition's ``Next``: this split
    opens one task per expert; the stock ``Join`` with a quorum condition closes them."""

    activation_class = PanelSplitActivation


class TransferFlow(flow.Flow):
    process_class = CaseProcess
    lock_impl = select_for_update_lock
    process_title = _("科技成果转化审批")
    process_description = _("发起、初审、评估、论证、决策、公示、实施。")

    start = flow.StartHandle(this.start_case).Next(this.preliminary_review)
    #: a transfer approved and publicised before the system (``services.imports``) starts at 实施
    start_imported = flow.StartHandle(this.start_case).Next(this.implementation)

    preliminary_review = (
        RoutedView(views.PreliminaryReviewView.as_view())
        .Permission(**_for("tto_officer"))
        .Annotation(title=_("初审"))
        .Route(this.revise, Stage.RETURNED)
        .Route(this.assessment, Stage.ASSESSMENT)
        .Route(this.end, *FINAL_STAGES)
    )
    assessment = (
        RoutedView(views.AssessmentView.as_view())
        .Permission(**_for("assessor"))
        .Annotation(title=_("评估"))
        .Route(this.revise, Stage.RETURNED)
        .Route(this.form_panel, Stage.DEMONSTRATION)
        .Route(this.end, *FINAL_STAGES)
    )

    # 论证: the officer forms the panel; one task per invited expert (declare, then give an opinion);
    # a declined seat opens a replacement task on the same branch; the join continues once the quorum
    # of opinions is in (cancelling the tasks still open); the officer concludes.
    form_panel = (
        RoutedView(views.FormPanelView.as_view())
        .Permission(**_for("tto_officer"))
        .Annotation(title=_("组建论证专家组"))
        .Route(this.revise, Stage.RETURNED)
        .Route(this.end, *FINAL_STAGES)
        .Route(this.panel_split)
    )
    panel_split = PanelSplit().Next(this.expert_review)
    expert_review = (
        flow.View(views.ExpertReviewView.as_view())
        .Assign(_seat_expert)
        .Annotation(title=_("专家论证"))
        .Next(this.after_expert_review)
    )
    after_expert_review = SeatSwitch().Case(this.replace_expert, _seat_declined).Default(this.panel_join)
    replace_expert = (
        flow.View(views.ReplaceExpertView.as_view())
        .Permission(**_for("tto_officer"))
        .Annotation(title=_("更换回避专家"))
        .Next(this.expert_review, task_data=_replacement_seat)
    )
    panel_join = flow.Join(continue_on_condition=_quorum_reached).Next(this.conclude_panel)
    conclude_panel = (
        RoutedView(views.ConcludePanelView.as_view())
        .Permission(**_for("tto_officer"))
        .Annotation(title=_("论证结论"))
        .Route(this.revise, Stage.RETURNED)
        .Route(this.decision, Stage.DECISION)
        .Route(this.end, *FINAL_STAGES)
    )

    decision = (
        RoutedView(views.DecisionView.as_view())
        .Permission(**_for("decision_secretary"))
        .Annotation(title=_("决策"))
        .Route(this.revise, Stage.RETURNED)
        .Route(this.publicity, Stage.PUBLICITY)
        .Route(this.end, *FINAL_STAGES)
    )

    publicity = (
        RoutedView(views.PublicityView.as_view())
        .Permission(**_for("tto_officer"))
        .Annotation(title=_("公示"))
        .Route(this.objection_review, Stage.OBJECTION_REVIEW)
        .Route(this.implementation, Stage.IMPLEMENTATION)
        .Route(this.decision, Stage.DECISION)  # the notice was withdrawn
        .Route(this.end, *FINAL_STAGES)
    )

    objection_review = (
        RoutedView(views.ObjectionReviewView.as_view())
        .Permission(**_for("tto_officer"))
        .Annotation(title=_("异议处理"))
        .Route(this.publicity, Stage.PUBLICITY)
        .Route(this.decision, Stage.DECISION)
        .Route(this.end, *FINAL_STAGES)
    )

    implementation = (
        RoutedView(views.ImplementationView.as_view())
        .Permission(**_for("tto_officer"))
        .Annotation(title=_("实施"))
        .Route(this.end, *FINAL_STAGES)
    )

    revise = (
        RoutedView(views.ReviseView.as_view())
        .Assign(lambda activation: _case(activation.process).created_by)
        .Annotation(title=_("修改后重新提交"))
        .Route(this.preliminary_review, Stage.PRELIMINARY_REVIEW)
        .Route(this.end, *FINAL_STAGES)
    )

    # the switches each task was followed by until 2026-11 (decision 0008): on no path now, kept so
    # that the steps they recorded in processes begun before still name a node of this flow
    after_preliminary_review = StageSwitch().Case(this.end, _at(*FINAL_STAGES))
    after_assessment = StageSwitch().Case(this.end, _at(*FINAL_STAGES))
    after_form_panel = StageSwitch().Case(this.end, _at(*FINAL_STAGES))
    after_demonstration = StageSwitch().Case(this.end, _at(*FINAL_STAGES))
    after_decision = StageSwitch().Case(this.end, _at(*FINAL_STAGES))
    after_publicity = StageSwitch().Case(this.end, _at(*FINAL_STAGES))
    after_objection_review = StageSwitch().Case(this.end, _at(*FINAL_STAGES))
    after_implementation = StageSwitch().Case(this.end, _at(*FINAL_STAGES))
    after_revise = StageSwitch().Case(this.end, _at(*FINAL_STAGES))

    end = flow.End()

    def start_case(self, activation: Any, case: TransferCase) -> Any:
        activation.process.artifact_content_type = ContentType.objects.get_for_model(TransferCase)
        activation.process.artifact_object_id = case.pk
        activation.process.save()
        return activation.process


class RewardFlow(flow.Flow):
    """The institution's approval of a reward distribution (issue 10): one task for the TTO head of the
    case's institution; approved, or returned to the officer (who adjusts it, which starts a new one)."""

    process_class = RewardProcess
    lock_impl = select_for_update_lock
    process_title = _("收益分配审批")
    process_description = _("技术转移办公室拟定，负责人审批。")

    start = flow.StartHandle(this.start_approval).Next(this.approve_distribution)
    approve_distribution = (
        flow.View(views.ApproveDistributionView.as_view())
        .Permission(**_for("tto_head"))
        .Annotation(title=_("审批收益分配方案"))
        .Next(this.end)  # approved or returned, the process ends (a resubmission starts another)
    )
    end = flow.End()

    def start_approval(self, activation: Any, distribution: Any) -> Any:
        case = distribution.receipt.contract.case
        activation.process.artifact_content_type = ContentType.objects.get_for_model(TransferCase)
        activation.process.artifact_object_id = case.pk
        activation.process.seed = distribution
        activation.process.save()
        return activation.process


#: the task nodes a case may wait on in each stage (the agreement every test checks: at least one
#: open task, all of them among these)
STAGE_NODES: dict[str, set[str]] = {
    Stage.PRELIMINARY_REVIEW: {"preliminary_review"},
    Stage.ASSESSMENT: {"assessment"},
    Stage.DEMONSTRATION: {"form_panel", "expert_review", "replace_expert", "conclude_panel"},
    Stage.DECISION: {"decision"},
    Stage.PUBLICITY: {"publicity"},
    Stage.OBJECTION_REVIEW: {"objection_review"},
    Stage.IMPLEMENTATION: {"implementation"},
    Stage.RETURNED: {"revise"},
}
