"""The outbox: one row per person to tell, read in the app and mailed once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from transfers.models import TransferCase


class Notification(models.Model):
    """One message to one person: a user (read in the app, mailed to their address) or, for the
    public (an objector's confirmation), an e-mail address only. The text is a ``kind`` with its
    values, rendered in the reader's language when read (``notifications.messages``)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", null=True, blank=True
    )
    to_email = models.EmailField(_("收件邮箱"), blank=True)
    case = models.ForeignKey(TransferCase, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类型"), max_length=40, blank=True)
    params = models.JSONField(default=dict, blank=True)
    #: text stored by earlier versions, before messages were rendered per reader
    subject = models.CharField(_("标题"), max_length=300, blank=True)
    body = models.TextField(_("内容"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    #: a failed delivery is tried again from then on (the back-off of ``services.RETRY_AFTER``)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    #: the last failure, for the administrators (Django admin, "通知"): when and what the mail server said
    last_failed_at = models.DateTimeField(_("最近失败时间"), null=True, blank=True)
    last_error = models.CharField(_("最近失败原因"), max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["emailed_at"], name="notification_unsent")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | ~models.Q(to_email=""), name="notification_has_addressee"
            )
        ]

    def __str__(self) -> str:
        return self.render_subject()

    def render_subject(self) -> str:
        from .messages import render_subject

        return render_subject(self)

    def render_body(self) -> str:
        from .messages import render_body

        return render_body(self)

    @property
    def address(self) -> str:
        return self.recipient.email if self.recipient is not None else self.to_email
