"""The counts of my tasks and of my queue in the navigation bar: two queries, run only when a page
shows them (the counts are lazy), none for a visitor who is not signed in."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import selectors


def badges(user: Any, known: dict[str, int] | None = None, known_since: int | None = None) -> SimpleLazyObject:
    """The navigation's counts as its badges show them ("99+" past the cap), computed when first shown;
    ``known``: a count the page already has, ``known_since``: the generation read before it was counted
    (``selectors.task_counts``)."""

    def shown() -> dict[str, str]:
        cap = selectors.NAV_COUNT_CAP
        counts = selectors.task_counts(user, known=known, known_since=known_since)
        return {name: f"{cap}+" if count > cap else str(count) for name, count in counts.items()}

    return SimpleLazyObject(shown)


def task_counts_in_navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"task_counts": badges(user)}
