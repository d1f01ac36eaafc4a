"""An amount of 1 亿元 or more is asked back before it is stored: typed in 元 where 万元 was asked, a
price of 120,000 元 would become 12 亿元 in a public notice. The filing page, the notice correction
and the assessment task share one confirmation."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import file_case, pdf
from tests.workflows.test_lifecycle_http import filing_post
from transfers.forms import NoticeCorrectionForm
from transfers.models import Achievement, Stage, TransferCase, Valuation
from transfers.services import cases as svc
from workflows.selectors import inbox

pytestmark = pytest.mark.django_db

CONFIRM = {"price_amount_confirmed": "on"}


def tick_box(page, name="price_amount_confirmed"):
    match = re.search(rf'<input type="checkbox" name="{name}"[^>]*>', page)
    assert match, f"no tick box {name}"
    return match.group()


def file(client, world, **overrides):
    client.force_login(world.a.applicant)
    return client.post(reverse("transfers:case_create"), filing_post(world, **overrides))


def test_an_amount_below_one_yi_needs_no_confirmation(client, world):
    response = file(client, world, price_amount="9,999.9999")
    assert response.status_code == 302
    assert TransferCase.objects.get().price_amount == Decimal("9999.9999")


def test_one_yi_or_more_is_refused_on_the_field_with_capitals_and_nothing_is_saved(client, world):
    response = file(client, world, price_amount="12000")
    assert response.status_code == 400
    page = response.content.decode()
    assert "您填写的金额为 12,000 万元（壹亿贰仟万元整），达到或超过 1 亿元。" in page
    assert not TransferCase.objects.exists() and not Achievement.objects.exists()
    # the tick box is rendered right under the amount, after its error and before the next field
    error, tick, terms = (
        page.index("壹亿贰仟万元整"),
        page.index('name="price_amount_confirmed"'),
        page.index('name="price_terms"'),
    )
    assert error < tick < terms
    assert "我已核对金额" in page
    assert 'name="price_amount_confirmed_amount" value="12000.0000"' in page
    assert "checked" not in tick_box(page)

    # exactly 1 亿元 is asked too
    response = file(client, world, price_amount="10000")
    assert response.status_code == 400 and "壹亿元整" in response.content.decode()


def test_a_small_amount_shows_no_tick_box(client, world):
    response = file(client, world, price_amount="12.5", title="")  # refused for another reason
    assert response.status_code == 400
    assert 'name="price_amount_confirmed"' not in response.content.decode()


def test_confirmed_for_the_same_amount_is_saved(client, world):
    response = file(client, world, price_amount="12,000", price_amount_confirmed_amount="12000.0000", **CONFIRM)
    assert response.status_code == 302
    assert TransferCase.objects.get().price_amount == Decimal("12000")


def test_the_tick_alone_is_not_enough(client, world):
    response = file(client, world, price_amount="12000", **CONFIRM)
    assert response.status_code == 400
    assert not TransferCase.objects.exists()


def test_an_amount_changed_after_confirming_is_asked_again(client, world):
    response = file(client, world, price_amount="13000", price_amount_confirmed_amount="12000.0000", **CONFIRM)
    assert response.status_code == 400
    page = response.content.decode()
    assert "13,000 万元（壹亿叁仟万元整）" in page
    assert not TransferCase.objects.exists()
    # the tick box asks again, unticked, for the new amount
    assert 'name="price_amount_confirmed_amount" value="13000.0000"' in page
    assert "checked" not in tick_box(page)


def test_the_notice_correction_asks_back_a_new_large_amount_but_not_the_stored_one(world):
    case = file_case(world.a, price_amount=Decimal("12000"))
    data = {
        "counterparty_name": case.counterparty_name,
        "counterparty_credit_code": "",
        "related_party": "",
        "related_party_statement": "",
        "pricing_method": case.pricing_method,
        "price_kind": case.price_kind,
        "price_amount": "12000",
        "price_terms": "",
        "reason": "补充受让方统一社会信用代码。",
    }
    assert NoticeCorrectionForm(data, instance=case).is_valid()  # confirmed when it was filed
    form = NoticeCorrectionForm({**data, "price_amount": "120000"}, instance=case)
    assert not form.is_valid()
    assert form.has_error("price_amount", "amount_unconfirmed")
    assert "壹拾贰亿元整" in form.errors["price_amount"][0]
    form = NoticeCorrectionForm(
        {
            **data,
            "price_amount": "120000",
            "price_amount_confirmed": "on",
            "price_amount_confirmed_amount": "120000.0000",
        },
        instance=case,
    )
    assert form.is_valid(), form.errors
    assert form.corrected_fields()["price_amount"] == Decimal("120000")


# --------------------------------------------------------------------------------------------
# The assessment task


def assessment_task(client, world):
    a = world.a
    case = file_case(a)
    svc.case_submit(case=case, by=a.applicant)
    svc.case_pass_preliminary_review(case=case, by=a.tto_officer)
    client.force_login(a.assessor)
    task = inbox(a.assessor).get(process__artifact_object_id=case.pk)
    return case, reverse("workflows:task", args=[task.pk])


def test_the_assessment_asks_back_a_large_value(client, world):
    case, url = assessment_task(client, world)
    data = {"action": "complete", "method": "internal", "amount": "20000", "comment": ""}
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "20,000 万元（贰亿元整）" in page
    assert page.index("贰亿元整") < page.index('name="amount_confirmed"') < page.index('name="report"')
    case.refresh_from_db()
    assert case.stage == Stage.ASSESSMENT and not Valuation.objects.exists()

    changed = {**data, "amount": "21000", "amount_confirmed": "on", "amount_confirmed_amount": "20000.0000"}
    response = client.post(url, changed)
    assert response.status_code == 400
    page = response.content.decode()
    assert "21,000 万元（贰亿壹仟万元整）" in page and "checked" not in tick_box(page, "amount_confirmed")

    confirmed = {**data, "amount_confirmed": "on", "amount_confirmed_amount": "20000.0000"}
    assert client.post(url, confirmed).status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.DEMONSTRATION
    assert Valuation.objects.get(case=case).amount == Decimal("20000")


def test_returning_the_case_is_not_held_up_by_an_unconfirmed_value(client, world):
    case, url = assessment_task(client, world)
    response = client.post(url, {"action": "return", "amount": "20000", "comment": "请补充评估材料。"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.RETURNED


def test_an_agency_valuation_names_the_agency(client, world):
    case, url = assessment_task(client, world)
    data = {"action": "complete", "method": "agency", "amount": "30.5", "report": pdf("评估报告.pdf"), "comment": ""}
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    error, field = page.rindex("请填写评估机构名称"), page.index('name="agency_name"')
    assert abs(error - field) < 1000  # on the field, not only in the summary at the top
    case.refresh_from_db()
    assert case.stage == Stage.ASSESSMENT

    data = {**data, "report": pdf("评估报告.pdf"), "agency_name": "甘肃中诚信资产评估有限公司"}
    assert client.post(url, data).status_code == 302
    assert Valuation.objects.get(case=case).agency_name == "甘肃中诚信资产评估有限公司"


def test_an_internal_valuation_needs_no_agency(client, world):
    case, url = assessment_task(client, world)
    response = client.post(url, {"action": "complete", "method": "internal", "amount": "8", "comment": ""})
    assert response.status_code == 302
    assert Valuation.objects.get(case=case).agency_name == ""
