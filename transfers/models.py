"""Models of the transfer domain.

``TransferCase.stage`` is the legal truth: an ``FSMField(protected=True)`` that only its declared
transitions change, and only services in ``transfers.services`` call those transitions.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from . import clock, permissions
from .validators import display_patent_number, wan_yuan_to_capitals

# --------------------------------------------------------------------------------------------
# Choices


class Role(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    TTO_OFFICER = "tto_officer", _("技术转移办公室专员")
    ASSESSOR = "assessor", _("评估人员")
    EXPERT = "expert", _("论证专家")
    DECISION_SECRETARY = "decision_secretary", _("决策秘书")
    INSTITUTION_ADMIN = "institution_admin", _("单位管理员")
    TTO_HEAD = "tto_head", _("技术转移办公室负责人")


class AchievementKind(models.TextChoices):
    """A granted patent and an application are different rights: a notice never calls an
    application a patent (《专利法》第三十九、四十条: the right exists from the grant announcement)."""

    INVENTION_PATENT = "invention_patent", _("发明专利")
    UTILITY_MODEL = "utility_model", _("实用新型专利")
    DESIGN_PATENT = "design_patent", _("外观设计专利")
    INVENTION_APPLICATION = "invention_application", _("发明专利申请")
    UTILITY_MODEL_APPLICATION = "utility_model_application", _("实用新型专利申请")
    DESIGN_APPLICATION = "design_application", _("外观设计专利申请")
    PCT_APPLICATION = "pct_application", _("PCT国际专利申请")
    SOFTWARE_COPYRIGHT = "software_copyright", _("计算机软件著作权")
    IC_LAYOUT = "ic_layout", _("集成电路布图设计")
    PLANT_VARIETY = "plant_variety", _("植物新品种")
    KNOW_HOW = "know_how", _("技术秘密")
    OTHER = "other", _("其他")


class TransferMode(models.TextChoices):
    RD_COOPERATION = "rd_cooperation", _("研发合作")
    ASSIGNMENT = "assignment", _("转让")
    ORDINARY_LICENCE = "ordinary_licence", _("普通许可")
    SOLE_LICENCE = "sole_licence", _("排他许可")  # the licensor may still use it; nobody else
    EXCLUSIVE_LICENCE = "exclusive_licence", _("独占许可")  # not even the licensor may use it
    EQUITY_INVESTMENT = "equity_investment", _("作价投资")
    SPIN_OFF = "spin_off", _("创办公司")


class PricingMethod(models.TextChoices):
    NEGOTIATED = "negotiated", _("协议定价")
    LISTED = "listed", _("技术交易市场挂牌交易")
    AUCTION = "auction", _("拍卖")


class PriceKind(models.TextChoices):
    LUMP_SUM = "lump_sum", _("一次性支付")
    INSTALMENTS = "instalments", _("分期支付")
    ROYALTY = "royalty", _("提成支付")
    EQUITY = "equity", _("股权")
    MIXED = "mixed", _("混合方式")


class Stage(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PRELIMINARY_REVIEW = "preliminary_review", _("初审")
    ASSESSMENT = "assessment", _("评估")
    DEMONSTRATION = "demonstration", _("论证")
    DECISION = "decision", _("决策")
    PUBLICITY = "publicity", _("公示")
    IMPLEMENTATION = "implementation", _("实施")
    COMPLETED = "completed", _("已完成")
    RETURNED = "returned", _("退回修改")
    REJECTED = "rejected", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")
    OBJECTION_REVIEW = "objection_review", _("异议处理")
    TERMINATED = "terminated", _("已终止")


#: stages a reviewer can return a case from (seed 003 三.2: 初审、评估、论证、决策)
RETURNABLE_STAGES = [Stage.PRELIMINARY_REVIEW, Stage.ASSESSMENT, Stage.DEMONSTRATION, Stage.DECISION]
#: a case may be withdrawn at any stage before publicity
WITHDRAWABLE_STAGES = [Stage.DRAFT, Stage.RETURNED, *RETURNABLE_STAGES]
TERMINABLE_STAGES = [Stage.PUBLICITY, Stage.OBJECTION_REVIEW, Stage.IMPLEMENTATION]
FINAL_STAGES = [Stage.COMPLETED, Stage.REJECTED, Stage.WITHDRAWN, Stage.TERMINATED]


class AttachmentKind(models.TextChoices):
    DISCLOSURE_FORM = "disclosure_form", _("成果披露表")
    VALUATION_REPORT = "valuation_report", _("评估报告")
    EXPERT_OPINION = "expert_opinion", _("专家论证意见")
    DECISION_MINUTES = "decision_minutes", _("决策会议纪要")
    CONTRACT = "contract", _("合同")
    OTHER = "other", _("其他")


# --------------------------------------------------------------------------------------------
# Rule packs


class RulePack(models.Model):
    """A versioned set of the numbers that differ by jurisdiction, each with its clause.

    Rows are immutable: editing creates a new version (``services.rules.rule_pack_new_version``);
    a case pins the version in force when it was submitted.
    """

    code = models.SlugField(_("代码"), max_length=40)
    version = models.PositiveIntegerField(_("版本"), default=1)
    name = models.CharField(_("名称"), max_length=200)
    publicity_days = models.PositiveIntegerField(
        _("公示期（天）"),
        validators=[
            MinValueValidator(
                15, message=_("科技成果转化公示期不得少于15日（国发〔2016〕16号：“公示时间不少于15日”）。")
            )
        ],
        default=15,
    )
    publicity_working_days = models.BooleanField(_("按工作日计算"), default=False)
    publicity_start_day_counts = models.BooleanField(_("公示首日计入期间"), default=False)
    publicity_closing_time = models.TimeField(_("公示截止时刻"), default=datetime.time(17, 0))
    stage_due_days = models.JSONField(_("各环节办理时限（天）"), default=dict, blank=True)
    expert_quorum = models.PositiveIntegerField(_("论证专家最少人数"), default=3)
    objection_restarts_clock = models.BooleanField(_("异议不成立后公示期重新计算"), default=False)
    correction_restarts_clock = models.BooleanField(_("更正公示后公示期重新计算"), default=True)
    publish_objection_replies = models.BooleanField(_("公开异议答复"), default=True)
    reward_floor_transfer_pct = models.DecimalField(
        _("转让/许可净收入奖励下限（%）"), max_digits=5, decimal_places=2, default=Decimal("50")
    )
    reward_floor_equity_pct = models.DecimalField(
        _("作价投资股份奖励下限（%）"), max_digits=5, decimal_places=2, default=Decimal("50")
    )
    main_contributor_floor_pct = models.DecimalField(
        _("主要贡献人员奖励份额下限（%）"), max_digits=5, decimal_places=2, default=Decimal("50")
    )
    clauses = models.JSONField(_("依据条款"), default=dict, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)

    class Meta:
        verbose_name = _("规则包")
        verbose_name_plural = _("规则包")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="rulepack_code_version_unique"),
            models.CheckConstraint(condition=Q(publicity_days__gte=15), name="rulepack_publicity_floor"),
        ]
        ordering = ["code", "-version"]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("规则包版本不可修改，请创建新版本。"), code="rulepack_immutable")
        super().save(*args, **kwargs)

    def due_days(self, stage: str) -> int | None:
        value = self.stage_due_days.get(stage)
        return int(value) if value is not None else None

    def clause(self, field: str) -> str:
        return str(self.clauses.get(field, ""))


# --------------------------------------------------------------------------------------------
# Institutions and people


class Institution(models.Model):
    code = models.CharField(
        _("单位代码"),
        max_length=20,
        unique=True,
        help_text=_("用于案件编号与公示编号，如 LZU。"),
        validators=[RegexValidator(r"^[A-Z][A-Z0-9]{1,19}$", _("单位代码由大写字母和数字组成，以字母开头，如 LZU。"))],
    )
    name = models.CharField(_("单位名称"), max_length=40)
    rule_pack = models.ForeignKey(
        RulePack, verbose_name=_("规则包"), on_delete=models.PROTECT, related_name="institutions"
    )
    office_name = models.CharField(
        _("成果转化管理部门"),
        max_length=30,
        default="科技成果转化办公室",
        help_text=_("公示落款的部门，如“科技成果转化办公室”“科学技术处”。"),
    )
    objection_office = models.CharField(
        _("异议受理部门"),
        max_length=30,
        blank=True,
        help_text=_("受理公示异议的部门；留空则由成果转化管理部门受理。"),
    )
    contact_email = models.EmailField(_("联系邮箱"), blank=True, help_text=_("公示中公布的异议与联系邮箱。"))
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    address = models.CharField(
        _("通讯地址"), max_length=100, blank=True, help_text=_("公示中公布的书面异议邮寄地址。")
    )

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def objection_receiver(self) -> str:
        """Who receives objections: the named office, else the office that signs notices."""
        return self.objection_office or self.office_name


class Membership(models.Model):
    """A user's role in one institution. One user may hold several roles in several institutions."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    external = models.BooleanField(_("外部人员"), default=False)
    affiliation = models.CharField(
        _("工作单位"), max_length=60, blank=True, help_text=_("外部专家填写；与受让方有关联的专家不得参加论证。")
    )

    class Meta:
        verbose_name = _("角色成员")
        verbose_name_plural = _("角色成员")
        constraints = [
            models.UniqueConstraint(fields=["user", "institution", "role"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.institution.code} · {self.get_role_display()}"


class Substitution(models.Model):
    """While a reviewer is away, a colleague of the same institution acts for them from ``starts_on``
    to ``ends_on`` (China dates, inclusive): the substitute holds the reviewer's delegable roles
    (``permissions.DELEGABLE_ROLES``) and sees and may do the tasks the reviewer holds; the audit
    trail names whom they acted for."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="substitutions")
    principal = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="substitutions_given",
        verbose_name=_("被代理人"),
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="substitutions_taken",
        verbose_name=_("代理人"),
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    reason = models.CharField(_("事由"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("代理安排")
        verbose_name_plural = _("代理安排")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["substitute", "ends_on"], name="substitution_active")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="substitution_dates"),
            models.CheckConstraint(condition=~Q(principal=models.F("substitute")), name="substitution_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.substitute} → {self.principal} {self.starts_on}–{self.ends_on}"

    def is_active(self, today: datetime.date) -> bool:
        return self.cancelled_at is None and self.starts_on <= today <= self.ends_on


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
        return permissions.has_role(user, case.institution_id, roles)

    return check


def _reviewer_of_current_stage(case: Any, user: Any) -> bool:
    return permissions.has_role(user, case.institution_id, permissions.STAGE_ROLES.get(case.stage, ()))


def _case_owner(case: Any, user: Any) -> bool:
    return permissions.is_case_owner(user, case)


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
        return panel is not None and panel.conclusion == ExpertPanel.Conclusion.PASS

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
            and not self.notices.filter(status=NoticeStatus.PENDING).exists()
        )

    def has_contract(self) -> bool:
        return self.attachments.filter(kind=AttachmentKind.CONTRACT).exists()

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
        conditions=[has_contract],
        permission=_role_permission(Role.TTO_OFFICER),
    )
    def complete(self) -> None:
        """The transfer is implemented (the signed contract is on file)."""

    @transition(
        field=stage,
        source=WITHDRAWABLE_STAGES,
        target=Stage.WITHDRAWN,
        permission=lambda case, user: (
            _case_owner(case, user) or permissions.has_role(user, case.institution_id, [Role.TTO_OFFICER])
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


class ExpertPanel(models.Model):
    """The 论证 panel of one revision of a case (seed 003 三.2 论证): the experts invited, how many
    opinions close it (at least the rule pack's ``expert_quorum``), how many of those must approve,
    and the TTO officer's conclusion once it closed."""

    class Conclusion(models.TextChoices):
        PASS = "pass", _("论证通过，提交决策")
        RETURN = "return", _("退回修改")

    case = models.ForeignKey(TransferCase, on_delete=models.CASCADE, related_name="panels")
    revision = models.PositiveIntegerField()
    quorum = models.PositiveIntegerField(_("应收论证意见数"))
    approvals_needed = models.PositiveIntegerField(_("须同意的专家人数"))
    formed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    formed_at = models.DateTimeField(_("组建时间"), default=clock.now)
    conclusion = models.CharField(_("论证结论"), max_length=10, choices=Conclusion.choices, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    concluded_at = models.DateTimeField(_("结论时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("论证专家组")
        verbose_name_plural = _("论证专家组")
        constraints = [models.UniqueConstraint(fields=["case", "revision"], name="panel_one_per_revision")]

    def __str__(self) -> str:
        return f"{self.case.reference} r{self.revision}"

    @property
    def is_open(self) -> bool:
        return not self.conclusion

    def opinions(self) -> models.QuerySet[ExpertOpinion]:
        return ExpertOpinion.objects.filter(seat__panel=self)

    def submitted_count(self) -> int:
        return self.opinions().count()

    def approvals(self) -> int:
        return self.opinions().filter(recommendation__in=ExpertOpinion.APPROVING).count()

    def quorum_reached(self) -> bool:
        return self.submitted_count() >= self.quorum

    def approved(self) -> bool:
        return self.approvals() >= self.approvals_needed


class PanelSeat(models.Model):
    """One expert's place on a panel: invited, then sitting (no conflict of interest declared) or
    declined (a conflict, with the reason; the officer invites a replacement), then submitted; a seat
    still open when the quorum of opinions is in is released."""

    class Status(models.TextChoices):
        INVITED = "invited", _("待声明回避情况")
        SITTING = "sitting", _("论证中")
        DECLINED = "declined", _("因利益冲突回避")
        SUBMITTED = "submitted", _("已提交意见")
        RELEASED = "released", _("已达应收意见数，无需论证")

    OPEN = (Status.INVITED, Status.SITTING)

    panel = models.ForeignKey(ExpertPanel, on_delete=models.CASCADE, related_name="seats")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_seats")
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.INVITED)
    declined_reason = models.CharField(_("回避理由"), max_length=500, blank=True)
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    invited_at = models.DateTimeField(_("邀请时间"), default=clock.now)
    answered_at = models.DateTimeField(_("声明时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("论证专家席位")
        verbose_name_plural = _("论证专家席位")
        constraints = [models.UniqueConstraint(fields=["panel", "expert"], name="seat_one_per_expert")]
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.panel} {self.expert}"


class ExpertOpinion(models.Model):
    """One expert's independent opinion: four scores, a conclusion and comments. Nobody on the panel
    sees another's opinion while the panel is open (``selectors.cases.opinions_visible``)."""

    class Recommendation(models.TextChoices):
        APPROVE = "approve", _("同意转化")
        CONDITIONS = "conditions", _("有条件同意转化")
        REJECT = "reject", _("不同意转化")

    APPROVING = (Recommendation.APPROVE, Recommendation.CONDITIONS)
    #: the scored aspects, each 1 (poor) to 5 (excellent)
    SCORES = ("technical_maturity", "market_prospects", "price_reasonableness", "risk_control")

    case = models.ForeignKey(TransferCase, on_delete=models.CASCADE, related_name="expert_opinions")
    revision = models.PositiveIntegerField()
    seat = models.OneToOneField(PanelSeat, on_delete=models.PROTECT, null=True, related_name="opinion")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    technical_maturity = models.PositiveSmallIntegerField(
        _("技术成熟度"), null=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    market_prospects = models.PositiveSmallIntegerField(
        _("市场前景"), null=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    price_reasonableness = models.PositiveSmallIntegerField(
        _("定价合理性"), null=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    risk_control = models.PositiveSmallIntegerField(
        _("风险可控性"), null=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    recommendation = models.CharField(_("论证结论"), max_length=20, choices=Recommendation.choices)
    conditions = models.TextField(_("转化条件"), blank=True)
    opinion = models.TextField(_("论证意见"))
    recorded_at = models.DateTimeField(default=clock.now)

    def __str__(self) -> str:
        return f"{self.case.reference} {self.expert}"

    def scores(self) -> list[tuple[Any, int | None]]:
        return [(self._meta.get_field(name).verbose_name, getattr(self, name))  # type: ignore[union-attr]
                for name in self.SCORES]


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


# --------------------------------------------------------------------------------------------
# Audit trail

#: the verb of each action, for messages and the timeline
ACTION_LABELS: dict[str, Any] = {
    "create": _("创建案件"),
    "submit": _("提交"),
    "return_for_revision": _("退回修改"),
    "resubmit": _("修改后重新提交"),
    "pass_preliminary_review": _("初审通过"),
    "complete_assessment": _("评估完成"),
    "form_panel": _("组建论证专家组"),
    "declare_no_conflict": _("专家声明无利益冲突"),
    "decline_seat": _("专家声明回避"),
    "replace_expert": _("更换论证专家"),
    "submit_opinion": _("提交论证意见"),
    "reassign_task": _("转交任务"),
    "complete_demonstration": _("论证完成"),
    "approve": _("决策同意，进入公示"),
    "reject": _("决策不同意"),
    "raise_objection": _("收到异议，公示暂停"),
    "dismiss_objection": _("异议不成立，公示继续"),
    "uphold_objection": _("异议成立，重新决策"),
    "finish_publicity": _("公示期满，进入实施"),
    "withdraw_notice": _("撤回公示，重新决策"),
    "correct_notice": _("发布更正公示"),
    "complete": _("实施完成"),
    "withdraw": _("撤回"),
    "terminate": _("终止"),
}


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionDenied("audit events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionDenied("audit events are append-only")


class AuditEvent(models.Model):
    """Append-only record of every transition, written in the transition's transaction."""

    case = models.ForeignKey(TransferCase, on_delete=models.PROTECT, related_name="audit_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("时间"), default=clock.now)
    action = models.CharField(_("操作"), max_length=40)
    from_stage = models.CharField(_("原环节"), max_length=30, choices=Stage.choices)
    to_stage = models.CharField(_("新环节"), max_length=30, choices=Stage.choices)
    revision = models.PositiveIntegerField(default=1)
    comment = models.TextField(_("意见"), blank=True)
    #: a note the system wrote (no person typed it): a code of ``SYSTEM_NOTES`` and its values,
    #: rendered in the reader's language
    note = models.CharField(max_length=40, blank=True, default="")
    note_params = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.from_stage}→{self.to_stage}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionDenied("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionDenied("audit events are append-only")

    @property
    def acting_for(self) -> str:
        """The colleague a substitute acted for, if this was a substitute's work."""
        return str((self.note_params or {}).get("acting_for", ""))

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))

    @property
    def note_text(self) -> str:
        """The system's note in the active language (empty for notes a person wrote)."""
        template = SYSTEM_NOTES.get(self.note)
        return str(template) % self.note_params if template is not None else ""


#: what the system writes in a case's trail, in the reader's language
SYSTEM_NOTES: dict[str, Any] = {
    "publicity_over": _("公示期满，无异议，自动进入实施。"),
    "objection_received": _("收到实名书面异议，受理编号 %(number)s。"),
    "panel_formed": _("邀请专家：%(experts)s；应收论证意见 %(quorum)s 份，须 %(approvals)s 人同意。"),
    "expert_replaced": _("%(old)s 回避，改请 %(new)s。"),
    "task_reassigned": _("“%(task)s”由 %(previous)s 转交 %(to)s。"),
}


class Sequence(models.Model):
    """Gapless counters (case references, later notice numbers), allocated under a row lock."""

    key = models.CharField(max_length=80, unique=True)
    value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


# --------------------------------------------------------------------------------------------
# Public notices (公示)


class NoticeKind(models.TextChoices):
    TRANSFER = "transfer", _("科技成果转化公示")
    REWARD = "reward", _("奖励与收益分配公示")


#: the letters of each kind in a notice number, e.g. LZU-GS-2026-003
NOTICE_KIND_CODES = {NoticeKind.TRANSFER: "GS", NoticeKind.REWARD: "JL"}


class NoticeStatus(models.TextChoices):
    #: numbered, its PDF not yet rendered: never public (a failed rendering is retried)
    PENDING = "pending", _("待发布")
    IN_PUBLICITY = "in_publicity", _("公示中")
    SUSPENDED = "suspended", _("因异议暂停")
    ENDED = "ended", _("公示结束")
    SUPERSEDED = "superseded", _("已被更正版本取代")
    WITHDRAWN = "withdrawn", _("已撤销")


def notice_pdf_path(instance: Notice, filename: str) -> str:
    return f"notices/{instance.number}/v{instance.version}-{uuid.uuid4().hex[:8]}.pdf"


class Notice(models.Model):
    """A numbered public notice. Each correction is a new version under the same number; every
    version keeps its own frozen content, PDF and hash."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="notices")
    case = models.ForeignKey(TransferCase, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(_("公示类型"), max_length=20, choices=NoticeKind.choices, default=NoticeKind.TRANSFER)
    number = models.CharField(_("公示编号"), max_length=40, db_index=True)
    year = models.PositiveIntegerField()
    sequence = models.PositiveIntegerField()
    version = models.PositiveIntegerField(_("版本"), default=1)
    status = models.CharField(_("状态"), max_length=20, choices=NoticeStatus.choices, db_index=True)
    title = models.CharField(_("标题"), max_length=400)
    content = models.JSONField(_("公示内容"))
    issued_at = models.DateTimeField(_("发布时间"), default=clock.now)
    starts_at = models.DateTimeField(_("公示开始"))
    ends_at = models.DateTimeField(_("公示截止"))
    #: years whose holiday schedule was not yet published when the end was computed (the stated
    #: fallback of ``publicity_clock`` was used): the page says so, in the reader's language
    calendar_fallback_years = models.JSONField(_("按推定日历计算的年份"), default=list, blank=True)
    #: the address printed in the PDF and its QR code (``PUBLIC_BASE_URL`` at rendering)
    printed_base_url = models.CharField(_("印制的公示网址"), max_length=200, blank=True)
    correction_reason = models.CharField(_("更正原因"), max_length=200, blank=True)
    withdrawal_reason = models.CharField(_("撤销原因"), max_length=500, blank=True)
    pdf = models.FileField(upload_to=notice_pdf_path, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    #: what the public search looks in: the published words only (never the case's later edits)
    search_text = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["number", "version"], name="notice_number_version_unique"),
            models.UniqueConstraint(
                fields=["institution", "kind", "year", "sequence", "version"], name="notice_sequence_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("public:notice_version", kwargs={"number": self.number, "version": self.version})

    def get_current_url(self) -> str:
        return reverse("public:notice_detail", kwargs={"number": self.number})

    def get_pdf_url(self) -> str:
        return reverse("public:notice_version_pdf", kwargs={"number": self.number, "version": self.version})

    def accepts_objections(self) -> bool:
        """While publicity runs and the period is not over (国发〔2016〕16号: objections within the period)."""
        return self.status == NoticeStatus.IN_PUBLICITY and clock.now() < self.ends_at

    @property
    def calendar_note(self) -> str:
        """The staff's note on a deadline computed with the holiday-calendar fallback."""
        from .publicity_clock import fallback_note

        return fallback_note(self.calendar_fallback_years)

    @property
    def period_over(self) -> bool:
        """The period has ended but the closing job has not yet moved the case on: from ``ends_at``
        the public reads 公示期满（待转入实施）, never 公示中 beside 公示期已届满."""
        return self.status == NoticeStatus.IN_PUBLICITY and clock.now() >= self.ends_at

    @property
    def public_status(self) -> str:
        """The status the public reads, as the clock makes it now (a code of ``PUBLIC_STATUS_LABELS``)."""
        return PERIOD_OVER if self.period_over else self.status

    @property
    def public_status_label(self) -> str:
        return str(PUBLIC_STATUS_LABELS[self.public_status])


#: the status the public reads from ``ends_at`` on until the closing job moves the case: computed
#: from the clock, never stored
PERIOD_OVER = "period_over"
#: what the public reads for each status
PUBLIC_STATUS_LABELS: dict[str, Any] = {
    **dict(NoticeStatus.choices),
    PERIOD_OVER: _("公示期满（待转入实施）"),
}
#: the statuses the public may filter by, in the order a notice lives them (``pending`` is never public)
PUBLIC_STATUSES = (
    NoticeStatus.IN_PUBLICITY, PERIOD_OVER, NoticeStatus.SUSPENDED, NoticeStatus.ENDED,
    NoticeStatus.SUPERSEDED, NoticeStatus.WITHDRAWN,
)


class Objection(models.Model):
    """A real-name written objection filed by a member of the public during publicity.
    Personal data is never shown publicly; only the reply is published where the pack says so."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("待处理")
        DISMISSED = "dismissed", _("异议不成立")
        UPHELD = "upheld", _("异议成立")

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="objections")
    confirmation = models.CharField(_("受理编号"), max_length=40, unique=True)
    name = models.CharField(_("姓名"), max_length=100)
    organisation = models.CharField(_("工作单位"), max_length=200, blank=True)
    phone = models.CharField(_("电话"), max_length=40, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    relation = models.CharField(_("与公示事项的关系"), max_length=200)
    reasons = models.CharField(_("异议理由"), max_length=2000)
    evidence = models.FileField(upload_to="objections/", blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    filed_at = models.DateTimeField(default=clock.now)
    outcome = models.CharField(_("处理结果"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    reply = models.CharField(_("答复"), max_length=2000, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["filed_at"]

    def __str__(self) -> str:
        return self.confirmation
