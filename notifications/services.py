"""Delivery of the outbox: each row is mailed once, under its row lock, held across the mail server call
and checked again once held, so deliveries running at the same time (beat's sweep, a task handed back by
a dead worker) send it once. A delivery killed before the server accepted the message leaves the row due
(the database rolls its transaction back); one killed after the server accepted it and before its commit
leaves it due too, so that rare crash mails twice, never zero times. A failure is tried again
after a growing pause (1, 5, 15, 60 minutes, then every 4 hours, ``RETRY_AFTER``), up to ``MAX_ATTEMPTS``
tries; the last failure is kept on the row for the administrators. Beat's ``deliver_pending`` (every
minute) is the sweep: a row whose delivery was never queued (the broker was down at commit) goes too."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from .models import Notification

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
#: the pause after the n-th failure (the last one repeats)
RETRY_AFTER = [datetime.timedelta(minutes=m) for m in (1, 5, 15, 60, 240)]


def retry_after(failures: int) -> datetime.timedelta:
    return RETRY_AFTER[min(failures, len(RETRY_AFTER)) - 1]


def _due() -> Q:
    """Not mailed yet, tries left, and its pause after a failure over."""
    return Q(emailed_at__isnull=True, attempts__lt=MAX_ATTEMPTS) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now())
    )


def deliver_pending_emails(limit: int = 100) -> int:
    """Mail every row that is due, each at most once (``deliver_one``)."""
    ids = list(Notification.objects.filter(_due()).order_by("pk").values_list("pk", flat=True)[:limit])
    return sum(deliver_one(pk) for pk in ids)


def deliver_one(pk: int) -> bool:
    """Mail one row if it is still due once its row lock is held: a delivery running at the same time
    (a task handed back by a dead worker, beat's sweep) that mailed it, or failed and set its pause, has
    left it alone. The text is rendered in the site's language (mail has no reader's page to follow).
    True when mailed."""
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(_due(), pk=pk)
            .first()
        )
        if row is None:
            return False  # another delivery mailed it, or tried and failed just now
        if not row.address:
            row.emailed_at = timezone.now()  # nobody to mail: the in-app copy is the delivery
            row.save(update_fields=["emailed_at"])
            return False
        with translation.override(settings.LANGUAGE_CODE):
            subject, body = row.render_subject(), row.render_body()
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [row.address])
        except (OSError, ValueError) as exc:  # the server, or a message it refuses (a bad header)
            logger.warning("mail for notification %s failed; will retry", pk, exc_info=True)
            row.attempts += 1
            row.last_failed_at = timezone.now()
            row.last_error = f"{exc.__class__.__name__}: {exc}"[:300]
            row.next_attempt_at = timezone.now() + retry_after(row.attempts)
            row.save(update_fields=["attempts", "last_failed_at", "last_error", "next_attempt_at"])
            return False
        row.emailed_at = timezone.now()
        row.attempts += 1
        row.save(update_fields=["emailed_at", "attempts"])
        return True
