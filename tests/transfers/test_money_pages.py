"""The money pages as a TTO officer uses them: the contract with its schedule, the registration, a receipt
with deductions, the proposed distribution prefilled with the inventors, its adjustment; bad input
comes back summarised and stores nothing; other people get a 404."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import pdf
from tests.transfers.test_money_services import to_implementation
from transfers import clock
from transfers.models import Contract, Distribution, Receipt

pytestmark = pytest.mark.django_db


def url(name, case, *args):
    return reverse(f"transfers:{name}", args=[case.public_id, *args])


def formset(prefix, rows, total=None):
    data = {f"{prefix}-TOTAL_FORMS": str(total or len(rows)), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{k}": v for k, v in row.items()})
    return data


def contract_post(signed):
    return {
        "counterparty_name": "甘肃陇原科技发展有限公司", "signed_on": signed.isoformat(),
        "term_starts_on": signed.isoformat(), "term_ends_on": "", "payment_kind": "instalments",
        "amount": "12.5", "document": pdf("合同.pdf"),
        **formset("inst", [{"due_on": signed.isoformat(), "amount": "7.5"},
                           {"due_on": (signed + datetime.timedelta(days=180)).isoformat(), "amount": "5"}]),
    }


def test_an_officer_records_the_contract_income_and_distribution_from_the_case_page(client, world):
    case = to_implementation(world.a)
    officer = world.a.tto_officer
    client.force_login(officer)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "合同与收益分配" in page and "尚未登记合同" in page and url("contract_edit", case) in page
    assert client.get(url("contract_edit", case)).status_code == 200
    signed = clock.china_today() - datetime.timedelta(days=10)
    response = client.post(url("contract_edit", case), contract_post(signed))
    assert response.status_code == 302, response.content.decode()
    response = client.post(url("contract_registration", case), {
        "registration_number": "6201000020260123", "registered_on": clock.china_today().isoformat(),
        "registry": "甘肃省技术市场管理办公室"})
    assert response.status_code == 302
    response = client.post(url("receipt_new", case), {
        "kind": "payment", "received_on": clock.china_today().isoformat(), "amount": "7.5",
        "payer": "甘肃陇原科技发展有限公司", "voucher": pdf("凭证.pdf"),
        **formset("ded", [{"kind": "valuation_fee", "amount": "0.5", "note": "评估报告"},
                          {"kind": "", "amount": "", "note": ""}])})
    assert response.status_code == 302
    receipt = Receipt.objects.get()
    assert receipt.net() == Decimal("7")
    form = client.get(url("distribution_new", case, receipt.pk)).content.decode()
    assert 'value="王𠮷祥"' in form and 'value="马堃"' in form and "第四十五条" in form
    response = client.post(url("distribution_new", case, receipt.pk), {
        "rule_pack": str(case.rule_pack.pk), "team_pct": "70", "institution_pct": "20", "college_pct": "10",
        "college_name": "资源环境学院",
        **formset("people", [
            {"name": "王𠮷祥", "title": "教授", "role": "专利发明人", "contribution_pct": "60",
             "is_main_contributor": "on"},
            {"name": "马堃", "title": "副教授", "role": "技术负责人", "contribution_pct": "40"}])})
    assert response.status_code == 302, response.content.decode()
    distribution = Distribution.objects.get()
    assert (distribution.team_amount, distribution.institution_amount, distribution.college_amount) == (
        Decimal("4.9"), Decimal("1.4"), Decimal("0.7"))
    response = client.post(url("distribution_adjust", case, distribution.pk), {
        "reason": "马堃承担了中试放大工作",
        **formset("shares", [{"position": "1", "amount": "2.45", "title": "教授", "role": "专利发明人"},
                             {"position": "2", "amount": "2.45", "title": "副教授", "role": "技术负责人"}])})
    assert response.status_code == 302
    page = client.get(case.get_absolute_url()).content.decode()
    assert "6201000020260123" in page and "资源环境学院" in page and "马堃承担了中试放大工作" in page
    assert re.search(r"马堃 · 副教授 · 技术负责人", page)


def test_bad_input_is_summarised_and_stores_nothing(client, world):
    case = to_implementation(world.a)
    client.force_login(world.a.tto_officer)
    signed = clock.china_today() - datetime.timedelta(days=10)
    bad = contract_post(signed) | {"amount": "13"}
    response = client.post(url("contract_edit", case), bad)
    html = response.content.decode()
    assert response.status_code == 400 and "错误：" in html and "error-summary" in html
    assert "各期金额合计 12.5 万元，与合同金额 13 万元不一致" in html
    assert not Contract.objects.exists()
    client.post(url("contract_edit", case), contract_post(signed))
    response = client.post(url("receipt_new", case), {
        "kind": "payment", "received_on": clock.china_today().isoformat(), "amount": "1",
        "payer": "甘肃陇原科技发展有限公司",
        **formset("ded", [{"kind": "taxes", "amount": "0.6"}, {"kind": "agency_fee", "amount": "0.5"}])})
    assert response.status_code == 400
    assert "扣除合计 1.1 万元，超过到账金额 1 万元" in response.content.decode()
    response = client.post(url("receipt_new", case), {
        "kind": "payment", "received_on": clock.china_today().isoformat(), "amount": "0", "payer": "某公司",
        **formset("ded", [])})
    assert response.status_code == 400 and "须大于零" in response.content.decode()
    assert not Receipt.objects.exists()


def test_only_the_institutions_officers_reach_the_money_pages(client, world):
    case = to_implementation(world.a)
    for outsider in (world.b.tto_officer, world.a.applicant, world.a.assessor):
        client.force_login(outsider)
        assert client.get(url("contract_edit", case)).status_code == 404
        assert client.post(url("contract_edit", case), contract_post(clock.china_today())).status_code == 404
    client.force_login(world.a.applicant)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "合同与收益分配" in page and url("contract_edit", case) not in page
    assert not Contract.objects.exists()


def test_the_tto_head_approves_from_the_task_page(client, world):
    from tests.transfers.test_money_services import approval_task, instalments, receipt
    from transfers.services.contracts import contract_record, receipt_record
    from transfers.services.rewards import Ratios, distribution_propose

    case = to_implementation(world.a)
    officer, head = world.a.tto_officer, world.a.tto_head
    contract_record(case=case, by=officer, data=instalments(), document=pdf())
    first = receipt_record(case=case, by=officer, data=receipt())
    distribution = distribution_propose(receipt=first, by=officer, ratios=Ratios(Decimal("70"), Decimal("30")))
    task = approval_task(distribution)
    client.force_login(head)
    queue = client.get(reverse("workflows:queue")).content.decode()
    assert "审批收益分配方案" in queue and case.reference in queue
    assert "未设期限" in queue  # not the case's stage's due date: the approval has none
    page = client.get(reverse("workflows:task", args=[task.pk])).content.decode()
    assert "审批收益分配方案" in page and "6.02 万元" in page and "王𠮷祥" in page
    response = client.post(reverse("workflows:task", args=[task.pk]), {"action": "return", "comment": ""})
    assert response.status_code == 400 and "请填写意见或理由" in response.content.decode()
    response = client.post(reverse("workflows:task", args=[task.pk]), {"action": "approve", "comment": "同意"})
    assert response.status_code == 302
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.PUBLISHED and distribution.decision_comment == "同意"
    client.force_login(officer)
    assert "审批意见" in client.get(case.get_absolute_url()).content.decode()
