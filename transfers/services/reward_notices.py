"""The reward notice (收益分配和奖励公示) of an approved distribution, through the publicity machinery of
``services.notices``: its own number series (``<INST>-JL-<year>-<nnn>``), frozen content, PDF, hash,
QR code, verify page, feed, versions and corrections.

What differs from a transfer notice:

- its period is the institution's rule (``RulePack.reward_publicity_days``: real institutions publish
  for 5 working days or 7 days); the 15-day floor of 国发〔2016〕16号 is for transfer notices only;
- an objection suspends the notice, never the case: the case stays where it is (implementation or
  completed) while the TTO officer answers it (``reward_objection_decide``);
- an upheld objection withdraws the notice and returns the distribution to the officer, who adjusts it
  and submits it again; its next approval publishes a new notice under a new number;
- once the period is over with no objection pending, the people may be paid (``services.payments``).

Where it comes from: 国科发政〔2018〕103号 (收益分配和奖励方案应在本单位公示), 《促进科技成果转化法》
第四十五条 and seed 003 三.8 (the floors printed beside each share).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import clock, events, permissions, selectors
from ..limits import OBJECTION_REPLY_MAX, PUBLIC_REASON_MAX
from ..models import (
    NOTICE_KIND_CODES,
    Distribution,
    Notice,
    NoticeKind,
    NoticeStatus,
    Objection,
    ReceiptKind,
    Role,
)
from ..publicity_clock import ClockRules, Deadline, publicity_deadline, resume_deadline
from ..wording import long_date, long_datetime
from . import numbering
from .cases import record_audit, require_text
from .errors import ActionRefused
from .locking import lock_case
from .notices import (
    current_notice,
    issuer_content,
    pending_notice_of,
    require_public_address,
    search_text,
    store_pending,
)
from .rewards import FLOOR_FIELDS, floor_of

#: who answers an objection to a reward notice (as to a transfer notice: the TTO officer)
ANSWERERS = (Role.TTO_OFFICER,)


def clock_rules(distribution: Distribution) -> ClockRules:
    """The period of the rules version the distribution applied."""
    return ClockRules.for_rewards(distribution.rule_pack)


def _value(amount: Any) -> str:
    return "" if amount is None else str(amount)


def reward_notice_content(distribution: Distribution) -> dict[str, Any]:
    """What the reward notice shows, frozen at issue in Chinese; choices keep their code beside the words
    (``payment_kind_code``…) so a page in another language can name them. Never a bank account or an
    identity number: the system holds neither."""
    receipt = distribution.receipt
    contract = receipt.contract
    case = contract.case
    pack = distribution.rule_pack
    with translation.override("zh-hans"):
        floor = floor_of(pack, FLOOR_FIELDS[ReceiptKind(receipt.kind)])
        main_floor = floor_of(pack, "main_contributor_floor_pct")
        transfer_notice = current_notice(case)
        return {
            **issuer_content(case),
            "transfer_notice": transfer_notice.number if transfer_notice else case.imported_notice_number,
            "achievements": [
                {"title": a.title, "kind": str(a.get_kind_display()), "kind_code": a.kind, "number": a.number_display}
                for a in case.achievements.order_by("pk")
            ],
            "contract": {
                "counterparty": contract.counterparty_name,
                "signed_on": contract.signed_on.isoformat(),
                "payment_kind": str(contract.get_payment_kind_display()),
                "payment_kind_code": contract.payment_kind,
                "amount": _value(contract.amount),
                "registration_number": contract.registration_number,
                "registered_on": contract.registered_on.isoformat() if contract.registered_on else "",
                "registry": contract.registry,
            },
            "receipt": {
                "receipt_kind": str(receipt.get_kind_display()),
                "receipt_kind_code": receipt.kind,
                "received_on": receipt.received_on.isoformat(),
                "amount": _value(receipt.amount),
                "shares": _value(receipt.shares),
                "profit_year": receipt.profit_year or "",
                "payer": receipt.payer,
            },
            "deductions": [
                {"deduction": str(d.get_kind_display()), "deduction_code": d.kind, "amount": _value(d.amount),
                 "note": d.note}
                for d in receipt.deductions.all()
            ],
            "net": _value(distribution.net),
            "pools": {
                "team_pct": _value(distribution.team_pct),
                "team_amount": _value(distribution.team_amount),
                "institution_pct": _value(distribution.institution_pct),
                "institution_amount": _value(distribution.institution_amount),
                "college_name": distribution.college_name,
                "college_pct": _value(distribution.college_pct),
                "college_amount": _value(distribution.college_amount),
            },
            "shares": [
                {"name": s.name, "title": s.title, "role": s.role, "main": s.is_main_contributor,
                 "contribution_pct": _value(s.contribution_pct), "amount": _value(s.amount)}
                for s in distribution.shares.all()
            ],
            "rules": {
                "name": pack.name,
                "version": pack.version,
                "floor_pct": _value(floor.pct),
                "floor_clause": floor.clause.rstrip("。"),  # printed inside brackets
                "main_floor_pct": _value(main_floor.pct),
                "main_floor_clause": main_floor.clause.rstrip("。"),
                "days": pack.reward_publicity_days,
                "working_days": pack.reward_publicity_working_days,
            },
        }


def reward_notice_title(distribution: Distribution) -> str:
    """Frozen in Chinese: the project and the income it distributes (a case has one per receipt)."""
    receipt = distribution.receipt
    case = receipt.contract.case
    with translation.override("zh-hans"):
        if receipt.profit_year:
            income = _("%(year)s年度营业利润") % {"year": receipt.profit_year}
        else:
            income = _("%(date)s到账%(kind)s") % {
                "date": long_date(receipt.received_on),
                "kind": receipt.get_kind_display(),
            }
        title = _("关于“%(name)s”科技成果转化收益（%(income)s）分配和奖励的公示")
        return title % {"name": case.title, "income": income}


def reward_search_text(title: str, content: dict[str, Any]) -> str:
    """What a transfer notice's search reads (title, project, institution, achievements and their numbers),
    the counterparty, and the people rewarded (their names are published)."""
    extra = [content.get("contract", {}).get("counterparty", ""), *(s.get("name", "") for s in content["shares"])]
    return "\n".join(p for p in [search_text(title, content), *extra] if p)


def _issue(distribution: Distribution, *, number: str, year: int, sequence: int, version: int,
           deadline: Deadline, starts_at: Any, correction_reason: str = "") -> Notice:
    require_public_address()
    if pending_notice_of(distribution) is not None:
        raise ActionRefused(_("上一版公示文件尚在生成中，请稍后再试。"), code="notice_pending")
    title, content = reward_notice_title(distribution), reward_notice_content(distribution)
    return store_pending(case=distribution.receipt.contract.case, kind=NoticeKind.REWARD, distribution=distribution,
                         number=number, year=year, sequence=sequence, version=version, title=title,
                         content=content, search=reward_search_text(title, content), starts_at=starts_at,
                         ends_at=deadline.ends_at, fallback_years=deadline.fallback_years,
                         correction_reason=correction_reason)


def reward_notice_publish(*, distribution: Distribution) -> Notice:
    """Number and freeze the reward notice of a distribution just approved, inside the approving
    transaction; its period starts now and runs the institution's reward period. The PDF is rendered
    after the transaction commits, then the notice is public and the distribution published."""
    case = distribution.receipt.contract.case
    with transaction.atomic():
        now = clock.now()
        year = clock.in_china(now).year
        kind = NoticeKind.REWARD
        sequence = numbering.next_value(f"notice:{case.institution.code}:{kind}:{year}")
        number = f"{case.institution.code}-{NOTICE_KIND_CODES[kind]}-{year}-{sequence:03d}"
        return _issue(distribution, number=number, year=year, sequence=sequence, version=1,
                      deadline=publicity_deadline(now, clock_rules(distribution)), starts_at=now)


def current_reward_notice(distribution: Distribution, *, lock: bool = False) -> Notice | None:
    """The latest published version of the distribution's reward notice (a new approval after an upheld
    objection has a new number)."""
    notices = Notice.objects.select_for_update() if lock else Notice.objects
    return (
        notices.filter(distribution=distribution, kind=NoticeKind.REWARD)
        .exclude(status__in=[NoticeStatus.SUPERSEDED, NoticeStatus.PENDING])
        .order_by("-pk")
        .first()
    )


def sync_reward_dates(notice: Notice) -> None:
    """A version rendered on a later day than it was issued (its rendering failed and was retried) gives
    the public the whole period from the day it really goes public."""
    if clock.in_china(notice.issued_at).date() == clock.china_today():
        return
    with transaction.atomic():
        lock_case(notice.case_id)
        locked = Notice.objects.select_for_update().select_related("distribution__rule_pack").get(pk=notice.pk)
        if locked.status != NoticeStatus.PENDING or locked.distribution is None:
            return
        deadline = publicity_deadline(clock.now(), clock_rules(locked.distribution))
        locked.issued_at, locked.starts_at, locked.ends_at = clock.now(), clock.now(), deadline.ends_at
        locked.calendar_fallback_years = list(deadline.fallback_years)
        locked.save(update_fields=["issued_at", "starts_at", "ends_at", "calendar_fallback_years"])
    notice.refresh_from_db()


def reward_notice_published(notice: Notice) -> str:
    """The status a reward notice version takes when its PDF is stored (in the rendering transaction, the
    case locked), and its distribution is published. A distribution no longer approved or published
    (returned meanwhile) gets its version published withdrawn, never in publicity."""
    distribution = (Distribution.objects.select_for_update().filter(pk=notice.distribution_id).first()
                    if notice.distribution_id is not None else None)
    if distribution is None or distribution.status not in (Distribution.Status.APPROVED,
                                                            Distribution.Status.PUBLISHED):
        notice.withdrawal_reason = notice.withdrawal_reason or (distribution.decision_comment if distribution else "")
        return NoticeStatus.WITHDRAWN
    if distribution.status == Distribution.Status.APPROVED:
        distribution.status = Distribution.Status.PUBLISHED
        distribution.save(update_fields=["status"])
    return NoticeStatus.IN_PUBLICITY


# --------------------------------------------------------------------------------------------
# Objections: the notice is suspended, the case stays where it is


def reward_objection_received(notice: Notice, *, confirmation: str) -> None:
    """An objection filed on a reward notice in publicity (``objection_file``, under the case's and the
    notice's locks): the notice's clock stops; the case's stage does not move."""
    notice.status, notice.paused_at, notice.updated_at = NoticeStatus.SUSPENDED, clock.now(), clock.now()
    notice.save(update_fields=["status", "paused_at", "updated_at"])
    record_audit(notice.case, by=None, action="reward_objection_received", from_stage=notice.case.stage,
                 note="objection_received", note_params={"number": confirmation})
    officers = tuple(selectors.role_holders(notice.case.institution_id, ANSWERERS))
    events.emit(events.PeopleToTell(case=notice.case, recipients=officers, kind="reward_objection"))


def reward_objection_decide(*, distribution: Distribution, by: Any, upheld: bool, reply: str,
                            ip: str | None = None) -> Notice:
    """The TTO officer's answer to the objections of a suspended reward notice, published as its reply
    where the pack publishes replies.

    - Dismissed: publicity resumes with the days that remained (or, where the pack says so, the whole
      period again); the new end is published as a corrected version.
    - Upheld: the notice is withdrawn, the reply is the public reason, and the distribution goes back to
      the officer to adjust and submit again."""
    # an upheld objection's reply is the public reason the notice was withdrawn (and the officer's note)
    longest = PUBLIC_REASON_MAX if upheld else OBJECTION_REPLY_MAX
    reply = require_text(reply, gettext_lazy("答复意见"), max_length=longest)
    case = distribution.receipt.contract.case
    with transaction.atomic():
        locked_case = lock_case(case)
        if not permissions.has_role(by, locked_case.institution_id, ANSWERERS):
            raise ActionRefused(_("只有本单位技术转移办公室专员可以处理奖励公示的异议。"), code="forbidden")
        notice = current_reward_notice(distribution, lock=True)
        pending = Objection.objects.filter(notice__number=notice.number if notice else "",
                                           outcome=Objection.Outcome.PENDING)
        if notice is None or notice.status != NoticeStatus.SUSPENDED or not pending.exists():
            raise ActionRefused(_("该奖励公示没有待处理的异议。"), code="no_objection")
        if pending_notice_of(distribution) is not None:  # answered already: its corrected version is rendering
            raise ActionRefused(_("该异议已处理，恢复公示的更正版本正在生成。"), code="answered")
        distribution = Distribution.objects.select_for_update().get(pk=distribution.pk)
        pending.update(
            outcome=Objection.Outcome.UPHELD if upheld else Objection.Outcome.DISMISSED,
            reply=reply, replied_at=clock.now(),
        )
        if upheld:
            notice.status, notice.withdrawal_reason = NoticeStatus.WITHDRAWN, reply
            notice.paused_at, notice.updated_at = None, clock.now()
            notice.save(update_fields=["status", "withdrawal_reason", "paused_at", "updated_at"])
            distribution.status, distribution.decision_comment = Distribution.Status.RETURNED, reply
            distribution.save(update_fields=["status", "decision_comment"])
            record_audit(locked_case, by=by, action="uphold_reward_objection", from_stage=locked_case.stage,
                         comment=reply, ip=ip)
            return notice
        return _resume(notice, distribution, locked_case, by=by, reply=reply, ip=ip)


def _resume(notice: Notice, distribution: Distribution, case: Any, *, by: Any, reply: str,
            ip: str | None) -> Notice:
    assert notice.paused_at is not None
    rules = clock_rules(distribution)
    deadline = resume_deadline(notice.paused_at, clock.now(), notice.ends_at, rules,
                               restart=distribution.rule_pack.objection_restarts_clock)
    record_audit(case, by=by, action="dismiss_reward_objection", from_stage=case.stage, comment=reply, ip=ip)
    if deadline.ends_at == notice.ends_at:
        notice.status, notice.paused_at, notice.updated_at = NoticeStatus.IN_PUBLICITY, None, clock.now()
        notice.save(update_fields=["status", "paused_at", "updated_at"])
        return notice
    # the printed end is no longer true: a corrected version says the new one; the suspended version
    # takes no objection until it is superseded
    with translation.override("zh-hans"):
        reason = _("公示期间收到的异议经核查不成立，公示恢复，截止时间相应调整为 %(end)s。") % {
            "end": long_datetime(deadline.ends_at)
        }
    return _issue(distribution, number=notice.number, year=notice.year, sequence=notice.sequence,
                  version=notice.version + 1, deadline=deadline, starts_at=notice.starts_at,
                  correction_reason=reason)


# --------------------------------------------------------------------------------------------
# The end of the period


def payable_problem(distribution: Distribution, *, notice: Notice | bool | None = False) -> str:
    """Why the people of a distribution cannot be paid yet ("" when they can): its notice's period must
    be over with no objection pending or upheld. ``notice``: its current notice, when the caller has it."""
    if distribution.status == Distribution.Status.PAID:
        return ""
    if distribution.status != Distribution.Status.PUBLISHED:
        return _("分配方案尚未公示，不能发放奖励。")
    if notice is False:
        notice = current_reward_notice(distribution)
    assert notice is None or isinstance(notice, Notice)
    if notice is None or notice.status in (NoticeStatus.WITHDRAWN,):
        return _("奖励公示已撤销，不能发放奖励。")
    if notice.status == NoticeStatus.SUSPENDED:
        return _("奖励公示因异议暂停，异议处理完毕且公示期届满后方可发放。")
    if notice.status not in (NoticeStatus.IN_PUBLICITY, NoticeStatus.ENDED) or clock.now() < notice.ends_at:
        return _("奖励公示期至 %(end)s 届满，届满后方可发放。") % {"end": long_datetime(notice.ends_at)}
    return ""


def reward_notices_close_due() -> list[str]:
    """Reward notices whose period is over (and not suspended): ended. Idempotent (the beat job)."""
    due = Notice.objects.filter(kind=NoticeKind.REWARD, status=NoticeStatus.IN_PUBLICITY, ends_at__lte=clock.now())
    numbers = list(due.values_list("number", flat=True))
    due.update(status=NoticeStatus.ENDED, updated_at=clock.now())
    return numbers

