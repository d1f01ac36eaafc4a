"""Template filters of the domain: people's names in Chinese order, amounts in capitals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from ..validators import format_wan_yuan, wan_yuan_to_capitals

register = template.Library()


@register.filter
def person(user: Any) -> str:
    """姓 + 名 (family name first, no space), else the login name."""
    if user is None:
        return ""
    name = f"{user.last_name}{user.first_name}".strip()
    return name or user.get_username()


@register.filter
def wan_yuan(amount: Decimal | None) -> str:
    return "" if amount is None else format_wan_yuan(amount)


@register.filter
def capitals(amount: Decimal | None) -> str:
    return "" if amount is None else wan_yuan_to_capitals(amount)
