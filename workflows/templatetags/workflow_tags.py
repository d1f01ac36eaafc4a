"""What the signed-in user may do on a page, from the flow's side: the case page offers its task only
to a person who has one there (never a button that leads to "nothing to do here")."""

from __future__ import annotations

from typing import Any

from django import template
from viewflow.workflow.models import Task

from ..selectors import inbox

register = template.Library()


@register.simple_tag(takes_context=True)
def my_task_on(context: Any, case: Any) -> Task | None:
    """The open task of ``case`` this user holds or may claim, if any."""
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return None
    return inbox(user).filter(process__artifact_object_id=case.pk).first()
