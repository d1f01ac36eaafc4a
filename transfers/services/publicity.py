"""The end of publicity by the legal clock: idempotent, run by beat and by hand."""

from __future__ import annotations

import logging

from .. import clock
from ..models import Stage, TransferCase
from .cases import case_finish_publicity
from .errors import ActionRefused

logger = logging.getLogger(__name__)


def publicity_close_due() -> list[str]:
    """Move every case whose publicity period is over (and not suspended by an objection) to
    implementation. Returns the references closed; a second run closes nothing more."""
    closed = []
    due = TransferCase.objects.filter(stage=Stage.PUBLICITY, publicity_ends_at__lte=clock.now()).order_by("pk")
    for case in due:
        try:
            case_finish_publicity(case=case, by=None, note="publicity_over")
        except ActionRefused:
            logger.info("publicity of %s not closed (changed meanwhile)", case.reference)
            continue
        closed.append(case.reference)
    return closed
