"""Stage transitions of a transfer case, one service per action (seed 003 三.2).

Each service: transaction → lock the case row → guard (stage, role, preconditions, input) →
record what the step produced (valuation, opinion, decision) → FSM transition → audit event →
domain event (flow and outbox, same transaction). A refusal raises ``ActionRefused`` with a
translated message and changes nothing.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import TransitionNotAllowed, can_proceed, has_transition_perm

from .. import clock, events
from ..limits import (
    AGENCY_NAME_MAX,
    ATTENDEE_MAX,
    COMMENT_MAX,
    MAX_ATTENDEES,
    OBJECTION_REPLY_MAX,
    PUBLIC_REASON_MAX,
)
from ..models import (
    ACTION_LABELS,
    AttachmentKind,
    AuditEvent,
    CaseRevision,
    Decision,
    NoticeKind,
    Objection,
    RulePack,
    Stage,
    TransferCase,
    Valuation,
)
from ..publicity_clock import ClockRules, publicity_deadline, resume_deadline, working_deadline
from ..selectors.rules import rule_clause
from ..validators import MAX_WAN_YUAN
from ..wording import join_sentences, long_datetime
from .attachments import attachment_store
from .errors import ActionRefused
from .locking import case_atomic, lock_case
from .notices import current_notice, notice_follow_case, notice_publish, notice_publish_correction
from .snapshots import case_snapshot

#: what the user is told when a transition's precondition is not met
CONDITION_MESSAGES: dict[str, Promise] = {
    "submit": gettext_lazy("请至少选择一项成果，并确保每项成果的完成人份额合计为 100%。"),
    "resubmit": gettext_lazy("请确保每项成果的完成人份额合计为 100%。"),
    "import_approved": gettext_lazy("请至少选择一项成果，并确保每项成果的完成人份额合计为 100%。"),
    "complete_assessment": gettext_lazy("请填写评估值或上传评估报告。"),
    "complete_demonstration": gettext_lazy("论证专家组尚未得出通过的结论。"),
    "approve": gettext_lazy("请完整填写决策机构、决策日期并上传会议纪要。"),
    "reject": gettext_lazy("请完整填写决策机构、决策日期并上传会议纪要。"),
    "finish_publicity": gettext_lazy("公示期尚未届满，不能结束公示。"),
    "complete": gettext_lazy("合同尚未登记，或已到账收入的奖励尚未公示并发放。"),
}


#: moves the system itself may make (by=None): the legal clock ends publicity, the public objects
SYSTEM_ACTIONS = {"finish_publicity", "raise_objection"}


def _guard(locked: TransferCase, action: str, by: Any) -> None:
    method = getattr(locked, action)
    if not can_proceed(method, check_conditions=False):
        raise ActionRefused(
            _("案件当前处于“%(stage)s”环节，不能执行“%(action)s”。")
            % {"stage": locked.get_stage_display(), "action": ACTION_LABELS[action]},
            code="wrong_stage",
        )
    if by is None and action in SYSTEM_ACTIONS:
        return
    # has_transition_perm also checks conditions: ask for the permission on its own first
    meta = method._django_fsm
    if not meta.has_transition_perm(locked, locked.stage, by):
        raise ActionRefused(
            _("您没有在本案件当前环节执行“%(action)s”的权限。") % {"action": ACTION_LABELS[action]},
            code="forbidden",
        )


#: characters that reorder or hide text (bidirectional overrides and isolates)
DIRECTION_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _forbidden(char: str, single_line: bool) -> bool:
    if char == "\x00" or char in DIRECTION_OVERRIDES:
        return True
    return single_line and unicodedata.category(char) == "Cc"


def require_text(value: str, label: Promise | str, *, max_length: int = COMMENT_MAX) -> str:
    """The text, stripped; refused when empty, longer than ``max_length`` or holding a NUL byte
    (PostgreSQL refuses those in text)."""
    value = (value or "").strip()
    if not value:
        raise ActionRefused(_("请填写%(field)s。") % {"field": label}, code="required")
    return limit_text(value, label, max_length=max_length)


#: the first date a person may enter for a decision, a contract or a receipt (the People's Republic's)
EARLIEST = datetime.date(1949, 10, 1)


def check_date(value: datetime.date | None, label: Promise | str, *, not_before: datetime.date = EARLIEST) -> None:
    """A date a person entered: not after today (China's date), not before ``not_before``."""
    if value is None:
        return
    today = clock.china_today()
    if value > today:
        raise ActionRefused(_("%(field)s不能晚于今天（%(today)s）。") % {"field": label, "today": today.isoformat()},
                            code="future_date")
    if value < not_before:
        raise ActionRefused(_("%(label)s不能早于 %(date)s。") % {"label": label, "date": not_before.isoformat()},
                            code="date_too_early")


def limit_text(
    value: str, label: Promise | str, *, max_length: int = COMMENT_MAX, single_line: bool = False
) -> str:
    """Optional text within its cap (see ``transfers.limits``), without NUL bytes (PostgreSQL refuses
    them) or direction overrides (they reorder what a reader sees); ``single_line``: no control
    character at all (a name or title ends up in a mail header and a printed line)."""
    if any(_forbidden(char, single_line) for char in value):
        raise ActionRefused(_("%(field)s含有无法保存的控制字符（如换行），请删除后再提交。") % {"field": label},
                            code="invalid")
    if len(value) > max_length:
        raise ActionRefused(
            _("%(field)s最多 %(max)d 字（目前 %(count)d 字）。")
            % {"field": label, "max": max_length, "count": len(value)},
            code="too_long",
        )
    return value


def _fire(
    locked: TransferCase,
    action: str,
    *,
    by: Any,
    comment: str = "",
    note: str = "",
    note_params: dict[str, Any] | None = None,
    ip: str | None = None,
    before_save: Callable[[TransferCase], None] | None = None,
) -> TransferCase:
    """Fire the transition on the locked row, then audit and emit, all in the caller's transaction.
    ``note`` is a system note's code (``SYSTEM_NOTES``), stored as a code and rendered when read."""
    comment = limit_text((comment or "").strip(), gettext_lazy("意见"))  # every comment, whichever service
    method = getattr(locked, action)
    allowed = can_proceed(method) if by is None and action in SYSTEM_ACTIONS else has_transition_perm(method, by)
    if not allowed:
        raise ActionRefused(CONDITION_MESSAGES.get(action, _("当前条件下不能执行此操作。")), code="condition")
    from_stage = locked.stage
    try:
        method()
    except TransitionNotAllowed as exc:  # conditions changed under us; nothing is saved
        raise ActionRefused(_("当前条件下不能执行此操作。"), code="condition") from exc
    locked.stage_entered_at = clock.now()
    if before_save is not None:
        before_save(locked)
    locked.stage_due_at = stage_due_at(locked)
    locked.save()
    notice_follow_case(case=locked, reason=comment)
    record_audit(locked, by=by, action=action, from_stage=from_stage, comment=comment, note=note,
                 note_params=note_params, ip=ip)
    events.emit(
        events.CaseTransitioned(
            case=locked,
            action=action,
            from_stage=from_stage,
            to_stage=locked.stage,
            actor=by,
            comment=comment,
            note=note,
            note_params=note_params or {},
        )
    )
    return locked


def _simple(
    action: str,
    *,
    case: TransferCase,
    by: Any,
    comment: str = "",
    ip: str | None = None,
    comment_label: Promise | None = None,
) -> TransferCase:
    with case_atomic():
        locked = lock_case(case)
        _guard(locked, action, by)
        if comment_label is not None:
            comment = require_text(comment, comment_label)
        else:
            comment = limit_text(comment, gettext_lazy("意见"))
        return _fire(locked, action, by=by, comment=comment, ip=ip)


# --------------------------------------------------------------------------------------------
# 发起 initiation


def _record_revision(locked: TransferCase) -> None:
    CaseRevision.objects.update_or_create(
        case=locked, number=locked.revision, defaults={"snapshot": case_snapshot(locked)}
    )


def _require_abstracts(locked: TransferCase, pack: RulePack | None) -> None:
    """A pack whose regulation lists each achievement's 内容摘要 among what the notice shows (e.g.
    《浙江省促进科技成果转化条例》第十七条第二款) takes no case without one."""
    if pack is None or not pack.publicity_includes_abstract:
        return
    missing = [a.title for a in locked.achievements.order_by("pk") if not a.abstract.strip()]
    if missing:
        raise ActionRefused(
            _("本单位适用的规则要求公示每项成果的内容摘要（%(clause)s）。请为以下成果填写摘要后再提交：%(titles)s。")
            % {"clause": rule_clause(pack, "publicity_includes_abstract"), "titles": "、".join(missing)},
            code="abstract_required",
        )


def case_submit(*, case: TransferCase, by: Any, comment: str = "", ip: str | None = None) -> TransferCase:
    """Submit a draft for preliminary review; pins the institution's rule pack version."""
    with case_atomic():
        locked = lock_case(case)
        _guard(locked, "submit", by)
        _require_abstracts(locked, locked.institution.rule_pack)

        def pin(c: TransferCase) -> None:
            c.rule_pack = c.institution.rule_pack
            c.submitted_at = clock.now()

        locked = _fire(locked, "submit", by=by, comment=comment, ip=ip, before_save=pin)
        _record_revision(locked)
        return locked


def case_return(*, case: TransferCase, by: Any, comment: str, ip: str | None = None) -> TransferCase:
    """A reviewer returns the case to the applicant; the reason is required."""
    return _simple(
        "return_for_revision",
        case=case,
        by=by,
        comment=comment,
        ip=ip,
        comment_label=gettext_lazy("退回理由"),
    )


def case_resubmit(*, case: TransferCase, by: Any, comment: str = "", ip: str | None = None) -> TransferCase:
    """The applicant resubmits the revised case: same case, revision + 1, a new snapshot."""
    with case_atomic():
        locked = lock_case(case)
        _guard(locked, "resubmit", by)
        _require_abstracts(locked, locked.applicable_rule_pack)
        locked = _fire(locked, "resubmit", by=by, comment=comment, ip=ip)
        _record_revision(locked)
        return locked


# --------------------------------------------------------------------------------------------
# 初审 评估 论证


def case_pass_preliminary_review(
    *, case: TransferCase, by: Any, comment: str = "", ip: str | None = None
) -> TransferCase:
    return _simple("pass_preliminary_review", case=case, by=by, comment=comment, ip=ip)


def case_complete_assessment(
    *,
    case: TransferCase,
    by: Any,
    method: str,
    amount: Decimal | None = None,
    report: UploadedFile | None = None,
    agency_name: str = "",
    note: str = "",
    comment: str = "",
    ip: str | None = None,
) -> TransferCase:
    """Record the valuation (an amount, an agency's report, or both) and move to demonstration. An
    agency's valuation names the agency: the notice prints it beside the value."""
    if amount is None and report is None:
        raise ActionRefused(CONDITION_MESSAGES["complete_assessment"], code="condition")
    if amount is not None and (not isinstance(amount, Decimal) or amount < 0 or amount > MAX_WAN_YUAN):
        raise ActionRefused(_("评估值必须是不小于 0、不超过 99,999,999.9999 万元的金额。"), code="amount")
    agency_name = (agency_name or "").strip()
    note = limit_text((note or "").strip(), gettext_lazy("评估说明"))
    comment = limit_text((comment or "").strip(), gettext_lazy("意见"))
    if method == Valuation.Method.AGENCY:
        agency_name = require_text(agency_name, gettext_lazy("评估机构名称"), max_length=AGENCY_NAME_MAX)
    else:
        agency_name = ""
    with case_atomic():
        locked = lock_case(case)
        _guard(locked, "complete_assessment", by)
        stored = (
            attachment_store(case=locked, by=by, kind=AttachmentKind.VALUATION_REPORT, upload=report)
            if report is not None
            else None
        )
        Valuation.objects.create(
            case=locked,
            revision=locked.revision,
            method=method,
            agency_name=agency_name,
            amount=amount,
            report=stored,
            note=note,
            recorded_by=by,
            recorded_at=clock.now(),
        )
        return _fire(locked, "complete_assessment", by=by, comment=comment or note, ip=ip)


# --------------------------------------------------------------------------------------------
# 决策 decision → 公示 publicity


#: no decision of a Chinese university's decision body on a transfer predates the People's Republic


def stage_due_at(case: TransferCase) -> datetime.datetime | None:
    """When the work of the stage the case is in is due, from its pinned pack (working days)."""
    days = case.applicable_rule_pack.due_days(case.stage)
    if not days or days < 1:
        return None
    return working_deadline(case.stage_entered_at, days).ends_at


def clock_rules(case: TransferCase) -> ClockRules:
    return ClockRules.from_rule_pack(case.applicable_rule_pack)


@dataclass(frozen=True)
class MeetingRecord:
    """What the secretary records of the decision meeting besides its body, date and minutes."""

    attendees: list[str]
    votes_for: int
    votes_against: int
    votes_abstaining: int
    conditions: str = ""


def _meeting_fields(meeting: MeetingRecord, outcome: str) -> dict[str, Any]:
    names = [limit_text(name.strip(), gettext_lazy("出席人员"), max_length=ATTENDEE_MAX, single_line=True)
             for name in meeting.attendees if name.strip()]
    if not names:
        raise ActionRefused(_("请填写出席人员，每行一人。"), code="required")
    if len(names) > MAX_ATTENDEES:
        raise ActionRefused(_("出席人员最多 %(max)d 人。") % {"max": MAX_ATTENDEES}, code="too_long")
    votes = (meeting.votes_for, meeting.votes_against, meeting.votes_abstaining)
    if any(v < 0 for v in votes) or sum(votes) == 0:
        raise ActionRefused(_("请填写表决票数（同意、反对、弃权）。"), code="required")
    if sum(votes) > len(names):
        raise ActionRefused(
            _("表决票数合计 %(votes)d 票，多于出席人数 %(people)d 人，请核对。")
            % {"votes": sum(votes), "people": len(names)},
            code="votes",
        )
    if outcome == "approve" and meeting.votes_for * 2 <= sum(votes):
        raise ActionRefused(
            _("同意票 %(yes)d 票，未超过表决票数 %(votes)d 票的半数，不能记录为同意转化。")
            % {"yes": meeting.votes_for, "votes": sum(votes)},
            code="votes",
        )
    return {
        "attendees": "\n".join(names),
        "votes_for": meeting.votes_for,
        "votes_against": meeting.votes_against,
        "votes_abstaining": meeting.votes_abstaining,
        "conditions": limit_text(meeting.conditions.strip(), gettext_lazy("附加条件")),
    }


def case_decide(
    *,
    case: TransferCase,
    by: Any,
    outcome: str,
    body: str,
    decided_on: datetime.date | None,
    minutes: UploadedFile | None,
    comment: str = "",
    meeting: MeetingRecord | None = None,
    ip: str | None = None,
) -> TransferCase:
    """Record the decision body's decision with its minutes and, from the secretary's form, the
    meeting's record (attendees, votes, conditions); approval starts publicity."""
    action = {"approve": "approve", "reject": "reject"}.get(outcome)
    if action is None:
        raise ActionRefused(_("请选择决策结果。"), code="required")
    with case_atomic():
        locked = lock_case(case)
        _guard(locked, action, by)
        body = require_text(body, gettext_lazy("决策机构"), max_length=200)
        if decided_on is None:
            raise ActionRefused(_("请填写决策日期。"), code="required")
        check_date(decided_on, gettext_lazy("决策日期"))
        if minutes is None:
            raise ActionRefused(_("请上传决策会议纪要。"), code="required")
        comment = limit_text((comment or "").strip(), gettext_lazy("意见"))
        record = _meeting_fields(meeting, outcome) if meeting is not None else {}
        stored = attachment_store(case=locked, by=by, kind=AttachmentKind.DECISION_MINUTES, upload=minutes)
        Decision.objects.create(
            case=locked,
            revision=locked.revision,
            outcome=outcome,
            body=body,
            decided_on=decided_on,
            minutes=stored,
            recorded_by=by,
            recorded_at=clock.now(),
            **record,
        )

        deadline = publicity_deadline(clock.now(), clock_rules(locked))

        def open_publicity(c: TransferCase) -> None:
            if action == "approve":
                c.publicity_started_at = clock.now()
                c.publicity_ends_at = deadline.ends_at
                c.publicity_paused_at = None

        locked = _fire(locked, action, by=by, comment=comment, ip=ip, before_save=open_publicity)
        if action == "approve":
            notice_publish(case=locked, fallback_years=deadline.fallback_years)
        return locked


# --------------------------------------------------------------------------------------------
# 公示 publicity: objections and the end of the period


def case_raise_objection(
    *, case: TransferCase, by: Any, comment: str = "", note: str = "", note_params: dict[str, Any] | None = None,
    ip: str | None = None,
) -> TransferCase:
    """Record that an objection was received: publicity is suspended and its clock stops."""
    with case_atomic():
        locked = lock_case(case)
        _guard(locked, "raise_objection", by)
        comment = limit_text(comment, gettext_lazy("异议内容摘要"))

        def pause(c: TransferCase) -> None:
            c.publicity_paused_at = clock.now()

        if not comment and not note:
            raise ActionRefused(_("请填写%(field)s。") % {"field": gettext_lazy("异议内容摘要")}, code="required")
        return _fire(locked, "raise_objection", by=by, comment=comment, note=note, note_params=note_params, ip=ip,
                     before_save=pause)


def case_dismiss_objection(*, case: TransferCase, by: Any, reply: str, ip: str | None = None) -> TransferCase:
    """The objection is unfounded: publicity resumes with the days that remained."""
    with case_atomic():
        locked = lock_case(case)
        _guard(locked, "dismiss_objection", by)
        reply = require_text(reply, gettext_lazy("答复意见"), max_length=OBJECTION_REPLY_MAX)

        restart = locked.applicable_rule_pack.objection_restarts_clock

        fallback_years: tuple[int, ...] = ()

        def resume(c: TransferCase) -> None:
            nonlocal fallback_years
            if c.publicity_paused_at is not None and c.publicity_ends_at is not None:
                deadline = resume_deadline(
                    c.publicity_paused_at, clock.now(), c.publicity_ends_at, clock_rules(c), restart=restart
                )
                c.publicity_ends_at, fallback_years = deadline.ends_at, deadline.fallback_years
            c.publicity_paused_at = None

        _resolve_objections(locked, Objection.Outcome.DISMISSED, reply)
        locked = _fire(locked, "dismiss_objection", by=by, comment=reply, ip=ip, before_save=resume)
        notice = current_notice(locked)
        if notice is not None and notice.ends_at != locked.publicity_ends_at:
            # the printed end is no longer true: the notice is reissued with the new end, its reason public
            with translation.override("zh-hans"):  # printed in the notice: Chinese, like all of it
                end = long_datetime(locked.publicity_ends_at)
                reason = _("公示期间收到的异议经核查不成立，公示恢复，截止时间相应调整为 %(end)s。") % {"end": end}
            notice_publish_correction(case=locked, reason=reason, fallback_years=fallback_years)
            notice_follow_case(case=locked)  # the version it replaces takes no objection meanwhile
        return locked


def case_uphold_objection(*, case: TransferCase, by: Any, comment: str, ip: str | None = None) -> TransferCase:
    """The objection stands: the decision body decides again (the notice is withdrawn)."""
    with case_atomic():
        locked = lock_case(case)
        _guard(locked, "uphold_objection", by)
        # the public reads it as the reason the notice was withdrawn
        comment = require_text(comment, gettext_lazy("处理意见"), max_length=PUBLIC_REASON_MAX)
        _resolve_objections(locked, Objection.Outcome.UPHELD, comment)
        return _fire(locked, "uphold_objection", by=by, comment=comment, ip=ip)


def _resolve_objections(case: TransferCase, outcome: str, reply: str) -> None:
    """Every pending objection of the case's notices gets the outcome and the written reply."""
    Objection.objects.filter(notice__case=case, notice__kind=NoticeKind.TRANSFER,
                             outcome=Objection.Outcome.PENDING).update(
        outcome=outcome, reply=reply, replied_at=clock.now()
    )


def case_withdraw_notice(*, case: TransferCase, by: Any, reason: str, ip: str | None = None) -> TransferCase:
    """Withdraw the notice in publicity (the TTO officer, with the reason shown publicly): the
    decision body decides again; a new approval publishes a new notice under a new number."""
    with case_atomic():
        locked = lock_case(case)
        _guard(locked, "withdraw_notice", by)
        reason = require_text(reason, gettext_lazy("撤回公示的原因"), max_length=PUBLIC_REASON_MAX)

        def close_publicity(c: TransferCase) -> None:
            c.publicity_paused_at = None

        return _fire(locked, "withdraw_notice", by=by, comment=reason, ip=ip, before_save=close_publicity)


def case_finish_publicity(
    *, case: TransferCase, by: Any, comment: str = "", note: str = "", ip: str | None = None
) -> TransferCase:
    """The period is over with no open objection: implementation begins. A refusal says why it is
    not over: suspended by an objection, running until its end, or its corrected version not yet public."""
    with case_atomic():
        locked = lock_case(case)
        if locked.stage == Stage.OBJECTION_REVIEW:
            raise ActionRefused(_("公示因异议暂停，尚未结束：异议处理完毕、公示恢复并期满后，才能进入实施。"),
                                code="publicity_suspended")
        _guard(locked, "finish_publicity", by)
        if not locked.publicity_period_over():
            if locked.publicity_ends_at is not None and clock.now() < locked.publicity_ends_at:
                end = long_datetime(locked.publicity_ends_at)
                raise ActionRefused(_("公示期至 %(end)s 届满，尚未结束。") % {"end": end}, code="publicity_running")
            raise ActionRefused(_("公示的新版本正在生成，发布并期满后公示才能结束。"), code="notice_pending")
        return _fire(locked, "finish_publicity", by=by, comment=limit_text(comment, gettext_lazy("意见")), note=note,
                     ip=ip)


# --------------------------------------------------------------------------------------------
# 实施 implementation, and the ways out


def case_complete(
    *,
    case: TransferCase,
    by: Any,
    contract: UploadedFile | None = None,
    comment: str = "",
    ip: str | None = None,
) -> TransferCase:
    """Close the case once its contract is recorded and registered and the rewards of the income so far
    are published and paid (``TransferCase.completion_gaps``, refused naming each gap); a signed copy
    uploaded here is kept among the case's files."""
    with case_atomic():
        locked = lock_case(case)
        _guard(locked, "complete", by)
        gaps = locked.completion_gaps()
        if gaps:
            raise ActionRefused(_("案件尚不能办结：%(gaps)s") % {"gaps": join_sentences(gaps)}, code="not_complete")
        if contract is not None:
            attachment_store(case=locked, by=by, kind=AttachmentKind.CONTRACT, upload=contract)
        return _fire(locked, "complete", by=by, comment=comment, ip=ip)


def _close(action: str, label: Promise, *, case: TransferCase, by: Any, reason: str, ip: str | None) -> TransferCase:
    with case_atomic():
        locked = lock_case(case)
        _guard(locked, action, by)
        reason = require_text(reason, label, max_length=PUBLIC_REASON_MAX)
        if locked.stage == Stage.OBJECTION_REVIEW:  # terminated because the objection stands: it is answered
            _resolve_objections(locked, Objection.Outcome.UPHELD, reason)

        def keep_reason(c: TransferCase) -> None:
            c.closing_reason = reason

        return _fire(locked, action, by=by, comment=reason, ip=ip, before_save=keep_reason)


def case_withdraw(*, case: TransferCase, by: Any, reason: str, ip: str | None = None) -> TransferCase:
    """Withdraw before publicity (the applicant or TTO); the reason is required and kept."""
    return _close("withdraw", gettext_lazy("撤回原因"), case=case, by=by, reason=reason, ip=ip)


def case_terminate(*, case: TransferCase, by: Any, reason: str, ip: str | None = None) -> TransferCase:
    """End a case after the decision (counterparty withdrew, objection upheld); reason required."""
    return _close("terminate", gettext_lazy("终止原因"), case=case, by=by, reason=reason, ip=ip)


#: the name of the colleague a substitute is acting for, while their task runs (``acting_for``)
_acting_for: ContextVar[str] = ContextVar("acting_for", default="")


@contextmanager
def acting_for(name: str) -> Iterator[None]:
    """Every audit line written inside names ``name`` as the person acted for (a substitute's work)."""
    token = _acting_for.set(name)
    try:
        yield
    finally:
        _acting_for.reset(token)


def record_audit(
    case: TransferCase,
    *,
    by: Any,
    action: str,
    from_stage: str,
    comment: str = "",
    note: str = "",
    note_params: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """One line of the case's append-only trail, to the stage the case is in now."""
    note_params = dict(note_params or {})
    if _acting_for.get():
        note_params["acting_for"] = _acting_for.get()
    return AuditEvent.objects.create(
        case=case,
        actor=by,
        at=clock.now(),
        action=action,
        from_stage=from_stage,
        to_stage=case.stage,
        revision=case.revision,
        comment=comment,
        note=note,
        note_params=note_params or {},
        ip=ip,
    )


def record_creation(*, case: TransferCase, by: Any, ip: str | None = None) -> None:
    """The first line of the audit trail: the draft exists."""
    record_audit(case, by=by, action="create", from_stage=Stage.DRAFT, ip=ip)
