"""The reward notice of an approved distribution (收益分配和奖励公示, 国科发政〔2018〕103号): its own number
series, frozen content with the split table and the clauses applied, PDF and hash, the institution's own
period (not the 15-day floor of transfer notices), objections that stop the notice and never move the case,
payments after the period, and the case's completion rule."""

from __future__ import annotations

import datetime
import hashlib
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.public.test_notices import objection_post
from tests.transfers.test_money_services import approval_task, receipt
from transfers import clock
from transfers.models import (
    AuditEvent,
    Distribution,
    Notice,
    NoticeKind,
    NoticeStatus,
    Objection,
    RewardShare,
    RulePack,
    Stage,
)
from transfers.pdf import pdf_text
from transfers.publicity_clock import ClockRules, publicity_deadline
from transfers.services import cases as svc
from transfers.services.contracts import receipt_record
from transfers.services.errors import ActionRefused
from transfers.services.notices import current_notice
from transfers.services.payments import rewards_pay
from transfers.services.reward_notices import current_reward_notice, reward_objection_decide
from transfers.services.rewards import (
    Ratios,
    ShareChange,
    distribution_adjust,
    distribution_decide,
    distribution_propose,
)
from transfers.services.rules import rule_pack_new_version_for

pytestmark = pytest.mark.django_db

D = Decimal


def approved(world, first, ratios=None):
    ratios = ratios or Ratios(D("70"), D("20"), D("10"), "资源环境学院")
    distribution = distribution_propose(receipt=first, by=world.a.tto_officer, ratios=ratios)
    decide(distribution, world.a.tto_head)
    return distribution


def decide(distribution, head):
    """The TTO head approves from the task in their queue, as the page does."""
    from workflows.services import task_execute

    task_execute(task=approval_task(distribution), user=head, run=lambda: distribution_decide(
        distribution=distribution, by=head, approve=True, comment="同意"))
    distribution.refresh_from_db()


def test_an_approved_distribution_is_published_as_a_numbered_reward_notice(client, world, contracted):
    case, first = contracted
    transfer_notice = current_notice(case)
    distribution = approved(world, first)
    notice = Notice.objects.get(kind=NoticeKind.REWARD)
    year = clock.in_china(notice.issued_at).year
    assert notice.number == f"AAA-JL-{year}-001" and notice.distribution == distribution
    assert notice.status == NoticeStatus.IN_PUBLICITY and distribution.status == Distribution.Status.PUBLISHED
    # the institution's period (5 working days by default), not the transfer notice's 15-day floor
    expected = publicity_deadline(notice.starts_at, ClockRules.for_rewards(case.rule_pack))
    assert notice.ends_at == expected.ends_at
    case.refresh_from_db()
    assert case.stage == Stage.IMPLEMENTATION and current_notice(case) == transfer_notice
    assert transfer_notice.status == NoticeStatus.ENDED

    data = b"".join(client.get(reverse("public:notice_pdf", args=[notice.number])).streaming_content)
    assert hashlib.sha256(data).hexdigest() == notice.pdf_sha256
    text = pdf_text(data).replace("\n", "").replace(" ", "")
    for words in [notice.title.replace(" ", ""), "6201000020260123", "甘肃省技术市场管理办公室", "王𠮷祥", "马堃",
                  "资源环境学院", "8.6万元", "6.02万元", "3.612万元", "评估费", "第四十五条", transfer_notice.number,
                  "5个工作日"]:
        assert words in text, words

    page = client.get(notice.get_current_url()).content.decode()
    assert "王𠮷祥" in page and "3.612 万元" in page and "提出异议" in page and "个工作日" in page
    listing = client.get(reverse("public:notice_list"), {"kind": "reward"}).content.decode()
    assert notice.number in listing and transfer_notice.number not in listing
    assert notice.number in client.get(reverse("public:notice_list"), {"q": "王𠮷祥"}).content.decode()
    feed = client.get(reverse("public:notice_feed")).content.decode()
    assert notice.number in feed and "成果完成团队 6.02 万元（70%）" in feed
    # the next distribution of the institution takes the next number in the JL series
    second = receipt_record(case=case, by=world.a.tto_officer, data=receipt(amount="2", deductions=()))
    approved(world, second)
    assert Notice.objects.filter(kind=NoticeKind.REWARD).order_by("pk").last().number == f"AAA-JL-{year}-002"


def test_the_period_is_the_institutions_rule_without_the_transfer_floor(world, contracted):
    case, first = contracted
    pack = rule_pack_new_version_for(
        institution=world.a.institution, changes={"reward_publicity_days": 7, "reward_publicity_working_days": False})
    assert isinstance(pack, RulePack) and pack.reward_publicity_days == 7
    distribution = distribution_propose(receipt=first, by=world.a.tto_officer, ratios=Ratios(D("70"), D("30")),
                                        rule_pack=pack)
    decide(distribution, world.a.tto_head)
    notice = Notice.objects.get(kind=NoticeKind.REWARD)
    # seven natural days (moved to a working day only if the seventh is a rest day), not 15, not working days
    natural = publicity_deadline(notice.starts_at, ClockRules(days=7, working_days=False, floor=1))
    working = publicity_deadline(notice.starts_at, ClockRules(days=7, working_days=True, floor=1))
    assert notice.ends_at == natural.ends_at and natural.ends_at < working.ends_at
    assert notice.ends_at < notice.starts_at + datetime.timedelta(days=12)  # far from the transfer floor's 15
    assert "7 天" in pdf_text(notice.pdf.open("rb").read()).replace("\n", "")


def test_an_objection_stops_the_reward_notice_never_the_case(client, world, contracted):
    from notifications.models import Notification

    case, first = contracted
    distribution = approved(world, first)
    notice = current_reward_notice(distribution)
    response = client.post(notice.get_current_url(), objection_post(
        reasons="本人全程参与了该成果的研发和试验，却未列入奖励名单，请核实。", phone="13800001111",
        email="li@example.cn"))
    assert response.status_code == 302
    notice.refresh_from_db()
    case.refresh_from_db()
    assert notice.status == NoticeStatus.SUSPENDED and case.stage == Stage.IMPLEMENTATION
    told = Notification.objects.get(kind="reward_objection", recipient=world.a.tto_officer)
    assert "奖励公示收到异议" in told.render_subject() and case.reference in told.render_body()
    with pytest.raises(ActionRefused) as refused:
        rewards_pay(distribution=distribution, by=world.a.tto_officer, positions=[1], paid_on=clock.china_today())
    assert "因异议暂停" in str(refused.value)
    # only the case's officers answer, and an answer needs words
    with pytest.raises(ActionRefused):
        reward_objection_decide(distribution=distribution, by=world.b.tto_officer, upheld=False, reply="不成立")
    with pytest.raises(ActionRefused):
        reward_objection_decide(distribution=distribution, by=world.a.tto_officer, upheld=False, reply=" ")
    later = clock.now() + datetime.timedelta(days=10)  # past the printed end: the end surely moves
    with clock.travel_to(later):
        reward_objection_decide(distribution=distribution, by=world.a.tto_officer, upheld=False,
                                reply="经核查，异议人未参与该成果的研发，异议不成立。")
    notice.refresh_from_db()
    resumed = current_reward_notice(distribution)
    assert notice.status == NoticeStatus.SUPERSEDED and resumed.version == 2 and resumed.number == notice.number
    assert resumed.status == NoticeStatus.IN_PUBLICITY and resumed.ends_at > notice.ends_at
    assert "异议经核查不成立" in resumed.correction_reason
    assert Objection.objects.get().outcome == Objection.Outcome.DISMISSED
    page = client.get(resumed.get_current_url()).content.decode()
    assert "异议人未参与该成果的研发" in page and "13800001111" not in page and "li@example.cn" not in page
    case.refresh_from_db()
    assert case.stage == Stage.IMPLEMENTATION
    actions = list(AuditEvent.objects.filter(case=case).values_list("action", flat=True))
    assert "reward_objection_received" in actions and "dismiss_reward_objection" in actions


def test_an_upheld_objection_withdraws_the_notice_and_returns_the_split(client, world, contracted):
    case, first = contracted
    distribution = approved(world, first)
    notice = current_reward_notice(distribution)
    assert client.post(notice.get_current_url(), objection_post()).status_code == 302
    reward_objection_decide(distribution=distribution, by=world.a.tto_officer, upheld=True,
                            reply="异议成立：马堃的贡献份额须重新核定。")
    notice.refresh_from_db()
    distribution.refresh_from_db()
    assert notice.status == NoticeStatus.WITHDRAWN and "重新核定" in notice.withdrawal_reason
    assert distribution.status == Distribution.Status.RETURNED and distribution.adjustable
    # adjusted and approved again: a new notice under the next number
    shares = list(distribution.shares.all())
    distribution_adjust(distribution=distribution, by=world.a.tto_officer, reason="按异议处理结果重新核定份额",
                        changes=[ShareChange(shares[0].position, shares[0].amount - D("0.1")),
                                 ShareChange(shares[1].position, shares[1].amount + D("0.1"))])
    decide(distribution, world.a.tto_head)
    renewed = current_reward_notice(distribution)
    assert renewed.number != notice.number and renewed.number.endswith("-002")
    assert renewed.status == NoticeStatus.IN_PUBLICITY
    # while the new notice renders, the case page shows it coming, not the withdrawn one as current
    Notice.objects.filter(pk=renewed.pk).update(status=NoticeStatus.PENDING, pdf_sha256="")
    client.force_login(world.a.tto_officer)
    page = client.get(case.get_absolute_url()).content.decode()
    money = page[page.index('id="money"'):]
    money = money[:money.index('<section class="card"')]
    assert renewed.number in money and "公示文件生成中" in money
    assert notice.number not in money and "撤销原因" not in money


def test_people_are_paid_after_the_period_and_the_case_then_completes(world, contracted):
    case, first = contracted
    officer = world.a.tto_officer
    distribution = approved(world, first)
    notice = current_reward_notice(distribution)
    with pytest.raises(ActionRefused) as refused:
        svc.case_complete(case=case, by=officer)
    assert "尚未公示期满并发放奖励" in str(refused.value)
    with pytest.raises(ActionRefused) as refused:
        rewards_pay(distribution=distribution, by=officer, positions=[1, 2], paid_on=clock.china_today())
    assert "届满后方可发放" in str(refused.value)
    assert not RewardShare.objects.filter(paid_on__isnull=False).exists()

    after = notice.ends_at + datetime.timedelta(days=3)
    with clock.travel_to(after):
        end_day = clock.in_china(notice.ends_at).date()
        for bad, words in [(end_day - datetime.timedelta(days=1), "不能早于"),
                           (clock.china_today() + datetime.timedelta(days=1), "不能晚于今天"),
                           (None, "请填写发放日期")]:
            with pytest.raises(ActionRefused) as refused:
                rewards_pay(distribution=distribution, by=officer, positions=[1], paid_on=bad)
            assert words in str(refused.value)
        with pytest.raises(ActionRefused):
            rewards_pay(distribution=distribution, by=world.b.tto_officer, positions=[1], paid_on=end_day)
        with pytest.raises(ActionRefused):
            rewards_pay(distribution=distribution, by=world.a.tto_head, positions=[1], paid_on=end_day)
        assert not RewardShare.objects.filter(paid_on__isnull=False).exists()
        rewards_pay(distribution=distribution, by=officer, positions=[1], paid_on=end_day)
        paid = RewardShare.objects.get(distribution=distribution, position=1)
        assert paid.paid_on == end_day and paid.paid_yuan == paid.amount * 10000
        distribution.refresh_from_db()
        assert distribution.status == Distribution.Status.PUBLISHED
        with pytest.raises(ActionRefused) as refused:
            rewards_pay(distribution=distribution, by=officer, positions=[1, 2], paid_on=end_day)
        assert "已于" in str(refused.value)
        assert RewardShare.objects.get(distribution=distribution, position=2).paid_on is None
        rewards_pay(distribution=distribution, by=officer, positions=[2], paid_on=clock.china_today())
        distribution.refresh_from_db()
        assert distribution.status == Distribution.Status.PAID
        # the beat job ends the notice for the public list
        from transfers.tasks import close_due_reward_notices

        assert close_due_reward_notices.delay().get() == [notice.number]
        notice.refresh_from_db()
        assert notice.status == NoticeStatus.ENDED
        svc.case_complete(case=case, by=officer)
    case.refresh_from_db()
    assert case.stage == Stage.COMPLETED
    paid = list(AuditEvent.objects.filter(case=case, action="pay_rewards").order_by("pk"))
    assert len(paid) == 2 and "王𠮷祥" in paid[0].note_text and "马堃" in paid[1].note_text
    from django.utils import translation

    with translation.override("en"):  # written as a note, read in the reader's language
        assert paid[0].note_text.startswith(f"Rewards paid on {end_day.isoformat()}")


def test_completion_names_what_is_missing(world, contracted):
    case, first = contracted
    from transfers.models import Contract

    Contract.objects.filter(case=case).update(registration_number="", registered_on=None)
    with pytest.raises(ActionRefused) as refused:
        svc.case_complete(case=case, by=world.a.tto_officer)
    message = str(refused.value)
    assert "技术合同认定登记" in message and "1 笔收入尚未拟定分配方案" in message
    case.refresh_from_db()
    assert case.stage == Stage.IMPLEMENTATION


def test_notice_numbers_are_only_reward_numbers_for_rewards(world, contracted):
    case, first = contracted
    approved(world, first)
    numbers = dict(Notice.objects.values_list("kind", "number"))
    assert re.fullmatch(r"AAA-GS-\d{4}-\d{3}", numbers[NoticeKind.TRANSFER])
    assert re.fullmatch(r"AAA-JL-\d{4}-\d{3}", numbers[NoticeKind.REWARD])


# --------------------------------------------------------------------------------------------
# The pages: the officer answers an objection (an upheld one is confirmed first) and records payments


def test_the_officer_answers_an_objection_from_the_case_page(client, world, contracted):
    case, first = contracted
    distribution = approved(world, first)
    notice = current_reward_notice(distribution)
    assert client.post(notice.get_current_url(), objection_post()).status_code == 302
    answer = reverse("transfers:reward_objection", args=[case.public_id, distribution.pk])
    for outsider in (world.b.tto_officer, world.a.applicant, world.a.tto_head):
        client.force_login(outsider)
        assert client.get(answer).status_code == 404
    client.force_login(world.a.tto_officer)
    page = client.get(case.get_absolute_url()).content.decode()
    assert answer in page and "因异议暂停" in page
    form = client.get(answer).content.decode()
    assert "拟交易价格明显低于" in form and "13912345678" in form and "答复将在公示页面公开" in form
    # nothing chosen: the errors are summarised and nothing changes
    response = client.post(answer, {"outcome": "", "reply": ""})
    assert response.status_code == 400 and "请选择处理结果" in response.content.decode()
    # upholding asks for a confirmation that says what happens, and changes nothing until confirmed
    response = client.post(answer, {"outcome": "uphold", "reply": "异议成立：名单遗漏。"})
    assert response.status_code == 200 and "奖励公示将被撤销" in response.content.decode()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SUSPENDED
    response = client.post(answer, {"outcome": "uphold", "reply": "异议成立：名单遗漏。", "confirmed": "yes"})
    assert response.status_code == 302
    notice.refresh_from_db()
    distribution.refresh_from_db()
    assert notice.status == NoticeStatus.WITHDRAWN and distribution.status == Distribution.Status.RETURNED
    public = client.get(notice.get_current_url()).content.decode()
    assert "异议成立：名单遗漏。" in public and "提出异议" not in public


def test_the_officer_records_payments_from_the_page_after_the_period(client, world, contracted):
    case, first = contracted
    distribution = approved(world, first)
    notice = current_reward_notice(distribution)
    pay = reverse("transfers:rewards_payment", args=[case.public_id, distribution.pk])
    client.force_login(world.b.tto_officer)
    assert client.get(pay).status_code == 404
    client.force_login(world.a.tto_officer)
    page = client.get(pay).content.decode()
    assert "届满后方可发放" in page and 'name="paid_on"' not in page
    assert pay not in client.get(case.get_absolute_url()).content.decode()
    response = client.post(pay, {"paid_on": clock.china_today().isoformat(), "people": ["1", "2"]})
    assert response.status_code == 400 and "届满后方可发放" in response.content.decode()
    assert not RewardShare.objects.filter(paid_on__isnull=False).exists()
    with clock.travel_to(notice.ends_at + datetime.timedelta(days=1)):
        assert pay in client.get(case.get_absolute_url()).content.decode()
        response = client.post(pay, {"paid_on": "", "people": []})
        body = response.content.decode()
        assert response.status_code == 400 and "请填写发放日期" in body and "请选择已发放奖励的人员" in body
        response = client.post(pay, {"paid_on": clock.china_today().isoformat(), "people": ["1", "2"]})
        assert response.status_code == 302
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.PAID
    assert "全部人员的奖励均已发放" in client.get(pay).content.decode()


def test_an_objection_is_answered_once_even_while_its_corrected_version_renders(client, world, contracted,
                                                                                monkeypatch):
    from transfers.services import notices as notice_services
    from transfers.tasks import publish_pending_notices

    case, first = contracted
    distribution = approved(world, first)
    notice = current_reward_notice(distribution)
    assert client.post(notice.get_current_url(), objection_post()).status_code == 302
    real_render = notice_services.render_notice_pdf

    def broken(*args, **kwargs):
        raise OSError("renderer down")

    monkeypatch.setattr(notice_services, "render_notice_pdf", broken)
    with clock.travel_to(clock.now() + datetime.timedelta(days=10)):
        reward_objection_decide(distribution=distribution, by=world.a.tto_officer, upheld=False, reply="不成立。")
        assert Notice.objects.filter(distribution=distribution, status=NoticeStatus.PENDING).count() == 1
        # a second answer (another officer, an old form) is refused: the objection was answered
        with pytest.raises(ActionRefused):
            reward_objection_decide(distribution=distribution, by=world.a.tto_officer, upheld=True, reply="成立。")
        distribution.refresh_from_db()
        assert distribution.status == Distribution.Status.PUBLISHED
        client.force_login(world.a.tto_officer)
        page = client.get(case.get_absolute_url()).content.decode()
        answer = reverse("transfers:reward_objection", args=[case.public_id, distribution.pk])
        assert answer not in page and reverse("transfers:notice_retry", args=[case.public_id]) in page
        monkeypatch.setattr(notice_services, "render_notice_pdf", real_render)
        assert publish_pending_notices.delay().get() == [f"{notice.number} v2"]
    renewed = current_reward_notice(distribution)
    assert renewed.version == 2 and renewed.status == NoticeStatus.IN_PUBLICITY


def test_a_reward_notice_is_public_only_once_rendered_and_verifies(client, world, contracted, monkeypatch):
    from transfers.services import notices as notice_services

    case, first = contracted
    monkeypatch.setattr(notice_services, "render_notice_pdf", lambda *a, **k: (_ for _ in ()).throw(OSError("down")))
    distribution = approved(world, first)
    pending = Notice.objects.get(kind=NoticeKind.REWARD)
    assert pending.status == NoticeStatus.PENDING and distribution.status == Distribution.Status.APPROVED
    for url in (pending.get_current_url(), pending.get_pdf_url()):
        assert client.get(url).status_code == 404
    assert pending.number not in client.get(reverse("public:notice_list")).content.decode()
    monkeypatch.undo()
    client.force_login(world.a.tto_officer)  # the officer retries from the case page
    assert client.post(reverse("transfers:notice_retry", args=[case.public_id])).status_code == 302
    client.logout()
    published = current_reward_notice(distribution)
    assert published.pk == pending.pk and published.status == NoticeStatus.IN_PUBLICITY
    verified = client.post(reverse("public:verify"), {"sha256": published.pdf_sha256}).content.decode()
    assert "真实有效" in verified and published.number in verified
