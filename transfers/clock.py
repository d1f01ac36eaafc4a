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
from zoneinfo import ZoneInfo

from django.utils import timezone

_local = threading.local()

#: China Standard Time (UTC+8, no daylight saving): the time of every legal date in this product
CHINA = ZoneInfo("Asia/Shanghai")


def now() -> datetime.datetime:
    override: datetime.datetime | None = getattr(_local, "now", None)
    return override if override is not None else timezone.now()


def in_china(moment: datetime.datetime) -> datetime.datetime:
    """``moment`` on the clocks of China."""
    return moment.astimezone(CHINA)


def china_today() -> datetime.date:
    """Today's date in China: the one definition of "today" for dates people enter and see (a
    decision taken at 00:30 in Beijing is dated today, although it is still yesterday in UTC)."""
    return in_china(now()).date()


@contextmanager
def travel_to(moment: datetime.datetime) -> Iterator[None]:
    previous = getattr(_local, "now", None)
    _local.now = moment
    try:
        yield
    finally:
        _local.now = previous
