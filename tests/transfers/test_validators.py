"""The numbers real documents carry: patent numbers in their several formats, credit codes, and
amounts in 10k CNY that must round-trip exactly and read out in Chinese capitals."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import achievement_data
from tests.workflows.test_lifecycle_http import filing_post
from transfers import clock
from transfers.models import Achievement, AchievementKind
from transfers.services.errors import ActionRefused
from transfers.services.filing import achievement_create
from transfers.validators import (
    ALL_PATENT_KINDS,
    GRANTED_PATENT_KINDS,
    MAX_WAN_YUAN,
    PATENT_APPLICATION_KINDS,
    PATENT_KIND_SPECS,
    NumberError,
    display_patent_number,
    format_wan_yuan,
    parse_wan_yuan,
    patent_check_character,
    validate_achievement,
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
        ("CN202110234567.5", "ZL202110234567.5"),  # CN + the application number: the same patent
        ("CN 2021 1 0234567.5", "ZL202110234567.5"),
        ("ＣＮ２０２１１０２３４５６７．５", "ZL202110234567.5"),
        ("CN2021102345675", "ZL202110234567.5"),  # 13 characters can only be an application number
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
    assert display_patent_number("202310123456.6") == "2023 1 0123456.6"
    assert display_patent_number("PCT/CN2023/123456") == "PCT/CN2023/123456"
    assert display_patent_number("2023SR0123456") == "2023SR0123456"  # a software copyright


# --------------------------------------------------------------------------------------------
# Applications are not granted patents


def test_the_kinds_agree_with_the_model():
    assert {str(label) for value, label in AchievementKind.choices if value in ALL_PATENT_KINDS} == {
        str(spec.label) for spec in PATENT_KIND_SPECS.values()
    }
    assert {"invention_patent", "utility_model", "design_patent"} == GRANTED_PATENT_KINDS
    assert {
        "invention_application",
        "utility_model_application",
        "design_application",
        "pct_application",
    } == PATENT_APPLICATION_KINDS
    assert set(AchievementKind.values) >= ALL_PATENT_KINDS


@pytest.mark.parametrize(
    ("kind", "entered", "stored"),
    [
        ("invention_application", "202310123456.6", "202310123456.6"),
        ("invention_application", "CN202310123456.6", "202310123456.6"),
        ("invention_application", "CN 2023 1 0123456.6", "202310123456.6"),
        ("invention_application", "cn2023101234566", "202310123456.6"),
        ("invention_application", "ＣＮ２０２３１０１２３４５６．６", "202310123456.6"),
        ("invention_application", "202380123456.4", "202380123456.4"),  # a PCT application entering China
        ("utility_model_application", "CN202320123456.1", "202320123456.1"),
        ("design_application", "202330123456.7", "202330123456.7"),
        ("invention_application", "98123456.9", "98123456.9"),
        ("pct_application", "PCT/CN2023/123456", "PCT/CN2023/123456"),
        ("pct_application", "pct / cn 2023 / 123456", "PCT/CN2023/123456"),
        ("pct_application", "ＰＣＴ／ＣＮ２０２３／１２３４５６", "PCT/CN2023/123456"),
        ("pct_application", "PCT/CN03/00123", "PCT/CN03/00123"),
        ("utility_model", "CN202120234567.0", "ZL202120234567.0"),
        ("design_patent", "ZL 2021 3 0234567.6", "ZL202130234567.6"),
    ],
)
def test_each_kind_stores_its_own_number_form(kind, entered, stored):
    assert validate_achievement_number(kind, entered) == stored


@pytest.mark.parametrize("kind", ["invention_application", "utility_model_application", "pct_application"])
def test_a_zl_number_is_refused_for_an_application(kind):
    with pytest.raises(ValidationError) as refusal:
        validate_achievement_number(kind, "ZL202110234567.5")
    assert refusal.value.code == NumberError.GRANTED_NUMBER_FOR_APPLICATION
    message = refusal.value.messages[0]
    assert "ZL" in message and "已授权" in message
    if kind == "invention_application":
        assert "“发明专利”" in message  # the kind to choose instead
        assert "申请号应如 202310123456.6（可带 CN 前缀）" in message


@pytest.mark.parametrize(
    ("kind", "entered", "expected", "hint"),
    [
        ("invention_application", "202320123456.1", "1 或 8", "申请号应如 202310123456.6（可带 CN 前缀）"),
        ("utility_model_application", "CN202310123456.6", "2 或 9", "申请号应如 202320123456.1（可带 CN 前缀）"),
        ("design_application", "202310123456.6", "应为 3", "申请号应如 202330123456.7（可带 CN 前缀）"),
        ("invention_patent", "ZL202130234567.6", "1 或 8", "专利号应如 ZL202110234567.5"),
        ("utility_model", "ZL202110234567.5", "2 或 9", "专利号应如 ZL202120234567.0"),
    ],
)
def test_a_type_digit_of_another_kind_is_refused_naming_the_expected_digits(kind, entered, expected, hint):
    with pytest.raises(ValidationError) as refusal:
        validate_achievement_number(kind, entered)
    assert refusal.value.code == NumberError.TYPE_MISMATCH
    message = refusal.value.messages[0]
    assert expected in message and hint in message and str(PATENT_KIND_SPECS[kind].label) in message


@pytest.mark.parametrize(
    ("kind", "entered", "code", "hint"),
    [
        ("invention_application", "CN202310123456.5", NumberError.CHECK_DIGIT, "申请号应如 202310123456.6"),
        ("invention_patent", "ZL202110234567.4", NumberError.CHECK_DIGIT, "专利号应如 ZL202110234567.5"),
        ("invention_patent", "CN202110234567.4", NumberError.CHECK_DIGIT, "专利号应如 ZL202110234567.5"),
        ("invention_application", "CN110123456A", NumberError.FORMAT, "申请号应如 202310123456.6"),
        ("invention_application", "", NumberError.REQUIRED, "申请号应如 202310123456.6"),
        ("invention_patent", "", NumberError.REQUIRED, "专利号应如 ZL202110234567.5"),
        ("pct_application", "PCT/CN2023/12345", NumberError.FORMAT, "国际申请号应如 PCT/CN2023/123456"),
        ("pct_application", "202310123456.6", NumberError.FORMAT, "国际申请号应如 PCT/CN2023/123456"),
        ("pct_application", "PCT/CN2012345", NumberError.FORMAT, "国际申请号应如 PCT/CN2023/123456"),
    ],
)
def test_every_refusal_names_the_format_of_the_kind_chosen(kind, entered, code, hint):
    with pytest.raises(ValidationError) as refusal:
        validate_achievement_number(kind, entered)
    assert refusal.value.code == code
    assert hint in refusal.value.messages[0]


def _refusals(kind, number, application_date=None, granted_on=None):
    with pytest.raises(ValidationError) as refusal:
        validate_achievement(kind, number, application_date, granted_on)
    return {field: [(e.code, e.messages[0]) for e in errors] for field, errors in refusal.value.error_dict.items()}


def _codes(refusals, field):
    return [code for code, _message in refusals.get(field, [])]


def test_a_granted_patent_needs_both_dates():
    refusals = _refusals("invention_patent", "ZL202110234567.5")
    assert _codes(refusals, "application_date") == [NumberError.APPLICATION_DATE_REQUIRED]
    assert _codes(refusals, "granted_on") == [NumberError.GRANTED_ON_REQUIRED]
    refusals = _refusals("invention_patent", "ZL202110234567.5", datetime.date(2021, 3, 2))
    assert list(refusals) == ["granted_on"]
    assert "授权公告日" in refusals["granted_on"][0][1]
    assert (
        validate_achievement(
            "invention_patent", "ZL 2021 1 0234567.5", datetime.date(2021, 3, 2), datetime.date(2022, 6, 14)
        )
        == "ZL202110234567.5"
    )


def test_an_application_needs_its_filing_date_and_has_no_grant_date():
    assert _codes(_refusals("invention_application", "202310123456.6"), "application_date") == [
        NumberError.APPLICATION_DATE_REQUIRED
    ]
    refusals = _refusals(
        "invention_application", "202310123456.6", datetime.date(2023, 3, 2), datetime.date(2024, 1, 5)
    )
    assert _codes(refusals, "granted_on") == [NumberError.GRANTED_ON_FOR_APPLICATION]
    assert validate_achievement("invention_application", "CN202310123456.6", datetime.date(2023, 3, 2)) == (
        "202310123456.6"
    )
    assert validate_achievement("pct_application", "PCT/CN2023/123456", datetime.date(2023, 9, 1)) == (
        "PCT/CN2023/123456"
    )


@pytest.mark.parametrize(
    ("kind", "number", "filed"),
    [
        ("invention_application", "202310123456.6", datetime.date(2022, 12, 30)),
        ("invention_patent", "ZL202110234567.5", datetime.date(2020, 5, 1)),
        ("invention_patent", "ZL98123456.9", datetime.date(1999, 5, 1)),
        ("pct_application", "PCT/CN2023/123456", datetime.date(2024, 1, 2)),
    ],
)
def test_the_filing_year_in_the_number_is_the_year_of_the_application_date(kind, number, filed):
    granted_on = datetime.date(2024, 6, 1) if kind in GRANTED_PATENT_KINDS else None
    refusals = _refusals(kind, number, filed, granted_on)
    assert _codes(refusals, "application_date") == [NumberError.YEAR_MISMATCH]
    message = refusals["application_date"][0][1]
    assert filed.isoformat() in message and validate_achievement_number(kind, number) in message


def test_no_date_is_after_today_in_china():
    # 2024-06-30 17:00 UTC is already 1 July in Beijing
    with clock.travel_to(datetime.datetime(2024, 6, 30, 17, 0, tzinfo=datetime.UTC)):
        assert validate_achievement(
            "invention_patent", "ZL202110234567.5", datetime.date(2021, 3, 2), datetime.date(2024, 7, 1)
        )
        refusals = _refusals(
            "invention_patent", "ZL202110234567.5", datetime.date(2021, 3, 2), datetime.date(2024, 7, 2)
        )
        assert _codes(refusals, "granted_on") == [NumberError.DATE_IN_FUTURE]
        assert "2024-07-01" in refusals["granted_on"][0][1]
        refusals = _refusals("know_how", "", datetime.date(2024, 7, 2))  # optional, but never in the future
        assert _codes(refusals, "application_date") == [NumberError.DATE_IN_FUTURE]


def test_a_grant_is_not_before_its_application():
    refusals = _refusals("invention_patent", "ZL202110234567.5", datetime.date(2021, 3, 2), datetime.date(2021, 3, 1))
    assert _codes(refusals, "granted_on") == [NumberError.GRANTED_BEFORE_APPLICATION]


def test_other_kinds_need_no_dates():
    assert validate_achievement("know_how", "") == ""
    assert validate_achievement("software_copyright", "2023SR0123456", datetime.date(2023, 1, 5)) == "2023SR0123456"


def test_a_bad_number_and_a_missing_date_are_told_at_once():
    refusals = _refusals("utility_model", "ZL202110234567.5")
    assert _codes(refusals, "number") == [NumberError.TYPE_MISMATCH]
    assert _codes(refusals, "application_date") == [NumberError.APPLICATION_DATE_REQUIRED]
    assert _codes(refusals, "granted_on") == [NumberError.GRANTED_ON_REQUIRED]


@pytest.mark.django_db
def test_the_filing_service_stores_the_dates_and_refuses_what_the_validators_refuse(world):
    filed, granted = datetime.date(2021, 3, 2), datetime.date(2022, 6, 14)
    achievement = achievement_create(
        institution=world.a.institution,
        by=world.a.applicant,
        data=achievement_data(
            kind="invention_patent", number="CN 2021 1 0234567.5", application_date=filed, granted_on=granted
        ),
    )
    achievement.refresh_from_db()
    assert (achievement.number, achievement.application_date, achievement.granted_on) == (
        "ZL202110234567.5",
        filed,
        granted,
    )
    application = achievement_create(
        institution=world.a.institution,
        by=world.a.applicant,
        data=achievement_data(
            title="一种滑坡监测方法",
            kind="invention_application",
            number="CN202310123456.6",
            application_date=datetime.date(2023, 4, 1),
        ),
    )
    assert application.number == "202310123456.6"
    assert application.number_display == "CN202310123456.6"  # as the applicant typed it
    assert application.granted_on is None

    with pytest.raises(ActionRefused) as refusal:
        achievement_create(
            institution=world.a.institution,
            by=world.a.applicant,
            data=achievement_data(
                title="另一项",
                kind="invention_application",
                number="ZL202310123456.6",
                application_date=datetime.date(2023, 4, 1),
            ),
        )
    assert "ZL" in str(refusal.value)
    with pytest.raises(ActionRefused) as refusal:
        achievement_create(
            institution=world.a.institution,
            by=world.a.applicant,
            data=achievement_data(title="又一项", kind="utility_model", number="ZL202120234567.0"),
        )
    assert "申请日" in str(refusal.value) and "授权公告日" in str(refusal.value)
    assert Achievement.objects.count() == 2


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


@given(st.decimals(min_value=0, max_value=MAX_WAN_YUAN, places=4, allow_nan=False))
def test_amounts_round_trip_exactly(amount):
    assert parse_wan_yuan(format_wan_yuan(amount)) == amount
    assert parse_wan_yuan(str(amount)) == amount


@pytest.mark.django_db
def test_the_filing_page_puts_each_error_on_its_field_and_stores_the_dates(client, world):
    client.force_login(world.a.applicant)
    patent = {"ach-0-kind": "invention_patent", "ach-0-number": "CN202110234567.5"}
    response = client.post(reverse("transfers:case_create"), filing_post(world, **patent))
    assert response.status_code == 400
    page = response.content.decode()
    # under its field (the first mention is the error summary's at the top)
    assert page.index('name="ach-0-application_date"') < page.rindex("发明专利须填写申请日")
    assert page.index('name="ach-0-granted_on"') < page.rindex("发明专利须填写授权公告日")
    assert not Achievement.objects.exists()

    dates = {"ach-0-application_date": "2021-03-02", "ach-0-granted_on": "2022-06-14"}
    response = client.post(reverse("transfers:case_create"), filing_post(world, **patent, **dates))
    assert response.status_code == 302
    achievement = Achievement.objects.get()
    assert achievement.number == "ZL202110234567.5"
    assert achievement.application_date == datetime.date(2021, 3, 2)
    assert achievement.granted_on == datetime.date(2022, 6, 14)
