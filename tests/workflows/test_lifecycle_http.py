"""The whole life of a case through HTTP, each role in turn, with the flow checked at every step."""

from __future__ import annotations

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import assert_flow_agrees, docx, experts_of, pdf, registered_contract
from transfers import clock
from transfers.models import AuditEvent, Stage, TransferCase
from transfers.wording import long_datetime
from workflows.selectors import inbox

pytestmark = pytest.mark.django_db


def filing_post(world, **overrides):
    data = {
        "institution": world.a.institution.pk,
        "title": "一种耐旱马铃薯种薯快速繁育方法转让",
        "mode": "assignment",
        "counterparty_name": "甘肃陇原科技发展有限公司",
        "counterparty_credit_code": "",
        "counterparty_contact": "周经理",
        "pricing_method": "negotiated",
        "price_kind": "lump_sum",
        "price_amount": "12.3456",
        "price_terms": "",
        "ach-TOTAL_FORMS": "3",
        "ach-INITIAL_FORMS": "0",
        "ach-MIN_NUM_FORMS": "0",
        "ach-MAX_NUM_FORMS": "3",
        "ach-0-kind": "know_how",
        "ach-0-title": "一种耐旱马铃薯种薯快速繁育方法",
        "ach-0-number": "",
        "inv-TOTAL_FORMS": "8",
        "inv-INITIAL_FORMS": "0",
        "inv-MIN_NUM_FORMS": "0",
        "inv-MAX_NUM_FORMS": "8",
        "inv-0-row": "1",
        "inv-0-name": "王𠮷祥",
        "inv-0-share": "60",
        "inv-0-is_main_contributor": "on",
        "inv-1-row": "1",
        "inv-1-name": "马堃",
        "inv-1-share": "40",
        "att-TOTAL_FORMS": "3",
        "att-INITIAL_FORMS": "0",
        "att-MIN_NUM_FORMS": "0",
        "att-MAX_NUM_FORMS": "3",
        "att-0-kind": "disclosure_form",
        "att-0-file": pdf("披露表.pdf"),
    }
    for i in range(2, 8):
        data[f"inv-{i}-row"] = "1"
    for i in range(1, 3):
        data[f"att-{i}-kind"] = "other"
    data.update(overrides)
    return data


#: the decision meeting's record, as the secretary types it
MEETING = {"attendees": "张三（校长）\n李四（副校长）\n王五（总会计师）", "votes_for": "3", "votes_against": "0",
           "votes_abstaining": "0", "conditions": ""}


def panel_over_http(client, side, case):
    """论证 from the browser's side: the officer invites three experts, each declares no conflict
    and gives an opinion, the officer reads the summary and passes it to decision."""
    experts = experts_of(side, 3)
    act(client, side.tto_officer, case,
        {"action": "form", "experts": [e.pk for e in experts], "approvals_needed": "2", "comment": ""},
        Stage.DEMONSTRATION)
    for n, expert in enumerate(experts):
        act(client, expert, case, {"action": "no_conflict", "comment": ""}, Stage.DEMONSTRATION)
        act(client, expert, case, {
            "action": "opinion", "technical_maturity": "4", "market_prospects": "5", "price_reasonableness": "3",
            "risk_control": "4", "recommendation": "approve", "conditions": "",
            "comment": "技术成熟，同意转化。" if n == 0 else f"专家{n}：同意。",
        }, Stage.DEMONSTRATION)
    client.force_login(side.tto_officer)
    task = inbox(side.tto_officer).get(process__artifact_object_id=case.pk)
    summary = client.get(reverse("workflows:task", args=[task.pk])).content.decode()
    assert "同意 3 人（须 2 人）" in summary and "技术成熟，同意转化。" in summary
    act(client, side.tto_officer, case, {"action": "pass", "comment": "三位专家均同意。"}, Stage.DECISION)


def act(client, user, case, data, expect_stage):
    """Open the user's task on the case from the inbox and post the form."""
    client.force_login(user)
    task = inbox(user).filter(process__artifact_object_id=case.pk).first()
    assert task is not None, f"{user.username} has no task on {case.reference} in {case.stage}"
    page = client.get(reverse("workflows:task", args=[task.pk]))
    assert page.status_code == 200
    before = TransferCase.objects.get(pk=case.pk).stage
    response = client.post(reverse("workflows:task", args=[task.pk]), data)
    if response.status_code == 200 and 'name="confirmed"' in response.content.decode():
        # an irreversible outcome: a page says what it does, and nothing happens until it is confirmed
        assert "请确认" in response.content.decode()
        assert TransferCase.objects.get(pk=case.pk).stage == before
        # confirmed as a browser does: the page's hidden fields, files kept by their signed tokens
        resend = {name: html.unescape(value) for name, value in
                  re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', response.content.decode())
                  if name != "csrfmiddlewaretoken"}
        response = client.post(reverse("workflows:task", args=[task.pk]), resend)
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.stage == expect_stage
    assert_flow_agrees(case)
    return task


def test_full_lifecycle_as_each_role(client, world):
    a = world.a
    client.force_login(a.applicant)
    response = client.post(reverse("transfers:case_create"), filing_post(world))
    assert response.status_code == 302
    case = TransferCase.objects.get()
    assert case.stage == Stage.DRAFT
    assert case.price_amount == Decimal("12.3456")
    assert [i.name for i in case.achievements.get().inventors.all()] == ["王𠮷祥", "马堃"]
    detail = client.get(case.get_absolute_url()).content.decode()
    assert "王𠮷祥" in detail and "壹拾贰万叁仟肆佰伍拾陆元整" in detail

    client.post(reverse("transfers:case_submit", args=[case.public_id]))
    case.refresh_from_db()
    assert case.stage == Stage.PRELIMINARY_REVIEW
    assert case.rule_pack == a.institution.rule_pack
    assert_flow_agrees(case)

    act(client, a.tto_officer, case, {"action": "pass", "comment": "材料齐全"}, Stage.ASSESSMENT)
    act(
        client,
        a.assessor,
        case,
        {
            "action": "complete",
            "method": "agency",
            "agency_name": "甘肃中诚信资产评估有限公司",
            "amount": "30.5",
            "report": pdf("评估报告.pdf"),
            "comment": "",
        },
        Stage.DEMONSTRATION,
    )
    panel_over_http(client, a, case)
    act(
        client,
        a.decision_secretary,
        case,
        {
            "action": "approve",
            "body": "校长办公会",
            "decided_on": clock.now().date().isoformat(),
            **MEETING,
            "minutes": docx("纪要.docx"),
            "comment": "",
        },
        Stage.PUBLICITY,
    )
    assert case.publicity_ends_at > case.publicity_started_at + datetime.timedelta(days=14)

    # the period is not over: the TTO officer is told so and nothing changes
    client.force_login(a.tto_officer)
    task = inbox(a.tto_officer).get(process__artifact_object_id=case.pk)
    response = client.post(reverse("workflows:task", args=[task.pk]), {"action": "finish", "comment": ""})
    assert response.status_code == 400
    assert f"公示期至 {long_datetime(case.publicity_ends_at)} 届满，尚未结束。" in response.content.decode()
    case.refresh_from_db()
    assert case.stage == Stage.PUBLICITY
    assert_flow_agrees(case)

    with clock.travel_to(case.publicity_ends_at + datetime.timedelta(minutes=1)):
        act(
            client,
            a.tto_officer,
            case,
            {"action": "finish", "comment": "公示期满无异议"},
            Stage.IMPLEMENTATION,
        )
    # completing needs the contract recorded and registered: the task page says what is missing first
    client.force_login(a.tto_officer)
    task = inbox(a.tto_officer).get(process__artifact_object_id=case.pk)
    page = client.get(reverse("workflows:task", args=[task.pk])).content.decode()
    assert "案件尚不能办结" in page and "合同尚未登记" in page
    response = client.post(reverse("workflows:task", args=[task.pk]), {"action": "complete", "comment": ""})
    assert response.status_code == 400 and "合同尚未登记" in response.content.decode()
    registered_contract(case)
    assert "可以办结案件" in client.get(reverse("workflows:task", args=[task.pk])).content.decode()
    act(
        client,
        a.tto_officer,
        case,
        {"action": "complete", "contract": pdf("合同.pdf"), "comment": ""},
        Stage.COMPLETED,
    )

    trail = list(AuditEvent.objects.filter(case=case).order_by("pk").values_list("action", "to_stage"))
    assert trail == [
        ("create", "draft"),
        ("submit", "preliminary_review"),
        ("pass_preliminary_review", "assessment"),
        ("complete_assessment", "demonstration"),
        ("form_panel", "demonstration"),
        *[("declare_no_conflict", "demonstration"), ("submit_opinion", "demonstration")] * 3,
        ("complete_demonstration", "decision"),
        ("approve", "publicity"),
        ("finish_publicity", "implementation"),
        ("record_contract", "implementation"),
        ("register_contract", "implementation"),
        ("complete", "completed"),
    ]
    timeline = client.get(case.get_absolute_url()).content.decode()
    assert "技术成熟，同意转化。" in timeline and "公示期满无异议" in timeline


def test_return_and_resubmit_shows_what_changed(client, world):
    a = world.a
    client.force_login(a.applicant)
    client.post(reverse("transfers:case_create"), filing_post(world))
    case = TransferCase.objects.get()
    client.post(reverse("transfers:case_submit", args=[case.public_id]))
    act(client, a.tto_officer, case, {"action": "pass", "comment": ""}, Stage.ASSESSMENT)

    # returning needs a reason
    client.force_login(a.assessor)
    task = inbox(a.assessor).get(process__artifact_object_id=case.pk)
    response = client.post(reverse("workflows:task", args=[task.pk]), {"action": "return", "comment": ""})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.stage == Stage.ASSESSMENT

    act(
        client,
        a.assessor,
        case,
        {"action": "return", "comment": "价格明显偏低，请补充定价依据。"},
        Stage.RETURNED,
    )

    # the applicant revises the price and resubmits through the revise task
    client.force_login(a.applicant)
    edit = filing_post(
        world,
        price_amount="20",
        **{"ach-0-title": "", "inv-0-name": "", "inv-0-share": "", "inv-1-name": "", "inv-1-share": ""},
    )
    edit["existing_achievements"] = [case.achievements.get().pk]
    edit.pop("institution")
    response = client.post(reverse("transfers:case_edit", args=[case.public_id]), edit)
    assert response.status_code == 302, response.content.decode()[:3000]
    act(
        client,
        a.applicant,
        case,
        {"action": "resubmit", "comment": "已补充定价依据"},
        Stage.PRELIMINARY_REVIEW,
    )
    assert case.revision == 2
    assert case.price_amount == Decimal("20")

    # the reviewer sees what changed since revision 1
    client.force_login(a.tto_officer)
    task = inbox(a.tto_officer).get(process__artifact_object_id=case.pk)
    page = client.get(reverse("workflows:task", args=[task.pk])).content.decode()
    assert "与第 1 版相比的修改" in page
    assert "12.3456" in page and 'data-label="修改后">20</td>' in page  # as people write amounts, no trailing zeros


def test_second_submit_of_the_same_task_changes_nothing(client, world):
    a = world.a
    client.force_login(a.applicant)
    client.post(reverse("transfers:case_create"), filing_post(world))
    case = TransferCase.objects.get()
    client.post(reverse("transfers:case_submit", args=[case.public_id]))
    task = act(client, a.tto_officer, case, {"action": "pass", "comment": ""}, Stage.ASSESSMENT)
    response = client.post(
        reverse("workflows:task", args=[task.pk]), {"action": "pass", "comment": ""}, follow=True
    )
    assert "已经处理完毕" in response.content.decode()
    case.refresh_from_db()
    assert case.stage == Stage.ASSESSMENT
    assert AuditEvent.objects.filter(case=case, action="pass_preliminary_review").count() == 1


def test_bad_filing_input_gets_messages_and_saves_nothing(client, world):
    client.force_login(world.a.applicant)
    data = filing_post(world, **{"inv-1-share": "30"})  # shares 60 + 30
    response = client.post(reverse("transfers:case_create"), data)
    assert response.status_code == 400
    assert "应为 100%" in response.content.decode()
    assert not TransferCase.objects.exists()

    data = filing_post(world, price_amount="12.34567")
    response = client.post(reverse("transfers:case_create"), data)
    assert response.status_code == 400
    assert not TransferCase.objects.exists()

    data = filing_post(world, **{"att-0-file": pdf("x.pdf")})
    data["att-0-file"] = __import__("django.core.files.uploadedfile", fromlist=["x"]).SimpleUploadedFile(
        "披露表.pdf", b"MZ\x90\x00 not a pdf"
    )
    response = client.post(reverse("transfers:case_create"), data)
    assert response.status_code == 400
    assert "不是允许的格式" in response.content.decode()
    assert not TransferCase.objects.exists()
