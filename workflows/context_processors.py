"""The counts of my tasks and of my queue in the navigation bar: two queries, run only when a page
shows them (the counts are lazy), none for a visitor who is not signed in."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import task_counts


def task_counts_in_navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"task_counts": SimpleLazyObject(lambda: task_counts(user))}
