"""The in-app list of a user's notifications; opening it marks them read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .models import Notification


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, AbstractBaseUser)  # login_required
    rows = list(Notification.objects.filter(recipient=user).select_related("case")[:100])
    Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "notifications/list.html", {"rows": rows})
