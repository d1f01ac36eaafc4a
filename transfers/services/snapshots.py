"""What a case said at a revision, and what changed between two revisions."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ..models import TransferCase

#: the fields a reviewer compares between revisions, with their labels
SNAPSHOT_FIELDS = [
    "title",
    "mode",
    "counterparty_name",
    "counterparty_credit_code",
    "counterparty_contact",
    "related_party",
    "related_party_statement",
    "pricing_method",
    "price_kind",
    "price_amount",
    "price_terms",
]


def case_snapshot(case: TransferCase) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in SNAPSHOT_FIELDS:
        value = getattr(case, name)
        display = getattr(case, f"get_{name}_display", None)
        data[name] = str(display()) if display else ("" if value is None else str(value))
    data["achievements"] = [
        {
            "title": a.title,
            "kind": str(a.get_kind_display()),
            "number": a.number_display,
            "inventors": [
                f"{i.name} {i.share}%{'*' if i.is_main_contributor else ''}" for i in a.inventors.all()
            ],
        }
        for a in case.achievements.order_by("pk")
    ]
    data["attachments"] = sorted(a.original_name for a in case.attachments.all())
    return data


def _achievements_text(items: list[dict[str, Any]]) -> str:
    return "；".join(f"{a['title']}（{a['kind']} {a['number']}；{'、'.join(a['inventors'])}）" for a in items)


def revision_changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of (label, old, new) for every field that differs between two snapshots."""
    rows = []
    for name in SNAPSHOT_FIELDS:
        if before.get(name) != after.get(name):
            label = TransferCase._meta.get_field(name).verbose_name
            rows.append({"label": label, "old": before.get(name, ""), "new": after.get(name, "")})
    if before.get("achievements") != after.get("achievements"):
        rows.append(
            {
                "label": _("科技成果"),
                "old": _achievements_text(before.get("achievements", [])),
                "new": _achievements_text(after.get("achievements", [])),
            }
        )
    if before.get("attachments") != after.get("attachments"):
        rows.append(
            {
                "label": _("附件"),
                "old": "、".join(before.get("attachments", [])),
                "new": "、".join(after.get("attachments", [])),
            }
        )
    return rows
