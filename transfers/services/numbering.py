"""Gapless, never reused counters allocated under a row lock (case references, notice numbers)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from ..models import Sequence


def next_value(key: str) -> int:
    """Return the next value of the counter ``key``; must run inside the caller's transaction."""
    with transaction.atomic():
        row = Sequence.objects.select_for_update().filter(key=key).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = Sequence.objects.create(key=key, value=0)
            except IntegrityError:  # created concurrently: lock the winner's row
                row = Sequence.objects.select_for_update().get(key=key)
        row.value += 1
        row.save(update_fields=["value"])
        return row.value
