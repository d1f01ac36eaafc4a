"""Paying the people of a distribution once its reward notice's period is over with no objection pending
or upheld (issue 10): each payment recorded with its date and amount, audited.

The amount paid is the amount published, in yuan (万元 × 10,000, rounded half-up to the fen: whole yuan
already, by the rule of ``transfers.money``); the income tax the payroll withholds is not the
institution's reward to change. An equity reward is the shares themselves: its date is when they were
transferred to the person, and no yuan are recorded."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import clock
from ..models import Distribution, ReceiptKind, RewardShare, TransferCase
from ..validators import format_wan_yuan
from .cases import check_date, record_audit
from .contracts import require_officer
from .errors import ActionRefused
from .locking import lock_case
from .reward_notices import current_reward_notice, payable_problem

FEN = Decimal("0.01")
YUAN_PER_WAN = Decimal(10000)


def in_yuan(wan_yuan: Decimal) -> Decimal:
    """万元 to yuan, rounded half-up to the fen."""
    return (wan_yuan * YUAN_PER_WAN).quantize(FEN, rounding=ROUND_HALF_UP)


def rewards_pay(*, distribution: Distribution, by: Any, positions: Sequence[int], paid_on: datetime.date | None,
                ip: str | None = None) -> TransferCase:
    """Record that the people at ``positions`` were paid on ``paid_on``. Refused, changing nothing, before
    the notice's period is over, for a date before its end or in the future, or for someone already
    paid. When everyone is paid the distribution is paid."""
    case = distribution.receipt.contract.case
    label = gettext_lazy("发放日期")
    if paid_on is None:
        raise ActionRefused(_("请填写%(field)s。") % {"field": label}, code="required")
    if not positions:
        raise ActionRefused(_("请选择已发放奖励的人员。"), code="required")
    with transaction.atomic():
        locked = lock_case(case)
        require_officer(locked, by)
        distribution = Distribution.objects.select_for_update().select_related("receipt").get(pk=distribution.pk)
        problem = payable_problem(distribution)
        if problem:
            raise ActionRefused(problem, code="not_payable")
        notice = current_reward_notice(distribution)
        assert notice is not None
        check_date(paid_on, label, not_before=clock.in_china(notice.ends_at).date())
        shares = {s.position: s for s in RewardShare.objects.select_for_update().filter(distribution=distribution)}
        chosen = [shares.get(position) for position in dict.fromkeys(positions)]
        if any(share is None for share in chosen):
            raise ActionRefused(_("所选人员不在该分配方案中。"), code="unknown_person")
        equity = distribution.receipt.kind == ReceiptKind.EQUITY
        for share in chosen:
            assert share is not None
            if share.paid_on is not None:
                raise ActionRefused(_("%(name)s 的奖励已于 %(date)s 登记发放。")
                                    % {"name": share.name, "date": share.paid_on.isoformat()}, code="already_paid")
            share.paid_on, share.paid_yuan = paid_on, None if equity else in_yuan(share.amount)
            share.save(update_fields=["paid_on", "paid_yuan"])
        if all(s.paid_on is not None for s in shares.values()):
            distribution.status = Distribution.Status.PAID
            distribution.save(update_fields=["status"])
        paid = [s for s in chosen if s is not None]
        record_audit(locked, by=by, action="pay_rewards", from_stage=locked.stage, ip=ip,
                     note="equity_rewards_paid" if equity else "rewards_paid",
                     note_params={"date": paid_on.isoformat(), "names": "、".join(s.name for s in paid),
                                  "total": format_wan_yuan(sum((s.amount for s in paid), Decimal(0)))})
        return locked

