"""Corrections and withdrawals of a notice in publicity, as the TTO officer makes them and as the
public then sees them."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import assert_flow_agrees, pdf
from tests.public.test_notices import to_publicity
from transfers import clock
from transfers.models import AuditEvent, Notice, NoticeStatus, Stage
from transfers.pdf import pdf_text
from transfers.publicity_clock import ClockRules, publicity_deadline
from transfers.services import cases as svc
from transfers.services.rules import rule_pack_new_version
from workflows.services import case_act

pytestmark = pytest.mark.django_db

CORRECTED = {
    "counterparty_name": "甘肃陇原农业科技有限公司",
    "counterparty_credit_code": "91350100M000100Y43",
    "related_party": "",
    "related_party_statement": "",
    "pricing_method": "negotiated",
    "price_kind": "lump_sum",
    "price_amount": "15",
    "price_terms": "",
    "reason": "拟受让方名称及价格录入有误，予以更正。",
}


def test_a_correction_publishes_a_new_version_and_the_old_one_stays_superseded(client, world):
    case = to_publicity(world.a)
    first = Notice.objects.get(case=case)
    client.force_login(world.a.tto_officer)
    later = clock.now() + datetime.timedelta(days=3)
    with clock.travel_to(later):
        response = client.post(reverse("transfers:notice_correct", args=[case.public_id]), CORRECTED, follow=True)
    assert "第 2 版" in response.content.decode()
    first.refresh_from_db()
    second = Notice.objects.get(case=case, version=2)
    assert first.status == NoticeStatus.SUPERSEDED and second.status == NoticeStatus.IN_PUBLICITY
    assert second.number == first.number and second.correction_reason.startswith("拟受让方名称")
    # the national pack restarts the clock: the corrected facts get their full 15 days
    full_period = publicity_deadline(later, ClockRules.from_rule_pack(case.applicable_rule_pack)).ends_at
    assert second.starts_at == later and second.ends_at == full_period and second.ends_at > first.ends_at
    text = pdf_text(second.pdf.open("rb").read()).replace("\n", "")
    assert "甘肃陇原农业科技有限公司" in text and "壹拾伍万元整" in text and "更正说明" in text
    assert second.pdf_sha256 != first.pdf_sha256
    # the public: the number shows the corrected version; v1 stays at its URL, marked, linking to v2
    client.logout()
    current = client.get(reverse("public:notice_detail", args=[first.number])).content.decode()
    assert "甘肃陇原农业科技有限公司" in current and "拟受让方名称及价格录入有误" in current
    old = client.get(first.get_absolute_url()).content.decode()
    assert "已被更正版本取代" in old and f'href="{second.get_current_url()}"' in old
    assert "甘肃陇原科技发展有限公司" in old  # the old text as it was published
    assert "提交异议" not in old  # objections go to the current version
    verified = client.post(reverse("public:verify"), {"sha256": first.pdf_sha256}).content.decode()
    assert "真实有效" in verified and "这是现行版本" not in verified and "该版本已被更正" in verified
    assert AuditEvent.objects.filter(case=case, action="correct_notice").count() == 1
    assert_flow_agrees(case)
    # the reviewers' search follows the corrected counterparty
    case.refresh_from_db()
    assert "甘肃陇原农业科技有限公司" in case.search_text and "甘肃陇原科技发展有限公司" not in case.search_text


def test_where_the_pack_says_so_a_correction_keeps_the_period(world):
    pack = rule_pack_new_version(base=world.a.institution.rule_pack, changes={"correction_restarts_clock": False})
    world.a.institution.refresh_from_db()
    assert world.a.institution.rule_pack == pack
    case = to_publicity(world.a)
    first = Notice.objects.get(case=case)
    from transfers.services.corrections import case_correct_notice

    fields = {k: v for k, v in CORRECTED.items() if k != "reason"}
    fields.update(related_party=False, price_amount=Decimal("15"))
    second = case_correct_notice(case=case, by=world.a.tto_officer, fields=fields, reason="名称更正")
    assert second.ends_at == first.ends_at and second.version == 2


def test_bad_corrections_change_nothing(client, world):
    case = to_publicity(world.a)
    url = reverse("transfers:notice_correct", args=[case.public_id])
    client.force_login(world.a.applicant)  # not the TTO officer: no form, a message on the case page
    assert client.get(url).url == case.get_absolute_url()
    refused = client.post(url, CORRECTED, follow=True).content.decode()
    assert "只有技术转移办公室专员可以更正" in refused and "发布更正公示" not in refused
    client.force_login(world.a.tto_officer)
    assert client.post(url, {**CORRECTED, "reason": ""}).status_code == 400
    assert client.post(url, {**CORRECTED, "counterparty_credit_code": "91350100M000100Y42"}).status_code == 400
    assert client.post(url, {**CORRECTED, "price_amount": "15.00001"}).status_code == 400
    unchanged = {**CORRECTED, "counterparty_name": case.counterparty_name, "counterparty_credit_code": "",
                 "price_amount": "12.5"}
    response = client.post(url, unchanged)
    assert response.status_code == 400 and "无需更正" in response.content.decode()
    client.force_login(world.b.tto_officer)
    assert client.get(url).status_code == 404  # another institution's case
    assert Notice.objects.filter(case=case).count() == 1
    assert not AuditEvent.objects.filter(action="correct_notice").exists()


def test_a_withdrawn_notice_shows_why_and_a_new_approval_publishes_a_new_number(client, world):
    case = to_publicity(world.a)
    first = Notice.objects.get(case=case)
    tto = world.a.tto_officer
    case = case_act(case=case, user=tto, run=lambda: svc.case_withdraw_notice(
        case=case, by=tto, reason="拟受让方变更，须重新决策。"))
    assert case.stage == Stage.DECISION
    assert_flow_agrees(case)
    first.refresh_from_db()
    assert first.status == NoticeStatus.WITHDRAWN and first.withdrawal_reason == "拟受让方变更，须重新决策。"
    page = client.get(first.get_current_url()).content.decode()
    assert "已撤销" in page and "拟受让方变更" in page and "提交异议" not in page
    secretary = world.a.decision_secretary
    case = case_act(case=case, user=secretary, run=lambda: svc.case_decide(
        case=case, by=secretary, outcome="approve", body="校长办公会", decided_on=clock.now().date(), minutes=pdf()))
    second = Notice.objects.filter(case=case).exclude(pk=first.pk).get()
    assert second.number.endswith("-002") and second.status == NoticeStatus.IN_PUBLICITY
    first.refresh_from_db()
    assert first.status == NoticeStatus.WITHDRAWN  # never revived
    assert_flow_agrees(case)


def test_withdrawing_a_notice_needs_a_reason_and_the_tto_officer(world):
    case = to_publicity(world.a)
    with pytest.raises(svc.ActionRefused):
        svc.case_withdraw_notice(case=case, by=world.a.tto_officer, reason=" ")
    with pytest.raises(svc.ActionRefused):
        svc.case_withdraw_notice(case=case, by=world.a.applicant, reason="理由")
    case.refresh_from_db()
    assert case.stage == Stage.PUBLICITY
