"""Values every page needs: the source link the AGPL asks for, the language switcher, and whether the
navigation offers the institution admin's screens (lazy: no query unless a page asks)."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from . import permissions
from .models import Role


def site(request: HttpRequest) -> dict[str, Any]:
    # AGPL-3.0 §13: the running version's source, from this site unless SOURCE_URL names another place
    values: dict[str, Any] = {"SOURCE_URL": settings.SOURCE_URL or reverse("source"), "LANGUAGES": settings.LANGUAGES}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        values["administers_institution"] = SimpleLazyObject(
            lambda: user.is_active
            and any(Role.INSTITUTION_ADMIN in roles for roles in permissions.roles_by_institution(user).values())
        )
        values["nav"] = SimpleLazyObject(lambda: navigation(user))
    return values


#: roles whose tasks wait in a queue to be claimed (an expert's seat and the applicant's revision are
#: given by name)
QUEUE_ROLES = frozenset({Role.TTO_OFFICER, Role.TTO_HEAD, Role.ASSESSOR, Role.DECISION_SECRETARY})


def navigation(user: Any) -> dict[str, bool]:
    """Which entries of the navigation this user has a use for (no link to "nothing to do here")."""
    held: set[str] = set().union(*permissions.roles_by_institution(user).values())
    return {
        "file": bool(held & {Role.APPLICANT, Role.TTO_OFFICER}),
        "queue": bool(held & QUEUE_ROLES),
        "substitutes": bool(held & permissions.DELEGABLE_ROLES) or bool(permissions.principals_of(user)),
    }
