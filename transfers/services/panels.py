"""The 论证 expert panel (seed 003 三.2 论证): the TTO officer forms it, each expert first declares
whether they have a conflict of interest, those who sit give independent scored opinions, and the
officer concludes once the quorum of opinions is in.

How many opinions close the panel comes from the case's pinned rule pack (``expert_quorum``, an
institutional rule); the officer may invite more experts than that and sets how many of the quorum
must approve (at least a majority of it). Each service locks the case, checks the person and the
panel's state, and refuses with a translated message, changing nothing.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import clock, events, permissions
from ..limits import COMMENT_MAX, PUBLIC_REASON_MAX
from ..models import ExpertOpinion, ExpertPanel, Inventor, Membership, PanelSeat, Role, Stage, TransferCase
from ..selectors import role_holders
from ..wording import person_name
from .cases import _fire, _guard, limit_text, record_audit, require_text
from .errors import ActionRefused
from .locking import lock_case

SCORE_RANGE = range(1, 6)


def _normal(text: str) -> str:
    """Compare names and organisations ignoring width, case and spaces (全角/半角, 有限公司 spacing)."""
    return "".join(unicodedata.normalize("NFKC", text or "").split()).casefold()


@dataclass(frozen=True)
class Candidate:
    """An expert of the institution and, if they may not sit on this case's panel, why."""

    user: Any
    external: bool
    affiliation: str
    conflict: str

    @property
    def name(self) -> str:
        return person_name(self.user)


def _conflict(case: TransferCase, user: Any, affiliation: str, inventors: list[Inventor]) -> str:
    """Why ``user`` may not judge ``case`` (empty if nothing is known against them)."""
    name = _normal(person_name(user))
    if user.pk == case.created_by_id:
        return _("本案申请人")
    for inventor in inventors:
        if inventor.user_id == user.pk or (name and _normal(inventor.name) == name):
            return _("本案成果完成人")
    counterparty = _normal(case.counterparty_name)
    tied = _normal(affiliation)
    if tied and counterparty and (tied in counterparty or counterparty in tied):
        return _("工作单位与受让方相同或关联")
    if name and name in _normal(case.counterparty_contact + case.related_party_statement):
        return _("列为受让方联系人或关联方")
    return ""


def panel_candidates(case: TransferCase) -> list[Candidate]:
    """The experts of the case's institution, each with a known conflict of interest or none."""
    inventors = list(Inventor.objects.filter(achievement__cases=case))
    memberships = (
        Membership.objects.filter(institution_id=case.institution_id, role=Role.EXPERT, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    return [
        Candidate(m.user, m.external, m.affiliation, _conflict(case, m.user, m.affiliation, inventors))
        for m in memberships
    ]


def _require_officer(locked: TransferCase, by: Any) -> None:
    if not permissions.has_role(by, locked.institution_id, [Role.TTO_OFFICER]):
        raise ActionRefused(_("只有技术转移办公室专员可以组建和管理论证专家组。"), code="forbidden")


def _require_demonstration(locked: TransferCase) -> None:
    if locked.stage != Stage.DEMONSTRATION:
        raise ActionRefused(
            _("案件当前处于“%(stage)s”环节，论证专家组已不能变更。") % {"stage": locked.get_stage_display()},
            code="wrong_stage",
        )


def _open_panel(locked: TransferCase) -> ExpertPanel:
    panel = locked.current_panel()
    if panel is None or not panel.is_open:
        raise ActionRefused(_("本案当前没有进行中的论证专家组。"), code="no_panel")
    return panel


def _eligible(locked: TransferCase, experts: list[Any]) -> None:
    candidates = {c.user.pk: c for c in panel_candidates(locked)}
    for expert in experts:
        candidate = candidates.get(expert.pk)
        if candidate is None:
            raise ActionRefused(
                _("%(name)s 不是本单位的论证专家。") % {"name": person_name(expert)}, code="not_expert"
            )
        if candidate.conflict:
            raise ActionRefused(
                _("%(name)s 须回避（%(reason)s），不能参加本案论证。")
                % {"name": candidate.name, "reason": candidate.conflict},
                code="conflict",
            )


def _tell(case: TransferCase, people: list[Any], kind: str, **params: Any) -> None:
    events.emit(events.PeopleToTell(case=case, recipients=tuple(people), kind=kind, params=params))


def _officers(case: TransferCase) -> list[Any]:
    return list(role_holders(case.institution_id, [Role.TTO_OFFICER]))


def majority(quorum: int) -> int:
    return quorum // 2 + 1


def panel_form(
    *, case: TransferCase, by: Any, experts: list[Any], approvals_needed: int, ip: str | None = None
) -> ExpertPanel:
    """Invite the experts; the quorum is the pinned rule pack's ``expert_quorum``."""
    with transaction.atomic():
        locked = lock_case(case)
        _require_demonstration(locked)
        _require_officer(locked, by)
        if locked.current_panel() is not None:
            raise ActionRefused(_("本轮论证的专家组已经组建。"), code="panel_exists")
        pack = locked.applicable_rule_pack
        quorum = pack.expert_quorum
        experts = list({e.pk: e for e in experts}.values())
        if len(experts) < quorum:
            clause = pack.clause("expert_quorum") or _("单位内部管理规定")
            raise ActionRefused(
                _("论证专家不得少于 %(quorum)d 人（%(clause)s），目前选择了 %(count)d 人。")
                % {"quorum": quorum, "clause": clause, "count": len(experts)},
                code="below_quorum",
            )
        if not majority(quorum) <= approvals_needed <= quorum:
            raise ActionRefused(
                _("须同意的专家人数应在 %(low)d 至 %(high)d 人之间（应收意见 %(quorum)d 份的过半数至全部）。")
                % {"low": majority(quorum), "high": quorum, "quorum": quorum},
                code="approvals_out_of_range",
            )
        _eligible(locked, experts)
        panel = ExpertPanel.objects.create(
            case=locked, revision=locked.revision, quorum=quorum, approvals_needed=approvals_needed,
            formed_by=by, formed_at=clock.now(),
        )
        PanelSeat.objects.bulk_create([PanelSeat(panel=panel, expert=e, invited_at=clock.now()) for e in experts])
        _tell(locked, experts, "panel_invitation")
        names = "、".join(person_name(e) for e in experts)
        record_audit(locked, by=by, action="form_panel", from_stage=locked.stage, ip=ip,
                     note="panel_formed", note_params={"experts": names, "quorum": quorum,
                                                       "approvals": approvals_needed})
        return panel


def _locked_seat(seat: PanelSeat) -> tuple[TransferCase, PanelSeat]:
    locked = lock_case(seat.panel.case_id)
    seat = PanelSeat.objects.select_related("panel").get(pk=seat.pk)
    _require_demonstration(locked)
    if not seat.panel.is_open or seat.panel.revision != locked.revision:
        raise ActionRefused(_("该论证专家组已经结束。"), code="panel_closed")
    return locked, seat


def _require_expert(seat: PanelSeat, by: Any) -> None:
    if by is None or seat.expert_id != by.pk:
        raise ActionRefused(_("这不是您的论证任务。"), code="not_your_seat")


def seat_declare(
    *, seat: PanelSeat, by: Any, conflict: bool, reason: str = "", ip: str | None = None
) -> PanelSeat:
    """The expert declares no conflict of interest (and sits) or a conflict (and declines, with the
    reason; the officer then invites a replacement)."""
    with transaction.atomic():
        locked, seat = _locked_seat(seat)
        _require_expert(seat, by)
        if seat.status != PanelSeat.Status.INVITED:
            raise ActionRefused(_("您已经声明过回避情况。"), code="already_declared")
        seat.answered_at = clock.now()
        if conflict:
            seat.declined_reason = require_text(reason, gettext_lazy("回避理由"), max_length=PUBLIC_REASON_MAX)
            seat.status = PanelSeat.Status.DECLINED
            record_audit(locked, by=by, action="decline_seat", from_stage=locked.stage,
                         comment=seat.declined_reason, ip=ip)
            _tell(locked, _officers(locked), "panel_declined", expert=person_name(by))
        else:
            seat.status = PanelSeat.Status.SITTING
            record_audit(locked, by=by, action="declare_no_conflict", from_stage=locked.stage, ip=ip)
        seat.save(update_fields=["status", "declined_reason", "answered_at"])
        return seat


def seat_replace(*, seat: PanelSeat, by: Any, expert: Any, ip: str | None = None) -> PanelSeat:
    """Invite ``expert`` in place of an expert who declined."""
    with transaction.atomic():
        locked, seat = _locked_seat(seat)
        _require_officer(locked, by)
        if seat.status != PanelSeat.Status.DECLINED or PanelSeat.objects.filter(replaces=seat).exists():
            raise ActionRefused(_("只能为已声明回避、尚未更换的专家指定替换人选。"), code="not_replaceable")
        if seat.panel.seats.filter(expert=expert).exists():
            raise ActionRefused(
                _("%(name)s 已在本专家组中。") % {"name": person_name(expert)}, code="already_on_panel"
            )
        _eligible(locked, [expert])
        new_seat = PanelSeat.objects.create(panel=seat.panel, expert=expert, replaces=seat, invited_at=clock.now())
        _tell(locked, [expert], "panel_invitation")
        record_audit(locked, by=by, action="replace_expert", from_stage=locked.stage, ip=ip,
                     note="expert_replaced",
                     note_params={"old": person_name(seat.expert), "new": person_name(expert)})
        return new_seat


@dataclass
class OpinionData:
    technical_maturity: int
    market_prospects: int
    price_reasonableness: int
    risk_control: int
    recommendation: str
    opinion: str
    conditions: str = ""


def opinion_submit(*, seat: PanelSeat, by: Any, data: OpinionData, ip: str | None = None) -> ExpertOpinion:
    """Record a sitting expert's opinion. When it completes the quorum, seats still open are released."""
    with transaction.atomic():
        locked, seat = _locked_seat(seat)
        _require_expert(seat, by)
        if seat.status == PanelSeat.Status.INVITED:
            raise ActionRefused(_("请先声明是否存在利益冲突。"), code="not_declared")
        if seat.status != PanelSeat.Status.SITTING:
            raise ActionRefused(_("该论证任务已经结束，不能再提交意见。"), code="seat_closed")
        for name in ExpertOpinion.SCORES:
            if getattr(data, name) not in SCORE_RANGE:
                label = ExpertOpinion._meta.get_field(name).verbose_name  # type: ignore[union-attr]
                raise ActionRefused(_("请为“%(aspect)s”评 1 至 5 分。") % {"aspect": label}, code="score")
        if data.recommendation not in ExpertOpinion.Recommendation.values:
            raise ActionRefused(_("请选择论证结论。"), code="required")
        conditions = limit_text(data.conditions.strip(), gettext_lazy("转化条件"))
        if data.recommendation == ExpertOpinion.Recommendation.CONDITIONS and not conditions:
            raise ActionRefused(_("有条件同意的，请写明转化条件。"), code="required")
        opinion = ExpertOpinion.objects.create(
            case=locked,
            revision=locked.revision,
            seat=seat,
            expert=by,
            technical_maturity=data.technical_maturity,
            market_prospects=data.market_prospects,
            price_reasonableness=data.price_reasonableness,
            risk_control=data.risk_control,
            recommendation=data.recommendation,
            conditions=conditions,
            opinion=require_text(data.opinion, gettext_lazy("论证意见"), max_length=COMMENT_MAX),
            recorded_at=clock.now(),
        )
        seat.status = PanelSeat.Status.SUBMITTED
        seat.save(update_fields=["status"])
        if seat.panel.quorum_reached():
            seat.panel.seats.filter(status__in=PanelSeat.OPEN).update(status=PanelSeat.Status.RELEASED)
            _tell(locked, _officers(locked), "panel_ready")
        record_audit(locked, by=by, action="submit_opinion", from_stage=locked.stage, ip=ip)
        return opinion


def panel_conclude(
    *, case: TransferCase, by: Any, conclusion: str, comment: str = "", ip: str | None = None
) -> TransferCase:
    """The officer concludes from the opinions: pass to decision (the approvals the panel needs are
    in) or return to the applicant (a reason is required)."""
    with transaction.atomic():
        locked = lock_case(case)
        _require_demonstration(locked)
        _require_officer(locked, by)
        panel = _open_panel(locked)
        if not panel.quorum_reached():
            raise ActionRefused(
                _("已收到 %(count)d 份论证意见，须收齐 %(quorum)d 份后才能得出结论。")
                % {"count": panel.submitted_count(), "quorum": panel.quorum},
                code="quorum_not_reached",
            )
        if conclusion == ExpertPanel.Conclusion.PASS:
            _guard(locked, "complete_demonstration", by)
            if not panel.approved():
                raise ActionRefused(
                    _("同意转化的专家 %(approvals)d 人，少于须同意的 %(needed)d 人，论证不能通过；可退回修改。")
                    % {"approvals": panel.approvals(), "needed": panel.approvals_needed},
                    code="not_approved",
                )
            action = "complete_demonstration"
            comment = limit_text((comment or "").strip(), gettext_lazy("意见"))
        elif conclusion == ExpertPanel.Conclusion.RETURN:
            _guard(locked, "return_for_revision", by)
            action = "return_for_revision"
            comment = require_text(comment, gettext_lazy("退回理由"))
        else:
            raise ActionRefused(_("请选择论证结论。"), code="required")
        panel.conclusion = conclusion
        panel.concluded_by = by
        panel.concluded_at = clock.now()
        panel.save(update_fields=["conclusion", "concluded_by", "concluded_at"])
        return _fire(locked, action, by=by, comment=comment, ip=ip)

