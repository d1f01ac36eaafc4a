"""The outbox for administrators, read-only: what was mailed, what is waiting, and why a delivery failed
(its last error and when it will be tried again). Rows are written by the services, never here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from transfers.admin import ReadOnlyAdmin

from .models import Notification


class Delivery(admin.SimpleListFilter):
    title = _("投递状态")
    parameter_name = "delivery"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("sent", _("已发送")), ("waiting", _("待发送")), ("failing", _("发送失败，等待重试或已放弃"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "sent":
            return queryset.filter(emailed_at__isnull=False)
        if self.value() == "waiting":
            return queryset.filter(emailed_at__isnull=True, last_failed_at__isnull=True)
        if self.value() == "failing":
            return queryset.filter(emailed_at__isnull=True, last_failed_at__isnull=False)
        return queryset


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("pk", "kind", "address", "created_at", "emailed_at", "attempts", "next_attempt_at",
                    "last_failed_at", "last_error")
    list_filter = (Delivery, "kind")
    search_fields = ("to_email", "recipient__username", "recipient__email", "last_error")
    list_select_related = ("recipient",)
