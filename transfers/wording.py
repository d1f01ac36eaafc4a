"""Small pieces of wording that differ by language beyond translation: list separators, money.

Chinese joins names with 、 and clauses with ；, English with commas and semicolons; an amount in
万元 reads ``12.5 万元`` in Chinese and ``CNY 125,000`` in English; a date ``2026年11月26日`` or
``26 November 2026``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import dateformat, translation

from . import clock
from .validators import format_wan_yuan


def _chinese() -> bool:
    return (translation.get_language() or "zh-hans").startswith("zh")


def join_names(items: Iterable[Any]) -> str:
    return ("、" if _chinese() else ", ").join(str(i) for i in items)


def join_clauses(items: Iterable[Any]) -> str:
    return ("；" if _chinese() else "; ").join(str(i) for i in items)


def join_sentences(items: Iterable[Any]) -> str:
    """Whole sentences one after another: no space between Chinese ones, one between English ones."""
    return ("" if _chinese() else " ").join(str(i) for i in items)


def money(wan_yuan: Any) -> str:
    """An amount in 万元 (a Decimal or its string) as the reader's language writes it."""
    if wan_yuan in (None, ""):
        return ""
    try:
        value = Decimal(str(wan_yuan).replace(",", ""))
    except InvalidOperation:
        return str(wan_yuan)
    if _chinese():
        return f"{format_wan_yuan(value)} 万元"
    yuan = (value * 10000).quantize(Decimal("0.01"))
    text = f"{yuan:,.2f}"
    return "CNY " + (text[:-3] if text.endswith(".00") else text)


def percent(value: Any) -> str:
    """A percentage as notices print it: ``70%``, ``33.3333%`` (no trailing zeros)."""
    if value in (None, ""):
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def long_date(value: datetime.date | datetime.datetime | None) -> str:
    """``2026年11月26日`` in Chinese (as official documents date themselves), ``26 November 2026`` in
    English; a moment is dated in China."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = clock.in_china(value)
    if _chinese():
        return f"{value.year}年{value.month}月{value.day}日"
    return str(dateformat.format(value, "j F Y"))


def long_datetime(value: datetime.datetime | None) -> str:
    """``2026年11月26日 17:00`` (China time)."""
    if not value:
        return ""
    moment = clock.in_china(value)
    return f"{long_date(moment)} {moment:%H:%M}"


def person_name(user: Any) -> str:
    """姓 + 名 (family name first, no space), else the login name."""
    if user is None:
        return ""
    name = f"{user.last_name}{user.first_name}".strip()
    return name or str(user.get_username())
