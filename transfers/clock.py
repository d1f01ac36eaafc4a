"""The domain's clock. Everything that stamps or compares a time asks ``now()``.

``travel_to`` moves the clock for the current thread only: the demo seeder uses it to walk cases
through past dates (so their audit trails and publicity periods are coherent), tests use it to
pass deadlines. Requests never move it.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

_local = threading.local()


def now() -> datetime.datetime:
    override: datetime.datetime | None = getattr(_local, "now", None)
    return override if override is not None else timezone.now()


@contextmanager
def travel_to(moment: datetime.datetime) -> Iterator[None]:
    previous = getattr(_local, "now", None)
    _local.now = moment
    try:
        yield
    finally:
        _local.now = previous
