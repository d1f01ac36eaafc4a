"""Who may act as what on which case: roles are held per institution (``Membership``).

``InstitutionRoleBackend`` answers object permissions named ``transfers.role_<role>`` for a case
(or an institution), so viewflow's task permission checks and the FSM transition permissions ask
the same question: does this user hold that role in the case's institution?
"""

from __future__ import annotations

from typing import Any

from .models.people import (  # noqa: F401 (the role questions live with the memberships they read)
    DELEGABLE_ROLES,
    STAGE_ROLES,
    forget_roles,
    has_role,
    institution_names,
    is_case_owner,
    principals_of,
    roles_by_institution,
)

ROLE_PERMISSION_PREFIX = "transfers.role_"


def role_permission(role: str) -> str:
    return f"{ROLE_PERMISSION_PREFIX}{role}"


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
