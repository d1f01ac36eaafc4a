"""The audit trail and the number sequences."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import clock
from .cases import TransferCase
from .choices import Stage

# --------------------------------------------------------------------------------------------
# Audit trail

#: the verb of each action, for messages and the timeline
ACTION_LABELS: dict[str, Any] = {
    "create": _("创建案件"),
    "submit": _("提交"),
    "return_for_revision": _("退回修改"),
    "resubmit": _("修改后重新提交"),
    "pass_preliminary_review": _("初审通过"),
    "complete_assessment": _("评估完成"),
    "form_panel": _("组建论证专家组"),
    "declare_no_conflict": _("专家声明无利益冲突"),
    "decline_seat": _("专家声明回避"),
    "replace_expert": _("更换论证专家"),
    "submit_opinion": _("提交论证意见"),
    "reassign_task": _("转交任务"),
    "complete_demonstration": _("论证完成"),
    "approve": _("决策同意，进入公示"),
    "reject": _("决策不同意"),
    "raise_objection": _("收到异议，公示暂停"),
    "dismiss_objection": _("异议不成立，公示继续"),
    "uphold_objection": _("异议成立，重新决策"),
    "finish_publicity": _("公示期满，进入实施"),
    "withdraw_notice": _("撤回公示，重新决策"),
    "correct_notice": _("发布更正公示"),
    "complete": _("实施完成"),
    "record_contract": _("登记合同"),
    "register_contract": _("登记技术合同认定"),
    "record_receipt": _("登记到账收入"),
    "propose_distribution": _("拟定收益分配方案"),
    "adjust_distribution": _("调整个人奖励金额"),
    "approve_distribution": _("审批同意收益分配方案"),
    "return_distribution": _("退回收益分配方案"),
    "reward_objection_received": _("收到对奖励公示的异议，奖励公示暂停"),
    "dismiss_reward_objection": _("奖励公示异议不成立，公示继续"),
    "uphold_reward_objection": _("奖励公示异议成立，撤销奖励公示并退回分配方案"),
    "pay_rewards": _("登记奖励发放"),
    "import_approved": _("导入系统上线前已审批公示的转化"),
    "withdraw": _("撤回"),
    "terminate": _("终止"),
}


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionDenied("audit events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionDenied("audit events are append-only")


class AuditEvent(models.Model):
    """Append-only record of every transition, written in the transition's transaction."""

    case = models.ForeignKey(TransferCase, on_delete=models.PROTECT, related_name="audit_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("时间"), default=clock.now)
    action = models.CharField(_("操作"), max_length=40)
    from_stage = models.CharField(_("原环节"), max_length=30, choices=Stage.choices)
    to_stage = models.CharField(_("新环节"), max_length=30, choices=Stage.choices)
    revision = models.PositiveIntegerField(default=1)
    comment = models.TextField(_("意见"), blank=True)
    #: a note the system wrote (no person typed it): a code of ``SYSTEM_NOTES`` and its values,
    #: rendered in the reader's language
    note = models.CharField(max_length=40, blank=True, default="")
    note_params = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.from_stage}→{self.to_stage}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionDenied("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionDenied("audit events are append-only")

    @property
    def acting_for(self) -> str:
        """The colleague a substitute acted for, if this was a substitute's work."""
        return str((self.note_params or {}).get("acting_for", ""))

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))

    @property
    def note_text(self) -> str:
        """The system's note in the active language (empty for notes a person wrote)."""
        template = SYSTEM_NOTES.get(self.note)
        return str(template) % self.note_params if template is not None else ""


#: what the system writes in a case's trail, in the reader's language
SYSTEM_NOTES: dict[str, Any] = {
    "publicity_over": _("公示期满，无异议，自动进入实施。"),
    "objection_received": _("收到实名书面异议，受理编号 %(number)s。"),
    "panel_formed": _("邀请专家：%(experts)s；应收论证意见 %(quorum)s 份，须 %(approvals)s 人同意。"),
    "expert_replaced": _("%(old)s 回避，改请 %(new)s。"),
    "task_reassigned": _("“%(task)s”由 %(previous)s 转交 %(to)s。"),
    "receipt_recorded": _("到账 %(amount)s 万元，扣除后净收入 %(net)s 万元。"),
    "distribution_proposed": _("可分配净收入 %(net)s 万元，团队奖励 %(team)s 万元，适用 %(pack)s。"),
    "equity_recorded": _("作价投资股份 %(shares)s 万股（出资额），作价 %(amount)s 万元。"),
    "equity_distribution_proposed": _("可分配股份 %(net)s 万股（出资额），团队奖励 %(team)s 万股，适用 %(pack)s。"),
    "rewards_paid": _("%(date)s 发放奖励 %(total)s 万元：%(names)s。"),
    "equity_rewards_paid": _("%(date)s 划转奖励股份 %(total)s 万股：%(names)s。"),
}


class Sequence(models.Model):
    """Gapless counters (case references, later notice numbers), allocated under a row lock."""

    key = models.CharField(max_length=80, unique=True)
    value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}={self.value}"
