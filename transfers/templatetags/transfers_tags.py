"""Template filters of the domain: people's names in Chinese order, amounts in capitals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils import translation

from ..models import AchievementKind, PriceKind, PricingMethod, TransferMode, Valuation
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


FROZEN_CHOICES: dict[str, Any] = {
    "mode": TransferMode,
    "kind": AchievementKind,
    "price_kind": PriceKind,
    "pricing_method": PricingMethod,
    "valuation_method": Valuation.Method,
}


@register.simple_tag
def frozen(content: dict[str, Any], field: str) -> str:
    """A choice as a notice froze it: in Chinese the words as published; in another language the
    label of the frozen code (the published words when the code is unknown)."""
    words = str(content.get(field, ""))
    language = translation.get_language() or "zh-hans"
    code = content.get(f"{field}_code")
    choices = FROZEN_CHOICES.get(field)
    if language.startswith("zh") or not code or choices is None or code not in choices.values:
        return words
    return str(choices(code).label)
