"""Forms of the institution admin's screens. They parse and check input (the rule pack's floors with
the same ``services.rules.floor_errors`` and model validators the service applies); the services in
``services.institutions`` decide and write, and a refusal of theirs is shown on the field it names.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.boundfield import BoundField
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Institution, Role, RulePack, Stage
from .permissions import STAGE_ROLES
from .selectors.rules import INSTITUTION_RULE, RULES, rule_clause
from .services.errors import ActionRefused
from .services.institutions import CONTACT_FIELDS, RULE_NOTE_MAX
from .services.rules import DUE_DAYS_MAX, floor_errors
from .wording import person_name

#: the stages whose work has a due date in the pack (publicity runs on the legal clock instead)
DUE_STAGES = [stage for stage in STAGE_ROLES if stage != Stage.PUBLICITY]
#: the rules of the form, in the order of the process (``selectors.rules.RULES``)
RULE_FIELDS = [name for name, _fallback in RULES]
#: the rules grouped as the form shows them (every rule of ``RULE_FIELDS`` exactly once)
RULE_GROUPS = [
    (_("公示期"), ["publicity_days", "publicity_working_days", "publicity_start_day_counts", "publicity_closing_time",
                 "publicity_includes_abstract"]),
    (_("异议与更正"), ["objection_restarts_clock", "correction_restarts_clock", "publish_objection_replies"]),
    (_("专家论证"), ["expert_quorum"]),
    (_("奖励下限"), ["reward_floor_transfer_pct", "reward_floor_equity_pct", "reward_floor_profit_pct",
                      "main_contributor_floor_pct"]),
    (_("奖励公示"), ["reward_publicity_days", "reward_publicity_working_days"]),
]


#: Django's own message for a missing value (replaced by one that names the field)
REQUIRED = forms.Field.default_error_messages["required"]


class RefusableForm(forms.BaseForm):
    """A form that shows a service's refusal on the field it names (else above the form); the page's
    error summary (``{% error_summary form %}``) then lists it with the form's own errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ask_by_name()

    def ask_by_name(self) -> None:
        """Errors that name what is missing (GOV.UK), not Django's generic ones."""
        for field in self.fields.values():
            if "required" not in field.error_messages or field.error_messages["required"] == REQUIRED:
                field.error_messages["required"] = gettext("请填写%(field)s。") % {"field": field.label}
            if isinstance(field, forms.EmailField):
                field.error_messages["invalid"] = gettext("请填写有效的电子邮箱地址，如 tto@example.edu.cn。")

    def refuse(self, refusal: ActionRefused) -> None:
        field = getattr(refusal, "field", None)
        self.add_error(field if field in self.fields else None, str(refusal))


def _pack_field(name: str) -> models.Field[Any, Any]:
    field = RulePack._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def roles_field(*, label: Any = None) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label or _("角色"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一个角色。"), "invalid_choice": _("请从列出的角色中选择。")},
        help_text=_("可选择多个角色。"),
    )


def external_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("外部人员"),
        required=False,
        help_text=_("如校外评估机构人员、校外论证专家。"),
    )


class MemberAddForm(RefusableForm, forms.Form):
    username = forms.CharField(
        label=_("用户名"), max_length=150, help_text=_("对方登录本系统所用的用户名，须与账号完全一致。")
    )
    roles = roles_field(label=_("授予角色"))
    external = external_field()


class AccountCreateForm(RefusableForm, forms.Form):
    username = forms.CharField(
        label=_("用户名"), max_length=150, help_text=_("登录时使用，可包含字母、数字和 @ . + - _，如 zhangsan。")
    )
    full_name = forms.CharField(label=_("姓名"), max_length=150)
    email = forms.EmailField(label=_("电子邮箱"), max_length=254, help_text=_("用于接收待办与通知。"))
    roles = roles_field(label=_("授予角色"))
    external = external_field()


class MemberRolesForm(RefusableForm, forms.Form):
    roles = roles_field()
    external = external_field()
    affiliation = forms.CharField(
        label=_("工作单位"), max_length=60, required=False,
        help_text=_("外部专家填写；工作单位与受让方相同或关联的专家不能参加该案论证。"),
    )


class ContactForm(RefusableForm, forms.ModelForm):
    """The institution's offices and contact data; the model's own checks (lengths, e-mail) apply."""

    class Meta:
        model = Institution
        fields = list(CONTACT_FIELDS)

    def values(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in CONTACT_FIELDS}


class ClauseBoundField(BoundField):
    """A rule's input: its clause is printed beside it and read out with it (``aria-describedby``)."""

    @property
    def clause(self) -> str:
        return str(getattr(self.form, "clauses", {}).get(self.name, ""))

    @property
    def aria_describedby(self) -> str | None:
        described = super().aria_describedby
        if described is None or not self.clause:
            return described
        return f"{self.auto_id}_clause {described}".strip()


def due_field_name(stage: str) -> str:
    return f"due_{stage}"


class RulesForm(RefusableForm, forms.Form):
    """Every number of the rule pack with its clause, filled with the current version's values."""

    bound_field_class = ClauseBoundField

    def __init__(self, *args: Any, pack: RulePack, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pack = pack
        self.clauses: dict[str, str] = {}
        self.fields["name"] = _pack_field("name").formfield()  # type: ignore[assignment]
        self.fields["name"].help_text = _("本单位首次修改时，将以本单位名义建立自己的规则包，其他单位不受影响。")
        self.initial.setdefault("name", pack.name)
        for name in RULE_FIELDS:
            field = _pack_field(name).formfield()
            if name == "publicity_closing_time":
                field.widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")  # type: ignore[union-attr]
            self.fields[name] = field  # type: ignore[assignment]
            self.clauses[name] = rule_clause(pack, name)
            self.initial.setdefault(name, getattr(pack, name))
        #: one clause for every stage's due days, printed once beside the group
        self.due_clause = pack.clause("stage_due_days") or str(INSTITUTION_RULE)
        for stage in DUE_STAGES:
            name = due_field_name(stage)
            self.fields[name] = forms.IntegerField(
                label=format_lazy(_("{stage}办理时限（工作日）"), stage=Stage(stage).label),
                required=False,
                min_value=1,
                max_value=DUE_DAYS_MAX,
            )
            self.initial.setdefault(name, pack.due_days(stage))
        self.fields["note"] = forms.CharField(
            label=_("修订说明"),
            required=False,
            max_length=RULE_NOTE_MAX,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("如依据的文件、会议，或修改的原因；与新版本一并保存。"),
        )
        self.ask_by_name()

    @property
    def rule_groups(self) -> list[tuple[Any, list[BoundField]]]:
        """The rules in groups of the process, each group a fieldset with its legend."""
        return [(legend, [self[name] for name in names]) for legend, names in RULE_GROUPS]

    @property
    def due_fields(self) -> list[BoundField]:
        return [self[due_field_name(stage)] for stage in DUE_STAGES]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in RULE_FIELDS:
            if data.get(name) is None:
                continue
            try:  # the model's own checks, e.g. the 15 days of 国发〔2016〕16号
                _pack_field(name).run_validators(data[name])
            except ValidationError as exc:
                self.add_error(name, exc)
        values = {n: v for n, v in data.items() if n in RULE_FIELDS}
        for name, error in floor_errors(values, self.pack.jurisdiction).items():
            if name in self.fields and not self.has_error(name):
                self.add_error(name, error)
        return data

    def changes(self) -> dict[str, Any]:
        """The values for ``institution_rules_new_version``: each rule and the stages' due days
        (days of stages this form does not show are kept)."""
        values = {name: self.cleaned_data[name] for name in ["name", *RULE_FIELDS]}
        due = {stage: days for stage, days in self.pack.stage_due_days.items() if stage not in DUE_STAGES}
        for stage in DUE_STAGES:
            days = self.cleaned_data.get(due_field_name(stage))
            if days is not None:
                due[stage] = days
        values["stage_due_days"] = due
        return values


class SubstituteForm(forms.Form):
    """A substitute named by the institution admin for one of its reviewers."""

    principal = forms.TypedChoiceField(label=_("被代理人"), coerce=int)
    substitute = forms.TypedChoiceField(label=_("代理人"), coerce=int)
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("事由"), required=False, max_length=200, help_text=_("如：出差、休假。"))

    def __init__(self, *args: Any, reviewers: list[Any], members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, people in (("principal", reviewers), ("substitute", members)):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(p.pk, person_name(p)) for p in people]
