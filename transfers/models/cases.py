"""The case and what it is made of: achievements and inventors, revisions, attachments, the valuation
and the decision. ``TransferCase.stage`` is the legal truth: an ``FSMField(protected=True)`` that only
its declared transitions change, and only services in ``transfers.services`` call those transitions."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from .. import clock
from .choices import (
    FINAL_STAGES,
    RETURNABLE_STAGES,
    TERMINABLE_STAGES,
    WITHDRAWABLE_STAGES,
    AchievementKind,
    AttachmentKind,
    NoticeKind,
    NoticeStatus,
    PriceKind,
    PricingMethod,
    Role,
    Stage,
    TransferMode,
)
from .people import STAGE_ROLES, Institution, has_role, is_case_owner
from .rules import RulePack

if TYPE_CHECKING:
    from .panels import ExpertPanel
from ..validators import display_patent_number, wan_yuan_to_capitals

# --------------------------------------------------------------------------------------------
# Achievements and inventors


class Achievement(models.Model):
    """A scientific or technological achievement. Titles recur; type + number identify it."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="achievements"
    )
    kind = models.CharField(_("成果类型"), max_length=30, choices=AchievementKind.choices)
    number = models.CharField(_("登记号（规范化）"), max_length=40, blank=True, db_index=True)
    number_as_entered = models.CharField(_("专利号/登记号"), max_length=60, blank=True)
    title = models.CharField(_("成果名称"), max_length=60)
    field = models.CharField(_("技术领域"), max_length=120, blank=True)
    abstract = models.TextField(_("摘要"), blank=True)
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    achieved_on = models.DateField(_("取得日期"), null=True, blank=True)
    application_date = models.DateField(_("申请日"), null=True, blank=True)
    granted_on = models.DateField(_("授权公告日"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("科技成果")
        verbose_name_plural = _("科技成果")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "kind", "number"],
                condition=~Q(number=""),
                name="achievement_number_unique_per_institution",
            )
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def number_display(self) -> str:
        """The number as the applicant typed it, or a readable form of the normalised one."""
        if self.number_as_entered:
            return self.number_as_entered
        return display_patent_number(self.number) if self.number else ""

    def shares_total(self) -> Decimal:
        total = self.inventors.aggregate(total=Sum("share"))["total"]
        return total or Decimal("0")


class Inventor(models.Model):
    achievement = models.ForeignKey(Achievement, on_delete=models.CASCADE, related_name="inventors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("本单位用户"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inventorships",
    )
    name = models.CharField(_("姓名"), max_length=50)
    share = models.DecimalField(
        _("贡献份额（%）"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    is_main_contributor = models.BooleanField(_("主要贡献人"), default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("完成人")
        verbose_name_plural = _("完成人")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.share}%)"


# --------------------------------------------------------------------------------------------
# The case


def _role_permission(*roles: str) -> Any:
    def check(case: Any, user: Any) -> bool:
        return has_role(user, case.institution_id, roles)

    return check


def _reviewer_of_current_stage(case: Any, user: Any) -> bool:
    return has_role(user, case.institution_id, STAGE_ROLES.get(case.stage, ()))


def _case_owner(case: Any, user: Any) -> bool:
    return is_case_owner(user, case)


class TransferCase(ConcurrentTransitionMixin, models.Model):
    """A proposal to transfer one or more achievements of an institution to a counterparty."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    institution = models.ForeignKey(
        Institution, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="cases"
    )
    reference = models.CharField(_("案件编号"), max_length=40, unique=True)
    title = models.CharField(
        _("项目名称"),
        max_length=60,
        help_text=_("公示中印在成果之上，几项成果组成一个项目时尤为重要，如“黄土滑坡监测预警系统”。"),
    )
    achievements = models.ManyToManyField(Achievement, verbose_name=_("科技成果"), related_name="cases")
    mode = models.CharField(_("转化方式"), max_length=30, choices=TransferMode.choices)
    counterparty_name = models.CharField(_("拟受让方/合作方"), max_length=60)
    counterparty_credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    counterparty_contact = models.CharField(_("受让方联系人及方式"), max_length=200, blank=True)
    related_party = models.BooleanField(_("关联交易"), default=False)
    related_party_statement = models.CharField(_("关联关系说明"), max_length=200, blank=True)
    pricing_method = models.CharField(_("定价方式"), max_length=20, choices=PricingMethod.choices)
    price_kind = models.CharField(_("价款支付方式"), max_length=20, choices=PriceKind.choices)
    price_amount = models.DecimalField(
        _("金额（万元）"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    price_terms = models.CharField(
        _("价款条款"), max_length=100, blank=True, help_text=_("按合同原文填写，如“产品销售净利润的30%”。")
    )
    revision = models.PositiveIntegerField(_("修订版本"), default=1)
    rule_pack = models.ForeignKey(
        RulePack,
        verbose_name=_("适用规则包"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    stage = FSMField(_("环节"), default=Stage.DRAFT, choices=Stage.choices, protected=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="filed_cases"
    )
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    stage_entered_at = models.DateTimeField(_("进入当前环节时间"), default=clock.now)
    #: when the current stage's work is due (the pinned pack's ``stage_due_days``, in working days);
    #: empty where the pack sets no period for the stage
    stage_due_at = models.DateTimeField(_("本环节办理期限"), null=True, blank=True, db_index=True)
    publicity_started_at = models.DateTimeField(_("公示开始"), null=True, blank=True)
    publicity_ends_at = models.DateTimeField(_("公示截止"), null=True, blank=True)
    publicity_paused_at = models.DateTimeField(_("公示暂停时间"), null=True, blank=True)
    closing_reason = models.CharField(_("撤回/终止原因"), max_length=500, blank=True)
    #: a transfer approved and publicised before this system existed (``services.imports``): the number its
    #: notice was published under; blank for every case the system published itself
    imported_notice_number = models.CharField(_("原公示编号"), max_length=40, blank=True)
    #: what the reviewers' search looks in, kept by ``services.filing.refresh_search_text``: the
    #: reference, title and counterparty, the achievements' titles and their inventors' names (one
    #: column to scan instead of three tables, see docs/performance.md)
    search_text = models.TextField(blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("转化案件")
        verbose_name_plural = _("转化案件")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(price_amount__gte=0), name="case_price_not_negative"),
            # a notice published before the system is imported once per institution
            models.UniqueConstraint(fields=["institution", "imported_notice_number"],
                                    condition=~Q(imported_notice_number=""), name="case_imported_notice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("transfers:case_detail", kwargs={"public_id": self.public_id})

    @property
    def price_in_capitals(self) -> str:
        return wan_yuan_to_capitals(self.price_amount) if self.price_amount is not None else ""

    @property
    def applicable_rule_pack(self) -> RulePack:
        """The pack pinned at submission, else (a draft) the institution's current one."""
        return self.rule_pack or self.institution.rule_pack

    @property
    def is_final(self) -> bool:
        return self.stage in FINAL_STAGES

    @property
    def stage_overdue(self) -> bool:
        return self.stage_due_at is not None and not self.is_final and clock.now() > self.stage_due_at

    # ---- conditions ---------------------------------------------------------------------

    def has_achievements_with_full_shares(self) -> bool:
        achievements = list(self.achievements.all())
        return bool(achievements) and all(a.shares_total() == Decimal("100") for a in achievements)

    def has_valuation(self) -> bool:
        return (
            self.valuations.filter(revision=self.revision)
            .filter(Q(amount__isnull=False) | Q(report__isnull=False))
            .exists()
        )

    def current_panel(self) -> ExpertPanel | None:
        """The 论证 panel of this revision, if the officer formed one."""
        return self.panels.filter(revision=self.revision).first()

    def panel_passed(self) -> bool:
        panel = self.current_panel()
        return panel is not None and panel.conclusion == self.panels.model.Conclusion.PASS

    def _latest_decision(self) -> Decision | None:
        return self.decisions.order_by("-pk").first()

    def has_approving_decision(self) -> bool:
        decision = self._latest_decision()
        return decision is not None and decision.is_complete and decision.outcome == Decision.Outcome.APPROVE

    def has_rejecting_decision(self) -> bool:
        decision = self._latest_decision()
        return decision is not None and decision.is_complete and decision.outcome == Decision.Outcome.REJECT

    def publicity_period_over(self) -> bool:
        """The period is over, and it ran in public: a notice still being rendered (its version not
        yet published) never lets publicity end."""
        return (
            self.publicity_ends_at is not None
            and clock.now() >= self.publicity_ends_at
            and not self.notices.filter(kind=NoticeKind.TRANSFER, status=NoticeStatus.PENDING).exists()
        )

    def has_contract(self) -> bool:
        """A signed contract's file is among the case's attachments."""
        return self.attachments.filter(kind=AttachmentKind.CONTRACT).exists()

    def completion_gaps(self) -> list[str]:
        """What still stands between implementation and completion (issue 10): the contract recorded
        and, unless the institution implements it itself, registered (技术合同认定登记); every receipt
        so far distributed, its reward notice over and its people paid. Empty: the case may complete."""
        from .money import Distribution, PaymentKind

        contract = getattr(self, "contract", None)
        if contract is None:
            return [str(_("合同尚未登记：请在“合同与收益分配”中登记合同条款和合同文本。"))]
        gaps = []
        if contract.payment_kind != PaymentKind.OWN_IMPLEMENTATION and not contract.is_registered:
            gaps.append(str(_("合同尚未办理技术合同认定登记。")))
        receipts = list(contract.receipts.select_related("distribution"))
        undistributed = sum(1 for r in receipts if r.distribution_or_none is None)
        unpaid = sum(1 for r in receipts if r.distribution_or_none is not None
                     and r.distribution_or_none.status != Distribution.Status.PAID)
        if undistributed:
            gaps.append(ngettext("有 %(n)d 笔收入尚未拟定分配方案。",
                                 "有 %(n)d 笔收入尚未拟定分配方案。", undistributed) % {"n": undistributed})
        if unpaid:
            gaps.append(ngettext("有 %(n)d 份分配方案尚未公示期满并发放奖励。",
                                 "有 %(n)d 份分配方案尚未公示期满并发放奖励。", unpaid) % {"n": unpaid})
        return gaps

    def may_complete(self) -> bool:
        return not self.completion_gaps()

    # ---- transitions (called only by transfers.services) ----------------------------------

    @transition(
        field=stage,
        source=Stage.DRAFT,
        target=Stage.PRELIMINARY_REVIEW,
        conditions=[has_achievements_with_full_shares],
        permission=_case_owner,
    )
    def submit(self) -> None:
        """发起: the applicant or TTO files the case for preliminary review."""

    @transition(
        field=stage,
        source=Stage.DRAFT,
        target=Stage.IMPLEMENTATION,
        conditions=[has_achievements_with_full_shares],
        permission=_role_permission(Role.TTO_OFFICER),
    )
    def import_approved(self) -> None:
        """A transfer approved and publicised before this system existed (``services.imports``): its
        decision and notice recorded as they happened, it continues in 实施; never republished."""

    @property
    def is_imported(self) -> bool:
        return bool(self.imported_notice_number)

    @transition(
        field=stage,
        source=RETURNABLE_STAGES,
        target=Stage.RETURNED,
        permission=_reviewer_of_current_stage,
    )
    def return_for_revision(self) -> None:
        """A reviewer returns the case to its applicant for revision."""

    @transition(
        field=stage,
        source=Stage.RETURNED,
        target=Stage.PRELIMINARY_REVIEW,
        conditions=[has_achievements_with_full_shares],
        permission=_case_owner,
    )
    def resubmit(self) -> None:
        """The same case comes back as a new revision."""
        self.revision += 1

    @transition(
        field=stage,
        source=Stage.PRELIMINARY_REVIEW,
        target=Stage.ASSESSMENT,
        permission=_role_permission(Role.TTO_OFFICER),
    )
    def pass_preliminary_review(self) -> None:
        """初审 passed."""

    @transition(
        field=stage,
        source=Stage.ASSESSMENT,
        target=Stage.DEMONSTRATION,
        conditions=[has_valuation],
        permission=_role_permission(Role.ASSESSOR),
    )
    def complete_assessment(self) -> None:
        """评估 done: a valuation amount and/or a valuation report is on record."""

    @transition(
        field=stage,
        source=Stage.DEMONSTRATION,
        target=Stage.DECISION,
        conditions=[panel_passed],
        permission=_role_permission(Role.TTO_OFFICER),
    )
    def complete_demonstration(self) -> None:
        """论证 done: the panel's quorum of opinions is in and the officer concluded it passed."""

    @transition(
        field=stage,
        source=Stage.DECISION,
        target=Stage.PUBLICITY,
        conditions=[has_approving_decision],
        permission=_role_permission(Role.DECISION_SECRETARY),
    )
    def approve(self) -> None:
        """决策 approved: publicity starts (公示)."""

    @transition(
        field=stage,
        source=Stage.DECISION,
        target=Stage.REJECTED,
        conditions=[has_rejecting_decision],
        permission=_role_permission(Role.DECISION_SECRETARY),
    )
    def reject(self) -> None:
        """决策 rejected: the case ends."""

    @transition(
        field=stage,
        source=Stage.PUBLICITY,
        target=Stage.OBJECTION_REVIEW,
        permission=_role_permission(Role.TTO_OFFICER),
    )
    def raise_objection(self) -> None:
        """An objection received during publicity suspends it."""

    @transition(
        field=stage,
        source=Stage.OBJECTION_REVIEW,
        target=Stage.PUBLICITY,
        permission=_role_permission(Role.TTO_OFFICER),
    )
    def dismiss_objection(self) -> None:
        """The objection is dismissed: publicity resumes."""

    @transition(
        field=stage,
        source=Stage.OBJECTION_REVIEW,
        target=Stage.DECISION,
        permission=_role_permission(Role.TTO_OFFICER),
    )
    def uphold_objection(self) -> None:
        """The objection is upheld: the decision body decides again."""

    @transition(
        field=stage,
        source=Stage.PUBLICITY,
        target=Stage.IMPLEMENTATION,
        conditions=[publicity_period_over],
        permission=_role_permission(Role.TTO_OFFICER),
    )
    def finish_publicity(self) -> None:
        """The publicity period is over with no open objection: 实施 begins."""

    @transition(
        field=stage,
        source=Stage.PUBLICITY,
        target=Stage.DECISION,
        permission=_role_permission(Role.TTO_OFFICER),
    )
    def withdraw_notice(self) -> None:
        """The notice is withdrawn (an error of substance, the counterparty changed): 决策 again."""

    @transition(
        field=stage,
        source=Stage.IMPLEMENTATION,
        target=Stage.COMPLETED,
        conditions=[may_complete],
        permission=_role_permission(Role.TTO_OFFICER),
    )
    def complete(self) -> None:
        """The transfer is implemented: the contract is recorded and registered, and the rewards of the
        income received so far are published and paid (``completion_gaps``)."""

    @transition(
        field=stage,
        source=WITHDRAWABLE_STAGES,
        target=Stage.WITHDRAWN,
        permission=lambda case, user: (
            _case_owner(case, user) or has_role(user, case.institution_id, [Role.TTO_OFFICER])
        ),
    )
    def withdraw(self) -> None:
        """The applicant or TTO withdraws the case before publicity."""

    @transition(
        field=stage,
        source=TERMINABLE_STAGES,
        target=Stage.TERMINATED,
        permission=_role_permission(Role.TTO_OFFICER),
    )
    def terminate(self) -> None:
        """The TTO ends a case after the decision (objection upheld, counterparty withdrew)."""


class CaseRevision(models.Model):
    """A snapshot of a case's content at each (re)submission, so a reviewer sees what changed."""

    case = models.ForeignKey(TransferCase, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="revision_unique")]
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.case.reference} r{self.number}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"cases/{instance.case.public_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    case = models.ForeignKey(TransferCase, on_delete=models.CASCADE, related_name="attachments")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("文件类型"), max_length=30, choices=AttachmentKind.choices)
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    revision = models.PositiveIntegerField(default=1)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("transfers:attachment_download", kwargs={"public_id": self.public_id})


class Valuation(models.Model):
    class Method(models.TextChoices):
        INTERNAL = "internal", _("内部评估")
        AGENCY = "agency", _("第三方评估机构")

    case = models.ForeignKey(TransferCase, on_delete=models.CASCADE, related_name="valuations")
    revision = models.PositiveIntegerField()
    method = models.CharField(_("评估方式"), max_length=20, choices=Method.choices)
    agency_name = models.CharField(_("评估机构名称"), max_length=100, blank=True)
    amount = models.DecimalField(_("评估值（万元）"), max_digits=16, decimal_places=4, null=True, blank=True)
    report = models.ForeignKey(Attachment, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.TextField(_("评估说明"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now)

    def __str__(self) -> str:
        return f"{self.case.reference} {self.amount}"


class Decision(models.Model):
    class Outcome(models.TextChoices):
        APPROVE = "approve", _("同意")
        REJECT = "reject", _("不同意")

    case = models.ForeignKey(TransferCase, on_delete=models.CASCADE, related_name="decisions")
    revision = models.PositiveIntegerField()
    outcome = models.CharField(_("决策结果"), max_length=20, choices=Outcome.choices)
    body = models.CharField(_("决策机构"), max_length=200, help_text=_("如：校长办公会"))
    decided_on = models.DateField(_("决策日期"))
    minutes = models.ForeignKey(Attachment, on_delete=models.PROTECT, related_name="+")
    #: the meeting's record (null on decisions recorded before these were kept)
    attendees = models.TextField(_("出席人员"), blank=True, help_text=_("每行一人，如：张三（校长）"))
    votes_for = models.PositiveSmallIntegerField(_("同意票"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("反对票"), null=True, blank=True)
    votes_abstaining = models.PositiveSmallIntegerField(_("弃权票"), null=True, blank=True)
    conditions = models.TextField(_("附加条件"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now)

    def __str__(self) -> str:
        return f"{self.case.reference} {self.get_outcome_display()}"

    def attendee_names(self) -> list[str]:
        return [line.strip() for line in self.attendees.splitlines() if line.strip()]

    @property
    def is_complete(self) -> bool:
        return bool(self.body and self.decided_on and self.minutes_id)
