"""Permission-scoped reads: every query that depends on who is asking goes through here."""

from .cases import (
    OBJECTOR_READERS,
    attachment_visible_to,
    case_timeline,
    case_visible_to,
    cases_visible_to,
    filing_institutions,
    notice_public_get,
    notice_public_list,
    notice_public_replies,
    notice_public_with_status,
    objection_evidence_visible_to,
    objections_of,
    role_holders,
    selectable_achievements,
)

__all__ = [
    "OBJECTOR_READERS",
    "attachment_visible_to",
    "case_timeline",
    "case_visible_to",
    "cases_visible_to",
    "filing_institutions",
    "notice_public_get",
    "notice_public_list",
    "notice_public_replies",
    "notice_public_with_status",
    "objection_evidence_visible_to",
    "objections_of",
    "role_holders",
    "selectable_achievements",
]
