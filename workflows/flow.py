"""``TransferFlow``: the seven stages of seed 003 三.2 as a chain of human tasks.

start → preliminary_review → assessment → demonstration → decision → publicity → implementation
→ end, with a ``revise`` task for the applicant after any return, and ``objection_review`` during
publicity. After each task a switch routes by the stage the service left the case in (a case that
ended inside a task, e.g. withdrawn, goes to ``end``), so the flow can never disagree with the FSM.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.lock import select_for_update_lock

from transfers.models import FINAL_STAGES, Stage, TransferCase
from transfers.permissions import role_permission

from . import views
from .models import CaseProcess


def _case(process: Any) -> TransferCase:
    return process.artifact


def _at(*stages: str) -> Any:
    """A switch condition: the case is now in one of these stages (read fresh from the database,
    never from the process's cached artifact)."""

    def condition(activation: Any) -> bool:
        pk = activation.process.artifact_object_id
        return TransferCase.objects.filter(pk=pk, stage__in=stages).exists()

    return condition


def _for(role: str) -> dict[str, Any]:
    return {"permission": role_permission(role), "obj": _case}


class TransferFlow(flow.Flow):
    process_class = CaseProcess
    lock_impl = select_for_update_lock
    process_title = _("科技成果转化审批")
    process_description = _("发起、初审、评估、论证、决策、公示、实施。")

    start = flow.StartHandle(this.start_case).Next(this.preliminary_review)

    preliminary_review = (
        flow.View(views.PreliminaryReviewView.as_view())
        .Permission(**_for("tto_officer"))
        .Annotation(title=_("初审"))
        .Next(this.after_preliminary_review)
    )
    after_preliminary_review = (
        flow.Switch()
        .Case(this.revise, _at(Stage.RETURNED))
        .Case(this.assessment, _at(Stage.ASSESSMENT))
        .Case(this.end, _at(*FINAL_STAGES))
    )

    assessment = (
        flow.View(views.AssessmentView.as_view())
        .Permission(**_for("assessor"))
        .Annotation(title=_("评估"))
        .Next(this.after_assessment)
    )
    after_assessment = (
        flow.Switch()
        .Case(this.revise, _at(Stage.RETURNED))
        .Case(this.demonstration, _at(Stage.DEMONSTRATION))
        .Case(this.end, _at(*FINAL_STAGES))
    )

    demonstration = (
        flow.View(views.DemonstrationView.as_view())
        .Permission(**_for("expert"))
        .Annotation(title=_("论证"))
        .Next(this.after_demonstration)
    )
    after_demonstration = (
        flow.Switch()
        .Case(this.revise, _at(Stage.RETURNED))
        .Case(this.decision, _at(Stage.DECISION))
        .Case(this.end, _at(*FINAL_STAGES))
    )

    decision = (
        flow.View(views.DecisionView.as_view())
        .Permission(**_for("decision_secretary"))
        .Annotation(title=_("决策"))
        .Next(this.after_decision)
    )
    after_decision = (
        flow.Switch()
        .Case(this.revise, _at(Stage.RETURNED))
        .Case(this.publicity, _at(Stage.PUBLICITY))
        .Case(this.end, _at(*FINAL_STAGES))
    )

    publicity = (
        flow.View(views.PublicityView.as_view())
        .Permission(**_for("tto_officer"))
        .Annotation(title=_("公示"))
        .Next(this.after_publicity)
    )
    after_publicity = (
        flow.Switch()
        .Case(this.objection_review, _at(Stage.OBJECTION_REVIEW))
        .Case(this.implementation, _at(Stage.IMPLEMENTATION))
        .Case(this.decision, _at(Stage.DECISION))  # the notice was withdrawn
        .Case(this.end, _at(*FINAL_STAGES))
    )

    objection_review = (
        flow.View(views.ObjectionReviewView.as_view())
        .Permission(**_for("tto_officer"))
        .Annotation(title=_("异议处理"))
        .Next(this.after_objection_review)
    )
    after_objection_review = (
        flow.Switch()
        .Case(this.publicity, _at(Stage.PUBLICITY))
        .Case(this.decision, _at(Stage.DECISION))
        .Case(this.end, _at(*FINAL_STAGES))
    )

    implementation = (
        flow.View(views.ImplementationView.as_view())
        .Permission(**_for("tto_officer"))
        .Annotation(title=_("实施"))
        .Next(this.after_implementation)
    )
    after_implementation = flow.Switch().Case(this.end, _at(*FINAL_STAGES))

    revise = (
        flow.View(views.ReviseView.as_view())
        .Assign(lambda activation: _case(activation.process).created_by)
        .Annotation(title=_("修改后重新提交"))
        .Next(this.after_revise)
    )
    after_revise = (
        flow.Switch()
        .Case(this.preliminary_review, _at(Stage.PRELIMINARY_REVIEW))
        .Case(this.end, _at(*FINAL_STAGES))
    )

    end = flow.End()

    def start_case(self, activation: Any, case: TransferCase) -> Any:
        activation.process.artifact_content_type = ContentType.objects.get_for_model(TransferCase)
        activation.process.artifact_object_id = case.pk
        activation.process.save()
        return activation.process


#: the task node a case waits on in each stage (the agreement every test checks)
STAGE_NODES: dict[str, set[str]] = {
    Stage.PRELIMINARY_REVIEW: {"preliminary_review"},
    Stage.ASSESSMENT: {"assessment"},
    Stage.DEMONSTRATION: {"demonstration"},
    Stage.DECISION: {"decision"},
    Stage.PUBLICITY: {"publicity"},
    Stage.OBJECTION_REVIEW: {"objection_review"},
    Stage.IMPLEMENTATION: {"implementation"},
    Stage.RETURNED: {"revise"},
}
