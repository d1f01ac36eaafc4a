"""Django admin, for the platform's operators (superusers): what it shows never changes a domain row
behind the services. Cases, achievements, memberships and the audit trail are read-only here; an
institution is registered through ``institution_register`` (recorded, with its first institution
admin), and a shared rule pack's edit becomes its next version through ``rule_pack_new_version``
(floors checked, pinned cases keep theirs). Everything an institution changes afterwards happens on
its institution admin's screens (``institution_views``), recorded there."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from .models import Achievement, AuditEvent, Institution, Inventor, Membership, RulePack, TransferCase
from .services.errors import ActionRefused
from .services.institutions import institution_register
from .services.rules import EDITABLE_FIELDS, floor_errors, rule_pack_new_version


class ReadOnly:
    """Rows written by the services only: the admin reads them, never adds, changes or deletes."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    pass


class InstitutionRegisterForm(forms.ModelForm):
    """A new institution and the account that becomes its first institution admin."""

    admin_username = forms.CharField(
        label=_("单位管理员用户名"), max_length=150,
        help_text=_("已有的启用账号；该账号成为本单位的第一位单位管理员，此后由其在本单位页面管理成员、联系信息和规则。"),
    )

    class Meta:
        model = Institution
        fields = ("code", "name", "rule_pack")

    def clean_admin_username(self) -> str:
        username = self.cleaned_data["admin_username"].strip()
        if not get_user_model().objects.filter(username=username, is_active=True).exists():
            raise ValidationError(_("没有用户名为“%(username)s”的启用账号。"), params={"username": username})
        return str(username)


@admin.register(Institution)
class InstitutionAdmin(ReadOnlyAdmin):
    """Registering an institution goes through ``institution_register`` (recorded); afterwards its
    members, contact data and rules change only on the institution admin's screens (audited there)."""

    list_display = ("code", "name", "rule_pack")
    search_fields = ("code", "name")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = InstitutionRegisterForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("code", "name", "rule_pack", "admin_username")
        return super().get_fields(request, obj)

    def save_model(self, request: HttpRequest, obj: Institution, form: Any, change: bool) -> None:
        created = institution_register(by=request.user, code=obj.code, name=obj.name, rule_pack=obj.rule_pack,
                                       admin_username=form.cleaned_data["admin_username"])
        obj.pk = created.pk
        obj._state.adding = False

    def changeform_view(self, request: HttpRequest, object_id: str | None = None, form_url: str = "",
                        extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """A refusal of the service (the account deactivated since the form checked it) rolls the whole
        registration back and is said on the form's page again, not as an error page."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ActionRefused as refusal:
            self.message_user(request, str(refusal.message), level=messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        """``institution_register`` recorded it, with the first admin's role."""
        return None


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    """Read-only: roles are granted and taken on the institution admin's screens (audited there)."""

    list_display = ("user", "institution", "role", "external")
    list_filter = ("institution", "role")
    search_fields = ("user__username", "user__last_name", "user__first_name")


class RulePackAdminForm(forms.ModelForm):
    """A value below its legal floor is refused on its field, citing the clause."""

    class Meta:
        model = RulePack
        fields = "__all__"  # noqa: DJ007 - every value of a pack is edited here

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        jurisdiction = self.instance.jurisdiction if self.instance.pk else data.get("jurisdiction") or ""
        for name, error in floor_errors(data, jurisdiction).items():
            if name in self.fields and not self.has_error(name):
                self.add_error(name, error)
        return data


@admin.register(RulePack)
class RulePackAdmin(admin.ModelAdmin):
    """Saving an existing pack creates its next version (pinned cases keep theirs)."""

    form = RulePackAdminForm
    list_display = ("code", "version", "name", "jurisdiction", "publicity_days", "publicity_working_days", "created_at")
    readonly_fields = ("version", "created_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        """A pack's jurisdiction is chosen when it is made; its next versions keep it."""
        return (*self.readonly_fields, "jurisdiction") if obj is not None else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: RulePack, form: Any, change: bool) -> None:
        if change:
            base = RulePack.objects.get(pk=obj.pk)
            changes = {f: form.cleaned_data[f] for f in EDITABLE_FIELDS if f in form.cleaned_data}
            new = rule_pack_new_version(base=base, changes=changes)
            obj.pk, obj.version = new.pk, new.version
            obj._state.adding = False
        else:
            super().save_model(request, obj, form, change)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class InventorInline(ReadOnly, admin.TabularInline):
    model = Inventor
    extra = 0


@admin.register(Achievement)
class AchievementAdmin(ReadOnlyAdmin):
    """Read-only: achievements and inventors are filed with their case, through the filing services."""

    list_display = ("title", "kind", "number_as_entered", "institution")
    list_filter = ("institution", "kind")
    search_fields = ("title", "number")
    inlines = [InventorInline]


@admin.register(TransferCase)
class TransferCaseAdmin(ReadOnlyAdmin):
    """Read-only: cases move only through their services, never by editing here."""

    list_display = ("reference", "title", "institution", "stage", "revision")
    list_filter = ("institution", "stage")
    search_fields = ("reference", "title")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Append-only: no add, change or delete here."""

    list_display = ("at", "case", "action", "from_stage", "to_stage", "actor", "ip")
    list_filter = ("action",)
