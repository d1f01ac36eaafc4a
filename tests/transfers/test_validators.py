"""The numbers real documents carry: patent numbers in their several formats, credit codes, and
amounts in 10k CNY that must round-trip exactly and read out in Chinese capitals."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from transfers.validators import (
    display_patent_number,
    format_wan_yuan,
    parse_wan_yuan,
    patent_check_character,
    validate_achievement_number,
    validate_credit_code,
    validate_patent_number,
    wan_yuan_to_capitals,
)


@pytest.mark.parametrize(
    ("entered", "stored"),
    [
        ("ZL202110234567.5", "ZL202110234567.5"),
        ("ZL 2021 1 0234567.5", "ZL202110234567.5"),
        ("202110234567.5", "ZL202110234567.5"),
        ("zl202110234567.5", "ZL202110234567.5"),
        ("ZL2021102345675", "ZL202110234567.5"),  # the dot left out
        ("ＺＬ２０２１１０２３４５６７．５", "ZL202110234567.5"),  # typed with a full-width IME
        ("ZL98123456.9", "ZL98123456.9"),  # the 8-digit numbers before October 2003
        ("ZL200410037862.8", "ZL200410037862.8"),
        ("CN110123456A", "CN110123456A"),  # publication and grant numbers have no check digit
        ("CN 110123456 B", "CN110123456B"),
    ],
)
def test_patent_numbers_in_real_formats_are_stored_normalised(entered, stored):
    assert validate_patent_number(entered) == stored


@pytest.mark.parametrize(
    ("entered", "code"),
    [
        ("ZL202110234567.4", "patent_check_digit"),  # one wrong check digit
        ("ZL98123456.1", "patent_check_digit"),
        ("ZL202170234567.5", "patent_format"),  # type digit 7 does not exist
        ("ZL2021102345674", "patent_check_digit"),  # the dot may be missing, the digit is still checked
        ("ZL20211023456.5", "patent_format"),  # 11 digits
        ("专利一号", "patent_format"),
        ("CN11A", "patent_format"),
        ("", "number_required"),
    ],
)
def test_bad_patent_numbers_are_refused_with_a_reason(entered, code):
    with pytest.raises(ValidationError) as refusal:
        validate_patent_number(entered)
    assert refusal.value.code == code
    assert str(refusal.value.messages[0])  # a sentence the applicant can read


def test_check_character_can_be_x():
    digits = next(f"2021100{n:05d}" for n in range(1000) if patent_check_character(f"2021100{n:05d}") == "X")
    assert validate_patent_number(f"ZL{digits}.X") == f"ZL{digits}.X"
    assert validate_patent_number(f"ZL{digits}.x") == f"ZL{digits}.X"


def test_types_without_a_standard_number_are_never_refused():
    assert validate_achievement_number("know_how", "") == ""
    assert validate_achievement_number("software_copyright", "2023SR0123456") == "2023SR0123456"
    assert validate_achievement_number("plant_variety", " CNA 20191234.5 ") == "CNA 20191234.5"
    with pytest.raises(ValidationError):
        validate_achievement_number("invention_patent", "")


def test_patent_numbers_read_well():
    assert display_patent_number("ZL202110234567.5") == "ZL 2021 1 0234567.5"
    assert display_patent_number("ZL98123456.9") == "ZL 98 1 23456.9"
    assert display_patent_number("CN110123456A") == "CN110123456A"


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # the specimen in GB 32100-2015
        "914403001922038216",  # a Shenzhen company
        "9144030071526726XG",  # a Shenzhen company with letters in its body
        "91110000802100433B",  # a Beijing enterprise
        " 91330100799655058b ",  # pasted with spaces and a lower-case check character
    ],
)
def test_real_credit_codes_are_accepted(code):
    assert validate_credit_code(code) == code.strip().upper()


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y42", "credit_check"),
        ("914403001922038217", "credit_check"),
        ("91350100M000100Y4", "credit_format"),
        ("91350100I000100Y43", "credit_format"),  # I is not in the alphabet
        ("", "credit_format"),
    ],
)
def test_bad_credit_codes_are_refused(code, reason):
    with pytest.raises(ValidationError) as refusal:
        validate_credit_code(code)
    assert refusal.value.code == reason


@pytest.mark.parametrize(
    ("entered", "amount", "capitals", "figures"),
    [
        ("4", Decimal("4"), "肆万元整", "4"),
        ("12.3456", Decimal("12.3456"), "壹拾贰万叁仟肆佰伍拾陆元整", "12.3456"),
        ("1,234.5", Decimal("1234.5"), "壹仟贰佰叁拾肆万伍仟元整", "1,234.5"),
        ("１２.５", Decimal("12.5"), "壹拾贰万伍仟元整", "12.5"),
        ("1200", Decimal("1200"), "壹仟贰佰万元整", "1,200"),
        ("0.0001", Decimal("0.0001"), "壹元整", "0.0001"),
        ("100.0001", Decimal("100.0001"), "壹佰万零壹元整", "100.0001"),
    ],
)
def test_amounts_are_exact_and_read_out_in_capitals(entered, amount, capitals, figures):
    parsed = parse_wan_yuan(entered)
    assert parsed == amount and parsed.as_tuple().exponent == -4
    assert wan_yuan_to_capitals(parsed) == capitals
    assert format_wan_yuan(parsed) == figures


@pytest.mark.parametrize(
    ("entered", "code"),
    [
        ("12.34567", "amount_precision"),  # a tenth of a yuan: refused, never rounded
        ("-1", "amount_negative"),
        ("abc", "amount_invalid"),
        ("1e3", "amount_invalid"),
        ("NaN", "amount_invalid"),
        ("1000000000000", "amount_too_large"),
    ],
)
def test_bad_amounts_are_refused(entered, code):
    with pytest.raises(ValidationError) as refusal:
        parse_wan_yuan(entered)
    assert refusal.value.code == code


def test_floats_are_never_amounts():
    with pytest.raises(TypeError):
        parse_wan_yuan(0.1)  # type: ignore[arg-type]


@given(st.decimals(min_value=0, max_value=Decimal("999999999999.9999"), places=4, allow_nan=False))
def test_amounts_round_trip_exactly(amount):
    assert parse_wan_yuan(format_wan_yuan(amount)) == amount
    assert parse_wan_yuan(str(amount)) == amount
