"""Every other path through HTTP: returns from each reviewing stage and resubmission, rejection,
withdrawal (from the case page and from the revise task), objections dismissed/upheld, termination."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.factories import assert_flow_agrees, file_case, pdf, step
from tests.workflows.test_lifecycle_http import MEETING, act, panel_over_http
from transfers import clock
from transfers.models import NoticeStatus, Stage
from transfers.services import cases as svc
from transfers.services import filing
from transfers.services.errors import ActionRefused
from transfers.services.filing import InventorData
from transfers.services.notices import current_notice

pytestmark = pytest.mark.django_db

CHINA = ZoneInfo("Asia/Shanghai")


def steps(a):
    """The forward step of each reviewing stage: (user, form data, stage after)."""
    return {
        Stage.PRELIMINARY_REVIEW: (a.tto_officer, {"action": "pass", "comment": ""}, Stage.ASSESSMENT),
        Stage.ASSESSMENT: (
            a.assessor,
            {"action": "complete", "method": "internal", "amount": "8", "comment": ""},
            Stage.DEMONSTRATION,
        ),
        Stage.DEMONSTRATION: None,  # a panel: ``panel_over_http``
        Stage.DECISION: (
            a.decision_secretary,
            {
                "action": "approve",
                "body": "校长办公会",
                "decided_on": clock.now().date().isoformat(),
                **MEETING,
                "comment": "",
            },
            Stage.PUBLICITY,
        ),
    }


def walk_to(client, world, target):
    a = world.a
    case = file_case(a)
    client.force_login(a.applicant)
    client.post(reverse("transfers:case_submit", args=[case.public_id]))
    case.refresh_from_db()
    forward = steps(a)
    while case.stage != target:
        if case.stage == Stage.DEMONSTRATION:
            panel_over_http(client, a, case)
            continue
        user, data, after = forward[case.stage]
        data = dict(data)
        if case.stage == Stage.DECISION:
            data["minutes"] = pdf("纪要.pdf")
        act(client, user, case, data, after)
    return case


REVIEWERS = {
    Stage.PRELIMINARY_REVIEW: "tto_officer",
    Stage.ASSESSMENT: "assessor",
    Stage.DEMONSTRATION: "tto_officer",  # when forming the panel
    Stage.DECISION: "decision_secretary",
}


@pytest.mark.parametrize("stage", list(REVIEWERS))
def test_return_from_each_stage_then_resubmit(client, world, stage):
    a = world.a
    case = walk_to(client, world, stage)
    act(
        client, a.users[REVIEWERS[stage]], case, {"action": "return", "comment": "请补充材料"}, Stage.RETURNED
    )
    # the applicant sees the task in their inbox and resubmits the same case as revision 2
    act(client, a.applicant, case, {"action": "resubmit", "comment": "已补充"}, Stage.PRELIMINARY_REVIEW)
    assert case.revision == 2
    assert case.revisions.count() == 2


def test_reject_at_decision_ends_the_case(client, world):
    a = world.a
    case = walk_to(client, world, Stage.DECISION)
    act(
        client,
        a.decision_secretary,
        case,
        {
            "action": "reject",
            "body": "校长办公会",
            "decided_on": clock.now().date().isoformat(),
            **MEETING,
            "minutes": pdf(),
            "comment": "价格偏低",
        },
        Stage.REJECTED,
    )
    assert not case.publicity_started_at


@pytest.mark.parametrize("stage", [Stage.DRAFT, Stage.PRELIMINARY_REVIEW, Stage.ASSESSMENT, Stage.DECISION])
def test_withdraw_from_the_case_page(client, world, stage):
    a = world.a
    case = file_case(a) if stage == Stage.DRAFT else walk_to(client, world, stage)
    client.force_login(a.applicant)
    page = client.get(case.get_absolute_url()).content.decode()
    assert reverse("transfers:case_withdraw", args=[case.public_id]) in page
    response = client.post(reverse("transfers:case_withdraw", args=[case.public_id]), {"reason": ""})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.stage == stage
    response = client.post(
        reverse("transfers:case_withdraw", args=[case.public_id]), {"reason": "受让方暂缓"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.WITHDRAWN
    assert_flow_agrees(case)


def test_withdraw_from_the_revise_task(client, world):
    a = world.a
    case = walk_to(client, world, Stage.ASSESSMENT)
    act(client, a.assessor, case, {"action": "return", "comment": "请补充"}, Stage.RETURNED)
    act(client, a.applicant, case, {"action": "withdraw", "comment": "放弃转化"}, Stage.WITHDRAWN)


def test_withdraw_is_refused_during_publicity(client, world):
    a = world.a
    case = walk_to(client, world, Stage.PUBLICITY)
    client.force_login(a.applicant)
    response = client.post(reverse("transfers:case_withdraw", args=[case.public_id]), {"reason": "想撤回"})
    assert response.status_code == 400
    assert "公示" in response.content.decode()
    case.refresh_from_db()
    assert case.stage == Stage.PUBLICITY


def test_objection_dismissed_resumes_with_the_remaining_time(client, world):
    """National rules: 15 natural days counted from the day after publication, ending at 17:00 China
    time; the day of the pause counts as used, the days left run again from the day after the
    dismissal. March 2025 has no public holiday."""
    a = world.a
    with clock.travel_to(datetime.datetime(2025, 3, 3, 10, 0, tzinfo=CHINA)):  # Monday: approved, published
        case = walk_to(client, world, Stage.PUBLICITY)
    # days 1..15 are 4..18 March
    assert case.publicity_ends_at == datetime.datetime(2025, 3, 18, 17, 0, tzinfo=CHINA)
    with clock.travel_to(datetime.datetime(2025, 3, 7, 10, 0, tzinfo=CHINA)):  # Friday: suspended
        act(
            client,
            a.tto_officer,
            case,
            {"action": "objection", "comment": "收到实名书面异议"},
            Stage.OBJECTION_REVIEW,
        )
    # 4..7 March are used (4 days), 11 remain
    with clock.travel_to(datetime.datetime(2025, 3, 10, 15, 0, tzinfo=CHINA)):  # Monday: dismissed
        act(
            client,
            a.tto_officer,
            case,
            {"action": "dismiss", "comment": "异议不成立，已书面答复"},
            Stage.PUBLICITY,
        )
    # the 11 days are 11..21 March: publicity now ends on Friday 21 March at 17:00
    resumed_end = datetime.datetime(2025, 3, 21, 17, 0, tzinfo=CHINA)
    assert case.publicity_ends_at == resumed_end
    assert case.publicity_paused_at is None
    # the public reads the same end on the notice, reissued and back in publicity
    notice = current_notice(case)
    assert (notice.ends_at, notice.status, notice.version) == (resumed_end, NoticeStatus.IN_PUBLICITY, 2)


def test_objection_upheld_goes_back_to_decision(client, world):
    a = world.a
    case = walk_to(client, world, Stage.PUBLICITY)
    act(client, a.tto_officer, case, {"action": "objection", "comment": "异议"}, Stage.OBJECTION_REVIEW)
    act(client, a.tto_officer, case, {"action": "uphold", "comment": "异议成立，重新决策"}, Stage.DECISION)
    act(
        client,
        a.decision_secretary,
        case,
        {
            "action": "reject",
            "body": "校长办公会",
            "decided_on": clock.now().date().isoformat(),
            **MEETING,
            "minutes": pdf(),
            "comment": "",
        },
        Stage.REJECTED,
    )


@pytest.mark.parametrize("where", ["publicity", "objection_review", "implementation"])
def test_terminate(client, world, where):
    a = world.a
    case = walk_to(client, world, Stage.PUBLICITY)
    if where == "objection_review":
        act(client, a.tto_officer, case, {"action": "objection", "comment": "异议"}, Stage.OBJECTION_REVIEW)
    if where == "implementation":
        with clock.travel_to(case.publicity_ends_at):
            act(client, a.tto_officer, case, {"action": "finish", "comment": ""}, Stage.IMPLEMENTATION)
    act(client, a.tto_officer, case, {"action": "terminate", "comment": "受让方放弃"}, Stage.TERMINATED)
    assert case.closing_reason == "受让方放弃"


def test_terminate_from_outside_a_task_cancels_the_flow(world):
    a = world.a
    case = file_case(a)
    case = svc.case_submit(case=case, by=a.applicant)

    for user, run in [
        (a.tto_officer, lambda c: svc.case_pass_preliminary_review(case=c, by=a.tto_officer)),
        (
            a.assessor,
            lambda c: svc.case_complete_assessment(
                case=c, by=a.assessor, method="agency", agency_name="甘肃中诚信资产评估有限公司", report=pdf()
            ),
        ),
        (None, None),  # 论证
        (
            a.decision_secretary,
            lambda c: svc.case_decide(
                case=c,
                by=a.decision_secretary,
                outcome="approve",
                body="校长办公会",
                decided_on=clock.now().date(),
                minutes=pdf(),
            ),
        ),
    ]:
        case = step(a, case, user, run)
    case = svc.case_terminate(case=case, by=a.tto_officer, reason="合作方注销")
    assert case.stage == Stage.TERMINATED
    assert_flow_agrees(case)


def test_returned_case_inventors_are_corrected_and_checked(client, world):
    a = world.a
    case = walk_to(client, world, Stage.PRELIMINARY_REVIEW)
    act(client, a.tto_officer, case, {"action": "return", "comment": "请核对完成人份额"}, Stage.RETURNED)
    achievement = case.achievements.get()
    url = reverse("transfers:achievement_inventors", args=[case.public_id, achievement.pk])
    client.force_login(a.applicant)
    base = {
        "inv-TOTAL_FORMS": "3",
        "inv-INITIAL_FORMS": "0",
        "inv-MIN_NUM_FORMS": "0",
        "inv-MAX_NUM_FORMS": "30",
    }
    bad = {**base, "inv-0-name": "王𠮷祥", "inv-0-share": "50", "inv-1-name": "马堃", "inv-1-share": "40"}
    response = client.post(url, bad)
    assert response.status_code == 400
    assert "应为 100%" in response.content.decode()
    assert 'href="#inv-errors"' in response.content.decode()  # in the error summary, linked (GOV.UK)
    assert [i.share for i in achievement.inventors.all()] == [60, 40]
    good = {**bad, "inv-0-share": "50", "inv-1-share": "30", "inv-2-name": "李𡈽", "inv-2-share": "20"}
    assert client.post(url, good).status_code == 302
    assert [i.name for i in achievement.inventors.all()] == ["王𠮷祥", "马堃", "李𡈽"]
    act(client, a.applicant, case, {"action": "resubmit", "comment": ""}, Stage.PRELIMINARY_REVIEW)
    client.force_login(a.tto_officer)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "李𡈽" in page and "与第 1 版相比的修改" in page
    # once under review again, the inventors are locked: a valid change is refused with a message
    filed = [("王𠮷祥", 50), ("马堃", 30), ("李𡈽", 20)]
    client.force_login(a.applicant)
    change = {**good, "inv-0-share": "40", "inv-1-share": "35", "inv-2-share": "25"}
    response = client.post(url, change, follow=True)
    assert response.redirect_chain == [(case.get_absolute_url(), 302)]
    assert "案件当前处于“初审”环节，不能修改。" in response.content.decode()
    assert [(i.name, i.share) for i in achievement.inventors.all()] == filed
    # and so is the service behind the page, whoever calls it
    with pytest.raises(ActionRefused) as refusal:
        filing.achievement_set_inventors(
            achievement=achievement,
            by=a.applicant,
            inventors=[InventorData(name="王𠮷祥", share=Decimal(40)), InventorData(name="马堃", share=Decimal(60))],
        )
    assert refusal.value.code == "locked"
    assert [(i.name, i.share) for i in achievement.inventors.all()] == filed


def test_a_task_that_is_not_yours_is_refused_with_a_message(client, world):
    a = world.a
    case = walk_to(client, world, Stage.PRELIMINARY_REVIEW)
    from workflows.selectors import open_tasks_of

    task = open_tasks_of(case).get()
    client.force_login(a.assessor)  # sees the case, is not a TTO officer
    for response in (
        client.get(reverse("workflows:task", args=[task.pk]), follow=True),
        client.post(reverse("workflows:task", args=[task.pk]), {"action": "pass", "comment": ""}, follow=True),
    ):
        assert "不属于您的职责范围" in response.content.decode()
    case.refresh_from_db()
    assert case.stage == Stage.PRELIMINARY_REVIEW
    assert_flow_agrees(case)


@pytest.mark.parametrize(("stage", "role", "action", "words"), [
    (Stage.PUBLICITY, "tto_officer", "terminate", "案件将终止，不能恢复"),
    (Stage.PUBLICITY, "tto_officer", "withdraw_notice", "公示将立即撤销"),
    (Stage.RETURNED, "applicant", "withdraw", "案件将撤回并结束"),
])
def test_an_irreversible_outcome_is_confirmed_on_a_page_that_says_what_it_does(client, world, stage, role, action,
                                                                               words):
    from workflows.selectors import inbox

    if stage == Stage.RETURNED:
        case = walk_to(client, world, Stage.PRELIMINARY_REVIEW)
        act(client, world.a.tto_officer, case, {"action": "return", "comment": "请补充材料"}, Stage.RETURNED)
    else:
        case = walk_to(client, world, stage)
    user = getattr(world.a, role)
    client.force_login(user)
    task = inbox(user).get(process__artifact_object_id=case.pk)
    url = reverse("workflows:task", args=[task.pk])
    page = client.post(url, {"action": action, "comment": "受让方放弃受让"})
    html = page.content.decode()
    assert page.status_code == 200 and "请确认" in html and words in html and "受让方放弃受让" in html
    case.refresh_from_db()
    assert case.stage == stage  # nothing happened yet
    assert client.post(url, {"action": action, "comment": "受让方放弃受让", "confirmed": "yes"}).status_code == 302
    case.refresh_from_db()
    assert case.stage != stage


def test_a_share_out_of_range_says_so_once(world):
    from transfers.forms import InventorEditForm

    form = InventorEditForm({"name": "王𠮷祥", "share": "0"})
    assert not form.is_valid()
    assert len(form.errors["share"]) == 1 and "请填写份额" not in form.errors["share"][0]
    assert InventorEditForm({"name": "王𠮷祥", "share": ""}).errors["share"] == ["请填写份额。"]
