"""The rules a case is held to, each beside the clause it comes from (shown on the case page)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import RulePack, TransferCase

CIVIL_CODE_201 = gettext_lazy("《民法典》第二百零一条：按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算。")
CIVIL_CODE_203 = gettext_lazy(
    "《民法典》第二百零三条：期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日。"
)
OBJECTION_PROCEDURE = gettext_lazy(
    "国发〔2016〕16号：单位应当明确并公开异议处理程序和办法（本项为单位依此确定的办法）。"
)
INSTITUTION_RULE = gettext_lazy("单位内部管理规定（由单位管理员在规则包中设定）。")

#: the rules shown, in the order of the process; a clause the pack does not name falls back to these
RULES: list[tuple[str, Any]] = [
    ("publicity_days", None),
    ("publicity_working_days", CIVIL_CODE_203),
    ("publicity_start_day_counts", CIVIL_CODE_201),
    ("publicity_closing_time", INSTITUTION_RULE),
    ("publicity_includes_abstract", INSTITUTION_RULE),
    ("objection_restarts_clock", OBJECTION_PROCEDURE),
    ("correction_restarts_clock", OBJECTION_PROCEDURE),
    ("publish_objection_replies", OBJECTION_PROCEDURE),
    ("expert_quorum", INSTITUTION_RULE),
    ("reward_publicity_days", INSTITUTION_RULE),
    ("reward_publicity_working_days", INSTITUTION_RULE),
    ("reward_floor_transfer_pct", None),
    ("reward_floor_equity_pct", None),
    ("reward_floor_profit_pct", None),
    ("main_contributor_floor_pct", None),
]


def _value(pack: RulePack, name: str) -> str:
    value = getattr(pack, name)
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    if isinstance(value, Decimal):
        return f"{value.normalize():f}%"
    if name == "publicity_days":
        unit = _("个工作日") if pack.publicity_working_days else _("日")
        return f"{value} {unit}"
    if name == "reward_publicity_days":
        unit = _("个工作日") if pack.reward_publicity_working_days else _("日")
        return f"{value} {unit}"
    if name == "publicity_closing_time":
        return _("%(time)s（北京时间）") % {"time": value.strftime("%H:%M")}
    return str(value)


def rule_clause(pack: RulePack, name: str) -> str:
    """The clause a rule of the pack comes from: the pack's own, else the floor's in the pack's jurisdiction,
    else the general one (or '')."""
    from ..services.rules import floors_for

    floor = floors_for(pack.jurisdiction).get(name)
    fallback = (floor.clause if floor else None) or dict(RULES).get(name)
    return pack.clause(name) or (str(fallback) if fallback else "")


def rule_rows(pack: RulePack) -> list[dict[str, Any]]:
    """Each rule of the pack with its label, value and clause, in the order of the process."""
    rows = []
    for name, _fallback in RULES:
        label = RulePack._meta.get_field(name).verbose_name  # type: ignore[union-attr]
        rows.append({"name": name, "label": label, "value": _value(pack, name), "clause": rule_clause(pack, name)})
    return rows


def rules_applied(case: TransferCase) -> dict[str, Any]:
    """The pack the case keeps (pinned at submission; a draft reads the institution's current one)
    and each rule with its value and clause."""
    pack = case.applicable_rule_pack
    return {"pack": pack, "pinned": case.rule_pack_id is not None, "rows": rule_rows(pack)}


#: rule pack versions by id, as read once by this process: a version is never changed (``RulePack.save``
#: refuses; a change is a new version), so what was read stays true
_PACKS: dict[int, RulePack] = {}


def rule_packs_by_id(ids: set[int]) -> dict[int, RulePack]:
    """The pack versions of ``ids``: those this process has not read yet in one query, the others none."""
    missing = {pk for pk in ids if pk is not None and pk not in _PACKS}
    if missing:
        _PACKS.update(RulePack.objects.in_bulk(missing))
    return {pk: _PACKS[pk] for pk in ids if pk in _PACKS}
