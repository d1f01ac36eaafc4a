"""Values every page needs: the source link the AGPL asks for, the language switcher."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {"SOURCE_CODE_URL": settings.SOURCE_CODE_URL, "LANGUAGES": settings.LANGUAGES}
