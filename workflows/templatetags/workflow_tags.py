"""What the signed-in user may do on a page, from the flow's side: the case page offers its task only
to a person who has one there (never a button that leads to "nothing to do here")."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from viewflow.workflow.models import Task

from transfers.templatetags.a11y import DATA_LANGUAGE, HAN, _page_in_chinese

from ..selectors import inbox

register = template.Library()


@register.simple_tag(takes_context=True)
def my_task_on(context: Any, case: Any) -> Task | None:
    """The open task of ``case`` this user holds or may claim, if any."""
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return None
    return inbox(user).filter(process__artifact_object_id=case.pk).first()


@register.filter
def plain_select(bound: Any) -> SafeString:
    """A filter bar's ``<select>``, its options joined in Python: Django's widget templates render two
    templates per option, most of a list page's time for four short menus. Chinese options on a page
    in another language carry ``lang`` (as ``a11y.zh_widget`` does)."""
    chosen = "" if bound.value() is None else str(bound.value())
    mark = not _page_in_chinese()
    options = format_html_join(
        "",
        '<option value="{}"{}{}>{}</option>',
        (
            (value, mark_safe(" selected") if str(value) == chosen else "",
             format_html(' lang="{}"', DATA_LANGUAGE) if mark and HAN.search(str(label)) else "", label)
            for value, label in bound.field.choices
        ),
    )
    return format_html('<select name="{}" id="{}">{}</select>', bound.html_name, bound.id_for_label, options)
