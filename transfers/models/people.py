"""Institutions, their members' roles and substitutes, and who holds which role where."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from .. import clock
from .choices import Role
from .rules import RulePack

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
# Who holds which role where (``transfers.permissions`` builds on these; the case's transitions ask them)


#: who reviews the case in each stage (seed 003 三.2)
STAGE_ROLES: dict[str, tuple[str, ...]] = {
    "preliminary_review": ("tto_officer",),
    "assessment": ("assessor",),
    "demonstration": ("tto_officer",),  # forms the panel and concludes; experts are invited by name
    "decision": ("decision_secretary",),
    "publicity": ("tto_officer",),
    "objection_review": ("tto_officer",),
    "implementation": ("tto_officer",),
}


#: the roles a reviewer's substitute holds while acting for them: not an expert's personal judgement,
#: not the applicant's case, not the institution's administration
DELEGABLE_ROLES = frozenset({"tto_officer", "assessor", "decision_secretary", "tto_head"})


def roles_by_institution(user: Any) -> dict[int, set[str]]:
    """All roles of the user, per institution id; cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return {}
    cached: dict[int, set[str]] | None = getattr(user, "_roles_by_institution", None)
    if cached is None:
        cached = {}
        names: dict[int, tuple[str, str]] = {}
        # the user's own roles, and those held for a colleague they substitute for today (in that
        # colleague's institution, the delegable ones), with the institutions' names: one query
        acting_for = Exists(
            _substitutions_for(user).filter(principal=OuterRef("user"), institution=OuterRef("institution"))
        )
        for institution_id, role, code, name in Membership.objects.filter(
            Q(user=user) | Q(acting_for, role__in=DELEGABLE_ROLES)
        ).values_list("institution_id", "role", "institution__code", "institution__name"):
            cached.setdefault(institution_id, set()).add(role)
            names[institution_id] = (code, name)
        user._roles_by_institution = cached
        user._institution_names = names
    return cached


def institution_names(user: Any) -> dict[int, tuple[str, str]]:
    """The code and name of each institution where the user holds a role (read with the roles)."""
    roles_by_institution(user)
    return getattr(user, "_institution_names", {})


def _substitutions_for(user: Any) -> Any:
    """Today's substitutions where ``user`` acts for someone (China's date)."""
    today = clock.china_today()
    return Substitution.objects.filter(substitute=user, starts_on__lte=today, ends_on__gte=today,
                                       cancelled_at__isnull=True)


def principals_of(user: Any) -> list[int]:
    """The ids of the people ``user`` acts for today; cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return []
    cached: list[int] | None = getattr(user, "_principals", None)
    if cached is None:
        cached = list(_substitutions_for(user).order_by().values_list("principal_id", flat=True).distinct())
        user._principals = cached
    return cached


def forget_roles(user: Any) -> None:
    for cache in ("_roles_by_institution", "_institution_names", "_principals"):
        if hasattr(user, cache):
            delattr(user, cache)


def has_role(user: Any, institution_id: int, roles: Iterable[str]) -> bool:
    held = roles_by_institution(user).get(institution_id, set())
    return bool(held.intersection(str(r) for r in roles))


def is_case_owner(user: Any, case: Any) -> bool:
    """The applicant who filed the case, or a TTO officer of its institution (who files for others)."""
    if user is None or not user.is_authenticated:
        return False
    return case.created_by_id == user.pk or has_role(user, case.institution_id, ["tto_officer"])
