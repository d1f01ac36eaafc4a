"""The reward split of each receipt (收益分配与奖励), by the floors of the rule pack applied.

For each receipt the TTO officer proposes the distribution: the team's share of the net income (never
below the pack's floor for the kind of income: 促进科技成果转化法 第四十五条, seed 003 三.8; an
institution may set more, never less), the institution's and its college's shares, then the team's
share per person by contribution, the main contributors' floor checked (国发〔2016〕16号). The officer may
adjust the per-person amounts within the floors, with a reason that is audited. Amounts are split by
the rule of ``transfers.money``: every split adds up exactly and rounding never takes a yuan from the
side a floor protects.

The pack applied is chosen and recorded: the case's pinned version, or a later version of the same
pack or of the institution's current one (real notices apply a newer institutional rule than the
contract's year), never an older one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import CharField, Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .. import clock, events, permissions
from ..models import Distribution, Inventor, Receipt, ReceiptKind, RewardShare, Role, RulePack, TransferCase
from ..money import HUNDRED, UNIT, Contributor, split_exact, split_protected, split_team
from ..validators import format_wan_yuan
from .cases import record_audit, require_text
from .contracts import line, require_officer, require_reward_stage
from .errors import ActionRefused
from .locking import lock_case
from .rules import floors_for

#: the pack's floor for the team's share, by the kind of income distributed
FLOOR_FIELDS = {
    ReceiptKind.PAYMENT: "reward_floor_transfer_pct",
    ReceiptKind.ROYALTY: "reward_floor_transfer_pct",
    ReceiptKind.EQUITY: "reward_floor_equity_pct",
    ReceiptKind.PROFIT: "reward_floor_profit_pct",
}
ADJUSTMENT_REASON_MAX = 500
#: who approves a distribution for the institution (the TTO's head: 科技成果转化管理部门负责人)
APPROVER_ROLES = (Role.TTO_HEAD,)


def _longest(name: str) -> int:
    """What a person's column of ``RewardShare`` holds."""
    field = RewardShare._meta.get_field(name)
    assert isinstance(field, CharField)
    return int(field.max_length or 0)
MAX_PEOPLE = 60


@dataclass(frozen=True)
class Floor:
    """A floor of the pack applied, with the clause it comes from (the pack's own, else the law's)."""

    field: str
    pct: Decimal
    clause: str


def floor_of(pack: RulePack, field: str) -> Floor:
    legal = floors_for(pack.jurisdiction)[field].clause
    return Floor(field=field, pct=getattr(pack, field), clause=pack.clause(field) or (str(legal) if legal else ""))


@dataclass(frozen=True)
class Person:
    """One person of the team as the officer proposes them (name, title, role, contribution share)."""

    name: str
    contribution_pct: Decimal
    is_main_contributor: bool
    title: str = ""
    role: str = ""
    inventor_id: int | None = None


@dataclass(frozen=True)
class Ratios:
    team_pct: Decimal
    institution_pct: Decimal
    college_pct: Decimal = Decimal(0)
    college_name: str = ""


#: a person's role as a notice prints it (data, in Chinese whatever the officer's language)
INVENTOR_ROLE = "专利发明人"
CREATOR_ROLE = "成果完成人"
PATENT_KINDS = ("patent", "utility_model", "application")


def team_of(case: TransferCase) -> list[Person]:
    """The inventors of the case's achievements as the team, with their contribution shares. Each
    achievement weighs the same. A person named in several is one person: the same account when the
    inventor has one, else the same name (the officer checks the list before proposing). Shares are exact
    to four decimals and add up to 100; the main contributors' part is rounded up, so their floor is never
    missed by rounding (``transfers.money``)."""
    achievements = list(case.achievements.prefetch_related("inventors").order_by("pk"))
    merged: dict[Any, dict[str, Any]] = {}
    for achievement in achievements:
        inventors = list(achievement.inventors.all())  # ordered by position (the model's ordering)
        total = sum((i.share for i in inventors), Decimal(0))
        if not total:
            continue
        patent = any(word in achievement.kind for word in PATENT_KINDS)
        for inventor in inventors:
            key = ("user", inventor.user_id) if inventor.user_id else ("name", inventor.name)
            entry = merged.setdefault(key, {"name": inventor.name, "weight": Fraction(0), "main": False,
                                            "id": inventor.pk, "role": INVENTOR_ROLE if patent else CREATOR_ROLE})
            entry["weight"] += Fraction(inventor.share) / Fraction(total)
            entry["main"] = entry["main"] or inventor.is_main_contributor
    if not merged:
        return []
    entries = list(merged.values())
    weight = sum((e["weight"] for e in entries), Fraction(0))
    main_pct = sum((e["weight"] for e in entries if e["main"]), Fraction(0)) * 100 / weight
    main_pool, (rest,) = split_protected(HUNDRED, main_pct, [100 - main_pct])
    shares: dict[int, Decimal] = {}
    for pool, group in ((main_pool, [n for n, e in enumerate(entries) if e["main"]]),
                        (rest, [n for n, e in enumerate(entries) if not e["main"]])):
        if group and pool:
            for n, part in zip(group, split_exact(pool, [entries[n]["weight"] for n in group]), strict=True):
                shares[n] = part
    return [Person(name=e["name"], contribution_pct=shares.get(n, Decimal(0)).quantize(UNIT),
                   is_main_contributor=e["main"], role=e["role"], inventor_id=e["id"])
            for n, e in enumerate(entries)]


def applicable_packs(case: TransferCase) -> list[RulePack]:
    """The packs a distribution of this case may apply, newest first: the pinned version and the later
    versions of its pack, and the institution's current pack with its versions made since the pin."""
    pinned = case.applicable_rule_pack
    current = case.institution.rule_pack
    packs = RulePack.objects.filter(Q(code=pinned.code, version__gte=pinned.version)
                                    | Q(code=current.code, created_at__gte=pinned.created_at) | Q(pk=current.pk))
    return sorted(packs, key=lambda p: (p.pk != pinned.pk, -p.created_at.timestamp(), -p.version))


def default_ratios(case: TransferCase, receipt: Receipt) -> Ratios:
    """What the proposal form starts from: the team 70% (a common institutional ratio) or the pinned
    pack's floor if higher, the rest to the institution."""
    floor = floor_of(case.applicable_rule_pack, FLOOR_FIELDS[ReceiptKind(receipt.kind)]).pct
    team = max(floor, Decimal(70)).normalize()
    return Ratios(team, (HUNDRED - team).normalize())


def _refuse_floor(label: str | Promise, floor: Floor) -> ActionRefused:
    return ActionRefused(
        _("%(label)s不得低于 %(floor)s%%（%(clause)s）。")
        % {"label": label, "floor": f"{floor.pct.normalize():f}", "clause": floor.clause},
        code="below_floor",
    )


def _check_ratios(ratios: Ratios, floor: Floor) -> None:
    for value in (ratios.team_pct, ratios.institution_pct, ratios.college_pct):
        if value < 0 or value > HUNDRED or value != value.quantize(UNIT):
            raise ActionRefused(_("分配比例须在 0 至 100 之间，最多 4 位小数。"), code="percent")
    total = ratios.team_pct + ratios.institution_pct + ratios.college_pct
    if total != HUNDRED:
        raise ActionRefused(_("团队、学校和学院（中心）的比例合计为 %(total)s%%，须为 100%%。")
                            % {"total": f"{total.normalize():f}"}, code="ratios_total")
    if ratios.team_pct < floor.pct:
        raise _refuse_floor(_("成果完成团队的比例"), floor)
    if ratios.college_pct and not ratios.college_name.strip():
        raise ActionRefused(_("请填写分得收益的学院（中心）名称。"), code="required")


def _check_people(people: Sequence[Person], main_floor: Floor) -> None:
    if not people:
        raise ActionRefused(_("请至少填写一名获奖人员。"), code="people")
    if len(people) > MAX_PEOPLE:
        raise ActionRefused(_("获奖人员最多 %(max)d 人。") % {"max": MAX_PEOPLE}, code="people")
    for person in people:
        if person.contribution_pct < 0 or person.contribution_pct != person.contribution_pct.quantize(UNIT):
            raise ActionRefused(_("%(name)s 的贡献份额须为 0 至 100，最多 4 位小数。") % {"name": person.name},
                                code="percent")
    total = sum((p.contribution_pct for p in people), Decimal(0))
    if total != HUNDRED:
        raise ActionRefused(_("获奖人员的贡献份额合计为 %(total)s%%，须为 100%%。")
                            % {"total": f"{total.normalize():f}"}, code="shares_total")
    main = sum((p.contribution_pct for p in people if p.is_main_contributor), Decimal(0))
    if main < main_floor.pct:
        raise _refuse_floor(_("主要贡献人员的奖励份额"), main_floor)


def _tell_approvers(case: TransferCase) -> None:
    """The institution's TTO heads hear that a distribution awaits them (in the app and by mail)."""
    heads = tuple(get_user_model().objects.filter(
        memberships__institution_id=case.institution_id, memberships__role__in=APPROVER_ROLES, is_active=True
    ).distinct())
    events.emit(events.PeopleToTell(case=case, recipients=heads, kind="distribution_to_approve"))


def distribution_propose(
    *,
    receipt: Receipt,
    by: Any,
    ratios: Ratios,
    rule_pack: RulePack | None = None,
    people: Sequence[Person] | None = None,
    ip: str | None = None,
) -> Distribution:
    """The proposed split of one receipt; ``people`` defaults to the case's inventors (``team_of``)."""
    case = receipt.contract.case
    with transaction.atomic():
        locked = lock_case(case)
        require_officer(locked, by)
        require_reward_stage(locked)
        receipt = Receipt.objects.select_for_update().select_related("contract").get(pk=receipt.pk)
        if Distribution.objects.filter(receipt=receipt).exists():
            raise ActionRefused(_("这笔收入已拟定分配方案。"), code="distributed")
        allowed = applicable_packs(locked)
        pack = rule_pack if rule_pack is not None else locked.applicable_rule_pack
        if pack.pk not in {p.pk for p in allowed}:
            raise ActionRefused(_("只能适用本案件锁定的规则版本或其后的新版本。"), code="rule_pack")
        floor = floor_of(pack, FLOOR_FIELDS[ReceiptKind(receipt.kind)])
        main_floor = floor_of(pack, "main_contributor_floor_pct")
        college_name = line(ratios.college_name, _("学院（中心）"), max_length=60, required=False)
        _check_ratios(ratios, floor)
        team = list(people) if people is not None else team_of(locked)
        team = [Person(line(p.name, _("姓名"), max_length=_longest("name")), p.contribution_pct,
                       p.is_main_contributor,
                       line(p.title, _("职称/职务"), max_length=_longest("title"), required=False),
                       line(p.role, _("角色"), max_length=_longest("role"), required=False), p.inventor_id)
                for p in team]
        _check_people(team, main_floor)
        net = receipt.net()
        if net <= 0:
            raise ActionRefused(_("这笔收入扣除后的净收入为零，没有可分配的奖励。"), code="nothing_to_split")
        team_amount, (institution_amount, college_amount) = split_protected(
            net, ratios.team_pct, [ratios.institution_pct, ratios.college_pct])
        amounts = split_team(team_amount, [Contributor(p.name, p.contribution_pct, p.is_main_contributor)
                                           for p in team])
        inventor_ids = set(Inventor.objects.filter(achievement__cases=locked).values_list("pk", flat=True))
        distribution = Distribution.objects.create(
            receipt=receipt, rule_pack=pack, floor_pct=floor.pct, net=net,
            team_pct=ratios.team_pct, institution_pct=ratios.institution_pct, college_pct=ratios.college_pct,
            college_name=college_name, team_amount=team_amount, institution_amount=institution_amount,
            college_amount=college_amount, proposed_by=by, proposed_at=clock.now(),
        )
        RewardShare.objects.bulk_create(
            RewardShare(distribution=distribution, position=n, name=p.name, title=p.title, role=p.role,
                        inventor_id=p.inventor_id if p.inventor_id in inventor_ids else None,
                        is_main_contributor=p.is_main_contributor, contribution_pct=p.contribution_pct,
                        amount=amount)
            for n, (p, amount) in enumerate(zip(team, amounts, strict=True), 1)
        )
        events.emit(events.DistributionSubmitted(distribution))
        _tell_approvers(locked)
        record_audit(locked, by=by, action="propose_distribution", from_stage=locked.stage, ip=ip,
                     note="equity_distribution_proposed" if receipt.kind == ReceiptKind.EQUITY
                     else "distribution_proposed",
                     note_params={"net": format_wan_yuan(net), "team": format_wan_yuan(team_amount),
                                  "pack": str(pack)})
        return distribution


@dataclass(frozen=True)
class ShareChange:
    """The officer's amount (万元) for one person of a proposed distribution, with their title and role."""

    position: int
    amount: Decimal
    title: str = ""
    role: str = ""


def distribution_adjust(
    *,
    distribution: Distribution,
    by: Any,
    changes: Sequence[ShareChange],
    reason: str,
    ip: str | None = None,
) -> Distribution:
    """Change the per-person amounts of a proposed distribution within the floors: they must add up to
    the team's share exactly and keep the main contributors' floor; the reason is required and audited."""
    reason = require_text(reason, _("调整理由"), max_length=ADJUSTMENT_REASON_MAX)
    case = distribution.receipt.contract.case
    with transaction.atomic():
        locked = lock_case(case)
        require_officer(locked, by)
        require_reward_stage(locked)
        distribution = Distribution.objects.select_for_update().select_related("rule_pack").get(pk=distribution.pk)
        if not distribution.adjustable:
            raise ActionRefused(_("分配方案已审批，不能再调整。"), code="not_proposed")
        resubmitted = distribution.status == Distribution.Status.RETURNED
        shares = {s.position: s for s in distribution.shares.all()}
        if sorted(c.position for c in changes) != sorted(shares):
            raise ActionRefused(_("请为方案中的每一位获奖人员填写金额。"), code="people")
        for change in changes:
            if change.amount < 0 or change.amount != change.amount.quantize(UNIT):
                raise ActionRefused(_("%(name)s 的奖励金额须为不小于零的万元数，最多 4 位小数（精确到元）。")
                                    % {"name": shares[change.position].name}, code="amount_invalid")
        total = sum((c.amount for c in changes), Decimal(0))
        if total != distribution.team_amount:
            raise ActionRefused(
                _("个人奖励合计 %(total)s 万元，须等于团队奖励 %(team)s 万元。")
                % {"total": format_wan_yuan(total), "team": format_wan_yuan(distribution.team_amount)},
                code="shares_total")
        main = sum((c.amount for c in changes if shares[c.position].is_main_contributor), Decimal(0))
        main_floor = floor_of(distribution.rule_pack, "main_contributor_floor_pct")
        if main * HUNDRED < main_floor.pct * distribution.team_amount:
            raise _refuse_floor(_("主要贡献人员的奖励份额"), main_floor)
        texts = {c.position: (line(c.title, _("职称/职务"), max_length=_longest("title"), required=False),
                              line(c.role, _("角色"), max_length=_longest("role"), required=False)) for c in changes}
        for change in changes:  # everything checked: now written
            share = shares[change.position]
            share.amount = change.amount
            share.title, share.role = texts[change.position]
            share.save(update_fields=["amount", "title", "role"])
        distribution.adjustment_reason = reason
        distribution.status = Distribution.Status.PROPOSED
        distribution.save(update_fields=["adjustment_reason", "status"])
        record_audit(locked, by=by, action="adjust_distribution", from_stage=locked.stage, comment=reason, ip=ip)
        if resubmitted:  # back to the approver
            events.emit(events.DistributionSubmitted(distribution))
            _tell_approvers(locked)
        return distribution


DECISION_COMMENT_MAX = 500


def distribution_decide(
    *,
    distribution: Distribution,
    by: Any,
    approve: bool,
    comment: str = "",
    ip: str | None = None,
) -> TransferCase:
    """The institution's decision on a proposed distribution: approved (its reward notice comes next), or
    returned to the officer with a reason. The approver holds the TTO head's role in the case's
    institution and is not the person who proposed it."""
    comment = (require_text(comment, _("退回理由"), max_length=DECISION_COMMENT_MAX) if not approve
               else line(comment, _("审批意见"), max_length=DECISION_COMMENT_MAX, required=False))
    case = distribution.receipt.contract.case
    with transaction.atomic():
        locked = lock_case(case)
        if not permissions.has_role(by, locked.institution_id, APPROVER_ROLES):
            raise ActionRefused(_("只有本单位技术转移办公室负责人可以审批收益分配方案。"), code="forbidden")
        distribution = Distribution.objects.select_for_update().get(pk=distribution.pk)
        if distribution.status != Distribution.Status.PROPOSED:
            raise ActionRefused(_("该分配方案当前为“%(status)s”，无需审批。")
                                % {"status": distribution.get_status_display()}, code="not_proposed")
        if distribution.proposed_by_id == by.pk:
            raise ActionRefused(_("拟定分配方案的人不能审批自己的方案。"), code="own_proposal")
        distribution.status = Distribution.Status.APPROVED if approve else Distribution.Status.RETURNED
        distribution.decided_by, distribution.decided_at, distribution.decision_comment = by, clock.now(), comment
        distribution.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
        record_audit(locked, by=by, action="approve_distribution" if approve else "return_distribution",
                     from_stage=locked.stage, comment=comment, ip=ip)
        if approve:  # its reward notice is numbered and frozen now, public once its PDF is rendered
            from .reward_notices import reward_notice_publish

            reward_notice_publish(distribution=distribution)
        return locked
