"""Values every page needs: the source link the AGPL asks for, the language switcher."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


def site(request: HttpRequest) -> dict[str, Any]:
    # AGPL-3.0 §13: the running version's source, from this site unless SOURCE_URL names another place
    return {"SOURCE_URL": settings.SOURCE_URL or reverse("source"), "LANGUAGES": settings.LANGUAGES}
