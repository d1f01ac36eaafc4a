"""After publicity, the money: the contract and its registration (技术合同认定登记), the income received
over time with its deductions, and the reward distributed from each receipt by the rule pack's floors
(促进科技成果转化法 第四十五条; seed 003 三.8). Amounts are ``Decimal`` in 万元 with four decimals (one
yuan), split by the rule of ``transfers.money``; payments to people are in yuan with fen."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .. import clock
from .cases import Attachment, Inventor, TransferCase
from .rules import RulePack


class PaymentKind(models.TextChoices):
    """How the contract pays (issue 10: instalments with dates and amounts, a royalty formula, equity)."""

    INSTALMENTS = "instalments", _("一次或分期付款")
    ROYALTY = "royalty", _("提成（按基数和比例）")
    EQUITY = "equity", _("作价投资（股权）")
    OWN_IMPLEMENTATION = "own_implementation", _("自行或合作实施（营业利润）")


class Contract(models.Model):
    """The signed contract of a case: its terms as the contract states them, and its registration.

    ``imported``: a transfer approved and publicised before this system existed, recorded so its income
    and rewards are handled here; it is never republished."""

    case = models.OneToOneField(TransferCase, on_delete=models.PROTECT, related_name="contract")
    counterparty_name = models.CharField(_("合同相对方"), max_length=60)
    signed_on = models.DateField(_("签订日期"))
    term_starts_on = models.DateField(_("合同期限自"))
    term_ends_on = models.DateField(_("合同期限至"), null=True, blank=True)
    payment_kind = models.CharField(_("支付方式"), max_length=30, choices=PaymentKind.choices)
    amount = models.DecimalField(_("合同金额（万元）"), null=True, blank=True, max_digits=16, decimal_places=4)
    royalty_base = models.CharField(_("提成基数"), max_length=100, blank=True,
                                    help_text=_("按合同原文填写，如“产品年销售净额”。"))
    royalty_rate_pct = models.DecimalField(_("提成比例（%）"), null=True, blank=True, max_digits=7, decimal_places=4)
    equity_company = models.CharField(_("被投资企业"), max_length=60, blank=True)
    equity_shares = models.DecimalField(_("股份或出资额（万股/万元）"), null=True, blank=True, max_digits=16,
                                        decimal_places=4)
    equity_valuation = models.DecimalField(_("作价金额（万元）"), null=True, blank=True, max_digits=16,
                                           decimal_places=4)
    registration_number = models.CharField(
        _("技术合同登记号"),
        max_length=16,
        blank=True,
        validators=[RegexValidator(r"^\d{16}$", _("技术合同登记号为 16 位数字。"), code="registration_number")],
        help_text=_("技术合同认定登记证明上的 16 位登记号。"),
    )
    registered_on = models.DateField(_("认定登记日期"), null=True, blank=True)
    registry = models.CharField(_("登记机构"), max_length=60, blank=True,
                                help_text=_("如“甘肃省技术市场管理办公室”。"))
    document = models.ForeignKey(Attachment, verbose_name=_("合同文本"), on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+")
    certificate = models.ForeignKey(Attachment, verbose_name=_("认定登记证明"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    imported = models.BooleanField(_("系统上线前已审批公示"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("合同")
        verbose_name_plural = _("合同")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="contract_amount_not_negative"),
            models.CheckConstraint(condition=Q(royalty_rate_pct__gt=0) & Q(royalty_rate_pct__lte=100)
                                   | Q(royalty_rate_pct__isnull=True), name="contract_royalty_rate_range"),
        ]

    def __str__(self) -> str:
        return f"{self.case.reference} {self.counterparty_name}"

    @property
    def is_registered(self) -> bool:
        return bool(self.registration_number and self.registered_on)


class Instalment(models.Model):
    """One payment the contract schedules: when, and how much."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="instalments")
    position = models.PositiveIntegerField()
    due_on = models.DateField(_("应付日期"))
    amount = models.DecimalField(_("应付金额（万元）"), max_digits=16, decimal_places=4)

    class Meta:
        ordering = ["position"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.due_on} {self.amount}"


class ReceiptKind(models.TextChoices):
    PAYMENT = "payment", _("转让/许可价款")
    ROYALTY = "royalty", _("提成")
    EQUITY = "equity", _("作价投资股份")
    PROFIT = "profit", _("年度营业利润")


class Receipt(models.Model):
    """Income received: a payment (or royalty) with its voucher, an equity grant (the shares and their
    value), or a year's operating profit of the institution's own or cooperative implementation."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="receipts")
    kind = models.CharField(_("收入类型"), max_length=20, choices=ReceiptKind.choices)
    received_on = models.DateField(_("到账日期"))
    amount = models.DecimalField(_("金额（万元）"), max_digits=16, decimal_places=4,
                                 help_text=_("股权：作价金额；营业利润：该年度利润。"))
    shares = models.DecimalField(_("股份或出资额（万股/万元）"), null=True, blank=True, max_digits=16, decimal_places=4)
    profit_year = models.PositiveIntegerField(_("利润年度"), null=True, blank=True)
    payer = models.CharField(_("付款方"), max_length=60)
    voucher = models.ForeignKey(Attachment, verbose_name=_("收款凭证"), on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("收入")
        verbose_name_plural = _("收入")
        ordering = ["received_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="receipt_amount_positive")]

    def __str__(self) -> str:
        return f"{self.contract.case.reference} {self.received_on} {self.amount}"

    @property
    def distribution_or_none(self) -> Distribution | None:
        try:
            return self.distribution
        except Distribution.DoesNotExist:
            return None

    def deducted(self) -> Decimal:
        """Summed here, exactly (SQLite's SUM of decimals goes through floating point)."""
        return sum((d.amount for d in self.deductions.all()), Decimal(0)).quantize(Decimal("0.0001"))

    def net(self) -> Decimal:
        """What is split: the receipt less its deductions (for equity, the shares granted)."""
        if self.kind == ReceiptKind.EQUITY and self.shares is not None:
            return self.shares
        return self.amount - self.deducted()


class DeductionKind(models.TextChoices):
    """What an institution's rules deduct before the split (net income, 净收入)."""

    VALUATION_FEE = "valuation_fee", _("评估费")
    PATENT_FEES = "patent_fees", _("专利申请费和年费")
    AGENCY_FEE = "agency_fee", _("代理/中介服务费")
    TAXES = "taxes", _("税费")
    OTHER = "other", _("其他")


class Deduction(models.Model):
    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="deductions")
    kind = models.CharField(_("扣除项目"), max_length=20, choices=DeductionKind.choices)
    amount = models.DecimalField(_("金额（万元）"), max_digits=16, decimal_places=4)
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="deduction_amount_positive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class Distribution(models.Model):
    """The reward split of one receipt: the team's, the institution's and its college's shares, then the
    team's share per person. Proposed from the rule pack, adjusted within the floors, approved, published
    as a reward notice, paid."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待审批")
        RETURNED = "returned", _("已退回修改")
        APPROVED = "approved", _("已审批")
        PUBLISHED = "published", _("公示中")
        PAID = "paid", _("已发放")

    receipt = models.OneToOneField(Receipt, on_delete=models.PROTECT, related_name="distribution")
    rule_pack = models.ForeignKey(RulePack, verbose_name=_("适用规则版本"), on_delete=models.PROTECT,
                                  related_name="+")
    floor_pct = models.DecimalField(_("团队比例下限（%）"), max_digits=7, decimal_places=4)
    net = models.DecimalField(_("可分配净收入（万元）"), max_digits=16, decimal_places=4)
    team_pct = models.DecimalField(_("成果完成团队比例（%）"), max_digits=7, decimal_places=4)
    institution_pct = models.DecimalField(_("学校比例（%）"), max_digits=7, decimal_places=4)
    college_pct = models.DecimalField(_("学院（中心）比例（%）"), max_digits=7, decimal_places=4)
    college_name = models.CharField(_("学院（中心）"), max_length=60, blank=True)
    team_amount = models.DecimalField(_("团队奖励（万元）"), max_digits=16, decimal_places=4)
    institution_amount = models.DecimalField(_("学校留存（万元）"), max_digits=16, decimal_places=4)
    college_amount = models.DecimalField(_("学院（中心）留存（万元）"), max_digits=16, decimal_places=4)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    adjustment_reason = models.CharField(_("调整理由"), max_length=500, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=clock.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_comment = models.CharField(_("审批意见"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("收益分配")
        verbose_name_plural = _("收益分配")
        constraints = [
            models.CheckConstraint(condition=Q(team_pct__gte=models.F("floor_pct")), name="distribution_team_floor"),
            models.CheckConstraint(
                condition=Q(team_amount__gte=0) & Q(institution_amount__gte=0) & Q(college_amount__gte=0),
                name="distribution_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt} → {self.team_amount}"

    @property
    def pools_add_up(self) -> bool:
        return self.team_amount + self.institution_amount + self.college_amount == self.net

    @property
    def adjustable(self) -> bool:
        """The officer may still change the per-person amounts: not yet approved."""
        return self.status in (self.Status.PROPOSED, self.Status.RETURNED)


class RewardShare(models.Model):
    """One person's reward from a distribution, and its payment once the notice period is over."""

    distribution = models.ForeignKey(Distribution, on_delete=models.CASCADE, related_name="shares")
    position = models.PositiveIntegerField()
    inventor = models.ForeignKey(Inventor, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    name = models.CharField(_("姓名"), max_length=50)  # as an inventor's
    title = models.CharField(_("职称/职务"), max_length=40, blank=True)
    role = models.CharField(_("角色"), max_length=40, blank=True, help_text=_("如“专利发明人”“技术负责人”。"))
    is_main_contributor = models.BooleanField(_("主要贡献人员"), default=False)
    contribution_pct = models.DecimalField(_("贡献份额（%）"), max_digits=7, decimal_places=4)
    amount = models.DecimalField(_("奖励金额（万元）"), max_digits=16, decimal_places=4)
    paid_on = models.DateField(_("发放日期"), null=True, blank=True)
    paid_yuan = models.DecimalField(_("实发金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="reward_share_not_negative"),
            models.UniqueConstraint(fields=["distribution", "position"], name="reward_share_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.amount}"
