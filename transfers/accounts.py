"""Signing in, changing and resetting a password: Django's views with this site's pages. The reset link
mailed is built on ``PUBLIC_BASE_URL`` (never on the request's ``Host``, which a client writes)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import reverse_lazy

from .institution_forms import RefusableForm


class PasswordChangeForm(RefusableForm, auth_forms.PasswordChangeForm):
    """Django's, with errors that name the missing field (GOV.UK)."""


class SetPasswordForm(RefusableForm, auth_forms.SetPasswordForm):
    pass


class PasswordResetForm(RefusableForm, auth_forms.PasswordResetForm):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    form_class = PasswordResetForm
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        self.extra_email_context = {"base_url": settings.PUBLIC_BASE_URL.rstrip("/")}
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    success_url = reverse_lazy("password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    success_url = reverse_lazy("password_change_done")
