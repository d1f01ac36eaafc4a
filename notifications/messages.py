"""The words of each kind of notification, rendered when read, in the reader's language.

A row stores a ``kind`` and its values (codes, numbers, names), never a sentence: a reader who
switches to English reads English, and no stored text can outgrow a column.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from transfers.models import SYSTEM_NOTES, Stage
from transfers.wording import long_datetime

if TYPE_CHECKING:
    from .models import Notification

#: a subject line stays readable in a mail client and an inbox
SUBJECT_TITLE_CHARS = 60

CASE_STAGE = "case_stage"
OBJECTION_CONFIRMATION = "objection_confirmation"
PANEL_INVITATION = "panel_invitation"
PANEL_DECLINED = "panel_declined"
PANEL_READY = "panel_ready"
TASK_ASSIGNED = "task_assigned"
STAGE_REMINDER = "stage_reminder"
STAGE_OVERDUE = "stage_overdue"
STAGE_ESCALATED = "stage_escalated"
DISTRIBUTION_TO_APPROVE = "distribution_to_approve"
REWARD_OBJECTION = "reward_objection"

#: (subject, body) of the kinds that only name the case and, where it applies, a person or a date
SIMPLE: dict[str, tuple[Any, Any]] = {
    PANEL_INVITATION: (
        gettext_lazy("【%(ref)s】论证邀请"),
        gettext_lazy("您受邀参加案件“%(title)s”（%(ref)s）的专家论证。请在待办中先声明是否存在利益冲突，再提交论证意见。"),
    ),
    PANEL_DECLINED: (
        gettext_lazy("【%(ref)s】论证专家回避，须另请专家"),
        gettext_lazy("%(expert)s 已申请回避案件“%(title)s”（%(ref)s）的论证。请在待办中另请一位专家。"),
    ),
    PANEL_READY: (
        gettext_lazy("【%(ref)s】论证意见已收齐"),
        gettext_lazy("案件“%(title)s”（%(ref)s）的论证意见已收齐，请在待办中查看汇总并得出论证结论。"),
    ),
    TASK_ASSIGNED: (
        gettext_lazy("【%(ref)s】转交给您办理：%(stage)s"),
        gettext_lazy("%(by)s 将案件“%(title)s”（%(ref)s）“%(stage)s”环节的任务转交给您办理。理由：%(reason)s"),
    ),
    DISTRIBUTION_TO_APPROVE: (
        gettext_lazy("【%(ref)s】收益分配方案待审批"),
        gettext_lazy("案件“%(title)s”（%(ref)s）有一份收益分配方案待您审批，请在待认领任务中办理。"),
    ),
    REWARD_OBJECTION: (
        gettext_lazy("【%(ref)s】奖励公示收到异议"),
        gettext_lazy("案件“%(title)s”（%(ref)s）的奖励公示收到书面异议，公示已暂停。请在案件页面的“合同与收益分配”中处理并答复。"),
    ),
    STAGE_REMINDER: (
        gettext_lazy("【%(ref)s】明天到期：%(stage)s"),
        gettext_lazy("案件“%(title)s”（%(ref)s）的“%(stage)s”环节将于 %(due)s 到期，请及时办理。"),
    ),
    STAGE_OVERDUE: (
        gettext_lazy("【%(ref)s】已逾期：%(stage)s"),
        gettext_lazy("案件“%(title)s”（%(ref)s）的“%(stage)s”环节已于 %(due)s 到期，尚未办结。"),
    ),
    STAGE_ESCALATED: (
        gettext_lazy("【%(ref)s】逾期督办：%(stage)s"),
        gettext_lazy(
            "案件“%(title)s”（%(ref)s）的“%(stage)s”环节已于 %(due)s 到期，尚未办结，请督促办理。"
            "当前办理人：%(people)s。"
        ),
    ),
}


def _stage(code: str) -> str:
    return str(Stage(code).label) if code in Stage.values else code


def render_subject(row: Notification) -> str:
    return " ".join(_subject(row).split())  # one line: a mail header never carries a line break


def _subject(row: Notification) -> str:
    p: dict[str, Any] = row.params or {}
    if row.kind == CASE_STAGE:
        return _("【%(ref)s】%(title)s：%(stage)s") % {
            "ref": p.get("ref", ""),
            "title": Truncator(p.get("title", "")).chars(SUBJECT_TITLE_CHARS),
            "stage": _stage(p.get("stage", "")),
        }
    if row.kind == OBJECTION_CONFIRMATION:
        return _("异议已受理：%(number)s") % {"number": p.get("number", "")}
    if row.kind in SIMPLE:
        return str(SIMPLE[row.kind][0]) % _simple_values(p)
    return row.subject


def render_body(row: Notification) -> str:
    p: dict[str, Any] = row.params or {}
    if row.kind == CASE_STAGE:
        body = _("案件“%(title)s”（%(ref)s）已进入“%(stage)s”环节。") % {
            "title": p.get("title", ""),
            "ref": p.get("ref", ""),
            "stage": _stage(p.get("stage", "")),
        }
        note = SYSTEM_NOTES.get(p.get("note", ""))
        if note is not None:  # what the system recorded (an objection received…), in the reader's language
            body += "\n" + str(note) % p.get("note_params", {})
        if p.get("comment"):
            body += "\n" + _("意见：%(comment)s") % {"comment": p["comment"]}
        return body
    if row.kind == OBJECTION_CONFIRMATION:
        return _(
            "您对公示 %(notice)s 提出的异议已受理，受理编号 %(number)s。我们将依程序处理并答复。"
        ) % {"notice": p.get("notice", ""), "number": p.get("number", "")}
    if row.kind in SIMPLE:
        return str(SIMPLE[row.kind][1]) % _simple_values(p)
    return row.body


def _simple_values(p: dict[str, Any]) -> dict[str, Any]:
    """The values a simple kind may name, rendered for the reader (a stage's label, a date)."""
    due = p.get("due")
    return {
        "ref": p.get("ref", ""),
        "title": Truncator(p.get("title", "")).chars(SUBJECT_TITLE_CHARS),
        "stage": _stage(p.get("stage", "")),
        "expert": p.get("expert", ""),
        "by": p.get("by", ""),
        "reason": p.get("reason", ""),
        "people": p.get("people", "") or _("无"),
        "due": long_datetime(datetime.datetime.fromisoformat(due)) if due else "",
    }
