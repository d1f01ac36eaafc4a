"""The navigation's task counts, remembered per reader until something they count changes.

Every signed-in page shows how many tasks wait in "my tasks" and in the queue. Counting the queue means
building its per-institution, per-role condition and asking the database: about a third of what the
layout costs, on every page, for a number that changes only when a task, a role or a substitution does.
So the counts are kept in the cache under the reader and the day (a substitution starts and ends with the
day), with the *generation* they were counted in. Any change to a task, a membership or a substitution
bumps the generation once its transaction commits (``workflows.apps``), and a count of an older
generation is counted again. The generation is read before the database, so a count is never stored
under a generation newer than what it saw: a count made just before a commit is stored under the old
generation and counted again on the next page. (A count the page made itself, ``known``, is stored under
the generation the page read before counting it, ``known_since``; without one it is only shown.)

The cache is shared by every process in production (Redis) and on ``make run`` (a folder under
``var/``, whose ``incr`` is not atomic: two bumps at once may count once, still a new generation).
``TTL`` bounds what a change outside the ORM (a raw ``UPDATE``) or a lost bump could leave stale. A cache
that fails is logged and the counts are counted, as without it: no page and no committed action fails
for a badge.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction

from transfers import clock

GENERATION = "workflows:task-counts:generation"
TTL = 60  # seconds

logger = logging.getLogger(__name__)


def generation_bump() -> None:
    """Counts stored before now are stale. A generation lost (a flushed or evicted cache) starts again
    from the clock, never from a number a stored count may still carry."""
    try:
        cache.add(GENERATION, time.time_ns(), timeout=None)
        try:
            cache.incr(GENERATION)
        except ValueError:  # evicted between the two calls
            cache.set(GENERATION, time.time_ns(), timeout=None)
    except Exception:  # the cache is down: counts expire within TTL
        logger.exception("task counts: the generation could not be bumped")


def bump_after_commit(**_signal: Any) -> None:
    """A signal receiver: bump once the change is committed (at once outside a transaction); never
    fails the commit's other hooks."""
    transaction.on_commit(generation_bump, robust=True)


def generation() -> int | None:
    """The generation now (made if there is none); read it *before* counting what is to be stored."""
    try:
        cache.add(GENERATION, time.time_ns(), timeout=None)
        value = cache.get(GENERATION)
    except Exception:
        logger.exception("task counts: the cache could not be read")
        return None
    return int(value) if value is not None else None


def remembered(user: Any, count: Callable[[dict[str, int]], dict[str, int]], known: dict[str, int],
               known_since: int | None = None) -> dict[str, int]:
    """The reader's counts of this generation and day, else ``count(known)`` stored for the next page.
    ``known``: counts the page made itself, with the generation read before it counted them
    (``known_since``); without it they are shown, not stored."""
    key = f"workflows:task-counts:{user.pk}:{clock.china_today().isoformat()}"
    try:
        found = cache.get_many([GENERATION, key])
    except Exception:
        logger.exception("task counts: the cache could not be read")
        return count(known)
    current = found.get(GENERATION)
    stored = found.get(key)
    if stored is not None and current is not None and stored[0] == current:
        return {**stored[1], **known}
    read_at = known_since if known else (current if current is not None else generation())
    counts = count(known)
    if read_at is not None:
        try:
            cache.set(key, (read_at, counts), timeout=TTL)
        except Exception:
            logger.exception("task counts: the cache could not be written")
    return counts
