"""What the signed-in user may do on a page, from the flow's side: the case page offers its task only
to a person who has one there (never a button that leads to "nothing to do here")."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import template
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from viewflow.workflow.models import Task

from transfers import wording
from transfers.templatetags.a11y import DATA_LANGUAGE, HAN, page_in_chinese

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
    mark = not page_in_chinese()
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


@register.simple_tag
def moment(value: datetime.datetime | None) -> SafeString:
    """``<time datetime="…">YYYY-MM-DD HH:MM</time>`` in the current time zone, as ``|date:'c'`` and
    ``|date:"Y-m-d H:i"`` print it (numbers only, the same in every language), in one call: a list's
    rows print three of these each, and Django's ``date`` filter is a tenth of the page's time."""
    if value is None:
        return mark_safe("")
    local = timezone.localtime(value)
    # digits, signs and colons only: nothing to escape
    return mark_safe(f'<time datetime="{local.isoformat()}">{local.strftime("%Y-%m-%d %H:%M")}</time>')


@register.simple_tag(takes_context=True)
def task_table_rows(context: Any, rows: list[Any], kind: str, shows_due: bool) -> SafeString:
    """The ``<tr>`` of a reviewer's list, one per task, built in Python.

    The same markup as a template loop would print, but a loop of Django template nodes over 25 rows (each
    with its links, dates, due sentence, buttons and CSRF field) was a third of the list's time: every
    ``{{ row.case.reference }}`` resolves through four lookups. The words are translated once per page and
    every value is escaped (``escape``); Chinese data on a page in another language carries ``lang``
    (``a11y.zh``)."""
    request = context["request"]
    words = {key: escape(text) for key, text in {
        "task": _("任务（环节）"), "case": pgettext("column: one case", "案件"), "institution": _("单位"),
        "received": _("收到时间"),
        "due": _("办理期限"), "done": _("完成时间"), "actions": _("操作"), "no_due": _("未设期限"),
        "overdue": _("已逾期"), "today": _("今天到期"), "handle": _("处理"), "release": _("退回队列"),
        "claim": _("认领"), "view": _("查看"), "reassign": _("转交"), "view_case": _("查看案件"),
    }.items()}
    page = _Page(kind=kind, shows_due=shows_due, reader_pk=request.user.pk, words=words,
                 csrf=escape(get_token(request)), here=escape(request.get_full_path()),
                 marks_chinese=not page_in_chinese())
    return mark_safe("\n".join(page.row(row) for row in rows))


@dataclass(frozen=True)
class _Page:
    """What every row of one page shares."""

    kind: str
    shows_due: bool
    reader_pk: Any
    words: Mapping[str, str]  # escaped
    csrf: str  # escaped
    here: str  # escaped
    marks_chinese: bool  # the page is not in Chinese: Chinese data carries ``lang`` (as ``a11y.zh``)

    def _data(self, value: str) -> str:
        text = escape(value)
        if self.marks_chinese and HAN.search(value):
            return f'<span lang="{DATA_LANGUAGE}">{text}</span>'
        return text

    def row(self, row: Any) -> str:
        w, ref = self.words, escape(row.case.reference)
        if self.shows_due:
            last = f'<td data-label="{w["due"]}" class="due">{self._due(row)}</td>'
        else:
            last = f'<td data-label="{w["done"]}">{moment(row.task.finished)}</td>'
        overdue = ' class="overdue"' if row.overdue and self.shows_due else ""
        return (
            f"<tr{overdue}>\n"
            f'<td data-label="{w["task"]}">{escape(row.task.flow_task.task_title)}</td>\n'
            f'<td data-label="{w["case"]}"><span class="mono">{ref}</span><br>'
            f'<a href="{escape(row.urls["case"])}">{self._data(row.case.title)}</a></td>\n'
            f'<td data-label="{w["institution"]}">{self._data(row.case.institution.name)}</td>\n'
            f'<td data-label="{w["received"]}">{moment(row.task.created)}</td>\n'
            f"{last}\n"
            f'<td data-label="{w["actions"]}" class="row-actions">{self._actions(row, ref)}</td>\n'
            "</tr>"
        )

    def _due(self, row: Any) -> str:
        w = self.words
        if not row.due:
            return f'<span class="muted">{w["no_due"]}</span>'
        if row.overdue and row.days_overdue:
            days = row.days_overdue
            words = escape(ngettext("已逾期 %(days)s 天", "已逾期 %(days)s 天", days) % {"days": days})
            mark = f'<strong class="overdue-mark">{words}</strong>'
        elif row.overdue:  # the due hour passed today
            mark = f'<strong class="overdue-mark">{w["overdue"]}</strong>'
        elif row.days_left == 0:
            mark = f'<strong class="due-today">{w["today"]}</strong>'
        else:
            days = row.days_left
            sentence = escape(ngettext("剩余 %(days)s 天", "剩余 %(days)s 天", days) % {"days": days})
            mark = f'<span class="days-left">{sentence}</span>'
        return f"{moment(row.due)}<br>{mark}"

    def _actions(self, row: Any, ref: str) -> str:
        w, urls = self.words, row.urls
        hidden = f'<span class="visually-hidden"> {ref}</span>'
        parts = []
        if self.kind == "mine":
            parts.append(f'<a class="button small" href="{escape(urls["task"])}">{w["handle"]}{hidden}</a>')
            if row.task.owner_id != self.reader_pk:
                name = escape(_("代 %(name)s") % {"name": wording.person_name(row.task.owner)})
                parts.append(f'<span class="tag">{name}</span>')
            elif row.task.owner_permission:
                parts.append(
                    f'<form method="post" action="{escape(urls["release"])}" class="inline">'
                    f'<input type="hidden" name="csrfmiddlewaretoken" value="{self.csrf}">'
                    f'<input type="hidden" name="next" value="{self.here}">'
                    f'<button class="small secondary">{w["release"]}{hidden}</button></form>'
                )
        elif self.kind == "queue":
            parts.append(
                f'<form method="post" action="{escape(urls["claim"])}" class="inline">'
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{self.csrf}">'
                f'<button class="small">{w["claim"]}{hidden}</button></form>'
            )
            parts.append(f'<a href="{escape(urls["task"])}">{w["view"]}{hidden}</a>')
        if row.can_reassign:
            parts.append(f'<a href="{escape(urls["reassign"])}">{w["reassign"]}{hidden}</a>')
        if self.kind == "archive":
            parts.append(f'<a href="{escape(urls["case"])}">{w["view_case"]}{hidden}</a>')
        return "\n".join(parts)
