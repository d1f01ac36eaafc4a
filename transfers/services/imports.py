"""Transfers approved and publicised before this system existed (issue 10): a TTO officer records the
decision and the notice as they happened, with their documents, so the contract, income and rewards are
handled here from then on.

The case is filed as any other (its achievements and inventors, its counterparty and price), then
imported: its decision (body, date, minutes) and its notice (number, publicity period, the published file)
are recorded, and it moves from 草稿 straight to 实施 (``TransferCase.import_approved``), audited as an
import. It is never republished: no ``Notice`` row is made, so the public site shows nothing new; the
notice file is kept among the case's documents. The period must have met the law's 15 days
(国发〔2016〕16号：“公示时间不少于15日”), else the transfer is not one this system may carry on.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import clock
from ..models import AttachmentKind, Decision, TransferCase
from ..publicity_clock import FLOOR_DAYS
from .attachments import attachment_store
from .cases import _fire, _guard, _record_revision, check_date, limit_text, require_text
from .errors import ActionRefused
from .locking import lock_case

NOTICE_NUMBER_MAX = 40


@dataclass(frozen=True)
class ImportData:
    """What the officer copies from the paper trail: the decision and the notice as published."""

    decision_body: str
    decided_on: datetime.date | None
    notice_number: str
    publicity_started_on: datetime.date | None
    publicity_ended_on: datetime.date | None


def _moment(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=clock.CHINA)


def case_import(*, case: TransferCase, by: Any, data: ImportData, minutes: UploadedFile | None,
                notice_file: UploadedFile | None, comment: str = "", ip: str | None = None) -> TransferCase:
    """Record the decision and the notice of a transfer approved and publicised before the system, and
    move the draft to 实施. Refused, changing nothing, when a fact is missing, a date is impossible
    (after today, a decision after the publicity began, a period ending before it began) or the period
    was shorter than the law's 15 days."""
    body = require_text(data.decision_body, gettext_lazy("决策机构"), max_length=200)
    number = require_text(data.notice_number, gettext_lazy("原公示编号"), max_length=NOTICE_NUMBER_MAX)
    comment = limit_text((comment or "").strip(), gettext_lazy("说明"))
    for value, label in ((data.decided_on, gettext_lazy("决策日期")),
                         (data.publicity_started_on, gettext_lazy("公示开始日期")),
                         (data.publicity_ended_on, gettext_lazy("公示截止日期"))):
        if value is None:
            raise ActionRefused(_("请填写%(field)s。") % {"field": label}, code="required")
        check_date(value, label)
    decided_on, started_on, ended_on = data.decided_on, data.publicity_started_on, data.publicity_ended_on
    assert decided_on is not None
    assert started_on is not None
    assert ended_on is not None
    if started_on < decided_on:
        raise ActionRefused(_("公示开始日期不能早于决策日期。"), code="dates")
    if (ended_on - started_on).days < FLOOR_DAYS:  # the start day not counted (民法典第二百零一条)
        raise ActionRefused(
            _("公示期不足15日，不能作为已公示的转化导入（国发〔2016〕16号：“公示时间不少于15日”）。"),
            code="period_too_short",
        )
    if ended_on >= clock.china_today():
        raise ActionRefused(_("公示期尚未届满，不能作为已公示的转化导入。"), code="publicity_running")
    if minutes is None:
        raise ActionRefused(_("请上传决策会议纪要。"), code="required")
    if notice_file is None:
        raise ActionRefused(_("请上传原公示文件。"), code="required")
    try:
        return _import(case, by=by, body=body, number=number, comment=comment, dates=(decided_on, started_on, ended_on),
                       minutes=minutes, notice_file=notice_file, ip=ip)
    except IntegrityError as exc:  # the same notice imported at the same instant by another draft
        raise _duplicate(number) from exc


def _duplicate(number: str) -> ActionRefused:
    return ActionRefused(_("本单位已导入编号为 %(number)s 的公示。") % {"number": number}, code="duplicate")


def _import(case: TransferCase, *, by: Any, body: str, number: str, comment: str,
            dates: tuple[datetime.date, datetime.date, datetime.date], minutes: UploadedFile,
            notice_file: UploadedFile, ip: str | None) -> TransferCase:
    decided_on, started_on, ended_on = dates
    with transaction.atomic():
        locked = lock_case(case)
        _guard(locked, "import_approved", by)
        if TransferCase.objects.filter(institution_id=locked.institution_id, imported_notice_number=number).exists():
            raise _duplicate(number)
        stored = attachment_store(case=locked, by=by, kind=AttachmentKind.DECISION_MINUTES, upload=minutes)
        Decision.objects.create(case=locked, revision=locked.revision, outcome=Decision.Outcome.APPROVE, body=body,
                                decided_on=decided_on, minutes=stored, recorded_by=by, recorded_at=clock.now())
        attachment_store(case=locked, by=by, kind=AttachmentKind.IMPORTED_NOTICE, upload=notice_file)

        def as_published(c: TransferCase) -> None:
            c.rule_pack = c.institution.rule_pack  # pinned as at a submission: its rewards follow it
            c.submitted_at = clock.now()
            c.imported_notice_number = number
            c.publicity_started_at = _moment(started_on, datetime.time(0))
            c.publicity_ends_at = _moment(ended_on, c.applicable_rule_pack.publicity_closing_time)

        locked = _fire(locked, "import_approved", by=by, comment=comment, ip=ip, before_save=as_published)
        _record_revision(locked)  # what was approved, as filed
        return locked
