"""Admin: institutions, memberships and rule packs for institution admins; audit events read-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from .models import Achievement, AuditEvent, Institution, Inventor, Membership, RulePack, TransferCase
from .services.rules import EDITABLE_FIELDS, floor_errors, rule_pack_new_version


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "rule_pack")
    search_fields = ("code", "name")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
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
        for name, error in floor_errors(data).items():
            if name in self.fields and not self.has_error(name):
                self.add_error(name, error)
        return data


@admin.register(RulePack)
class RulePackAdmin(admin.ModelAdmin):
    """Saving an existing pack creates its next version (pinned cases keep theirs)."""

    form = RulePackAdminForm
    list_display = ("code", "version", "name", "publicity_days", "publicity_working_days", "created_at")
    readonly_fields = ("version", "created_at")

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


class InventorInline(admin.TabularInline):
    model = Inventor
    extra = 0


@admin.register(Achievement)
class AchievementAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "number_as_entered", "institution")
    list_filter = ("institution", "kind")
    search_fields = ("title", "number")
    inlines = [InventorInline]


@admin.register(TransferCase)
class TransferCaseAdmin(admin.ModelAdmin):
    """Read-only: cases move only through their services, never by editing here."""

    list_display = ("reference", "title", "institution", "stage", "revision")
    list_filter = ("institution", "stage")
    search_fields = ("reference", "title")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by the services only: the admin reads them, never adds, changes or deletes."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Append-only: no add, change or delete here."""

    list_display = ("at", "case", "action", "from_stage", "to_stage", "actor", "ip")
    list_filter = ("action",)
