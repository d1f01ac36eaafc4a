"""In Chromium, the reviewers' day as people live it: the TTO officer claims and passes the case; the
assessor assesses; the officer forms a panel of three; the experts work in parallel, one declares a
conflict and the officer invites a replacement; the officer concludes; the decision secretary records
the meeting; the case reaches publicity. No page may log a console error. Screenshots of the key
pages are kept in a temporary folder (printed)."""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path

import pytest

from tests.browser.test_filing_browser import browser, login, pytestmark  # noqa: F401 - fixtures
from tests.factories import PDF_BYTES, build_world, experts_of, file_case
from transfers import clock
from transfers.models import Decision, PanelSeat, Stage, TransferCase
from transfers.services import cases as svc

SHOTS = Path(tempfile.mkdtemp(prefix="review-walkthrough-"))


class Person:
    """One reviewer in their own browser context, collecting console errors."""

    def __init__(self, chromium, base: str, user, errors: list[str]) -> None:
        self.user = user
        self.page = chromium.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
        self.page.on("console", lambda m: errors.append(f"{user.username}: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda e: errors.append(f"{user.username}: {e}"))
        login(self.page, base, user.username)
        self.base = base

    def open_my_task(self, claim: bool = False) -> None:
        page = self.page
        if claim:
            page.goto(self.base + "/work/queue/")
            page.click("table.list button:has-text('认领')")
        page.goto(self.base + "/work/")
        page.click("table.list a.button.small:has-text('处理')")

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def submit(self) -> None:
        self.page.click("form.task-form button:has-text('提交'), section.task-form form button:has-text('提交')")


def stage_of(case) -> str:
    return TransferCase.objects.get(pk=case.pk).stage


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_from_preliminary_review_to_publicity_with_a_panel_in_parallel(live_server, browser):  # noqa: F811
    world = build_world()
    a = world.a
    first, second, third, fourth = experts_of(a, 4)
    for user in (first, second, third, fourth):
        user.set_password("pw")
        user.save()
    case = svc.case_submit(case=file_case(a, title="一种高效节水滴灌控制系统转让"), by=a.applicant)
    errors: list[str] = []
    base = live_server.url

    officer = Person(browser, base, a.tto_officer, errors)
    officer.open_my_task(claim=True)
    officer.page.check("input[name=action][value=pass]")
    officer.shot("01-preliminary-review")
    officer.submit()
    assert stage_of(case) == Stage.ASSESSMENT

    assessor = Person(browser, base, a.assessor, errors)
    assessor.open_my_task(claim=True)
    page = assessor.page
    page.check("input[name=action][value=complete]")
    page.select_option("select[name=method]", "agency")
    page.fill("input[name=agency_name]", "甘肃衡信资产评估有限公司")
    page.fill("input[name=amount]", "38.5")
    page.set_input_files("input[name=report]", files=[
        {"name": "评估报告.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}])
    assessor.shot("02-assessment")
    assessor.submit()
    assert stage_of(case) == Stage.DEMONSTRATION

    officer.open_my_task(claim=True)
    page = officer.page
    page.check("input[name=action][value=form]")
    for expert in (first, second, third):
        page.check(f"input[name=experts][value='{expert.pk}']")
    page.fill("input[name=approvals_needed]", "2")
    officer.shot("03-form-panel")
    officer.submit()
    assert PanelSeat.objects.filter(panel__case=case).count() == 3

    # three experts open their tasks at the same time
    experts = {user.username: Person(browser, base, user, errors) for user in (first, second, third)}
    for person in experts.values():
        person.open_my_task()
    experts[second.username].shot("04-declaration")
    for person in (experts[first.username], experts[third.username]):
        person.page.check("input[name=action][value=no_conflict]")
        person.submit()
        assert "已声明无利益冲突" in person.page.content()
    conflicted = experts[second.username]
    conflicted.page.check("input[name=action][value=conflict]")
    conflicted.page.fill("textarea[name=comment]", "本人在受让方兼职。")
    conflicted.submit()

    def give_opinion(person: Person, recommendation: str, text: str) -> None:
        page = person.page
        for aspect, score in (("technical_maturity", 4), ("market_prospects", 5), ("price_reasonableness", 3),
                              ("risk_control", 4)):
            page.check(f"input[name={aspect}][value='{score}']")
        page.check(f"input[name=recommendation][value={recommendation}]")
        if recommendation == "conditions":
            page.fill("textarea[name=conditions]", "须约定两年技术培训。")
        page.fill("textarea[name=comment]", text)
        person.shot(f"05-opinion-{person.user.username}")
        person.submit()

    give_opinion(experts[first.username], "approve", "技术成熟，同意转化。")

    # the officer replaces the expert who declined
    officer.page.goto(base + "/work/queue/")
    officer.page.click("table.list button:has-text('认领')")
    officer.page.goto(base + "/work/")
    officer.page.click("table.list a.button.small:has-text('处理')")
    assert "本人在受让方兼职。" in officer.page.content()
    officer.page.check(f"input[name=expert][value='{fourth.pk}']")
    officer.shot("06-replace-expert")
    officer.submit()

    replacement = Person(browser, base, fourth, errors)
    replacement.open_my_task()
    replacement.page.check("input[name=action][value=no_conflict]")
    replacement.submit()
    give_opinion(experts[third.username], "conditions", "市场前景良好，价格略低。")
    give_opinion(replacement, "approve", "风险可控，同意。")
    assert stage_of(case) == Stage.DEMONSTRATION

    officer.open_my_task(claim=True)
    assert "同意 3 人（须 2 人）" in officer.page.content()
    officer.shot("07-conclude-panel")
    officer.page.check("input[name=action][value=pass]")
    officer.submit()
    assert stage_of(case) == Stage.DECISION

    secretary = Person(browser, base, a.decision_secretary, errors)
    secretary.open_my_task(claim=True)
    page = secretary.page
    page.check("input[name=action][value=approve]")
    page.fill("input[name=body]", "校长办公会")
    page.fill("input[name=decided_on]", clock.china_today().isoformat())
    page.fill("textarea[name=attendees]", "张三（校长）\n李四（副校长）\n王五（总会计师）")
    page.fill("input[name=votes_for]", "3")
    page.fill("input[name=votes_against]", "0")
    page.fill("input[name=votes_abstaining]", "0")
    page.set_input_files("input[name=minutes]", files=[
        {"name": "校长办公会纪要.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}])
    secretary.shot("08-decision")
    secretary.submit()
    assert stage_of(case) == Stage.PUBLICITY
    assert Decision.objects.get(case=case).votes_for == 3

    officer.page.goto(base + case.get_absolute_url())
    officer.shot("09-case-in-publicity")
    assert TransferCase.objects.get(pk=case.pk).publicity_ends_at > clock.now() + datetime.timedelta(days=14)
    print(f"screenshots: {SHOTS}")
    assert errors == []
