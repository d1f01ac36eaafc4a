"""Delivery of the outbox: each row is mailed at most once, under a row lock."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from .models import Notification

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def deliver_pending_emails(limit: int = 100) -> int:
    """Mail every row not yet mailed, each at most once, under its row lock; the text is rendered in
    the site's language (mail has no reader's page to follow)."""
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
            if not row.address:
                row.emailed_at = timezone.now()  # nobody to mail: the in-app copy is the delivery
                row.save(update_fields=["emailed_at"])
                continue
            with translation.override(settings.LANGUAGE_CODE):
                subject, body = row.render_subject(), row.render_body()
            try:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [row.address])
            except (OSError, ValueError):  # the server, or a message it refuses (a bad header): retried, then left
                logger.warning("mail for notification %s failed; will retry", pk, exc_info=True)
                row.attempts += 1
                row.save(update_fields=["attempts"])
                continue
            row.emailed_at = timezone.now()
            row.attempts += 1
            row.save(update_fields=["emailed_at", "attempts"])
            sent += 1
    return sent
