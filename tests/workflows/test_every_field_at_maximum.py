"""A case with every field at its maximum walks from filing to completion through objection,
dismissal and correction. The PostgreSQL pass of ``make test`` runs it where ``max_length`` is
enforced (SQLite forgives it), so a derived field that outgrows its column fails here."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail

from notifications.models import Notification
from tests.factories import experts_of, pdf
from transfers import clock
from transfers.limits import ABSTRACT_MAX, COMMENT_MAX, OBJECTION_REASONS_MAX, OBJECTION_REPLY_MAX
from transfers.models import (
    Achievement,
    AuditEvent,
    Contract,
    Decision,
    Deduction,
    Distribution,
    Institution,
    Inventor,
    Notice,
    NoticeStatus,
    Objection,
    PaymentKind,
    Receipt,
    RewardShare,
    Stage,
    TransferCase,
    Valuation,
)
from transfers.pdf import pdf_text
from transfers.services import cases as svc
from transfers.services.contracts import (
    ContractData,
    DeductionData,
    ReceiptData,
    contract_record,
    contract_register,
    receipt_record,
)
from transfers.services.corrections import case_correct_notice
from transfers.services.errors import ActionRefused
from transfers.services.filing import CORRECTABLE_FIELDS, AchievementData, InventorData, case_file
from transfers.services.objections import objection_file
from transfers.services.panels import OpinionData
from transfers.services.rewards import Person, Ratios, ShareChange, distribution_adjust, distribution_propose, team_of
from transfers.validators import MAX_WAN_YUAN
from workflows.services import case_act, panel_walk

pytestmark = pytest.mark.django_db


def longest(model: type, name: str) -> int:
    return model._meta.get_field(name).max_length


def full(model: type, name: str, char: str = "甲") -> str:
    return char * longest(model, name)


#: a valid address of 254 characters (64 before the @, labels of at most 63)
LONGEST_EMAIL = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 54 + ".edu.cn"


def test_every_field_at_its_maximum_walks_to_the_end(world):
    assert len(LONGEST_EMAIL) == 254
    a = world.a
    institution = a.institution
    for name in ("name", "office_name", "objection_office", "address"):
        setattr(institution, name, full(Institution, name, "院"))
    institution.contact_phone = "0" * longest(Institution, "contact_phone")
    institution.contact_email = LONGEST_EMAIL
    institution.save()
    inventors = [InventorData(f"{n:02d}" + "名" * (longest(Inventor, "name") - 2), Decimal("4"), n < 3)
                 for n in range(25)]
    achievement = AchievementData(
        kind="invention_patent", number="ZL202110234567.5", title=full(Achievement, "title", "成"),
        field=full(Achievement, "field", "域"), abstract="摘" * ABSTRACT_MAX,
        keywords=full(Achievement, "keywords", "词"),
        application_date=datetime.date(2021, 3, 2), granted_on=datetime.date(2022, 6, 14), inventors=inventors,
    )
    fields = {
        "title": full(TransferCase, "title", "项"),
        "mode": "exclusive_licence",
        "counterparty_name": full(TransferCase, "counterparty_name", "受"),
        "counterparty_credit_code": "91620100MA73XK7J40",
        "counterparty_contact": full(TransferCase, "counterparty_contact", "联"),
        "related_party": True,
        "related_party_statement": full(TransferCase, "related_party_statement", "关"),
        "pricing_method": "negotiated",
        "price_kind": "mixed",
        "price_amount": MAX_WAN_YUAN,
        "price_terms": full(TransferCase, "price_terms", "款"),
    }
    case = case_file(institution=institution, by=a.applicant, fields=fields, existing=[], new=[achievement],
                     attachments=[("disclosure_form", pdf("披" * 200 + ".pdf"))])
    comment = "意" * COMMENT_MAX
    case = svc.case_submit(case=case, by=a.applicant, comment=comment)

    def step(user, run):
        return case_act(case=case, user=user, run=run)

    case = step(a.tto_officer, lambda: svc.case_pass_preliminary_review(case=case, by=a.tto_officer, comment=comment))
    case = step(a.assessor, lambda: svc.case_complete_assessment(
        case=case, by=a.assessor, method="agency", agency_name=full(Valuation, "agency_name", "评"),
        amount=MAX_WAN_YUAN, report=pdf(), note=comment, comment=comment))
    experts = experts_of(a, 3)
    opinions = [OpinionData(5, 5, 5, 5, recommendation="conditions", opinion=comment, conditions=comment)
                for _ in experts]
    case = panel_walk(case=case, officer=a.tto_officer, experts=experts, opinions=opinions)
    case = step(a.decision_secretary, lambda: svc.case_decide(
        case=case, by=a.decision_secretary, outcome="approve", body=full(Decision, "body", "会"),
        decided_on=clock.china_today(), minutes=pdf(), comment=comment))
    notice = Notice.objects.get(case=case)
    assert case.stage == Stage.PUBLICITY and notice.status == NoticeStatus.IN_PUBLICITY
    assert full(TransferCase, "title", "项") in pdf_text(notice.pdf.open("rb").read()).replace("\n", "")

    # the public objects with every field at its maximum; one character more is refused, nothing saved
    objection = {"name": full(Objection, "name", "姓"), "organisation": full(Objection, "organisation", "单"),
                 "phone": "1" + "3" * 10, "email": LONGEST_EMAIL, "relation": full(Objection, "relation", "系"),
                 "reasons": "理" * OBJECTION_REASONS_MAX}
    with pytest.raises(ActionRefused) as refused:
        objection_file(notice=notice, **{**objection, "reasons": "理" * (OBJECTION_REASONS_MAX + 1)})
    assert refused.value.code == "too_long" and not Objection.objects.exists()
    objection_file(notice=notice, **objection)
    case = TransferCase.objects.get(pk=case.pk)
    assert case.stage == Stage.OBJECTION_REVIEW
    case = step(a.tto_officer, lambda: svc.case_dismiss_objection(
        case=case, by=a.tto_officer, reply="复" * OBJECTION_REPLY_MAX))
    assert case.stage == Stage.PUBLICITY

    # a correction with the longest reason, then the period ends
    corrected = {name: getattr(case, name) for name in CORRECTABLE_FIELDS}
    corrected["counterparty_name"] = full(TransferCase, "counterparty_name", "正")
    case_correct_notice(case=case, by=a.tto_officer, fields=corrected,
                        reason="更" * longest(Notice, "correction_reason"))
    current = Notice.objects.filter(case=case).order_by("-version").first()
    assert current.status == NoticeStatus.IN_PUBLICITY and current.version >= 2
    case = TransferCase.objects.get(pk=case.pk)
    with clock.travel_to(case.publicity_ends_at + datetime.timedelta(hours=1)):
        case = step(a.tto_officer, lambda: svc.case_finish_publicity(case=case, by=a.tto_officer, comment=comment))
    assert case.stage == Stage.IMPLEMENTATION

    # after publicity: the contract, its registration, a receipt with every deduction and the split, every
    # text at its maximum and the largest amount
    signed = clock.china_today()
    contract_record(case=case, by=a.tto_officer, document=pdf("合" * 200 + ".pdf"), data=ContractData(
        counterparty_name=full(Contract, "counterparty_name", "方"), signed_on=signed, term_starts_on=signed,
        payment_kind=PaymentKind.ROYALTY, royalty_base=full(Contract, "royalty_base", "基"),
        royalty_rate_pct=Decimal("99.9999"), amount=MAX_WAN_YUAN))
    contract_register(case=case, by=a.tto_officer, number="9" * 16, registered_on=signed,
                      registry=full(Contract, "registry", "登"), certificate=pdf("证" * 200 + ".pdf"))
    receipt = receipt_record(case=case, by=a.tto_officer, voucher=pdf("凭" * 200 + ".pdf"), data=ReceiptData(
        kind="royalty", received_on=signed, amount=MAX_WAN_YUAN, payer=full(Receipt, "payer", "付"),
        deductions=[DeductionData("other", Decimal("0.0001"), full(Deduction, "note", "注")) for _ in range(10)]))
    people = [Person(p.name, p.contribution_pct, n < 13, full(RewardShare, "title", "职"),
                     full(RewardShare, "role", "角"), p.inventor_id) for n, p in enumerate(team_of(case))]
    distribution = distribution_propose(receipt=receipt, by=a.tto_officer, people=people, ratios=Ratios(
        Decimal("50.0001"), Decimal("25"), Decimal("24.9999"), full(Distribution, "college_name", "院")))
    assert distribution.net == MAX_WAN_YUAN - Decimal("0.001") and distribution.pools_add_up
    assert sum(s.amount for s in distribution.shares.all()) == distribution.team_amount
    assert [len(s.name) for s in distribution.shares.all()] == [longest(Inventor, "name")] * 25
    changes = [ShareChange(s.position, s.amount, s.title, s.role) for s in distribution.shares.all()]
    distribution_adjust(distribution=distribution, by=a.tto_officer, changes=changes,
                        reason="调" * longest(Distribution, "adjustment_reason"))

    # approved from the head's task: its reward notice prints every field at its maximum
    from tests.transfers.test_money_services import approval_task
    from transfers.services.payments import rewards_pay
    from transfers.services.reward_notices import current_reward_notice, reward_objection_decide
    from transfers.services.rewards import distribution_decide
    from workflows.services import task_execute

    distribution.refresh_from_db()
    longest_comment = "审" * longest(Distribution, "decision_comment")
    task_execute(task=approval_task(distribution), user=a.tto_head, run=lambda: distribution_decide(
        distribution=distribution, by=a.tto_head, approve=True, comment=longest_comment))
    reward = current_reward_notice(distribution)
    assert reward.status == NoticeStatus.IN_PUBLICITY and reward.pdf_sha256
    printed = pdf_text(reward.pdf.open("rb").read()).replace("\n", "")
    assert full(Distribution, "college_name", "院") in printed and full(Receipt, "payer", "付") in printed
    objection_file(notice=reward, **objection)
    reward_objection_decide(distribution=distribution, by=a.tto_officer, upheld=False, reply="复" * 2000)
    reward = current_reward_notice(distribution)
    assert reward.status == NoticeStatus.IN_PUBLICITY  # resumed the same day: the same end
    # the period over, everyone is paid and the case completes
    with clock.travel_to(max(reward.ends_at, case.publicity_ends_at) + datetime.timedelta(days=1)):
        rewards_pay(distribution=distribution, by=a.tto_officer, paid_on=clock.china_today(),
                    positions=[s.position for s in distribution.shares.all()])
        case = step(a.tto_officer, lambda: svc.case_complete(
            case=case, by=a.tto_officer, contract=pdf("合" * 200 + ".pdf"), comment=comment))
    assert case.stage == Stage.COMPLETED
    assert AuditEvent.objects.filter(case=case).count() >= 10
    # every notification of the way can be read and mailed
    assert Notification.objects.filter(case=case).exists()
    for row in Notification.objects.filter(case=case):
        assert row.render_subject() and row.render_body()
    assert all(len(m.subject) < 200 for m in mail.outbox)
