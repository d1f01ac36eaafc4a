"""Forms of the filing pages. They parse and validate input; the services decide and write."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .limits import ABSTRACT_MAX, CORRECTION_REASON_MAX, MAX_INVENTORS
from .models import Achievement, AchievementKind, AttachmentKind, Institution, TransferCase
from .services.filing import CORRECTABLE_FIELDS, AchievementData, InventorData
from .uploads import UploadField
from .validators import (
    LARGE_AMOUNT_WAN_YUAN,
    format_wan_yuan,
    parse_wan_yuan,
    validate_achievement,
    validate_credit_code,
    wan_yuan_to_capitals,
)

NEW_ACHIEVEMENT_ROWS = 3
INVENTOR_ROWS = 8
ATTACHMENT_ROWS = 3


class AchievementChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Achievement) -> str:
        number = f" {obj.number_display}" if obj.number_display else ""
        return f"{obj.title} · {obj.get_kind_display()}{number}"


# --------------------------------------------------------------------------------------------
# Amounts in 万元, and the confirmation an amount of 1 亿元 or more needs


@dataclass(frozen=True)
class LargeAmount:
    """An amount of 1 亿元 or more in a submitted form, and whether the person confirmed it."""

    amount: Decimal
    confirmed: bool


class WanYuanBoundField(BoundField):
    @property
    def amount_confirmation(self) -> dict[str, BoundField] | None:
        """The tick box and the hidden confirmed amount that ``_field.html`` renders right under
        this field, when the form asks the amount back; None otherwise."""
        if self.name not in getattr(self.form, "large_amounts", {}):
            return None
        return {
            "tick": self.form[confirmed_tick_name(self.name)],
            "amount": self.form[confirmed_amount_name(self.name)],
        }


class WanYuanField(forms.CharField):
    """An amount in 10k CNY, exact to 4 places, never a float."""

    bound_field_class = WanYuanBoundField

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        value = super().to_python(value)
        if value in ("", None):
            return None
        return parse_wan_yuan(value)


def confirmed_tick_name(amount_field: str) -> str:
    return f"{amount_field}_confirmed"


def confirmed_amount_name(amount_field: str) -> str:
    return f"{amount_field}_confirmed_amount"


class _TickBoundField(BoundField):
    def value(self) -> bool:
        """Ticked only while it confirms the amount now in the form: a changed amount is asked again."""
        large = self.form.large_amounts.get(self.field.amount_field)  # type: ignore[attr-defined]
        return bool(large and large.confirmed)


class _ConfirmedAmountBoundField(BoundField):
    def value(self) -> str:
        """The amount the tick box confirms: the one the person is looking at."""
        large = self.form.large_amounts.get(self.field.amount_field)  # type: ignore[attr-defined]
        return str(large.amount) if large else ""


class AmountConfirmedField(forms.BooleanField):
    """The tick box “我已核对金额” under an amount of 1 亿元 or more."""

    bound_field_class = _TickBoundField
    #: rendered by the amount's ``_field.html``, never on its own
    confirms_amount = True

    def __init__(self, *, amount_field: str) -> None:
        super().__init__(label=_("我已核对金额"), required=False)
        self.amount_field = amount_field


class ConfirmedAmountField(forms.CharField):
    """Hidden: the amount the tick box confirmed."""

    bound_field_class = _ConfirmedAmountBoundField
    confirms_amount = True

    def __init__(self, *, amount_field: str) -> None:
        super().__init__(required=False, widget=forms.HiddenInput)
        self.amount_field = amount_field


class LargeAmountConfirmationMixin(forms.BaseForm):
    """Asks an amount of 1 亿元 or more back before the form is valid.

    For each name in ``confirm_amount_fields`` (a ``WanYuanField``) the form gets a tick box and a
    hidden field carrying the amount the tick confirmed. A first submit is refused on the amount
    (GOV.UK: the error tied to the field) with the amount in figures and in capitals, and the tick
    box appears right under it; the form is valid once the box is ticked for that very amount.
    An amount unchanged from the stored one was confirmed when it was stored."""

    confirm_amount_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.large_amounts: dict[str, LargeAmount] = {}
        for name in self.confirm_amount_fields:
            self.fields[confirmed_tick_name(name)] = AmountConfirmedField(amount_field=name)
            self.fields[confirmed_amount_name(name)] = ConfirmedAmountField(amount_field=name)

    def amount_in_use(self, name: str, data: dict[str, Any]) -> bool:
        """Whether the submitted action stores the amount (a task returned for revision does not)."""
        return True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.confirm_amount_fields:
            self._ask_back_large_amount(name, data)
        return data

    def _ask_back_large_amount(self, name: str, data: dict[str, Any]) -> None:
        amount = data.get(name)
        if amount is None or amount < LARGE_AMOUNT_WAN_YUAN or not self.amount_in_use(name, data):
            return
        if amount == self.get_initial_for_field(self.fields[name], name):
            return
        confirmed = bool(data.get(confirmed_tick_name(name))) and _same_amount(
            data.get(confirmed_amount_name(name)), amount
        )
        self.large_amounts[name] = LargeAmount(amount=amount, confirmed=confirmed)
        if not confirmed:
            self.add_error(
                name,
                ValidationError(
                    _(
                        "您填写的金额为 %(figures)s 万元（%(capitals)s），达到或超过 1 亿元。请核对单位（万元）；"
                        "确认无误请勾选下方“我已核对金额”后再次提交。"
                    ),
                    code="amount_unconfirmed",
                    params={"figures": format_wan_yuan(amount), "capitals": wan_yuan_to_capitals(amount)},
                ),
            )


def _same_amount(raw: Any, amount: Decimal) -> bool:
    try:
        return bool(raw) and parse_wan_yuan(raw) == amount
    except ValidationError:
        return False


# --------------------------------------------------------------------------------------------
# Filing


class DealTermsForm(LargeAmountConfirmationMixin, forms.Form):
    """The fields a filing and a notice correction share: the counterparty's code and the price."""

    confirm_amount_fields = ("price_amount",)

    price_amount = WanYuanField(
        label=_("金额（万元）"), required=False, help_text=_("精确到小数点后 4 位（即元）。")
    )

    def clean_counterparty_credit_code(self) -> str:
        code = (self.cleaned_data.get("counterparty_credit_code") or "").strip()
        return validate_credit_code(code) if code else ""


class CaseForm(DealTermsForm, forms.ModelForm):
    institution = forms.ModelChoiceField(label=_("单位"), queryset=Institution.objects.none())
    existing_achievements = AchievementChoiceField(
        label=_("选择已登记的成果"),
        queryset=Achievement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = TransferCase
        fields = [
            "institution",
            "title",
            "mode",
            "counterparty_name",
            "counterparty_credit_code",
            "counterparty_contact",
            "related_party",
            "related_party_statement",
            "pricing_method",
            "price_kind",
            "price_amount",
            "price_terms",
        ]
        widgets = {"related_party_statement": forms.Textarea(attrs={"rows": 2})}

    def __init__(
        self, *args: Any, institutions: Any, achievements: Any, editing: bool = False, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions  # type: ignore[attr-defined]
        if institutions.count() == 1:
            self.fields["institution"].initial = institutions.first()
        self.fields["existing_achievements"].queryset = achievements  # type: ignore[attr-defined]
        if editing:
            del self.fields["institution"]
            self.fields["existing_achievements"].initial = list(self.instance.achievements.all())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("related_party") and not (data.get("related_party_statement") or "").strip():
            self.add_error("related_party_statement", _("关联交易须填写关联关系说明。"))
        if (
            data.get("price_amount") is None
            and not self.has_error("price_amount")
            and not (data.get("price_terms") or "").strip()
        ):
            self.add_error("price_amount", _("请填写金额，或按合同原文填写价款条款（如提成比例）。"))
        return data

    def case_fields(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data.get(name)
            for name in self._meta.fields or ()
            if name != "institution"
        }


class NewAchievementForm(forms.Form):
    #: how a row of the formset is named to a screen reader and in the error summary
    row_label = _("新成果 %(n)s")

    kind = forms.ChoiceField(
        label=_("成果类型"), choices=[("", "---------"), *AchievementKind.choices], required=False
    )
    number = forms.CharField(label=_("专利号/登记号"), max_length=60, required=False)
    title = forms.CharField(
        label=_("成果名称"), max_length=Achievement._meta.get_field("title").max_length, required=False
    )
    field = forms.CharField(label=_("技术领域"), max_length=120, required=False)
    keywords = forms.CharField(label=_("关键词"), max_length=200, required=False)
    abstract = forms.CharField(
        label=_("摘要"), max_length=ABSTRACT_MAX, widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    application_date = forms.DateField(
        label=_("申请日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    granted_on = forms.DateField(
        label=_("授权公告日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        typed = ("title", "number", "field", "keywords", "abstract", "application_date", "granted_on")
        if not any(data.get(name) for name in typed):
            return data  # an empty row (nothing typed in it is ever dropped: a title is asked for)
        if not data.get("title"):
            self.add_error("title", _("请填写成果名称。"))
        if not data.get("kind"):
            self.add_error("kind", _("请选择成果类型。"))
            return data
        try:
            data["normalised"] = validate_achievement(
                data["kind"], data.get("number", ""), data.get("application_date"), data.get("granted_on")
            )
        except ValidationError as exc:
            for name, errors in exc.error_dict.items():
                if not self.has_error(name):  # a date that did not parse says so already
                    self.add_error(name, errors)
        return data

    @property
    def is_filled(self) -> bool:
        return bool(self.cleaned_data.get("title"))


class AbstractForm(forms.Form):
    """An achievement's abstract, edited with its inventors while its case is a draft or returned."""

    abstract = forms.CharField(
        label=_("摘要"), max_length=ABSTRACT_MAX, widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class InventorEditForm(forms.Form):
    """One inventor row: a name and a share; an empty row is ignored."""

    row_label = _("第 %(n)s 位完成人")
    name = forms.CharField(label=_("完成人姓名"), max_length=50, required=False)
    share = forms.DecimalField(
        label=_("份额（%）"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=100,
        required=False,
    )
    is_main_contributor = forms.BooleanField(label=_("主要贡献人"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name") and data.get("share") is None and not self.has_error("share"):  # not when out of range
            self.add_error("share", _("请填写份额。"))
        if data.get("share") is not None and not data.get("name"):
            self.add_error("name", _("请填写姓名。"))
        return data


class InventorForm(InventorEditForm):
    """An inventor row of the filing form: it also says which new achievement it belongs to."""

    row_label = _("新成果完成人第 %(n)s 行")
    row = forms.TypedChoiceField(
        label=_("所属成果"),
        coerce=int,
        choices=[(i, format_lazy("{} {}", _("新成果"), i)) for i in range(1, NEW_ACHIEVEMENT_ROWS + 1)],
        initial=1,
    )
    field_order = ["row", "name", "share", "is_main_contributor"]


class AttachmentForm(forms.Form):
    row_label = _("附件第 %(n)s 行")

    kind = forms.ChoiceField(
        label=_("文件类型"), choices=AttachmentKind.choices, initial=AttachmentKind.DISCLOSURE_FORM
    )
    file = UploadField(label=_("文件"), required=False)


NewAchievementFormSet = forms.formset_factory(
    NewAchievementForm, extra=NEW_ACHIEVEMENT_ROWS, max_num=NEW_ACHIEVEMENT_ROWS, validate_max=True
)
InventorFormSet = forms.formset_factory(InventorForm, extra=INVENTOR_ROWS, max_num=INVENTOR_ROWS, validate_max=True)
AttachmentFormSet = forms.formset_factory(
    AttachmentForm, extra=ATTACHMENT_ROWS, max_num=ATTACHMENT_ROWS, validate_max=True
)


def new_achievements(achievement_formset: Any, inventor_formset: Any) -> list[AchievementData]:
    """Combine the rows of the two formsets into achievements with their inventors."""
    by_row: dict[int, list[InventorData]] = {}
    for form in inventor_formset:
        data = form.cleaned_data
        if data.get("name"):
            by_row.setdefault(data["row"], []).append(
                InventorData(
                    name=data["name"], share=data["share"], is_main_contributor=data["is_main_contributor"]
                )
            )
    result = []
    for index, form in enumerate(achievement_formset, start=1):
        data = form.cleaned_data
        if not data.get("title"):
            continue
        result.append(
            AchievementData(
                kind=data["kind"],
                number=data.get("number", ""),
                title=data["title"],
                field=data.get("field", ""),
                abstract=data.get("abstract", ""),
                keywords=data.get("keywords", ""),
                application_date=data.get("application_date"),
                granted_on=data.get("granted_on"),
                inventors=by_row.get(index, []),
            )
        )
    return result


def uploads(attachment_formset: Any) -> list[tuple[str, Any]]:
    return [
        (f.cleaned_data["kind"], f.cleaned_data["file"])
        for f in attachment_formset
        if f.cleaned_data.get("file")
    ]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 3}))


class InventorRowsFormSet(forms.BaseFormSet):
    """The inventors of one achievement: their shares add up to 100, said in the page's error summary (the
    service checks it again)."""

    def clean(self) -> None:
        if any(self.errors):
            return
        shares = [f.cleaned_data["share"] for f in self.forms if f.cleaned_data.get("name")]
        total = sum(shares, Decimal(0))
        if shares and total != Decimal(100):
            raise ValidationError(_("完成人份额合计为 %(total)s%%，应为 100%%。") % {"total": f"{total.normalize():f}"},
                                  code="shares")


InventorEditFormSet = forms.formset_factory(
    InventorEditForm, formset=InventorRowsFormSet, extra=3, max_num=MAX_INVENTORS, validate_max=True
)


def inventors_from(formset: Any) -> list[InventorData]:
    return [
        InventorData(
            name=f.cleaned_data["name"],
            share=f.cleaned_data["share"],
            is_main_contributor=f.cleaned_data["is_main_contributor"],
        )
        for f in formset
        if f.cleaned_data.get("name")
    ]


class NoticeCorrectionForm(DealTermsForm, forms.ModelForm):
    """The public facts of a notice in publicity, as corrected, and why."""

    reason = forms.CharField(
        label=_("更正原因"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=CORRECTION_REASON_MAX,
        help_text=_("将在公示中公开，如“拟受让方名称录入有误，予以更正”。"),
    )

    class Meta:
        model = TransferCase
        fields = list(CORRECTABLE_FIELDS)
        widgets = {"related_party_statement": forms.Textarea(attrs={"rows": 2})}

    def corrected_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in CORRECTABLE_FIELDS}
