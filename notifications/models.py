"""The outbox: one row per person to tell, read in the app and mailed once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from transfers.models import TransferCase


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    case = models.ForeignKey(TransferCase, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(_("标题"), max_length=300)
    body = models.TextField(_("内容"))
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["emailed_at"], name="notification_unsent")]

    def __str__(self) -> str:
        return self.subject
