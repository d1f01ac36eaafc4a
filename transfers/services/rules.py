"""Rule packs: editing never changes a version that cases may have pinned; it creates the next one."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .. import clock
from ..models import Institution, RulePack

EDITABLE_FIELDS = (
    "name",
    "publicity_days",
    "publicity_working_days",
    "publicity_start_day_counts",
    "publicity_closing_time",
    "stage_due_days",
    "expert_quorum",
    "objection_restarts_clock",
    "correction_restarts_clock",
    "publish_objection_replies",
    "reward_floor_transfer_pct",
    "reward_floor_equity_pct",
    "main_contributor_floor_pct",
    "clauses",
)


def rule_pack_new_version(*, base: RulePack, changes: dict[str, Any]) -> RulePack:
    """Create version n+1 of the pack from ``base`` with ``changes``; institutions that used any
    version of this pack move to the new one, cases keep the version they pinned."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not rule pack fields: {sorted(unknown)}")
    with transaction.atomic():
        # lock the pack's versions, then take the highest (FOR UPDATE does not mix with aggregates)
        latest = max(RulePack.objects.select_for_update().filter(code=base.code).values_list("version", flat=True))
        values = {name: getattr(base, name) for name in EDITABLE_FIELDS}
        values.update(changes)
        pack = RulePack(code=base.code, version=latest + 1, created_at=clock.now(), **values)
        pack.full_clean()
        pack.save()
        Institution.objects.filter(rule_pack__code=base.code).update(rule_pack=pack)
        return pack
