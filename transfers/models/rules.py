"""Rule packs: the numbers that differ by jurisdiction, versioned, each with its clause."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .. import clock
from .choices import Jurisdiction

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
    #: whose floors bound the pack's numbers; every version of a pack, and an institution's own pack
    #: made from it, keeps it (``services.rules``)
    jurisdiction = models.CharField(
        _("适用地区"), max_length=20, choices=Jurisdiction.choices, default=Jurisdiction.NATIONAL
    )
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
    #: e.g. 《浙江省促进科技成果转化条例》第十七条第二款: "公示内容包括科技成果名称、内容摘要、转化方式、拟交易价格"
    publicity_includes_abstract = models.BooleanField(_("公示成果内容摘要"), default=False)
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
    reward_floor_profit_pct = models.DecimalField(
        _("自行实施营业利润奖励下限（%）"), max_digits=5, decimal_places=2, default=Decimal("5")
    )
    main_contributor_floor_pct = models.DecimalField(
        _("主要贡献人员奖励份额下限（%）"), max_digits=5, decimal_places=2, default=Decimal("50")
    )
    #: a reward notice's period is the institution's own rule (real ones: 5 working days, or 7 days);
    #: the 15-day floor of 国发〔2016〕16号 is for transfer notices
    reward_publicity_days = models.PositiveIntegerField(
        _("奖励公示期（天）"),
        validators=[MinValueValidator(1, message=_("奖励公示期至少为1天。"))],
        default=5,
    )
    reward_publicity_working_days = models.BooleanField(_("奖励公示期按工作日计算"), default=True)
    clauses = models.JSONField(_("依据条款"), default=dict, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=clock.now)

    class Meta:
        verbose_name = _("规则包")
        verbose_name_plural = _("规则包")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="rulepack_code_version_unique"),
            models.CheckConstraint(condition=Q(publicity_days__gte=15), name="rulepack_publicity_floor"),
            models.CheckConstraint(condition=Q(reward_publicity_days__gte=1), name="rulepack_reward_publicity_floor"),
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
