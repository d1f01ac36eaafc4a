"""The unread count shown in the navigation bar."""

from typing import Any

from django.http import HttpRequest

from .models import Notification


def unread(request: HttpRequest) -> dict[str, Any]:
    if not request.user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()}
