"""The address the public reaches the site at (``PUBLIC_BASE_URL``), printed in every notice PDF and
QR code. A notice is hashed at issue, so a wrong address is permanent: where the settings demand a
public address (production), a local or unset one refuses issuing, and ``check --deploy`` says so.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings

#: host names that never reach the public
LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".invalid", ".test", ".example", ".lan", ".home.arpa")


def local_reason(url: str) -> str:
    """Why ``url`` cannot be printed for the public ('' when it can): unset, not http(s), no host,
    a loopback, private or link-local address, or a name that only resolves locally."""
    if not url:
        return "unset"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "not an http(s) address"
    host = parts.hostname.rstrip(".").lower()
    if host == "localhost" or ("." not in host and ":" not in host) or host.endswith(LOCAL_SUFFIXES):
        return "a local host name"
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return ""
    if ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_unspecified or ip.is_reserved:
        return "a local address"
    return ""


def public_base_url() -> str:
    """``PUBLIC_BASE_URL`` without its trailing slash."""
    return str(settings.PUBLIC_BASE_URL or "").rstrip("/")


def printable_base_url_problem() -> str:
    """'' when notices may be issued with the configured address; else what is wrong with it. Only
    settings with ``NOTICES_REQUIRE_PUBLIC_ADDRESS`` (production) refuse a local address."""
    base = public_base_url()
    if not base:
        return "unset"
    if getattr(settings, "NOTICES_REQUIRE_PUBLIC_ADDRESS", False):
        return local_reason(base)
    return ""
