"""TEMPORARY quick validators (helper is writing the real ones)."""

import re
from decimal import Decimal, InvalidOperation

import cn2an
from django.core.exceptions import ValidationError


def normalize_patent_number(raw):
    s = raw.strip().upper().replace(" ", "").replace("\u3000", "")
    if s.startswith("ZL"):
        s = s[2:]
    if s.startswith("CN"):
        return s
    return "ZL" + s


def _check(digits):
    w = [2, 3, 4, 5, 6, 7, 8, 9]
    t = sum(int(d) * w[i % 8] for i, d in enumerate(digits)) % 11
    return "X" if t == 10 else str(t)


def validate_patent_number(raw):
    s = normalize_patent_number(raw)
    if s.startswith("CN"):
        return s
    m = re.fullmatch(r"ZL(\d{12}|\d{8})\.([0-9X])", s)
    if not m:
        raise ValidationError("format", code="patent_format")
    if _check(m.group(1)) != m.group(2):
        raise ValidationError("check", code="patent_check_digit")
    return s


def validate_achievement_number(kind, raw):
    if kind in ("invention_patent", "utility_model", "design_patent"):
        if not raw.strip():
            raise ValidationError("required", code="number_required")
        return validate_patent_number(raw)
    return " ".join(raw.split())


def display_patent_number(s):
    return s


def validate_credit_code(raw):
    return raw.strip().upper()


def parse_wan_yuan(raw):
    if isinstance(raw, float):
        raise TypeError
    try:
        d = Decimal(str(raw).replace(",", ""))
    except InvalidOperation:
        raise ValidationError("invalid", code="amount_invalid")
    return d.quantize(Decimal("0.0001"))


def wan_yuan_to_capitals(amount):
    return cn2an.an2cn(str(int(amount * 10000)), "rmb")


def format_wan_yuan(amount):
    return f"{amount:,.4f}"
