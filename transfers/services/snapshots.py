"""What a case said at a revision, and what changed between two revisions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from ..models import AchievementKind, TransferCase
from ..validators import format_wan_yuan
from ..wording import join_clauses, join_names

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
    """The case's content as codes and values, never labels: shown in the reader's language by
    ``revision_changes`` (so a resubmission in English does not show every choice as changed)."""
    data: dict[str, Any] = {}
    for name in SNAPSHOT_FIELDS:
        value = getattr(case, name)
        data[name] = value if isinstance(value, bool) else ("" if value is None else str(value))
    data["achievements"] = [
        {
            "title": a.title,
            "kind": a.kind,
            "number": a.number_display,
            "inventors": [
                f"{i.name} {i.share}%{'*' if i.is_main_contributor else ''}" for i in a.inventors.all()
            ],
        }
        for a in case.achievements.order_by("pk")
    ]
    data["attachments"] = sorted(a.original_name for a in case.attachments.all())
    return data


def _shown(name: str, value: Any) -> str:
    """A snapshot value in the reader's language: a choice by its label, a yes/no, an amount."""
    field = TransferCase._meta.get_field(name)
    if isinstance(value, bool) or name == "related_party":
        return str(_("是") if value in (True, "True") else _("否"))
    choices = dict(field.choices or [])
    if value in choices:
        return str(choices[value])
    if name == "price_amount" and value:
        try:
            return format_wan_yuan(Decimal(value))
        except ArithmeticError:
            return str(value)
    return "" if value is None else str(value)


def _achievements_text(items: list[dict[str, Any]]) -> str:
    kinds = dict(AchievementKind.choices)
    return join_clauses(
        _("%(title)s（%(kind)s %(number)s；%(inventors)s）")
        % {"title": a["title"], "kind": kinds.get(a["kind"], a["kind"]), "number": a["number"],
           "inventors": join_names(a["inventors"])}
        for a in items
    )


def revision_changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of (label, old, new) for every field that differs between two snapshots."""
    rows = []
    for name in SNAPSHOT_FIELDS:
        if before.get(name) != after.get(name):
            label = TransferCase._meta.get_field(name).verbose_name
            old, new = _shown(name, before.get(name, "")), _shown(name, after.get(name, ""))
            rows.append({"label": label, "old": old, "new": new})
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
                "old": join_names(before.get("attachments", [])),
                "new": join_names(after.get("attachments", [])),
            }
        )
    return rows
