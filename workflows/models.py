"""The viewflow process of a case: a proxy that exposes the case (the process artifact)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process


class CaseProcess(Process):
    class Meta:
        proxy = True
        verbose_name = _("案件流程")
        verbose_name_plural = _("案件流程")

    @property
    def case(self) -> Any:
        return self.artifact


class RewardProcess(Process):
    """The approval of one reward distribution: the case is its artifact (so the reviewers' lists, the
    tenancy check and the case lock work as for the case's own tasks), the distribution its seed."""

    class Meta:
        proxy = True
        verbose_name = _("收益分配审批流程")
        verbose_name_plural = _("收益分配审批流程")

    @property
    def case(self) -> Any:
        return self.artifact

    @property
    def distribution(self) -> Any:
        return self.seed


class StageAlert(models.Model):
    """One deadline message sent for one stage of a case (the stage as entered at ``stage_entered_at``):
    the unique constraint makes each of reminder, overdue flag and escalation go out once, even when
    two beat runs overlap."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("到期前一个工作日提醒")
        OVERDUE = "overdue", _("逾期提示")
        ESCALATED = "escalated", _("逾期督办")

    case = models.ForeignKey("transfers.TransferCase", on_delete=models.CASCADE, related_name="stage_alerts")
    stage = models.CharField(max_length=30)
    stage_entered_at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("办理期限提醒")
        verbose_name_plural = _("办理期限提醒")
        constraints = [
            models.UniqueConstraint(fields=["case", "stage_entered_at", "kind"], name="stage_alert_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.stage} {self.kind}"
