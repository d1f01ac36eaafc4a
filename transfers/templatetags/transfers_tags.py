"""Template filters of the domain: people's names in Chinese order, amounts in capitals."""

from __future__ import annotations

import datetime
import threading
from collections import OrderedDict
from decimal import Decimal
from typing import Any

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .. import wording
from ..models import (
    AchievementKind,
    DeductionKind,
    PaymentKind,
    PriceKind,
    PricingMethod,
    ReceiptKind,
    TransferMode,
    Valuation,
)
from ..validators import format_wan_yuan, wan_yuan_to_capitals
from .a11y import mark_chinese_runs, page_in_chinese

register = template.Library()

#: (template, form class, language, upload limit) → an unbound form's fields as rendered
_UNBOUND_FIELDS: dict[tuple[str, str, str, int], SafeString] = {}


@register.simple_tag
def form_fields(template_name: str, form: Any) -> SafeString:
    """A form's fields rendered by ``template_name``. An unbound form's are the same for every reader of a
    language (no value, no error; the CSRF token is outside them), so they are rendered once per process:
    the public notice page's objection form costs nothing after the first reader. A bound form (what the
    reader typed, its errors) is rendered each time."""
    if form.is_bound or form.initial or any(field.initial is not None for field in form.fields.values()):
        return render_to_string(template_name, {"form": form})
    key = (template_name, type(form).__qualname__, str(translation.get_language()), settings.ATTACHMENT_MAX_BYTES)
    if key not in _UNBOUND_FIELDS:
        _UNBOUND_FIELDS[key] = render_to_string(template_name, {"form": form})
    return _UNBOUND_FIELDS[key]


#: the most published notices' texts one process keeps (about 10 KB each)
NOTICE_BODIES_KEPT = 256
_NOTICE_BODIES: OrderedDict[tuple[int, Any, str], SafeString] = OrderedDict()
_NOTICE_BODIES_LOCK = threading.Lock()


@register.simple_tag
def notice_body(notice: Any) -> SafeString:
    """A published notice's text on its public page. What it prints is frozen at issue (the content is
    hashed with the PDF; a moved period is a new version), so it is the same for every reader of a
    language: rendered once per process, version, save (``updated_at``) and language, the most recently
    read ``NOTICE_BODIES_KEPT`` kept. Its template reads only ``notice`` and ``c``."""
    key = (notice.pk, notice.updated_at, str(translation.get_language()))
    with _NOTICE_BODIES_LOCK:
        kept = _NOTICE_BODIES.get(key)
        if kept is not None:
            _NOTICE_BODIES.move_to_end(key)
            return kept
    html: str = render_to_string(notice.body_template, {"notice": notice, "c": notice.content})
    if not page_in_chinese():  # the labels are the reader's language, the frozen values Chinese (WCAG 3.1.2)
        html = mark_chinese_runs(html)
    body = mark_safe(html)
    with _NOTICE_BODIES_LOCK:
        _NOTICE_BODIES[key] = body
        while len(_NOTICE_BODIES) > NOTICE_BODIES_KEPT:
            _NOTICE_BODIES.popitem(last=False)
    return body


@register.filter
def person(user: Any) -> str:
    """姓 + 名 (family name first, no space), else the login name."""
    return wording.person_name(user)


@register.filter
def pool(amount: Any, kind: str) -> str:
    """What a distribution splits: money (万元), or for an equity grant the shares themselves."""
    if amount in (None, ""):
        return ""
    if kind == "equity":
        return _("%(amount)s 万股（出资额）") % {"amount": format_wan_yuan(Decimal(str(amount)))}
    return wording.money(amount)


@register.filter
def percent(value: Any) -> str:
    return wording.percent(value)


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
    "payment_kind": PaymentKind,
    "receipt_kind": ReceiptKind,
    "deduction": DeductionKind,
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


#: how many characters of a title stay together on its last line (never one alone)
TITLE_TAIL = 3


@register.filter
def keep_last_together(text: str) -> SafeString:
    """The text, escaped, with its last characters joined so that a wrapped title never leaves a
    single character on its last line (CJK text may break between any two characters)."""
    text = str(text)
    if len(text) <= TITLE_TAIL:
        return format_html('<span class="nobr">{}</span>', text)
    return format_html('{}<span class="nobr">{}</span>', text[:-TITLE_TAIL], text[-TITLE_TAIL:])


@register.filter
def long_date(value: datetime.date | datetime.datetime | None) -> str:
    return wording.long_date(value)


@register.filter
def long_datetime(value: datetime.datetime | None) -> str:
    return wording.long_datetime(value)


@register.filter
def iso_long_date(value: str) -> str:
    """A frozen ISO date (``2023-03-02``) as ``long_date`` writes it."""
    try:
        return long_date(datetime.date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


@register.filter
def join_names(items: Any) -> str:
    return mark_safe(wording.join_names(conditional_escape(i) for i in items or []))  # each name escaped


@register.filter
def money(wan_yuan: Any) -> str:
    """An amount in 万元 as the reader's language writes it (``12.5 万元`` / ``CNY 125,000``)."""
    return wording.money(wan_yuan)
