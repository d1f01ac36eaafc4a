"""The expert panel of 论证: seats, declarations and independent opinions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import clock
from .cases import TransferCase


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
