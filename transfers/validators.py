"""Validators and formatters for the numbers that real transfer documents carry.

- Chinese patent application numbers (CNIPA): the 12-digit form since 1 October 2003
  (``ZL202110234567.5``: year, type digit, 7-digit serial, check character) and the older
  8-digit form (``ZL98123456.9``). The check character is the weighted sum of the digits
  (weights 2…9, repeating) modulo 11, with 10 written ``X``. Publication and grant numbers
  (``CN110123456A`` / ``CN110123456B``) carry no check character and are accepted as written.
- Unified social credit codes (GB 32100-2015): 18 characters over a 31-character alphabet, the
  last a weighted check character modulo 31.
- Amounts in 10k CNY (万元): exact ``Decimal`` with at most 4 places (one yuan), never a float,
  shown in figures and in Chinese capitals (``肆万元整``).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

import cn2an
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PATENT_KINDS = frozenset({"invention_patent", "utility_model", "design_patent"})

#: type digit of an application number: 1 invention, 2 utility model, 3 design, 8/9 PCT entries
_PATENT_TYPE_DIGITS = frozenset("12389")
_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9)
_APPLICATION = re.compile(r"(?P<digits>\d{12}|\d{8})\.?(?P<check>[0-9X])")
_PUBLICATION = re.compile(r"CN(?P<digits>\d{7,10})(?P<suffix>[ABCUSY]\d?)?")


def _compact(raw: str) -> str:
    """Full-width characters to ASCII, no spaces, upper case."""
    text = unicodedata.normalize("NFKC", raw or "")
    return re.sub(r"\s+", "", text).upper().replace("。", ".")


def patent_check_character(digits: str) -> str:
    total = sum(int(d) * _WEIGHTS[i % len(_WEIGHTS)] for i, d in enumerate(digits)) % 11
    return "X" if total == 10 else str(total)


def normalize_patent_number(raw: str) -> str:
    """``ZL 2021 1 0234567.5``, ``202110234567.5`` and ``ZL202110234567.5`` all become
    ``ZL202110234567.5``; publication numbers keep their ``CN`` form."""
    s = _compact(raw)
    if s.startswith("CN"):
        return s
    if s.startswith("ZL"):
        s = s[2:]
    match = _APPLICATION.fullmatch(s)
    if match:
        return f"ZL{match['digits']}.{match['check']}"
    return "ZL" + s if s else ""


def validate_patent_number(raw: str) -> str:
    """Return the normalised number or raise ``ValidationError`` with a clear message."""
    s = normalize_patent_number(raw)
    if not s:
        raise ValidationError(_("请填写专利号。"), code="number_required")
    if s.startswith("CN"):
        if not _PUBLICATION.fullmatch(s):
            raise ValidationError(
                _("公开（公告）号“%(number)s”格式不对，应如 CN110123456A。"), code="patent_format",
                params={"number": raw},
            )
        return s
    match = _APPLICATION.fullmatch(s[2:])
    if not match:
        raise ValidationError(
            _("专利号“%(number)s”格式不对，应如 ZL202110234567.5 或 ZL98123456.9。"), code="patent_format",
            params={"number": raw},
        )
    digits = match["digits"]
    type_digit = digits[4] if len(digits) == 12 else digits[2]
    if type_digit not in _PATENT_TYPE_DIGITS:
        raise ValidationError(
            _("专利号“%(number)s”的类型位应为 1、2、3、8 或 9。"), code="patent_format", params={"number": raw}
        )
    if patent_check_character(digits) != match["check"]:
        raise ValidationError(
            _("专利号“%(number)s”的校验位不对，请核对。"), code="patent_check_digit", params={"number": raw}
        )
    return s


def validate_achievement_number(kind: str, raw: str) -> str:
    """Patents need a valid number; every other type keeps what was entered (know-how has none,
    software copyrights and plant varieties have registration numbers of their own formats)."""
    if kind in PATENT_KINDS:
        return validate_patent_number(raw)
    return " ".join(unicodedata.normalize("NFKC", raw or "").split())[:40]


def display_patent_number(number: str) -> str:
    """A readable form of a stored number: ``ZL 2021 1 0234567.5``."""
    match = _APPLICATION.fullmatch(number[2:]) if number.startswith("ZL") else None
    if not match:
        return number
    d = match["digits"]
    if len(d) == 12:
        return f"ZL {d[:4]} {d[4]} {d[5:]}.{match['check']}"
    return f"ZL {d[:2]} {d[2]} {d[3:]}.{match['check']}"


# --------------------------------------------------------------------------------------------
# 统一社会信用代码 (GB 32100-2015)

_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_check_character(body: str) -> str:
    total = sum(_CREDIT_ALPHABET.index(c) * w for c, w in zip(body, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(raw: str) -> str:
    code = _compact(raw)
    if len(code) != 18 or any(c not in _CREDIT_ALPHABET for c in code):
        raise ValidationError(
            _("统一社会信用代码应为 18 位数字或大写字母（不含 I、O、Z、S、V）。"), code="credit_format"
        )
    if credit_check_character(code[:17]) != code[17]:
        raise ValidationError(_("统一社会信用代码的校验位不对，请核对。"), code="credit_check")
    return code


# --------------------------------------------------------------------------------------------
# 金额（万元）

FOUR_PLACES = Decimal("0.0001")
MAX_WAN_YUAN = Decimal("999999999999.9999")  # max_digits=16, decimal_places=4
_PLAIN_NUMBER = re.compile(r"-?\d{1,20}(\.\d{1,20})?")


def parse_wan_yuan(raw: str | int | Decimal) -> Decimal:
    """An amount in 10k CNY as written (``4``, ``12.3456``, ``1,234.5``, full-width digits), exact.
    More than four decimal places would be a fraction of a yuan: refused, never rounded."""
    if isinstance(raw, float):
        raise TypeError("amounts are never floats; pass a string or a Decimal")
    if isinstance(raw, Decimal):
        value = raw
    else:
        text = _compact(str(raw)).replace(",", "").replace("，", "")
        if text.endswith("万元"):
            text = text[:-2]
        value = Decimal(text) if _PLAIN_NUMBER.fullmatch(text) else Decimal("NaN")
    if not value.is_finite():
        raise ValidationError(_("请输入金额数字，如 12.5（单位：万元）。"), code="amount_invalid")
    if value < 0:
        raise ValidationError(_("金额不能为负数。"), code="amount_negative")
    if value > MAX_WAN_YUAN:
        raise ValidationError(_("金额过大，请核对单位（万元）。"), code="amount_too_large")
    if value != value.quantize(FOUR_PLACES):
        raise ValidationError(_("金额以万元为单位，最多 4 位小数（精确到元）。"), code="amount_precision")
    return value.quantize(FOUR_PLACES)


def wan_yuan_to_capitals(amount: Decimal) -> str:
    """``Decimal("4")`` → ``肆万元整``; ``Decimal("12.3456")`` → ``壹拾贰万叁仟肆佰伍拾陆元整``."""
    yuan = (Decimal(amount) * 10000).quantize(Decimal("1"))
    return str(cn2an.an2cn(str(yuan), "rmb"))


def format_wan_yuan(amount: Decimal) -> str:
    """As people write it, exact and without trailing zeros: ``Decimal("1234.5000")`` → ``1,234.5``,
    ``Decimal("4")`` → ``4``, ``Decimal("0.0001")`` → ``0.0001``."""
    text = f"{Decimal(amount).quantize(FOUR_PLACES):,}"
    return text.rstrip("0").rstrip(".") if "." in text else text
