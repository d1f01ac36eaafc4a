"""The words of each kind of notification, rendered when read, in the reader's language.

A row stores a ``kind`` and its values (codes, numbers, names), never a sentence: a reader who
switches to English reads English, and no stored text can outgrow a column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from transfers.models import SYSTEM_NOTES, Stage

if TYPE_CHECKING:
    from .models import Notification

#: a subject line stays readable in a mail client and an inbox
SUBJECT_TITLE_CHARS = 60

CASE_STAGE = "case_stage"
OBJECTION_CONFIRMATION = "objection_confirmation"


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
    return row.body
