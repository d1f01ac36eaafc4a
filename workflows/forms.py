"""The forms of the task views: what each reviewer decides, with the fields that decision needs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from transfers.forms import LargeAmountConfirmationMixin, WanYuanField
from transfers.limits import AGENCY_NAME_MAX, COMMENT_MAX
from transfers.models import Decision, ExpertOpinion, Valuation

RETURN = ("return", _("退回修改"))


class TaskForm(forms.Form):
    """An action chosen with radio buttons, and the reviewer's comment."""

    ACTIONS: list[tuple[str, Any]] = []
    COMMENT_REQUIRED_FOR: set[str] = {
        "return", "terminate", "objection", "dismiss", "uphold", "withdraw", "withdraw_notice"
    }

    action = forms.ChoiceField(label=_("处理结果"), widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=COMMENT_MAX
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = self.ACTIONS  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") in self.COMMENT_REQUIRED_FOR and not (data.get("comment") or "").strip():
            self.add_error("comment", _("请填写意见或理由。"))
        return data


class PreliminaryReviewForm(TaskForm):
    ACTIONS = [("pass", _("初审通过")), RETURN]


class AssessmentForm(LargeAmountConfirmationMixin, TaskForm):
    ACTIONS = [("complete", _("评估完成")), RETURN]
    method = forms.ChoiceField(label=_("评估方式"), choices=Valuation.Method.choices, required=False)
    agency_name = forms.CharField(
        label=_("评估机构名称"),
        max_length=AGENCY_NAME_MAX,
        required=False,
        help_text=_("第三方评估机构评估的，填写机构全称（将在公示中公布）。"),
    )
    amount = WanYuanField(
        label=_("评估值（万元）"), required=False, help_text=_("精确到小数点后 4 位（即元）。")
    )
    report = forms.FileField(label=_("评估报告"), required=False)
    note = forms.CharField(label=_("评估说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    confirm_amount_fields = ("amount",)

    def amount_in_use(self, name: str, data: dict[str, Any]) -> bool:
        return data.get("action") == "complete"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("action") == "complete":
            if not data.get("method"):
                self.add_error("method", _("请选择评估方式。"))
            if data.get("method") == Valuation.Method.AGENCY and not (data.get("agency_name") or "").strip():
                self.add_error("agency_name", _("第三方评估机构评估的，请填写评估机构名称。"))
            if data.get("amount") is None and not self.has_error("amount") and not data.get("report"):
                self.add_error("amount", _("请填写评估值或上传评估报告。"))
        return data


class DemonstrationForm(TaskForm):
    ACTIONS = [("complete", _("提交论证意见")), RETURN]
    recommendation = forms.ChoiceField(
        label=_("论证结论"), choices=ExpertOpinion.Recommendation.choices, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("action") == "complete":
            if not data.get("recommendation"):
                self.add_error("recommendation", _("请选择论证结论。"))
            if not (data.get("comment") or "").strip():
                self.add_error("comment", _("请填写论证意见。"))
        return data


class DecisionForm(TaskForm):
    ACTIONS = [
        (Decision.Outcome.APPROVE.value, _("同意转化，进入公示")),
        (Decision.Outcome.REJECT.value, _("不同意转化")),
        RETURN,
    ]
    body = forms.CharField(label=_("决策机构"), max_length=200, required=False, help_text=_("如：校长办公会"))
    decided_on = forms.DateField(
        label=_("决策日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    minutes = forms.FileField(label=_("会议纪要"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("action") in Decision.Outcome.values:
            if not (data.get("body") or "").strip():
                self.add_error("body", _("请填写决策机构。"))
            if not data.get("decided_on"):
                self.add_error("decided_on", _("请填写决策日期。"))
            if not data.get("minutes"):
                self.add_error("minutes", _("请上传会议纪要。"))
        return data


class PublicityForm(TaskForm):
    ACTIONS = [
        ("finish", _("公示期满无异议，进入实施")),
        ("objection", _("登记收到的书面异议（暂停公示）")),
        ("withdraw_notice", _("撤回公示，提交重新决策")),
        ("terminate", _("撤回公示并终止转化")),
    ]


class ObjectionReviewForm(TaskForm):
    ACTIONS = [
        ("dismiss", _("异议不成立，恢复公示")),
        ("uphold", _("异议成立，提交重新决策")),
        ("terminate", _("异议成立，终止转化")),
    ]


class ImplementationForm(TaskForm):
    ACTIONS = [("complete", _("合同已签订，实施完成")), ("terminate", _("终止转化"))]
    contract = forms.FileField(label=_("已签订的合同"), required=False)


class ReviseForm(TaskForm):
    ACTIONS = [("resubmit", _("修改完毕，重新提交")), ("withdraw", _("撤回案件"))]
