"""System checks of the domain's settings (``manage.py check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

from .addresses import local_reason, public_base_url


@register(Tags.security, deploy=True)
def public_base_url_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Every notice prints ``PUBLIC_BASE_URL`` in its PDF and QR code, and is hashed: in production
    it must be the address the public reaches."""
    reason = local_reason(public_base_url())
    if not reason:
        return []
    return [
        Error(
            f"PUBLIC_BASE_URL is {reason} ({settings.PUBLIC_BASE_URL!r}): notices print it in their PDF and QR code "
            "and are hashed at issue, so no notice can be issued with it.",
            hint="Set PUBLIC_BASE_URL to the https address the public reaches, e.g. https://tto.example.edu.cn",
            id="transfers.E001",
        )
    ]
