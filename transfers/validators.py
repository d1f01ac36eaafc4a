"""Validators and formatters for the numbers that real transfer documents carry.

- Chinese patent numbers (CNIPA). An application number has the 12-digit form since 1 October
  2003 (``202310123456.6``: filing year, type digit, 7-digit serial, check character) or the older
  8-digit form (``98123456.9``); the check character is the weighted sum of the digits (weights
  2…9, repeating) modulo 11, with 10 written ``X``. A granted patent keeps its application number
  behind ``ZL`` (``ZL202110234567.5``); an application is stored without it, so a notice never
  calls an application a patent. Publication and grant numbers (``CN110123456A`` /
  ``CN110123456B``) carry no check character and are accepted for granted kinds as written. PCT
  applications carry their international number (``PCT/CN2023/123456``).
- Unified social credit codes (GB 32100-2015): 18 characters over a 31-character alphabet, the
  last a weighted check character modulo 31.
- Amounts in 10k CNY (万元): exact ``Decimal`` with at most 4 places (one yuan), never a float,
  shown in figures and in Chinese capitals (``肆万元整``); 1 亿元 or more is asked back.
"""

from __future__ import annotations

import datetime
import enum
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

import cn2an
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import clock

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


class NumberError(enum.StrEnum):
    """Why a patent number or an achievement's dates were refused (``ValidationError.code``)."""

    REQUIRED = "number_required"
    FORMAT = "patent_format"
    CHECK_DIGIT = "patent_check_digit"
    #: a type digit that exists, but not for the kind chosen (a utility model number as an invention)
    TYPE_MISMATCH = "patent_type_mismatch"
    #: ``ZL…`` typed for an application: that is a granted patent's number
    GRANTED_NUMBER_FOR_APPLICATION = "granted_number_for_application"
    #: the filing year in the number is not the year of the application date
    YEAR_MISMATCH = "application_year_mismatch"
    APPLICATION_DATE_REQUIRED = "application_date_required"
    GRANTED_ON_REQUIRED = "granted_on_required"
    #: an application has no grant announcement date (yet)
    GRANTED_ON_FOR_APPLICATION = "granted_on_for_application"
    DATE_IN_FUTURE = "date_in_future"
    GRANTED_BEFORE_APPLICATION = "granted_before_application"


@dataclass(frozen=True)
class PatentKind:
    """What an achievement kind's number looks like (labels as in ``AchievementKind``)."""

    label: Promise
    granted: bool
    #: the type digits its application number may carry: 1 invention, 2 utility model, 3 design,
    #: 8/9 a PCT application entering the Chinese national phase; empty for an international number
    type_digits: str
    example: str
    #: the granted kind an application becomes
    granted_kind: str = ""

    @property
    def hint(self) -> str:
        """The format expected, as the error messages end: ``申请号应如 202310123456.6（可带 CN 前缀）``."""
        if self.granted:
            return str(_("专利号应如 %(example)s") % {"example": self.example})
        if not self.type_digits:
            return str(_("国际申请号应如 %(example)s") % {"example": self.example})
        return str(_("申请号应如 %(example)s（可带 CN 前缀）") % {"example": self.example})

    @property
    def expected_type_digits(self) -> str:
        digits = list(self.type_digits)
        if len(digits) == 1:
            return digits[0]
        return str(_("%(first)s 或 %(second)s") % {"first": digits[0], "second": digits[1]})


PATENT_KIND_SPECS: dict[str, PatentKind] = {
    "invention_patent": PatentKind(_("发明专利"), True, "18", "ZL202110234567.5"),
    "utility_model": PatentKind(_("实用新型专利"), True, "29", "ZL202120234567.0"),
    "design_patent": PatentKind(_("外观设计专利"), True, "3", "ZL202130234567.6"),
    "invention_application": PatentKind(
        _("发明专利申请"), False, "18", "202310123456.6", granted_kind="invention_patent"
    ),
    "utility_model_application": PatentKind(
        _("实用新型专利申请"), False, "29", "202320123456.1", granted_kind="utility_model"
    ),
    "design_application": PatentKind(
        _("外观设计专利申请"), False, "3", "202330123456.7", granted_kind="design_patent"
    ),
    "pct_application": PatentKind(_("PCT国际专利申请"), False, "", "PCT/CN2023/123456"),
}
#: granted patents: a ``ZL`` number and a grant announcement date
GRANTED_PATENT_KINDS = frozenset(k for k, spec in PATENT_KIND_SPECS.items() if spec.granted)
#: applications (not yet rights): an application number, no grant date
PATENT_APPLICATION_KINDS = frozenset(k for k, spec in PATENT_KIND_SPECS.items() if not spec.granted)
ALL_PATENT_KINDS = GRANTED_PATENT_KINDS | PATENT_APPLICATION_KINDS

#: type digits that exist at all
_PATENT_TYPE_DIGITS = frozenset("12389")
_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9)
_APPLICATION = re.compile(r"(?P<digits>\d{12}|\d{8})\.?(?P<check>[0-9X])")
_PUBLICATION = re.compile(r"CN(?P<digits>\d{7,10})(?P<suffix>[ABCUSY]\d?)?")
_PCT = re.compile(
    r"PCT/?(?P<office>[A-Z]{2})(?:(?P<year>\d{4})/?(?P<serial>\d{6})|(?P<yy>\d{2})/(?P<old_serial>\d{5}))"
)


def _compact(raw: str) -> str:
    """Full-width characters to ASCII, no spaces, upper case."""
    text = unicodedata.normalize("NFKC", raw or "")
    return re.sub(r"\s+", "", text).upper().replace("。", ".")


def patent_check_character(digits: str) -> str:
    total = sum(int(d) * _WEIGHTS[i % len(_WEIGHTS)] for i, d in enumerate(digits)) % 11
    return "X" if total == 10 else str(total)


def _refuse(message: _StrPromise, code: NumberError, spec: PatentKind, raw: str, **params: object) -> ValidationError:
    return ValidationError(
        message, code=code, params={"number": raw.strip(), "hint": spec.hint, "kind": spec.label, **params}
    )


def validate_patent_number(raw: str, kind: str = "invention_patent") -> str:
    """The number normalised for ``kind``, or ``ValidationError`` (a ``NumberError`` code) whose
    message ends with the format expected for that kind.

    Granted kinds: ``ZL 2021 1 0234567.5``, ``202110234567.5`` and ``CN202110234567.5`` become
    ``ZL202110234567.5``; publication and grant numbers keep their ``CN`` form. Applications:
    ``CN 2023 1 0123456.6`` and ``202310123456.6`` become ``202310123456.6``; a ``ZL`` number is
    refused. PCT applications: ``pct/cn 2023/123456`` becomes ``PCT/CN2023/123456``."""
    spec = PATENT_KIND_SPECS[kind]
    s = _compact(raw)
    if not s:
        label = _("专利号") if spec.granted else _("申请号")
        raise _refuse(_("请填写%(label)s。%(hint)s。"), NumberError.REQUIRED, spec, raw, label=label)
    if s.startswith("ZL") and not spec.granted:
        if spec.granted_kind:
            raise _refuse(
                _(
                    "以 ZL 开头的是已授权专利的专利号。该专利若已授权，请将成果类型改为“%(granted)s”并填写"
                    "授权公告日；尚未授权的，请填写申请号。%(hint)s。"
                ),
                NumberError.GRANTED_NUMBER_FOR_APPLICATION,
                spec,
                raw,
                granted=PATENT_KIND_SPECS[spec.granted_kind].label,
            )
        raise _refuse(
            _("以 ZL 开头的是已授权的中国专利的专利号，请选择对应的已授权专利类型。%(hint)s。"),
            NumberError.GRANTED_NUMBER_FOR_APPLICATION,
            spec,
            raw,
        )
    if not spec.type_digits:
        return _validate_pct_number(s, spec, raw)
    body = s
    if s.startswith("ZL"):
        body = s[2:]
    elif s.startswith("CN"):
        body = s[2:]
        # CN + a publication number (at most 10 digits, no dot) is not an application number
        if spec.granted and "." not in body and len(body) != 13:
            if _PUBLICATION.fullmatch(s):
                return s
            raise _refuse(_("“%(number)s”格式不对。%(hint)s。"), NumberError.FORMAT, spec, raw)
    match = _APPLICATION.fullmatch(body)
    if not match:
        raise _refuse(_("“%(number)s”格式不对。%(hint)s。"), NumberError.FORMAT, spec, raw)
    digits = match["digits"]
    type_digit = digits[4] if len(digits) == 12 else digits[2]
    if type_digit not in spec.type_digits:
        raise _refuse(
            _("“%(number)s”的类型位（年份后一位）是 %(digit)s，%(kind)s应为 %(expected)s。%(hint)s。"),
            # a digit no kind has is a typo; one of another kind is most often the wrong kind chosen
            NumberError.TYPE_MISMATCH if type_digit in _PATENT_TYPE_DIGITS else NumberError.FORMAT,
            spec,
            raw,
            digit=type_digit,
            expected=spec.expected_type_digits,
        )
    if patent_check_character(digits) != match["check"]:
        raise _refuse(_("“%(number)s”的校验位不对，请核对。%(hint)s。"), NumberError.CHECK_DIGIT, spec, raw)
    return f"{'ZL' if spec.granted else ''}{digits}.{match['check']}"


def _validate_pct_number(s: str, spec: PatentKind, raw: str) -> str:
    match = _PCT.fullmatch(s)
    if not match:
        raise _refuse(_("“%(number)s”格式不对。%(hint)s。"), NumberError.FORMAT, spec, raw)
    if match["year"]:
        return f"PCT/{match['office']}{match['year']}/{match['serial']}"
    return f"PCT/{match['office']}{match['yy']}/{match['old_serial']}"


def filing_year(number: str) -> int | None:
    """The filing year a normalised number carries (``ZL202110234567.5`` → 2021; the 8-digit
    numbers of 1985–2003 carry two digits; ``PCT/CN03/00123`` → 2003), or None (publication numbers)."""
    if number.startswith("PCT/"):
        match = _PCT.fullmatch(number)
        if not match:
            return None
        return int(match["year"]) if match["year"] else _century(match["yy"])
    match = _APPLICATION.fullmatch(number.removeprefix("ZL"))
    if not match:
        return None
    digits = match["digits"]
    return int(digits[:4]) if len(digits) == 12 else _century(digits[:2])


def _century(yy: str) -> int:
    return (1900 if int(yy) >= 85 else 2000) + int(yy)  # the Patent Law took effect in 1985


def validate_achievement_number(kind: str, raw: str) -> str:
    """Patents and applications need a valid number; every other type keeps what was entered
    (know-how has none, software copyrights and plant varieties have registration numbers of their
    own formats)."""
    if kind in ALL_PATENT_KINDS:
        return validate_patent_number(raw, kind)
    return " ".join(unicodedata.normalize("NFKC", raw or "").split())[:40]


def validate_achievement_dates(
    kind: str,
    number: str,
    application_date: datetime.date | None,
    granted_on: datetime.date | None,
) -> None:
    """Check the dates of an achievement against its kind and its (normalised) number.

    Every patent kind needs its application date (申请日); a granted patent also its grant
    announcement date (授权公告日), an application must not have one. No date is after today in
    China, a grant is not before the application, and the filing year in the number is the year
    of the application date. Raises a ``ValidationError`` keyed by field
    (``application_date``/``granted_on``), so a form shows each error beside its field."""
    errors: dict[str, list[ValidationError]] = {}
    spec = PATENT_KIND_SPECS.get(kind)
    today = clock.china_today()
    for field, value, label in (
        ("application_date", application_date, _("申请日")),
        ("granted_on", granted_on, _("授权公告日")),
    ):
        if value is not None and value > today:
            errors.setdefault(field, []).append(
                ValidationError(
                    _("%(field)s不能晚于今天（%(today)s）。"),
                    code=NumberError.DATE_IN_FUTURE,
                    params={"field": label, "today": today.isoformat()},
                )
            )
    if spec is not None:
        if application_date is None:
            errors.setdefault("application_date", []).append(
                ValidationError(
                    _("%(kind)s须填写申请日。"), code=NumberError.APPLICATION_DATE_REQUIRED, params={"kind": spec.label}
                )
            )
        if spec.granted and granted_on is None:
            errors.setdefault("granted_on", []).append(
                ValidationError(
                    _("%(kind)s须填写授权公告日（见专利证书）。"),
                    code=NumberError.GRANTED_ON_REQUIRED,
                    params={"kind": spec.label},
                )
            )
        if not spec.granted and granted_on is not None:
            errors.setdefault("granted_on", []).append(
                ValidationError(
                    _("%(kind)s尚未授权，授权公告日应留空；已授权的，请选择对应的已授权专利类型。"),
                    code=NumberError.GRANTED_ON_FOR_APPLICATION,
                    params={"kind": spec.label},
                )
            )
        year = filing_year(number)
        if application_date is not None and year is not None and year != application_date.year:
            errors.setdefault("application_date", []).append(
                ValidationError(
                    _("申请日 %(date)s 与号码 %(number)s 不符：号码中的申请年份是 %(year)s 年，请核对。"),
                    code=NumberError.YEAR_MISMATCH,
                    params={"date": application_date.isoformat(), "number": number, "year": year},
                )
            )
    if application_date and granted_on and granted_on < application_date and "granted_on" not in errors:
        errors.setdefault("granted_on", []).append(
            ValidationError(
                _("授权公告日不能早于申请日（%(date)s）。"),
                code=NumberError.GRANTED_BEFORE_APPLICATION,
                params={"date": application_date.isoformat()},
            )
        )
    if errors:
        raise ValidationError(errors)


def validate_achievement(
    kind: str,
    number: str,
    application_date: datetime.date | None = None,
    granted_on: datetime.date | None = None,
) -> str:
    """The normalised number of an achievement whose number and dates agree with its kind, or a
    ``ValidationError`` keyed by field (``number``, ``application_date``, ``granted_on``) holding
    every problem at once. The filing service and the filing form both call it."""
    errors: dict[str, list[ValidationError]] = {}
    normalised = ""
    try:
        normalised = validate_achievement_number(kind, number)
    except ValidationError as exc:
        errors["number"] = exc.error_list
    try:
        validate_achievement_dates(kind, normalised, application_date, granted_on)
    except ValidationError as exc:
        for field, field_errors in exc.error_dict.items():
            errors.setdefault(field, []).extend(field_errors)
    if errors:
        raise ValidationError(errors)
    return normalised


def display_patent_number(number: str) -> str:
    """A readable form of a stored number: ``ZL 2021 1 0234567.5`` for a granted patent,
    ``2023 1 0123456.6`` for an application; other numbers as stored."""
    granted = number.startswith("ZL")
    match = _APPLICATION.fullmatch(number[2:] if granted else number)
    if not match or (not granted and "." not in number):
        return number
    d = match["digits"]
    prefix = "ZL " if granted else ""
    if len(d) == 12:
        return f"{prefix}{d[:4]} {d[4]} {d[5:]}.{match['check']}"
    return f"{prefix}{d[:2]} {d[2]} {d[3:]}.{match['check']}"


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
#: the largest amount accepted: 9,999.99999999 亿元 (just under 1 万亿元). Twelve significant digits:
#: the column holds 16, but SQLite (the demo's database) stores decimals as doubles, exact to 15.
MAX_WAN_YUAN = Decimal("99999999.9999")
#: 1 亿元 in 万元: an amount this large (most often typed in 元 where 万元 was asked) is never
#: stored before the person confirms it (``transfers.forms.LargeAmountConfirmationMixin``)
LARGE_AMOUNT_WAN_YUAN = Decimal("10000")
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
