"""Delivery of the outbox: each row is mailed at most once, under a row lock."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from transfers.models import Objection

from .models import Notification

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def deliver_pending_emails(limit: int = 100) -> int:
    sent = 0
    ids = list(
        Notification.objects.filter(emailed_at__isnull=True, attempts__lt=MAX_ATTEMPTS).values_list(
            "pk", flat=True
        )[:limit]
    )
    for pk in ids:
        with transaction.atomic():
            row = (
                Notification.objects.select_for_update(of=("self",))
                .select_related("recipient")
                .filter(pk=pk, emailed_at__isnull=True)
                .first()
            )
            if row is None:
                continue  # another worker mailed it
            if not row.recipient.email:
                row.emailed_at = timezone.now()  # nobody to mail: the in-app copy is the delivery
                row.save(update_fields=["emailed_at"])
                continue
            try:
                send_mail(row.subject, row.body, settings.DEFAULT_FROM_EMAIL, [row.recipient.email])
            except OSError:
                logger.warning("mail for notification %s failed; will retry", pk, exc_info=True)
                row.attempts += 1
                row.save(update_fields=["attempts"])
                continue
            row.emailed_at = timezone.now()
            row.attempts += 1
            row.save(update_fields=["emailed_at", "attempts"])
            sent += 1
    return sent


def mail_objection_confirmation(objection_pk: int) -> None:
    """The objector's confirmation, in Chinese (the language of the notice they objected to)."""
    objection = Objection.objects.select_related("notice").filter(pk=objection_pk).first()
    if objection is None or not objection.email:
        return
    with translation.override("zh-hans"):
        subject = _("异议已受理：%(number)s") % {"number": objection.confirmation}
        body = _(
            "您对公示 %(notice)s 提出的异议已受理，受理编号 %(number)s。我们将依程序处理并答复。"
        ) % {"notice": objection.notice.number, "number": objection.confirmation}
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [objection.email])
