"""Who may act as what on which case: roles are held per institution (``Membership``).

``InstitutionRoleBackend`` answers object permissions named ``transfers.role_<role>`` for a case
(or an institution), so viewflow's task permission checks and the FSM transition permissions ask
the same question: does this user hold that role in the case's institution?
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

ROLE_PERMISSION_PREFIX = "transfers.role_"

#: who reviews the case in each stage (seed 003 三.2)
STAGE_ROLES: dict[str, tuple[str, ...]] = {
    "preliminary_review": ("tto_officer",),
    "assessment": ("assessor",),
    "demonstration": ("expert",),
    "decision": ("decision_secretary",),
    "publicity": ("tto_officer",),
    "objection_review": ("tto_officer",),
    "implementation": ("tto_officer",),
}


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
        user._roles_by_institution = cached
    return cached


def forget_roles(user: Any) -> None:
    if hasattr(user, "_roles_by_institution"):
        del user._roles_by_institution


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
