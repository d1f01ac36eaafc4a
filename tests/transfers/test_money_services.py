"""After publicity: the contract and its registration, income with deductions, and the reward split by
the floors of the rule pack applied (law 第四十五条, seed 003 三.8, 国发〔2016〕16号). Each mode of payment,
floors per pack, refusals that cite the clause and change nothing, rounding, adjustment within the
floors, pack pinning, and who may do it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from tests.factories import pdf
from tests.public.test_notices import to_publicity
from transfers import clock
from transfers.models import (
    AuditEvent,
    Contract,
    Distribution,
    PaymentKind,
    Receipt,
    ReceiptKind,
    RewardShare,
    Stage,
)
from transfers.services.contracts import (
    ContractData,
    DeductionData,
    ReceiptData,
    contract_record,
    contract_register,
    receipt_record,
)
from transfers.services.errors import ActionRefused
from transfers.services.filing import AchievementData, InventorData
from transfers.services.rewards import (
    Person,
    Ratios,
    ShareChange,
    distribution_adjust,
    distribution_decide,
    distribution_propose,
    team_of,
)
from transfers.services.rules import rule_pack_new_version_for
from transfers.tasks import close_due_publicity

pytestmark = pytest.mark.django_db

D = Decimal


def to_implementation(side, **fields):
    case = to_publicity(side, **fields)
    with clock.travel_to(case.publicity_ends_at + datetime.timedelta(seconds=1)):
        assert close_due_publicity.delay().get() == [case.reference]
    case.refresh_from_db()
    assert case.stage == Stage.IMPLEMENTATION
    return case


def instalments(amount="12.5", parts=(("7.5", 0), ("5", 180))):
    signed = clock.china_today() - datetime.timedelta(days=200)
    return ContractData(
        counterparty_name="甘肃陇原科技发展有限公司", signed_on=signed, term_starts_on=signed,
        term_ends_on=signed + datetime.timedelta(days=3650), payment_kind=PaymentKind.INSTALMENTS, amount=D(amount),
        instalments=[(signed + datetime.timedelta(days=days), D(a)) for a, days in parts],
    )


def receipt(amount="10", deductions=(("valuation_fee", "0.5"), ("agency_fee", "0.3"), ("taxes", "0.6")), **extra):
    values = {"kind": ReceiptKind.PAYMENT, "received_on": clock.china_today(), "amount": D(amount),
              "payer": "甘肃陇原科技发展有限公司",
              "deductions": [DeductionData(kind, D(a)) for kind, a in deductions]}
    values.update(extra)
    return ReceiptData(**values)


@pytest.fixture
def contracted(world):
    """A case in 实施 with its instalment contract recorded and registered, and one receipt of 10 万元
    less 1.4 万元 of deductions."""
    case = to_implementation(world.a)
    officer = world.a.tto_officer
    contract_record(case=case, by=officer, data=instalments(), document=pdf("合同.pdf"))
    contract_register(case=case, by=officer, number="6201 0000 2026 0123", registered_on=clock.china_today(),
                      registry="甘肃省技术市场管理办公室", certificate=pdf("登记证明.pdf"))
    first = receipt_record(case=case, by=officer, data=receipt(), voucher=pdf("凭证.pdf"))
    return case, first


def test_an_instalment_contract_registered_with_its_income_and_net(contracted):
    case, first = contracted
    contract = Contract.objects.get(case=case)
    assert contract.is_registered and contract.registration_number == "6201000020260123"
    assert [(i.position, i.amount) for i in contract.instalments.all()] == [(1, D("7.5")), (2, D("5"))]
    assert contract.document.kind == "contract" and contract.certificate.kind == "registration_certificate"
    assert first.net() == D("8.6") and first.deducted() == D("1.4") and first.voucher.kind == "voucher"
    actions = list(AuditEvent.objects.filter(case=case).order_by("pk").values_list("action", flat=True))
    assert actions[-3:] == ["record_contract", "register_contract", "record_receipt"]


def test_the_proposal_splits_the_net_income_exactly_by_the_pinned_pack(world, contracted):
    case, first = contracted
    assert [(p.name, p.contribution_pct, p.is_main_contributor) for p in team_of(case)] == [
        ("王𠮷祥", D("60"), True), ("马堃", D("40"), False)]
    distribution = distribution_propose(
        receipt=first, by=world.a.tto_officer,
        ratios=Ratios(D("70"), D("20"), D("10"), "资源环境学院"))
    assert distribution.rule_pack == case.rule_pack and distribution.floor_pct == D("50")
    assert (distribution.net, distribution.team_amount, distribution.institution_amount,
            distribution.college_amount) == (D("8.6"), D("6.02"), D("1.72"), D("0.86"))
    assert distribution.pools_add_up
    shares = list(distribution.shares.values_list("name", "amount", "is_main_contributor"))
    assert shares == [("王𠮷祥", D("3.612"), True), ("马堃", D("2.408"), False)]
    assert AuditEvent.objects.filter(case=case, action="propose_distribution").get().note_text.startswith(
        "可分配净收入 8.6 万元，团队奖励 6.02 万元")


def test_awkward_amounts_split_three_ways_add_up(world, contracted):
    case, _first = contracted
    odd = receipt_record(case=case, by=world.a.tto_officer, data=receipt(amount="1.0001", deductions=()))
    people = [Person("甲", D("33.3333"), True), Person("乙", D("33.3333"), True), Person("丙", D("33.3334"), False)]
    distribution = distribution_propose(receipt=odd, by=world.a.tto_officer, people=people,
                                        ratios=Ratios(D("50"), D("25"), D("25"), "理学院"))
    # 10,001 yuan: the team's half rounded up (5,001), the rest 2,500 / 2,500
    assert (distribution.team_amount, distribution.institution_amount, distribution.college_amount) == (
        D("0.5001"), D("0.25"), D("0.25"))
    amounts = [s.amount for s in distribution.shares.all()]
    assert sum(amounts) == distribution.team_amount
    assert amounts[0] + amounts[1] >= distribution.team_amount * D("0.666666")  # the main two keep their share


def test_a_team_share_below_the_floor_is_refused_citing_the_clause_and_nothing_changes(world, contracted):
    _case, first = contracted
    with pytest.raises(ActionRefused) as refused:
        distribution_propose(receipt=first, by=world.a.tto_officer, ratios=Ratios(D("40"), D("60")))
    assert "成果完成团队的比例不得低于 50%" in str(refused.value)
    assert "第四十五条" in str(refused.value)
    with pytest.raises(ActionRefused) as refused:
        distribution_propose(receipt=first, by=world.a.tto_officer, ratios=Ratios(D("70"), D("20")))
    assert "合计为 90%" in str(refused.value)
    with pytest.raises(ActionRefused) as refused:
        distribution_propose(receipt=first, by=world.a.tto_officer,
                             people=[Person("王𠮷祥", D("40"), True), Person("马堃", D("60"), False)],
                             ratios=Ratios(D("70"), D("30")))
    assert "主要贡献人员的奖励份额不得低于 50%" in str(refused.value) and "国发〔2016〕16号" in str(refused.value)
    with pytest.raises(ActionRefused) as refused:
        distribution_propose(receipt=first, by=world.a.tto_officer,
                             people=[Person("王𠮷祥", D("60"), True), Person("马堃", D("30"), False)],
                             ratios=Ratios(D("70"), D("30")))
    assert "合计为 90%" in str(refused.value)
    assert not Distribution.objects.exists() and not RewardShare.objects.exists()


def test_a_newer_institutional_rule_may_be_applied_never_an_older_one(world, contracted):
    case, first = contracted
    officer = world.a.tto_officer
    pinned = case.rule_pack
    stricter = rule_pack_new_version_for(institution=world.a.institution,
                                         changes={"reward_floor_transfer_pct": D("70")})
    with pytest.raises(ActionRefused) as refused:
        distribution_propose(receipt=first, by=officer, rule_pack=stricter, ratios=Ratios(D("60"), D("40")))
    assert "不得低于 70%" in str(refused.value)
    applied = distribution_propose(receipt=first, by=officer, rule_pack=stricter, ratios=Ratios(D("70"), D("30")))
    assert applied.rule_pack == stricter and applied.floor_pct == D("70")
    case.refresh_from_db()
    assert case.rule_pack == pinned  # the case keeps its pin; the distribution records what it applied
    second = receipt_record(case=case, by=officer, data=receipt(amount="5", deductions=()))
    older = type(pinned).objects.create(code=pinned.code, version=0, name="旧版", clauses={})
    with pytest.raises(ActionRefused) as refused:
        distribution_propose(receipt=second, by=officer, rule_pack=older, ratios=Ratios(D("70"), D("30")))
    assert "锁定的规则版本或其后的新版本" in str(refused.value)


def test_the_officer_adjusts_within_the_floors_with_a_reason(world, contracted):
    case, first = contracted
    officer = world.a.tto_officer
    distribution = distribution_propose(receipt=first, by=officer, ratios=Ratios(D("70"), D("30")))
    team = distribution.team_amount  # 6.02
    with pytest.raises(ActionRefused) as refused:
        distribution_adjust(distribution=distribution, by=officer, reason="按实际贡献调整",
                            changes=[ShareChange(1, D("3")), ShareChange(2, D("3"))])
    assert "须等于团队奖励 6.02 万元" in str(refused.value)
    with pytest.raises(ActionRefused) as refused:  # the main contributor below half of the team's reward
        distribution_adjust(distribution=distribution, by=officer, reason="按实际贡献调整",
                            changes=[ShareChange(1, D("3.0099")), ShareChange(2, D("3.0101"))])
    assert "主要贡献人员的奖励份额不得低于 50%" in str(refused.value)
    with pytest.raises(ActionRefused) as refused:
        distribution_adjust(distribution=distribution, by=officer, reason="  ",
                            changes=[ShareChange(1, D("3.01")), ShareChange(2, D("3.01"))])
    assert "请填写调整理由" in str(refused.value)
    assert [s.amount for s in distribution.shares.all()] == [D("3.612"), D("2.408")]
    distribution_adjust(distribution=distribution, by=officer, reason="马堃承担了中试放大工作",
                        changes=[ShareChange(1, D("3.01"), "教授", "技术负责人"),
                                 ShareChange(2, D("3.01"), "副教授", "专利发明人")])
    assert [(s.amount, s.title, s.role) for s in distribution.shares.all()] == [
        (D("3.01"), "教授", "技术负责人"), (D("3.01"), "副教授", "专利发明人")]
    assert sum(s.amount for s in distribution.shares.all()) == team
    event = AuditEvent.objects.filter(case=case, action="adjust_distribution").get()
    assert event.comment == "马堃承担了中试放大工作" and event.actor == officer


def test_bad_receipts_are_refused_and_change_nothing(world, contracted):
    case, _first = contracted
    officer = world.a.tto_officer
    before = Receipt.objects.count()
    for data, message in [
        (receipt(amount="0", deductions=()), "金额（万元）须大于零"),
        (receipt(amount="-3", deductions=()), "金额不能为负数"),
        (receipt(amount="1", deductions=(("taxes", "0.6"), ("agency_fee", "0.5"))),
         "扣除合计 1.1 万元，超过到账金额 1 万元"),
        (receipt(amount="1.00001", deductions=()), "最多 4 位小数"),
        (receipt(received_on=clock.china_today() + datetime.timedelta(days=1)), "到账日期不能晚于今天"),
        (receipt(payer=""), "请填写付款方"),
        (receipt(payer="甲\x00乙"), "控制字符"),
        (receipt(kind=ReceiptKind.EQUITY, shares=D("10")), "不登记“作价投资股份”类收入"),
        (receipt(received_on=clock.china_today() - datetime.timedelta(days=201)), "到账日期不能早于合同签订日期"),
    ]:
        with pytest.raises(ActionRefused) as refused:
            receipt_record(case=case, by=officer, data=data)
        assert message in str(refused.value), (message, str(refused.value))
    assert Receipt.objects.count() == before


def test_a_contract_needs_consistent_terms(world):
    case = to_implementation(world.a)
    officer = world.a.tto_officer
    with pytest.raises(ActionRefused) as refused:
        contract_record(case=case, by=officer, data=instalments(amount="12.5", parts=(("7.5", 0), ("4", 10))),
                        document=pdf())
    assert "各期金额合计 11.5 万元，与合同金额 12.5 万元不一致" in str(refused.value)
    with pytest.raises(ActionRefused) as refused:
        contract_record(case=case, by=officer, data=instalments())
    assert "请上传合同文本" in str(refused.value)
    with pytest.raises(ActionRefused) as refused:
        contract_register(case=case, by=officer, number="123", registered_on=clock.china_today(), registry="甘肃")
    assert "16 位数字" in str(refused.value)
    with pytest.raises(ActionRefused) as refused:
        contract_register(case=case, by=officer, number="6201000020260123", registered_on=clock.china_today(),
                          registry="甘肃省技术市场管理办公室")
    assert "请先登记合同" in str(refused.value)
    assert not Contract.objects.exists()


def test_royalty_equity_and_own_implementation_take_their_own_floors(world):
    officer = world.a.tto_officer
    signed = clock.china_today() - datetime.timedelta(days=30)
    royalty_case = to_implementation(world.a, mode="ordinary_licence", price_kind="royalty", price_amount=None,
                                     price_terms="产品年销售净额的3%")
    contract_record(case=royalty_case, by=officer, document=pdf(), data=ContractData(
        counterparty_name="兰州高新创投有限公司", signed_on=signed, term_starts_on=signed,
        payment_kind=PaymentKind.ROYALTY, royalty_base="产品年销售净额", royalty_rate_pct=D("3")))
    royalty = receipt_record(case=royalty_case, by=officer, data=receipt(
        kind=ReceiptKind.ROYALTY, amount="2.4", deductions=(("taxes", "0.144"),)))
    split = distribution_propose(receipt=royalty, by=officer, ratios=Ratios(D("50"), D("50")))
    assert (split.floor_pct, split.net, split.team_amount) == (D("50"), D("2.256"), D("1.128"))

    equity_case = to_implementation(world.a, mode="equity_investment", price_amount=D("300"))
    contract_record(case=equity_case, by=officer, document=pdf(), data=ContractData(
        counterparty_name="甘肃陇原新材料有限公司", signed_on=signed, term_starts_on=signed,
        payment_kind=PaymentKind.EQUITY, equity_company="甘肃陇原新材料有限公司", equity_shares=D("300"),
        equity_valuation=D("300")))
    with pytest.raises(ActionRefused) as refused:
        receipt_record(case=equity_case, by=officer, data=receipt(kind=ReceiptKind.EQUITY, amount="300",
                                                                  shares=D("300")))
    assert "作价投资股份不作扣除" in str(refused.value)
    grant = receipt_record(case=equity_case, by=officer, data=receipt(
        kind=ReceiptKind.EQUITY, amount="300", shares=D("300"), deductions=()))
    shares = distribution_propose(receipt=grant, by=officer, ratios=Ratios(D("70"), D("30")))
    assert shares.net == D("300") and shares.team_amount == D("210")
    assert "作价投资" in shares.rule_pack.clause("reward_floor_equity_pct")

    own_case = to_implementation(world.a, mode="rd_cooperation")
    contract_record(case=own_case, by=officer, document=pdf(), data=ContractData(
        counterparty_name="甘肃陇原科技发展有限公司", signed_on=signed, term_starts_on=signed,
        payment_kind=PaymentKind.OWN_IMPLEMENTATION))
    year = clock.china_today().year - 1
    profit = receipt_record(case=own_case, by=officer, data=receipt(
        kind=ReceiptKind.PROFIT, amount="40", profit_year=year, deductions=()))
    with pytest.raises(ActionRefused) as refused:
        distribution_propose(receipt=profit, by=officer, ratios=Ratios(D("4"), D("96")))
    assert "不得低于 5%" in str(refused.value) and "营业利润" in str(refused.value)
    assert distribution_propose(receipt=profit, by=officer, ratios=Ratios(D("5"), D("95"))).team_amount == D("2")
    with pytest.raises(ActionRefused) as refused:
        receipt_record(case=own_case, by=officer, data=receipt(
            kind=ReceiptKind.PROFIT, amount="41", profit_year=year, deductions=()))
    assert f"{year} 年度的营业利润已登记" in str(refused.value)
    with pytest.raises(ActionRefused) as refused:  # the year is not over
        receipt_record(case=own_case, by=officer, data=receipt(
            kind=ReceiptKind.PROFIT, amount="41", profit_year=year + 1, deductions=()))
    assert "已结束的利润年度" in str(refused.value)


def test_the_way_of_paying_must_fit_the_transfer_mode(world):
    """An assignment's income is never rewarded as operating profit (a 5% floor instead of 50%)."""
    case = to_implementation(world.a)  # an assignment
    signed = clock.china_today()
    with pytest.raises(ActionRefused) as refused:
        contract_record(case=case, by=world.a.tto_officer, document=pdf(), data=ContractData(
            counterparty_name="甘肃陇原科技发展有限公司", signed_on=signed, term_starts_on=signed,
            payment_kind=PaymentKind.OWN_IMPLEMENTATION))
    assert "“转让”案件的合同不能按“自行或合作实施（营业利润）”登记" in str(refused.value)
    assert not Contract.objects.exists()


def test_only_the_cases_own_officers_after_publicity(world, contracted):
    case, first = contracted
    for outsider in (world.b.tto_officer, world.a.applicant, world.a.assessor):
        with pytest.raises(ActionRefused) as refused:
            receipt_record(case=case, by=outsider, data=receipt())
        assert refused.value.code == "forbidden"
        with pytest.raises(ActionRefused):
            distribution_propose(receipt=first, by=outsider, ratios=Ratios(D("70"), D("30")))
    early = to_publicity(world.a)
    with pytest.raises(ActionRefused) as refused:
        contract_record(case=early, by=world.a.tto_officer, data=instalments(), document=pdf())
    assert "公示期满进入实施后" in str(refused.value)
    assert not Distribution.objects.exists()


def test_shares_from_several_achievements_add_up_and_keep_the_main_floor(world):
    achievements = [AchievementData(kind="know_how", number="", title=f"马铃薯技术{n}号", inventors=[
        InventorData(f"甲{n}", D("25"), True), InventorData(f"乙{n}", D("25"), True),
        InventorData(f"丙{n}", D("25"), False), InventorData(f"丁{n}", D("25"), False)]) for n in range(3)]
    case = to_implementation(world.a, new=achievements)
    team = team_of(case)
    assert len(team) == 12 and sum(p.contribution_pct for p in team) == D("100")
    # six main contributors at 25/3 % each: exactly half, not 49.9998
    assert sum(p.contribution_pct for p in team if p.is_main_contributor) >= D("50")


def test_several_achievements_make_one_team(world):
    first = AchievementData(kind="know_how", number="", title="一种耐旱马铃薯种薯快速繁育方法", inventors=[
        InventorData("王𠮷祥", D("60"), True), InventorData("马堃", D("40"), False)])
    second = AchievementData(kind="know_how", number="", title="马铃薯脱毒苗组培方法", inventors=[
        InventorData("王𠮷祥", D("50"), True), InventorData("赵四", D("50"), True)])
    case = to_implementation(world.a, new=[first, second])
    # each achievement weighs the same: 王 (60 + 50) / 2, 马 40 / 2, 赵 50 / 2
    assert [(p.name, p.contribution_pct, p.is_main_contributor) for p in team_of(case)] == [
        ("王𠮷祥", D("55"), True), ("马堃", D("20"), False), ("赵四", D("25"), True)]


# --------------------------------------------------------------------------------------------
# The institution's approval: a viewflow task for the TTO head


def approval_task(distribution):
    from viewflow.workflow.models import Task

    from workflows.flow import RewardFlow

    return Task.objects.get(flow_task=RewardFlow.approve_distribution, process__seed_object_id=distribution.pk,
                            status__in=["NEW", "ASSIGNED"])


def test_the_tto_head_approves_or_returns_a_distribution_from_a_task(world, contracted):
    from notifications.models import Notification
    from tests.factories import assert_flow_agrees
    from workflows.selectors import queue
    from workflows.services import task_execute

    case, first = contracted
    officer, head = world.a.tto_officer, world.a.tto_head
    distribution = distribution_propose(receipt=first, by=officer, ratios=Ratios(D("70"), D("30")))
    task = approval_task(distribution)
    assert task in queue(head) and task not in queue(world.b.tto_head) and task not in queue(officer)
    told = Notification.objects.filter(kind="distribution_to_approve")
    assert [n.recipient for n in told] == [head] and "收益分配方案待审批" in told.get().render_subject()
    assert_flow_agrees(case)  # the case's own flow is untouched: its implementation task is still open
    with pytest.raises(ActionRefused) as refused:
        task_execute(task=task, user=officer, run=lambda: None)
    assert refused.value.code == "not_your_task"
    task_execute(task=task, user=head, run=lambda: distribution_decide(
        distribution=distribution, by=head, approve=False, comment="请补充马堃的职称"))
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.RETURNED and distribution.decided_by == head
    task.refresh_from_db()
    assert task.status == "DONE" and task.process.status == "DONE"
    # the officer adjusts: the distribution goes back to the head as a new task
    distribution_adjust(distribution=distribution, by=officer, reason="补充职称",
                        changes=[ShareChange(s.position, s.amount, "副教授") for s in distribution.shares.all()])
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.PROPOSED
    again = approval_task(distribution)
    assert again.pk != task.pk
    task_execute(task=again, user=head, run=lambda: distribution_decide(
        distribution=distribution, by=head, approve=True))
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.PUBLISHED  # approved, its reward notice public
    actions = list(AuditEvent.objects.filter(case=case).order_by("pk").values_list("action", flat=True))
    assert actions[-4:] == ["propose_distribution", "return_distribution", "adjust_distribution",
                            "approve_distribution"]
    with pytest.raises(ActionRefused) as refused:
        distribution_adjust(distribution=distribution, by=officer, reason="再改",
                            changes=[ShareChange(s.position, s.amount) for s in distribution.shares.all()])
    assert "已审批，不能再调整" in str(refused.value)
    assert_flow_agrees(case)


def test_nobody_approves_their_own_proposal_and_a_return_needs_a_reason(world, contracted):
    from transfers.models import Membership
    from transfers.permissions import forget_roles

    _case, first = contracted
    both = world.a.tto_officer
    Membership.objects.create(user=both, institution=world.a.institution, role="tto_head")
    forget_roles(both)  # the roles read earlier in this "request"
    distribution = distribution_propose(receipt=first, by=both, ratios=Ratios(D("70"), D("30")))
    with pytest.raises(ActionRefused) as refused:
        distribution_decide(distribution=distribution, by=both, approve=True)
    assert "不能审批自己的方案" in str(refused.value)
    with pytest.raises(ActionRefused) as refused:
        distribution_decide(distribution=distribution, by=world.a.tto_head, approve=False, comment=" ")
    assert "请填写退回理由" in str(refused.value)
    with pytest.raises(ActionRefused) as refused:
        distribution_decide(distribution=distribution, by=world.b.tto_head, approve=True)
    assert refused.value.code == "forbidden"
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.PROPOSED and distribution.decided_by is None


def test_a_terminated_case_still_shares_the_income_it_received(client, world, contracted):
    """The counterparty stops paying and the case is terminated in 实施: no more contract or income is
    recorded, but what came in before is still split, returned, adjusted, approved and published
    (促进科技成果转化法 第四十五条), from the services and from the case page."""
    from django.urls import reverse

    from transfers.services import cases as svc
    from workflows.services import case_act, task_execute

    case, first = contracted
    officer, head = world.a.tto_officer, world.a.tto_head
    second = receipt_record(case=case, by=officer, data=receipt("5", deductions=()))
    distribution = distribution_propose(receipt=first, by=officer, ratios=Ratios(D("70"), D("30")))
    task_execute(task=approval_task(distribution), user=head, run=lambda: distribution_decide(
        distribution=distribution, by=head, approve=False, comment="请补充职称"))
    case_act(case=case, user=officer, run=lambda: svc.case_terminate(
        case=case, by=officer, reason="受让方停止付款，合同解除。"))
    case.refresh_from_db()
    assert case.stage == Stage.TERMINATED

    with pytest.raises(ActionRefused) as refused:
        receipt_record(case=case, by=officer, data=receipt("1", deductions=()))
    assert refused.value.code == "terminated" and "已到账收入仍可拟定分配方案" in str(refused.value)
    client.force_login(officer)
    page = client.get(case.get_absolute_url()).content.decode()
    assert reverse("transfers:receipt_new", args=[case.public_id]) not in page
    # the returned distribution is adjusted and approved; the other receipt gets its own
    assert reverse("transfers:distribution_adjust", args=[case.public_id, distribution.pk]) in page
    assert reverse("transfers:distribution_new", args=[case.public_id, second.pk]) in page
    distribution_adjust(distribution=distribution, by=officer, reason="补充职称",
                        changes=[ShareChange(s.position, s.amount, "副教授") for s in distribution.shares.all()])
    task_execute(task=approval_task(distribution), user=head, run=lambda: distribution_decide(
        distribution=distribution, by=head, approve=True))
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.PUBLISHED  # its reward notice public
    other = distribution_propose(receipt=second, by=officer, ratios=Ratios(D("70"), D("30")))
    assert other.net == D("5") and other.team_amount == D("3.5")
