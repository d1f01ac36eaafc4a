"""Forms of the public site: the real-name objection and the notice verification."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .filetypes import EVIDENCE_KINDS
from .limits import OBJECTION_REASONS_MAX
from .uploads import UploadField

PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")
MIN_REASONS = 20


class ObjectionForm(forms.Form):
    name = forms.CharField(label=_("姓名（实名）"), max_length=100)
    organisation = forms.CharField(label=_("工作单位"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("联系电话"), max_length=40, required=False, help_text=_("手机或座机，如 13912345678 或 0931-8912345")
    )
    email = forms.EmailField(label=_("电子邮箱"), required=False, max_length=254)
    relation = forms.CharField(
        label=_("与公示事项的关系"), max_length=200, help_text=_("如：同领域研究人员、利害关系人")
    )
    reasons = forms.CharField(
        label=_("异议理由"), widget=forms.Textarea(attrs={"rows": 6}), min_length=MIN_REASONS,
        max_length=OBJECTION_REASONS_MAX,
        help_text=_("请具体写明异议的事实与理由，不少于 20 字、不超过 2000 字；详细材料可作为证明材料上传。"),
        error_messages={
            "min_length": _("异议理由不少于 %(limit_value)d 字（目前 %(show_value)d 字）。"),
            "max_length": _(
                "异议理由不超过 %(limit_value)d 字（目前 %(show_value)d 字），详细材料请作为证明材料上传。"
            ),
        },
    )
    evidence = UploadField(label=_("证明材料（可选）"), kinds=EVIDENCE_KINDS, required=False)

    def clean_phone(self) -> str:
        phone = (self.cleaned_data.get("phone") or "").replace(" ", "")
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(_("请填写有效的手机或座机号码。"), code="phone")
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        contact_errors = "phone" in self.errors or "email" in self.errors
        if not data.get("phone") and not data.get("email") and not contact_errors:
            raise forms.ValidationError(_("请至少留下电话或电子邮箱，以便我们答复。"), code="contact")
        return data


class VerifyForm(forms.Form):
    pdf = UploadField(label=_("公示 PDF 文件"), kinds={"pdf"}, required=False)
    sha256 = forms.CharField(label=_("或粘贴 SHA-256"), max_length=80, required=False)

    def clean_sha256(self) -> str:
        value = (self.cleaned_data.get("sha256") or "").strip().lower()
        if value and not re.fullmatch(r"[0-9a-f]{64}", value):
            raise forms.ValidationError(_("SHA-256 应为 64 位十六进制字符。"), code="sha")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("pdf") and not data.get("sha256") and not self.errors:
            raise forms.ValidationError(_("请上传 PDF 文件或粘贴其 SHA-256。"), code="empty")
        return data
