"""Corrections of a notice in publicity: a TTO officer publishes a corrected version of the public
facts with a reason. The number stays, the version goes up, the old version stays at its URL marked
superseded; the clock restarts or continues per rule pack (国发〔2016〕16号：公示时间不少于15日).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import clock, permissions
from ..limits import CORRECTION_REASON_MAX
from ..models import ACTION_LABELS, Notice, Role, Stage, TransferCase
from ..publicity_clock import publicity_deadline
from .cases import clock_rules, record_audit, require_text
from .errors import ActionRefused
from .filing import clean_correction, refresh_search_text
from .locking import lock_case
from .notices import notice_publish_correction, pending_notice


def may_correct_notice(case: TransferCase, user: Any) -> bool:
    """A notice in publicity may be corrected by a TTO officer of the case's institution, once the
    version before is published (not while it is still rendering)."""
    return (
        case.stage == Stage.PUBLICITY
        and permissions.has_role(user, case.institution_id, [Role.TTO_OFFICER])
        and pending_notice(case) is None
    )


def case_correct_notice(
    *, case: TransferCase, by: Any, fields: dict[str, Any], reason: str, ip: str | None = None
) -> Notice:
    """Publish a corrected version of the case's notice (same number, version + 1) with the
    corrected public facts; the old version stays at its URL, superseded. The clock restarts or
    continues per rule pack. The stage does not change: the correction is audited as such."""
    with transaction.atomic():
        locked = lock_case(case)
        if locked.stage != Stage.PUBLICITY:
            raise ActionRefused(
                _("案件当前处于“%(stage)s”环节，只有公示中的公示可以更正。") % {"stage": locked.get_stage_display()},
                code="wrong_stage",
            )
        if pending_notice(locked) is not None:
            raise ActionRefused(_("上一版公示文件尚在生成中，请稍后再试。"), code="notice_pending")
        if not may_correct_notice(locked, by):
            raise ActionRefused(
                _("您没有在本案件当前环节执行“%(action)s”的权限。") % {"action": ACTION_LABELS["correct_notice"]},
                code="forbidden",
            )
        reason = require_text(reason, gettext_lazy("更正原因"), max_length=CORRECTION_REASON_MAX)
        cleaned = clean_correction(fields)
        changed = {k: v for k, v in cleaned.items() if getattr(locked, k) != v}
        if not changed:
            raise ActionRefused(_("更正内容与现行公示相同，无需更正。"), code="unchanged")
        for name, value in changed.items():
            setattr(locked, name, value)
        fallback_years: tuple[int, ...] | None = None
        if locked.applicable_rule_pack.correction_restarts_clock:
            deadline = publicity_deadline(clock.now(), clock_rules(locked))
            locked.publicity_started_at = clock.now()
            locked.publicity_ends_at = deadline.ends_at
            fallback_years = deadline.fallback_years
        locked.save(update_fields=[*changed, "publicity_started_at", "publicity_ends_at"])
        if "counterparty_name" in changed:
            refresh_search_text([locked.pk])
        notice = notice_publish_correction(case=locked, reason=reason, fallback_years=fallback_years)
        record_audit(locked, by=by, action="correct_notice", from_stage=locked.stage, comment=reason, ip=ip)
        return notice
