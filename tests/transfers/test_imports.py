"""A transfer approved and publicised before the system existed: the TTO officer records its decision and
notice with their documents; it continues in 实施 (its contract, income and rewards handled here), audited
as imported, never republished. Bad input is refused with a message and changes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import assert_flow_agrees, file_case, pdf
from tests.transfers.test_money_services import instalments, receipt
from tests.transfers.test_reward_notices import decide
from transfers import clock
from transfers.models import AuditEvent, Contract, Decision, Notice, NoticeKind, Stage, TransferCase
from transfers.services.contracts import contract_record, contract_register, receipt_record
from transfers.services.errors import ActionRefused
from transfers.services.imports import ImportData, case_import
from transfers.services.rewards import Ratios, distribution_propose

pytestmark = pytest.mark.django_db

D = Decimal


def history(**overrides):
    values = {"decision_body": "校长办公会", "decided_on": datetime.date(2023, 5, 10),
              "notice_number": "兰大科转〔2023〕12号", "publicity_started_on": datetime.date(2023, 5, 12),
              "publicity_ended_on": datetime.date(2023, 5, 27)}
    values.update(overrides)
    return ImportData(**values)


def imported(world, **overrides):
    case = file_case(world.a, by=world.a.tto_officer, title="耐旱马铃薯技术转让（2023年）")
    return case_import(case=case, by=world.a.tto_officer, data=history(**overrides), minutes=pdf("纪要.pdf"),
                       notice_file=pdf("原公示.pdf"), comment="2023年已完成审批和公示，系统上线后补录。")


def test_an_imported_transfer_continues_in_implementation_and_is_never_republished(client, world):
    case = imported(world)
    assert case.stage == Stage.IMPLEMENTATION and case.is_imported
    assert case.rule_pack == world.a.institution.rule_pack and case.revisions.count() == 1  # pinned as if submitted
    assert case.imported_notice_number == "兰大科转〔2023〕12号"
    assert clock.in_china(case.publicity_started_at).date() == datetime.date(2023, 5, 12)
    assert clock.in_china(case.publicity_ends_at).date() == datetime.date(2023, 5, 27)
    decision = Decision.objects.get(case=case)
    assert (decision.outcome, decision.body, decision.minutes.kind) == ("approve", "校长办公会", "decision_minutes")
    assert case.attachments.filter(kind="imported_notice").count() == 1
    event = AuditEvent.objects.get(case=case, action="import_approved")
    assert (event.from_stage, event.to_stage, event.actor) == ("draft", "implementation", world.a.tto_officer)
    assert_flow_agrees(case)  # its process waits at the implementation task
    assert not Notice.objects.filter(case=case).exists()
    assert case.title not in client.get(reverse("public:notice_list")).content.decode()
    client.force_login(world.a.tto_officer)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "兰大科转〔2023〕12号" in page and "合同与收益分配" in page

    # its money is handled here: the contract is marked imported; a reward notice is published as for any case
    officer = world.a.tto_officer
    contract_record(case=case, by=officer, data=instalments(), document=pdf("合同.pdf"))
    contract_register(case=case, by=officer, number="6201000020230099", registered_on=clock.china_today(),
                      registry="甘肃省技术市场管理办公室")
    assert Contract.objects.get(case=case).imported
    first = receipt_record(case=case, by=officer, data=receipt())
    distribution = distribution_propose(receipt=first, by=officer, ratios=Ratios(D("70"), D("30")))
    decide(distribution, world.a.tto_head)
    reward = Notice.objects.get(case=case)
    assert reward.kind == NoticeKind.REWARD and "兰大科转〔2023〕12号" not in reward.number


@pytest.mark.parametrize(("overrides", "words"), [
    ({"publicity_ended_on": datetime.date(2023, 5, 20)}, "公示期不足15日"),
    ({"publicity_started_on": datetime.date(2023, 5, 1)}, "公示开始日期不能早于决策日期"),
    ({"decided_on": None}, "请填写决策日期"),
    ({"notice_number": " "}, "请填写原公示编号"),
    ({"publicity_ended_on": datetime.date(2099, 1, 1)}, "不能晚于今天"),
    ({"decision_body": "会" * 201}, "决策机构"),
])
def test_bad_history_is_refused_and_changes_nothing(world, overrides, words):
    case = file_case(world.a, by=world.a.tto_officer)
    with pytest.raises(ActionRefused) as refused:
        case_import(case=case, by=world.a.tto_officer, data=history(**overrides), minutes=pdf(),
                    notice_file=pdf())
    assert words in str(refused.value)
    case.refresh_from_db()
    assert case.stage == Stage.DRAFT and not case.decisions.exists() and not case.imported_notice_number
    assert not case.attachments.filter(kind__in=["decision_minutes", "imported_notice"]).exists()


def test_only_the_institutions_officer_imports_a_draft_once(world):
    case = file_case(world.a, by=world.a.tto_officer)
    for user in (world.a.applicant, world.b.tto_officer, world.a.tto_head):
        with pytest.raises(ActionRefused):
            case_import(case=case, by=user, data=history(), minutes=pdf(), notice_file=pdf())
    with pytest.raises(ActionRefused) as refused:
        case_import(case=case, by=world.a.tto_officer, data=history(), minutes=None, notice_file=pdf())
    assert "请上传决策会议纪要" in str(refused.value)
    assert TransferCase.objects.get(pk=case.pk).stage == Stage.DRAFT
    imported(world)
    with pytest.raises(ActionRefused) as refused:  # the same notice cannot be imported twice
        case_import(case=case, by=world.a.tto_officer, data=history(), minutes=pdf(), notice_file=pdf())
    assert "已导入编号为" in str(refused.value)


def test_the_import_page(client, world):
    case = file_case(world.a, by=world.a.tto_officer)
    url = reverse("transfers:case_import", args=[case.public_id])
    for outsider in (world.b.tto_officer, world.a.applicant):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    assert url not in client.get(case.get_absolute_url()).content.decode()  # the applicant's view of the draft
    client.force_login(world.a.tto_officer)
    assert url in client.get(case.get_absolute_url()).content.decode()
    response = client.post(url, {"decision_body": "", "notice_number": ""})
    body = response.content.decode()
    assert response.status_code == 400 and "请填写决策机构" in body and "请填写原公示编号" in body
    response = client.post(url, {
        "decision_body": "校长办公会", "decided_on": "2023-05-10", "minutes": pdf("纪要.pdf"),
        "notice_number": "兰大科转〔2023〕12号", "publicity_started_on": "2023-05-12",
        "publicity_ended_on": "2023-05-20", "notice_file": pdf("原公示.pdf")})
    assert response.status_code == 400 and "公示期不足15日" in response.content.decode()
    response = client.post(url, {
        "decision_body": "校长办公会", "decided_on": "2023-05-10", "minutes": pdf("纪要.pdf"),
        "notice_number": "兰大科转〔2023〕12号", "publicity_started_on": "2023-05-12",
        "publicity_ended_on": "2023-05-27", "notice_file": pdf("原公示.pdf")})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.IMPLEMENTATION
    assert client.get(url).status_code == 302  # only a draft can be imported
