"""The forms of the task views: what each reviewer decides, with the fields that decision needs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from transfers.forms import LargeAmountConfirmationMixin, WanYuanField
from transfers.limits import AGENCY_NAME_MAX, COMMENT_MAX, MAX_ATTENDEES, PUBLIC_REASON_MAX
from transfers.models import Decision, ExpertOpinion, Valuation
from transfers.services.cases import MeetingRecord
from transfers.uploads import UploadField
from transfers.wording import person_name

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
        self.order_fields([name for name in self.fields if name != "comment"] + ["comment"])  # the comment last

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
    report = UploadField(label=_("评估报告"), required=False)
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


class FormPanelForm(TaskForm):
    """The officer invites the experts (at least the quorum) and sets how many must approve."""

    ACTIONS = [("form", _("组建专家组，发出论证邀请")), RETURN]
    experts = forms.TypedMultipleChoiceField(
        label=_("论证专家"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    approvals_needed = forms.IntegerField(label=_("须同意的专家人数"), min_value=1, required=False)

    def __init__(self, *args: Any, experts: list[tuple[int, str]], quorum: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.quorum = quorum
        self.fields["experts"].choices = experts  # type: ignore[attr-defined]
        self.fields["experts"].help_text = _("至少选择 %(quorum)d 人；可多选，收齐 %(quorum)d 份意见即结束论证。") % {
            "quorum": quorum
        }
        self.fields["approvals_needed"].initial = quorum // 2 + 1
        self.fields["approvals_needed"].help_text = _("应收 %(quorum)d 份意见中须有多少份同意，至少过半数。") % {
            "quorum": quorum
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("action") == "form":
            if len(data.get("experts") or []) < self.quorum:
                self.add_error("experts", _("请至少选择 %(quorum)d 位专家。") % {"quorum": self.quorum})
            if data.get("approvals_needed") is None and not self.has_error("approvals_needed"):
                self.add_error("approvals_needed", _("请填写须同意的专家人数。"))
        return data


class DeclareForm(TaskForm):
    """Before reading further, the expert declares whether they have a conflict of interest."""

    ACTIONS = [
        ("no_conflict", _("本人与本案无利益冲突，参加论证")),
        ("conflict", _("本人与本案存在利益冲突，申请回避")),
    ]
    COMMENT_REQUIRED_FOR = {"conflict"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].label = _("利益冲突声明")
        self.fields["comment"].label = _("回避理由")
        self.fields["comment"].help_text = _("申请回避时填写，如：曾参与本成果研发、在受让方任职或持股。")
        self.fields["comment"].max_length = PUBLIC_REASON_MAX  # type: ignore[attr-defined]


SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]


class OpinionForm(TaskForm):
    """An independent opinion: four scores from 1 to 5, a conclusion, conditions and comments."""

    ACTIONS = [("opinion", _("提交论证意见"))]
    technical_maturity = forms.TypedChoiceField(
        label=_("技术成熟度"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    market_prospects = forms.TypedChoiceField(
        label=_("市场前景"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    price_reasonableness = forms.TypedChoiceField(
        label=_("定价合理性"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    risk_control = forms.TypedChoiceField(
        label=_("风险可控性"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    recommendation = forms.ChoiceField(
        label=_("论证结论"), choices=ExpertOpinion.Recommendation.choices, widget=forms.RadioSelect
    )
    conditions = forms.CharField(
        label=_("转化条件"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=COMMENT_MAX,
        help_text=_("有条件同意的，写明须满足的条件。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].initial = "opinion"
        self.fields["action"].widget = forms.HiddenInput()
        self.fields["comment"].label = _("论证意见")
        self.fields["comment"].required = True
        for name in ExpertOpinion.SCORES:
            self.fields[name].help_text = _("1 分最低，5 分最高。")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("recommendation") == ExpertOpinion.Recommendation.CONDITIONS and not (
            data.get("conditions") or ""
        ).strip():
            self.add_error("conditions", _("有条件同意的，请写明转化条件。"))
        return data


class ReplaceExpertForm(TaskForm):
    ACTIONS = [("replace", _("改请以下专家论证"))]
    expert = forms.TypedChoiceField(label=_("替换专家"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args: Any, experts: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expert"].choices = experts  # type: ignore[attr-defined]
        self.fields["action"].initial = "replace"
        self.fields["action"].widget = forms.HiddenInput()
        del self.fields["comment"]


class ApproveDistributionForm(TaskForm):
    ACTIONS = [("approve", _("同意此分配方案")), ("return", _("退回技术转移办公室修改"))]


class ConcludePanelForm(TaskForm):
    ACTIONS = [("pass", _("论证通过，提交决策")), RETURN]


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
    attendees = forms.CharField(
        label=_("出席人员"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
        help_text=_("每行一人，如：张三（校长）"),
    )
    votes_for = forms.IntegerField(label=_("同意票"), min_value=0, max_value=MAX_ATTENDEES, required=False)
    votes_against = forms.IntegerField(label=_("反对票"), min_value=0, max_value=MAX_ATTENDEES, required=False)
    votes_abstaining = forms.IntegerField(label=_("弃权票"), min_value=0, max_value=MAX_ATTENDEES, required=False)
    conditions = forms.CharField(
        label=_("附加条件"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=COMMENT_MAX,
        help_text=_("会议决定附加的条件，如：须在合同中约定分期付款的担保。"),
    )
    minutes = UploadField(label=_("会议纪要"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("action") in Decision.Outcome.values:
            if not (data.get("body") or "").strip():
                self.add_error("body", _("请填写决策机构。"))
            if not data.get("decided_on"):
                self.add_error("decided_on", _("请填写决策日期。"))
            if not (data.get("attendees") or "").strip():
                self.add_error("attendees", _("请填写出席人员，每行一人。"))
            for name in ("votes_for", "votes_against", "votes_abstaining"):
                if data.get(name) is None and not self.has_error(name):
                    self.add_error(name, _("请填写票数（没有的填 0）。"))
            if not data.get("minutes"):
                self.add_error("minutes", _("请上传会议纪要。"))
        return data

    def meeting(self) -> MeetingRecord:
        data = self.cleaned_data
        return MeetingRecord(
            attendees=(data.get("attendees") or "").splitlines(),
            votes_for=data["votes_for"],
            votes_against=data["votes_against"],
            votes_abstaining=data["votes_abstaining"],
            conditions=data.get("conditions") or "",
        )


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
    ACTIONS = [("complete", _("实施完成，办结案件")), ("terminate", _("终止转化"))]
    contract = UploadField(label=_("已签订的合同（扫描件）"), required=False,
                               help_text=_("可选：另存一份合同扫描件。合同条款、认定登记、收入和奖励在案件页面的“合同与收益分配”中登记。"))


class ReviseForm(TaskForm):
    ACTIONS = [("resubmit", _("修改完毕，重新提交")), ("withdraw", _("撤回案件"))]


class ReassignForm(forms.Form):
    to = forms.TypedChoiceField(label=_("转交给"), coerce=int, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("转交理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=PUBLIC_REASON_MAX,
        help_text=_("将记入案件办理记录，并告知接手人。"),
    )

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(p.pk, person_name(p)) for p in people]


class SubstitutionForm(forms.Form):
    institution = forms.TypedChoiceField(label=_("单位"), coerce=int)
    substitute = forms.TypedChoiceField(label=_("代理人"), coerce=int)
    starts_on = forms.DateField(label=_("开始日期"),
                                       widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("结束日期"),
                                     widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("事由"), required=False, max_length=200,
                                    help_text=_("如：出差、休假。"))

    def __init__(self, *args: Any, institutions: list[Any], colleagues: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (("institution", [(i.pk, i.name) for i in institutions]),
                              ("substitute", [(u.pk, person_name(u)) for u in colleagues])):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices
