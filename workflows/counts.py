"""The navigation's task counts, remembered per reader until something they count changes.

Every signed-in page shows how many tasks wait in "my tasks" and in the queue. Counting the queue means
building its per-institution, per-role condition and asking the database: about a third of what the
layout costs, on every page, for a number that changes only when a task, a role or a substitution does.
So the counts are kept in the cache under the reader and the day (a substitution starts and ends with the
day), with the *generation* they were counted in. Any change to a task, a membership or a substitution
bumps the generation once its transaction commits (``workflows.apps``), and a count of an older
generation is counted again. A reader whose count was stored just before a commit reads it once more
after: the generation is read before the database, so a count can never be newer than its generation.
The cache is shared by every process in production (Redis) and on ``make run`` (a folder under ``var/``);
``TTL`` bounds what a change made outside the ORM (a raw ``UPDATE``) could leave stale.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction

from transfers import clock

GENERATION = "workflows:task-counts:generation"
TTL = 60  # seconds


def generation_bump() -> None:
    """Counts stored before now are stale (atomic on Redis and in the local caches)."""
    cache.add(GENERATION, 0, timeout=None)
    try:
        cache.incr(GENERATION)
    except ValueError:  # evicted between the two calls
        cache.set(GENERATION, 1, timeout=None)


def bump_after_commit(**_signal: Any) -> None:
    """A signal receiver: bump once the change is committed (at once outside a transaction)."""
    transaction.on_commit(generation_bump)


def remembered(user: Any, count: Callable[[dict[str, int]], dict[str, int]], known: dict[str, int]) -> dict[str, int]:
    """The reader's counts of this generation and day, else ``count(known)`` stored for the next page;
    ``known``: counts the page already has (fresh, so they are stored too)."""
    key = f"workflows:task-counts:{user.pk}:{clock.china_today().isoformat()}"
    found = cache.get_many([GENERATION, key])
    generation = found.get(GENERATION, 0)
    stored = found.get(key)
    if stored is not None and stored[0] == generation:
        return {**stored[1], **known}
    counts = count(known)
    cache.set(key, (generation, counts), timeout=TTL)
    return counts
