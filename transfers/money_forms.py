"""Forms of the money after publicity: the contract and its schedule, its registration, a receipt with
its deductions, a distribution's proposal and its adjustment. They only parse what was typed; every
rule (floors, totals, dates) is the services' (``services.contracts``, ``services.rewards``), whose
refusal the page shows on the form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .forms import WanYuanField
from .institution_forms import RefusableForm
from .limits import OBJECTION_REPLY_MAX, PUBLIC_REASON_MAX
from .models import DeductionKind, PaymentKind, RulePack
from .services.contracts import ContractData, DeductionData, ReceiptData
from .services.imports import ImportData
from .services.rewards import Person, Ratios, ShareChange
from .uploads import UploadField


class DateInput(forms.DateInput):
    input_type = "date"


def date_field(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(format="%Y-%m-%d"),
                           error_messages={"invalid": _("请按“年-月-日”填写日期，如 2026-11-26。")})


def percent_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(label=label, required=required, max_digits=7, decimal_places=4, min_value=0,
                              max_value=100, help_text=help_text)


class MoneyForm(RefusableForm, forms.Form):
    pass


class ContractForm(MoneyForm):
    counterparty_name = forms.CharField(label=_("合同相对方"), max_length=60)
    signed_on = date_field(_("签订日期"))
    term_starts_on = date_field(_("合同期限自"))
    term_ends_on = date_field(_("合同期限至"), required=False)
    payment_kind = forms.ChoiceField(label=_("支付方式"), choices=PaymentKind.choices, widget=forms.RadioSelect)
    amount = WanYuanField(label=_("合同金额（万元）"), required=False,
                          help_text=_("一次或分期付款必填；提成合同如约定入门费，填入门费。"))
    royalty_base = forms.CharField(label=_("提成基数"), max_length=100, required=False,
                                   help_text=_("按合同原文填写，如“产品年销售净额”。"))
    royalty_rate_pct = percent_field(_("提成比例（%）"), required=False)
    equity_company = forms.CharField(label=_("被投资企业"), max_length=60, required=False)
    equity_shares = WanYuanField(label=_("股份或出资额（万股/万元）"), required=False)
    equity_valuation = WanYuanField(label=_("作价金额（万元）"), required=False)
    document = UploadField(label=_("合同文本"), required=False, help_text=_("已上传过合同的可不再上传。"))

    def data_for(self, instalments: list[tuple[Any, Decimal]]) -> ContractData:
        d = self.cleaned_data
        return ContractData(
            counterparty_name=d["counterparty_name"], signed_on=d["signed_on"],
            term_starts_on=d["term_starts_on"], term_ends_on=d["term_ends_on"], payment_kind=d["payment_kind"],
            amount=d["amount"], instalments=instalments, royalty_base=d["royalty_base"],
            royalty_rate_pct=d["royalty_rate_pct"], equity_company=d["equity_company"],
            equity_shares=d["equity_shares"], equity_valuation=d["equity_valuation"],
        )


class InstalmentForm(forms.Form):
    row_label = _("第 %(n)s 期")
    due_on = date_field(_("应付日期"), required=False)
    amount = WanYuanField(label=_("应付金额（万元）"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("due_on") and data.get("amount") is None:
            self.add_error("amount", _("请填写这一期的金额。"))
        if data.get("amount") is not None and not data.get("due_on"):
            self.add_error("due_on", _("请填写这一期的应付日期。"))
        return data


InstalmentFormSet = forms.formset_factory(InstalmentForm, extra=4, max_num=60)


def instalments_from(formset: Any) -> list[tuple[Any, Decimal]]:
    return [(f.cleaned_data["due_on"], f.cleaned_data["amount"]) for f in formset
            if f.cleaned_data.get("due_on") and f.cleaned_data.get("amount") is not None]


class RegistrationForm(MoneyForm):
    registration_number = forms.CharField(label=_("技术合同登记号"), max_length=30,
                                          help_text=_("技术合同认定登记证明上的 16 位登记号。"))
    registered_on = date_field(_("认定登记日期"))
    registry = forms.CharField(label=_("登记机构"), max_length=60, help_text=_("如“甘肃省技术市场管理办公室”。"))
    certificate = UploadField(label=_("认定登记证明"), required=False)


class ReceiptForm(MoneyForm):
    kind = forms.ChoiceField(label=_("收入类型"), widget=forms.RadioSelect)
    received_on = date_field(_("到账日期"))
    amount = WanYuanField(label=_("金额（万元）"), help_text=_("股权：作价金额；营业利润：该年度利润。"))
    payer = forms.CharField(label=_("付款方"), max_length=60)
    shares = WanYuanField(label=_("股份或出资额（万股/万元）"), required=False, help_text=_("仅作价投资股份填写。"))
    profit_year = forms.IntegerField(label=_("利润年度"), required=False, min_value=1949, max_value=9999,
                                     help_text=_("仅年度营业利润填写。"))
    voucher = UploadField(label=_("收款凭证"), required=False)

    def __init__(self, *args: Any, kinds: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = kinds
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0][0]

    def data_for(self, deductions: list[DeductionData]) -> ReceiptData:
        d = self.cleaned_data
        return ReceiptData(kind=d["kind"], received_on=d["received_on"], amount=d["amount"], payer=d["payer"],
                           deductions=deductions, shares=d["shares"], profit_year=d["profit_year"])


class DeductionForm(forms.Form):
    row_label = _("第 %(n)s 项扣除")
    kind = forms.ChoiceField(label=_("扣除项目"), required=False,
                             choices=[("", _("（不扣除）")), *DeductionKind.choices])
    amount = WanYuanField(label=_("金额（万元）"), required=False)
    note = forms.CharField(label=_("说明"), max_length=100, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") and data.get("amount") is None:
            self.add_error("amount", _("请填写扣除金额。"))
        if data.get("amount") is not None and not data.get("kind"):
            self.add_error("kind", _("请选择扣除项目。"))
        return data


DeductionFormSet = forms.formset_factory(DeductionForm, extra=4, max_num=10)


def deductions_from(formset: Any) -> list[DeductionData]:
    return [DeductionData(f.cleaned_data["kind"], f.cleaned_data["amount"], f.cleaned_data.get("note") or "")
            for f in formset if f.cleaned_data.get("kind")]


class PackChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: RulePack) -> str:
        return str(obj)


class DistributionForm(MoneyForm):
    rule_pack = PackChoiceField(label=_("适用规则版本"), queryset=RulePack.objects.none(), empty_label=None,
                                help_text=_("本案件锁定的版本，或本单位其后发布的新版本。"))
    team_pct = percent_field(_("成果完成团队比例（%）"))
    institution_pct = percent_field(_("学校比例（%）"))
    college_pct = percent_field(_("学院（中心）比例（%）"), required=False)
    college_name = forms.CharField(label=_("学院（中心）"), max_length=60, required=False)

    def __init__(self, *args: Any, packs: list[RulePack], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["rule_pack"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = RulePack.objects.filter(pk__in=[p.pk for p in packs]).order_by("code", "-version")

    def ratios(self) -> Ratios:
        d = self.cleaned_data
        return Ratios(d["team_pct"], d["institution_pct"], d["college_pct"] or Decimal(0), d["college_name"])


class PersonForm(forms.Form):
    row_label = _("第 %(n)s 位获奖人员")
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    title = forms.CharField(label=_("职称/职务"), max_length=40, required=False)
    role = forms.CharField(label=_("角色"), max_length=40, required=False)
    contribution_pct = percent_field(_("贡献份额（%）"), required=False)
    is_main_contributor = forms.BooleanField(label=_("主要贡献人员"), required=False)
    inventor_id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name") and data.get("contribution_pct") is None:
            self.add_error("contribution_pct", _("请填写贡献份额。"))
        if data.get("contribution_pct") is not None and not data.get("name"):
            self.add_error("name", _("请填写姓名。"))
        return data


PersonFormSet = forms.formset_factory(PersonForm, extra=2, max_num=60)


def people_from(formset: Any) -> list[Person]:
    return [Person(name=f.cleaned_data["name"], contribution_pct=f.cleaned_data["contribution_pct"],
                   is_main_contributor=f.cleaned_data["is_main_contributor"], title=f.cleaned_data["title"],
                   role=f.cleaned_data["role"], inventor_id=f.cleaned_data.get("inventor_id"))
            for f in formset if f.cleaned_data.get("name")]


class AdjustmentForm(MoneyForm):
    reason = forms.CharField(label=_("调整理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("记入案件审计记录。"))


class ShareForm(forms.Form):
    row_label = _("第 %(n)s 位获奖人员")
    position = forms.IntegerField(widget=forms.HiddenInput)
    amount = WanYuanField(label=_("奖励金额（万元）"))
    title = forms.CharField(label=_("职称/职务"), max_length=40, required=False)
    role = forms.CharField(label=_("角色"), max_length=40, required=False)


ShareFormSet = forms.formset_factory(ShareForm, extra=0, max_num=60)


def changes_from(formset: Any) -> list[ShareChange]:
    return [ShareChange(f.cleaned_data["position"], f.cleaned_data["amount"], f.cleaned_data.get("title") or "",
                        f.cleaned_data.get("role") or "") for f in formset]


class PaymentForm(MoneyForm):
    """The people paid on one date: each receives the amount the notice published."""

    paid_on = date_field(_("发放日期"))
    people = forms.TypedMultipleChoiceField(
        label=_("已发放奖励的人员"), coerce=int, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请选择已发放奖励的人员。"), "invalid_choice": _("请从列出的人员中选择。")},
        help_text=_("按公示金额（税前）登记；个人所得税由财务代扣代缴。"),
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["people"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = people


class RewardObjectionForm(MoneyForm):
    """The officer's answer to the objections of a suspended reward notice."""

    DISMISS, UPHOLD = "dismiss", "uphold"
    outcome = forms.ChoiceField(
        label=_("处理结果"), widget=forms.RadioSelect,
        choices=[(DISMISS, _("异议不成立：恢复公示")), (UPHOLD, _("异议成立：撤销奖励公示，退回分配方案重新拟定"))],
        error_messages={"required": _("请选择处理结果。")},
    )
    reply = forms.CharField(label=_("答复意见"), max_length=OBJECTION_REPLY_MAX,
                            widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reply"].help_text = gettext("异议成立时，答复即公开的撤销原因，不超过 %(max)d 字。") % {
            "max": PUBLIC_REASON_MAX}

    @property
    def upholds(self) -> bool:
        return self.cleaned_data.get("outcome") == self.UPHOLD


class ImportForm(MoneyForm):
    """A transfer approved and publicised before the system: its decision and its notice as they were."""

    decision_body = forms.CharField(label=_("决策机构"), max_length=200, help_text=_("如：校长办公会"))
    decided_on = date_field(_("决策日期"))
    minutes = UploadField(label=_("决策会议纪要"))
    notice_number = forms.CharField(label=_("原公示编号"), max_length=40,
                                    help_text=_("按原公示文件填写，如“兰大科转〔2023〕12号”。"))
    publicity_started_on = date_field(_("公示开始日期"))
    publicity_ended_on = date_field(_("公示截止日期"))
    notice_file = UploadField(label=_("原公示文件"), help_text=_("已发布的公示文件。"))
    comment = forms.CharField(label=_("说明"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def import_data(self) -> ImportData:
        d = self.cleaned_data
        return ImportData(decision_body=d["decision_body"], decided_on=d["decided_on"],
                          notice_number=d["notice_number"], publicity_started_on=d["publicity_started_on"],
                          publicity_ended_on=d["publicity_ended_on"])
