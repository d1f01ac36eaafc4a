"""The case row lock every write takes first (the lock order: case, then flow, then notice)."""

from __future__ import annotations

from ..models import TransferCase


def lock_case(case: TransferCase | int) -> TransferCase:
    """The case (or the case of this pk) read afresh under ``SELECT … FOR UPDATE``; ``of=("self",)``
    locks the case row only (PostgreSQL refuses FOR UPDATE on the nullable rule_pack join)."""
    pk = case if isinstance(case, int) else case.pk
    return (
        TransferCase.objects.select_for_update(of=("self",))
        .select_related("institution", "rule_pack")
        .get(pk=pk)
    )
