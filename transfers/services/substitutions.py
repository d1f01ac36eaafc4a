"""Substitutes: a reviewer (or the institution admin for them) names a colleague who acts for them
over a date range; the substitute holds the reviewer's delegable roles and their tasks meanwhile."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import clock, permissions
from ..models import Institution, Membership, Role, Substitution
from ..wording import person_name
from .cases import limit_text
from .errors import ActionRefused

#: the longest absence one arrangement covers
MAX_DAYS = 366


def _may_arrange(by: Any, principal: Any, institution: Institution) -> bool:
    return by.pk == principal.pk or permissions.has_role(by, institution.pk, [Role.INSTITUTION_ADMIN])


def substitution_create(
    *, institution: Institution, principal: Any, substitute: Any, starts_on: datetime.date,
    ends_on: datetime.date, reason: str = "", by: Any,
) -> Substitution:
    with transaction.atomic():
        Institution.objects.select_for_update().get(pk=institution.pk)
        if not _may_arrange(by, principal, institution):
            raise ActionRefused(_("只有本人或单位管理员可以安排代理人。"), code="forbidden")
        held = set(Membership.objects.filter(user=principal, institution=institution)
                   .values_list("role", flat=True))
        if not held & permissions.DELEGABLE_ROLES:
            raise ActionRefused(_("%(name)s 在本单位没有可由他人代理的审核角色。") % {"name": person_name(principal)},
                                code="nothing_to_delegate")
        if substitute.pk == principal.pk:
            raise ActionRefused(_("不能指定本人为代理人。"), code="self")
        if not substitute.is_active or not Membership.objects.filter(user=substitute, institution=institution).exists():
            raise ActionRefused(_("代理人须是本单位的在职人员。"), code="not_member")
        if starts_on < clock.china_today():
            raise ActionRefused(_("开始日期不能早于今天。"), code="date")
        if ends_on < starts_on:
            raise ActionRefused(_("结束日期不能早于开始日期。"), code="date")
        if (ends_on - starts_on).days >= MAX_DAYS:
            raise ActionRefused(_("一次代理最长 %(days)d 天。") % {"days": MAX_DAYS}, code="date")
        return Substitution.objects.create(
            institution=institution, principal=principal, substitute=substitute, starts_on=starts_on,
            ends_on=ends_on, reason=limit_text(reason.strip(), gettext_lazy("事由"), max_length=200,
                                               single_line=True),
            created_by=by, created_at=clock.now(),
        )


def substitution_cancel(*, substitution: Substitution, by: Any) -> Substitution:
    with transaction.atomic():
        locked = Substitution.objects.select_for_update().get(pk=substitution.pk)
        if not _may_arrange(by, locked.principal, locked.institution):
            raise ActionRefused(_("只有本人或单位管理员可以取消代理安排。"), code="forbidden")
        if locked.cancelled_at is None:
            locked.cancelled_at = clock.now()
            locked.save(update_fields=["cancelled_at"])
        return locked
