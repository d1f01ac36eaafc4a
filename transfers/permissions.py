"""Who may act as what on which case: roles are held per institution (``Membership``).

``InstitutionRoleBackend`` answers object permissions named ``transfers.role_<role>`` for a case
(or an institution), so viewflow's task permission checks and the FSM transition permissions ask
the same question: does this user hold that role in the case's institution?
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef

ROLE_PERMISSION_PREFIX = "transfers.role_"

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


def role_permission(role: str) -> str:
    return f"{ROLE_PERMISSION_PREFIX}{role}"


def roles_by_institution(user: Any) -> dict[int, set[str]]:
    """All roles of the user, per institution id; cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return {}
    cached: dict[int, set[str]] | None = getattr(user, "_roles_by_institution", None)
    if cached is None:
        from .models import Membership

        cached = {}
        for institution_id, role in Membership.objects.filter(user=user).values_list(
            "institution_id", "role"
        ):
            cached.setdefault(institution_id, set()).add(role)
        # roles held for a colleague this user substitutes for today, in that colleague's institution
        for institution_id, role in Membership.objects.filter(
            Exists(_substitutions_for(user).filter(principal=OuterRef("user"), institution=OuterRef("institution"))),
            role__in=DELEGABLE_ROLES,
        ).values_list("institution_id", "role"):
            cached.setdefault(institution_id, set()).add(role)
        user._roles_by_institution = cached
    return cached


def _substitutions_for(user: Any) -> Any:
    """Today's substitutions where ``user`` acts for someone (China's date)."""
    from . import clock
    from .models import Substitution

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
    for cache in ("_roles_by_institution", "_principals"):
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


class InstitutionRoleBackend:
    """Object permissions ``transfers.role_<role>`` on a case or an institution."""

    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if obj is None or not perm.startswith(ROLE_PERMISSION_PREFIX) or not user_obj.is_active:
            return False
        role = perm.removeprefix(ROLE_PERMISSION_PREFIX)
        institution_id = getattr(obj, "institution_id", None)
        if institution_id is None and obj.__class__.__name__ == "Institution":
            institution_id = obj.pk
        if institution_id is None:
            return False
        return has_role(user_obj, institution_id, [role])
