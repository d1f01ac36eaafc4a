"""Rule packs: editing never changes a version that cases may have pinned; it creates the next one.

A value below the floor the law sets is refused citing the clause (``LEGAL_FLOORS``; the 15 days of
publicity are the model's own validator). A pack of a province whose regulation sets a higher floor is
held to the province's (``PROVINCIAL_FLOORS``), citing its clause; a pack's jurisdiction passes to its
next versions and to an institution's own pack made from it. An institution admin's edit makes a version of the
institution's own pack (``rule_pack_new_version_for``): other institutions never move with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .. import clock
from ..models import Institution, Jurisdiction, RulePack

EDITABLE_FIELDS = (
    "name",
    "publicity_days",
    "publicity_includes_abstract",
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
    "reward_floor_profit_pct",
    "main_contributor_floor_pct",
    "reward_publicity_days",
    "reward_publicity_working_days",
    "clauses",
)


@dataclass(frozen=True)
class Bounds:
    """The least (and most) a rule may be; ``clause``: where the least comes from."""

    minimum: Decimal
    maximum: Decimal
    clause: Promise | None = None
    unit: str = ""


HUNDRED = Decimal("100")

#: the numbers with a floor in law (a pack may ask for more, never less) or a plain range
LEGAL_FLOORS: dict[str, Bounds] = {
    "reward_floor_transfer_pct": Bounds(
        Decimal("50"),
        HUNDRED,
        _("《中华人民共和国促进科技成果转化法》第四十五条第一款第（一）项：从转让净收入或者许可净收入中提取不低于百分之五十的比例"),
        "%",
    ),
    "reward_floor_equity_pct": Bounds(
        Decimal("50"),
        HUNDRED,
        _("《中华人民共和国促进科技成果转化法》第四十五条第一款第（二）项：从作价投资形成的股份或者出资比例中提取不低于百分之五十的比例"),
        "%",
    ),
    "reward_floor_profit_pct": Bounds(
        Decimal("5"),
        HUNDRED,
        _("《中华人民共和国促进科技成果转化法》第四十五条第一款第（三）项：将该项职务科技成果自行实施或者与他人合作实施的，应当在实施转化成功投产后连续三至五年，每年从实施该项科技成果的营业利润中提取不低于百分之五的比例"),
        "%",
    ),
    "main_contributor_floor_pct": Bounds(
        Decimal("50"),
        HUNDRED,
        _("国发〔2016〕16号：对研发和成果转化作出主要贡献的人员，获得奖励的份额不低于奖励总额的50%"),
        "%",
    ),
    "expert_quorum": Bounds(Decimal("1"), Decimal("50")),
    "reward_publicity_days": Bounds(Decimal("1"), Decimal("60")),
}

#: the provinces whose regulation binds their government-established universities and research institutes
#: to more than the law (each quoted from the regulation's text; the mandatory ones only: Beijing's and
#: Shanghai's 70% "可以" are a permission, not a floor). docs/rule-packs.md names the sources.
PROVINCIAL_FLOORS: dict[str, dict[str, Bounds]] = {
    Jurisdiction.ZHEJIANG: {
        "reward_floor_transfer_pct": Bounds(
            Decimal("70"),
            HUNDRED,
            _("《浙江省促进科技成果转化条例》第三十七条第一款第（一）项：以技术转让或者许可方式转化职务科技成果的，应当从技术转让或者许可所取得的净收入中提取不低于百分之七十的比例用于奖励"),
            "%",
        ),
        "reward_floor_equity_pct": Bounds(
            Decimal("70"),
            HUNDRED,
            _("《浙江省促进科技成果转化条例》第三十七条第一款第（二）项：以职务科技成果作价投资实施转化的，应当从作价投资取得的股份或者出资比例中提取不低于百分之七十的比例用于奖励"),
            "%",
        ),
        "main_contributor_floor_pct": Bounds(
            Decimal("70"),
            HUNDRED,
            _("《浙江省促进科技成果转化条例》第三十七条第二款：主要贡献人员获得奖励的份额不低于奖励总额的百分之七十"),
            "%",
        ),
        "reward_publicity_days": Bounds(
            Decimal("15"),
            Decimal("60"),
            _("《浙江省促进科技成果转化条例》第三十九条：奖励情况应当在所在单位公示，公示时间不少于十五日"),
        ),
    },
    Jurisdiction.SHANDONG: {
        "reward_floor_transfer_pct": Bounds(
            Decimal("70"),
            HUNDRED,
            _("《山东省促进科技成果转化条例》第三十四条第（一）项：将职务科技成果转让、许可给他人实施的，从该项科技成果转让净收入或者许可净收入中提取不低于百分之七十的比例"),
            "%",
        ),
        "reward_floor_equity_pct": Bounds(
            Decimal("70"),
            HUNDRED,
            _("《山东省促进科技成果转化条例》第三十四条第（二）项：将职务科技成果作价投资的，从该项科技成果形成的股份或者出资比例中提取不低于百分之七十的比例"),
            "%",
        ),
        "reward_floor_profit_pct": Bounds(
            Decimal("10"),
            HUNDRED,
            _("《山东省促进科技成果转化条例》第三十四条第（三）项：将职务科技成果自行实施或者与他人合作实施的，应当在实施转化成功投产后连续三至五年，每年从实施该项科技成果的营业利润中提取不低于百分之十的比例"),
            "%",
        ),
    },
    Jurisdiction.HENAN: {
        "reward_floor_transfer_pct": Bounds(
            Decimal("70"),
            HUNDRED,
            _("《河南省促进科技成果转化条例》第四十条第一款第（一）项：将该项职务科技成果转让、许可给他人实施的，从该项科技成果转让净收入或者许可净收入中提取不低于百分之七十的比例"),
            "%",
        ),
        "reward_floor_equity_pct": Bounds(
            Decimal("70"),
            HUNDRED,
            _("《河南省促进科技成果转化条例》第四十条第一款第（二）项：利用该项职务科技成果作价投资的，从该项科技成果形成的股份或者出资比例中提取不低于百分之七十的比例"),
            "%",
        ),
        "reward_floor_profit_pct": Bounds(
            Decimal("10"),
            HUNDRED,
            _("《河南省促进科技成果转化条例》第四十条第一款第（三）项：将该项职务科技成果自行实施或者与他人合作实施的，应当在实施转化成功投产后连续三至五年，每年从实施该项科技成果的营业利润中提取不低于百分之十的比例"),
            "%",
        ),
    },
}


#: what a province's regulation makes a notice print, which a pack of that province cannot switch off
PROVINCIAL_REQUIRED: dict[str, dict[str, Promise]] = {
    Jurisdiction.ZHEJIANG: {
        "publicity_includes_abstract":
            _("《浙江省促进科技成果转化条例》第十七条第二款：公示内容包括科技成果名称、内容摘要、转化方式、拟交易价格"),
    },
    Jurisdiction.HENAN: {
        "publicity_includes_abstract":
            _("《河南省促进科技成果转化条例》第二十条第二款：应当在本单位公示科技成果名称、内容摘要、转化方式、拟交易价格等信息"),
    },
}


def floors_for(jurisdiction: str) -> dict[str, Bounds]:
    """The bounds of a pack of ``jurisdiction``: the law's, raised where the province's regulation asks
    for more (and then citing it)."""
    floors = dict(LEGAL_FLOORS)
    for name, bounds in PROVINCIAL_FLOORS.get(jurisdiction, {}).items():
        if bounds.minimum > floors[name].minimum:
            floors[name] = bounds
    return floors


#: a stage's working days (an internal rule; the day of entry not counted)
DUE_DAYS_MAX = 365


def floor_errors(values: dict[str, Any], jurisdiction: str = Jurisdiction.NATIONAL) -> dict[str, ValidationError]:
    """Each value of ``values`` outside its bounds in ``jurisdiction``, with a message citing the clause of
    its floor (the message follows the field's label, on the form and in the error summary)."""
    errors: dict[str, ValidationError] = {}
    for name, bounds in floors_for(jurisdiction).items():
        value = values.get(name)
        if value is None:
            continue
        params = {"minimum": f"{bounds.minimum.normalize():f}{bounds.unit}",
                  "maximum": f"{bounds.maximum.normalize():f}{bounds.unit}", "clause": bounds.clause}
        if Decimal(value) < bounds.minimum:
            message = _("不得低于 %(minimum)s（%(clause)s）。") if bounds.clause else _("不得少于 %(minimum)s。")
            errors[name] = ValidationError(message, code="below_floor", params=params)
        elif Decimal(value) > bounds.maximum:
            errors[name] = ValidationError(_("不得超过 %(maximum)s。"), code="max_value", params=params)
    for name, clause in PROVINCIAL_REQUIRED.get(jurisdiction, {}).items():
        if name in values and not values[name]:
            errors[name] = ValidationError(_("本地区的条例要求如此，不能取消（%(clause)s）。"), code="required_by_law",
                                           params={"clause": clause})
    for stage, days in (values.get("stage_due_days") or {}).items():
        if not isinstance(days, int) or not 1 <= days <= DUE_DAYS_MAX:
            errors.setdefault("stage_due_days", ValidationError(
                _("各环节办理时限须为 1 至 %(max)d 个工作日（环节：%(stage)s）。"),
                code="invalid", params={"max": DUE_DAYS_MAX, "stage": stage},
            ))
    return errors


def _next_version(*, code: str, base: RulePack, changes: dict[str, Any]) -> RulePack:
    """Version n+1 of ``code`` (n: the highest there is, and at least ``base``'s when ``code`` is a
    new pack made from it), with ``base``'s values and ``changes``; floors and the model checked."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not rule pack fields: {sorted(unknown)}")
    values = {name: getattr(base, name) for name in EDITABLE_FIELDS}
    values.update(changes)
    errors = floor_errors(values, base.jurisdiction)
    if errors:
        raise ValidationError(errors)
    # lock the pack's versions, then take the highest (FOR UPDATE does not mix with aggregates)
    versions = list(RulePack.objects.select_for_update().filter(code=code).values_list("version", flat=True))
    latest = max(versions, default=0 if code == base.code else base.version)
    pack = RulePack(code=code, version=latest + 1, jurisdiction=base.jurisdiction, created_at=clock.now(), **values)
    pack.full_clean()
    pack.save()
    return pack


def rule_pack_new_version(*, base: RulePack, changes: dict[str, Any]) -> RulePack:
    """Create version n+1 of the pack from ``base`` with ``changes``; institutions that used any
    version of this pack move to the new one, cases keep the version they pinned."""
    with transaction.atomic():
        pack = _next_version(code=base.code, base=base, changes=changes)
        Institution.objects.filter(rule_pack__code=base.code).update(rule_pack=pack)
        return pack


def institution_pack_code(institution: Institution) -> str:
    """The code of the institution's own pack (institution codes hold no ``-``: never another's)."""
    return f"inst-{institution.code.lower()}"


def rule_pack_new_version_for(*, institution: Institution, changes: dict[str, Any]) -> RulePack:
    """The institution's next version: of its own pack, made from the pack it uses now (the first
    edit of a shared pack such as ``national`` starts the institution's own). Only this institution
    moves to it; other institutions and every case keep theirs."""
    with transaction.atomic():
        pack = _next_version(code=institution_pack_code(institution), base=institution.rule_pack, changes=changes)
        Institution.objects.filter(pk=institution.pk).update(rule_pack=pack)
        institution.rule_pack = pack
        return pack
