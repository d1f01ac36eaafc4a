"""In Chromium, on the demo data (``seed_demo``: both institutions, every role, a case in every stage):
every staff page each role reaches has no serious or critical axe-core finding under WCAG 2.0/2.1
A and AA, fits a 390 px phone without sideways scrolling, and, in English, marks the Chinese data it
shows with its language. An invalid form opens with an error summary that takes focus and links to
each field in error; every error is tied to its field."""

from __future__ import annotations

import io
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.management import call_command

from tests.browser.test_filing_browser import browser  # noqa: F401 - the fixture
from tests.browser.test_filing_browser import pytestmark as filing_marks
from tests.factories import build_world

pytestmark = filing_marks

#: axe-core's rule tags for WCAG 2.0 and 2.1, levels A and AA
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

#: text of the page's body (and values of its inputs) in Chinese script whose element (or an ancestor)
#: does not say it is Chinese
UNMARKED_CHINESE = r"""() => {
  const han = /\p{Script=Han}/u, found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode, element = text.parentElement;
    if (!han.test(text.data) || element.closest("script, style, template")) continue;
    const owner = element.closest("[lang]");
    if (owner && owner.getAttribute("lang").toLowerCase().startsWith("zh")) continue;
    found.push(element.tagName.toLowerCase() + (element.className ? "." + element.className : "")
               + ": " + text.data.trim().slice(0, 50));
  }
  for (const input of document.querySelectorAll("main input:not([type=hidden]), main textarea")) {
    const owner = input.closest("[lang]");
    if (han.test(input.value) && !(owner && owner.getAttribute("lang").toLowerCase().startsWith("zh")))
      found.push(`${input.tagName.toLowerCase()}#${input.id}: ${input.value.slice(0, 50)}`);
  }
  return found;
}"""


@dataclass
class Audit:
    """What every visited page showed wrong, by page; asserted empty at the end, read in one go."""

    english: bool = False
    visited: list[str] = field(default_factory=list)
    problems: dict[str, list[str]] = field(default_factory=dict)

    def check(self, page: Any, label: str) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.visited.append(label)
        found: list[str] = []
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                for node in violation["nodes"]:
                    found.append(
                        f"axe {violation['id']} ({violation['impact']}): {', '.join(map(str, node['target']))}\n"
                        f"      {node['failureSummary'].replace(chr(10), ' ')}\n      {node['html'][:200]}"
                    )
        if self.english:
            found += [f"Chinese text without lang=zh-Hans: {text}" for text in page.evaluate(UNMARKED_CHINESE)]
        page.set_viewport_size(PHONE)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide = page.evaluate(
                """(limit) => [...document.querySelectorAll("body *")]
                     .filter(e => e.getBoundingClientRect().right > limit + 1 && e.getClientRects().length)
                     .slice(-3).map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : ""))""",
                PHONE["width"],
            )
            found.append(f"scrolls sideways on a 390 px phone: {width} px wide ({', '.join(wide)})")
        # in Chinese a table may squeeze into 390 px a character per line: on a phone each row is a block
        grid_rows = page.evaluate(
            """() => [...document.querySelectorAll("main table tbody tr")]
                 .filter(row => getComputedStyle(row).display === "table-row")
                 .map(row => row.closest("table").className || "table")"""
        )
        if grid_rows:
            found.append(f"table rows not stacked on a 390 px phone: {sorted(set(grid_rows))}")
        page.set_viewport_size(DESKTOP)
        if found:
            self.problems[f"{label} ({page.url})"] = found

    def report(self) -> str:
        lines = [f"{len(self.problems)} of {len(self.visited)} pages have problems:"]
        for label, found in self.problems.items():
            lines.append(f"\n{label}")
            lines += [f"  - {line}" for line in found]
        return "\n".join(lines)


def sign_in(context: Any, base: str, username: str) -> Any:
    from workflows.management.commands.seed_demo import DEMO_PASSWORD

    page = context.new_page()
    page.set_viewport_size(DESKTOP)
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form button")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def submit(page: Any, form: str) -> None:
    """Submit a form as a person would: its last button (the main action)."""
    with page.expect_navigation():
        page.locator(f"{form} button").last.click()


def visit(page: Any, base: str, path: str, audit: Audit, label: str) -> None:
    page.goto(base + path)
    audit.check(page, label)


def walk_role(page: Any, base: str, username: str, audit: Audit) -> None:
    """Every page ``username`` reaches on the demo data, and each form of theirs submitted invalid."""
    from django.contrib.auth import get_user_model

    from transfers import selectors
    from transfers.models import Institution, Stage, TransferCase
    from workflows.selectors import inbox

    user = get_user_model().objects.get(username=username)
    role = username.split("_", 1)[1]
    institution = Institution.objects.get(code="LZU")
    tag = f"[{username}]"

    for path, name in [
        ("/work/", "my tasks"),
        ("/work/queue/", "queue"),
        ("/work/archive/", "archive"),
        (f"/work/?q=%E9%A9%AC%E9%93%83%E8%96%AF&institution={institution.pk}&mode=assignment&overdue=on&sort=-due",
         "my tasks, filtered"),
        (f"/work/queue/?stage=assessment&institution={institution.pk}", "queue, filtered"),
        ("/work/archive/?q=ZZZ-nothing", "archive, filtered to nothing"),
        ("/cases/", "case list"),
        ("/cases/?stage=publicity&q=%E8%BD%AC%E8%AE%A9", "case list, filtered"),
        ("/notifications/", "notifications"),
        ("/accounts/password/", "password change"),
        (f"/cases/{uuid.uuid4()}/", "404"),
    ]:
        visit(page, base, path, audit, f"{tag} {name}")

    visible = list(selectors.cases_visible_to(user).order_by("pk"))
    for case in visible:
        visit(page, base, case.get_absolute_url(), audit, f"{tag} case in {case.stage}")

    # each kind of task this role has: the page, then the form submitted empty
    seen: set[str] = set()
    for task in inbox(user):
        name = task.flow_task.name
        if name in seen:
            continue
        seen.add(name)
        visit(page, base, f"/work/tasks/{task.pk}/", audit, f"{tag} task {name}")
        submit(page, ".task-form form")
        audit.check(page, f"{tag} task {name}, submitted empty")

    draft = TransferCase.objects.filter(created_by=user, stage=Stage.DRAFT).first()
    if role in ("applicant", "tto"):
        visit(page, base, "/cases/new/", audit, f"{tag} new case")
        submit(page, "form.filing")
        audit.check(page, f"{tag} new case, submitted empty")
    if draft is not None:
        visit(page, base, f"/cases/{draft.public_id}/edit/", audit, f"{tag} edit draft")
        achievement = draft.achievements.first()
        inventors = f"/cases/{draft.public_id}/achievements/{achievement.pk}/inventors/"
        visit(page, base, inventors, audit, f"{tag} inventors")
        page.fill("#id_inv-2-name", "李四")  # a name without a share
        submit(page, "main form")
        audit.check(page, f"{tag} inventors, invalid")
        visit(page, base, f"/cases/{draft.public_id}/withdraw/", audit, f"{tag} withdraw")
        submit(page, "main form")
        audit.check(page, f"{tag} withdraw, no reason")

    in_publicity = TransferCase.objects.filter(institution=institution, stage=Stage.PUBLICITY).first()
    if role == "tto":
        visit(page, base, f"/cases/{in_publicity.public_id}/notice/correct/", audit, f"{tag} notice correction")
        page.fill("#id_reason", "")
        page.fill("#id_counterparty_credit_code", "123")
        submit(page, "main form")
        audit.check(page, f"{tag} notice correction, invalid")

    # the confirmation page of an irreversible outcome
    for task in inbox(user):
        action = {"publicity": "terminate", "revise": "withdraw"}.get(task.flow_task.name)
        if action:
            page.goto(f"{base}/work/tasks/{task.pk}/")
            page.check(f"input[name=action][value={action}]")
            page.fill("textarea[name=comment]", "受让方放弃受让。")
            submit(page, ".task-form form")
            audit.check(page, f"{tag} confirm {action}")
            break


@pytest.mark.parametrize("language", ["zh-CN", "en-US"])
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_staff_page_of_every_role(live_server, browser, language):  # noqa: F811
    from viewflow.workflow.models import Task

    from transfers.models import Membership, Stage, TransferCase
    from workflows.models import CaseProcess
    from workflows.selectors import OPEN

    call_command("seed_demo", stdout=io.StringIO())
    audit = Audit(english=language.startswith("en"))
    base = live_server.url

    anonymous = browser.new_context(locale=language)
    page = anonymous.new_page()
    page.set_viewport_size(DESKTOP)
    visit(page, base, "/accounts/login/", audit, "login")
    page.fill("input[name=username]", "lzu_tto")
    page.fill("input[name=password]", "wrong")
    submit(page, "main form")
    audit.check(page, "login, wrong password")
    visit(page, base, "/no-such-page/", audit, "404, signed out")
    anonymous.close()

    # everyone who holds a role at the first institution: every role, and each expert of a panel
    people = sorted(set(Membership.objects.filter(institution__code="LZU").values_list("user__username", flat=True)))
    assert len(people) >= 6
    for username in people:
        context = browser.new_context(locale=language)
        page = sign_in(context, base, username)
        walk_role(page, base, username, audit)
        context.close()

    # every page was reached (a page that was not visited cannot fail): each kind of task open at the
    # institution, a case in every stage, each form and its errors
    open_tasks = {task.flow_task.name for task in Task.objects.filter(
        flow_task_type="HUMAN", status__in=OPEN, process__in=CaseProcess.objects.filter(
            artifact_object_id__in=TransferCase.objects.filter(institution__code="LZU").values("pk")))}
    assert len(open_tasks) >= 7, open_tasks
    expected = [f"task {name}" for name in sorted(open_tasks)] + [f"case in {stage}" for stage in Stage.values]
    expected += ["new case, submitted empty", "inventors, invalid", "withdraw, no reason",
                 "notice correction, invalid", "confirm terminate", "confirm withdraw"]
    missing = [name for name in expected if not any(name in label for label in audit.visited)]
    assert missing == [], missing
    assert not audit.problems, audit.report()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_error_summary_takes_focus_and_leads_to_each_field(live_server, browser):  # noqa: F811
    world = build_world()
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", world.a.applicant.username)
    page.fill("input[name=password]", "pw")
    page.click("main form button")

    page.goto(live_server.url + "/cases/new/")
    page.fill("#id_ach-1-title", "一种耐旱马铃薯种薯快速繁育方法")  # a new achievement without its kind
    page.fill("#id_inv-0-name", "王𠮷祥")  # an inventor without a share
    submit(page, "form.filing")

    # the title says so first; the summary is the first thing in the content, announced, and has the focus
    assert page.title().startswith("错误：")
    summary = page.locator(".error-summary")
    assert summary.count() == 1
    assert summary.get_attribute("role") == "alert"
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert page.evaluate("document.querySelector('.error-summary').compareDocumentPosition("
                         "document.querySelector('main h1')) & Node.DOCUMENT_POSITION_FOLLOWING")

    # it links to every field in error, each link names the field, and following one focuses it
    links = summary.locator("a")
    targets = [href.removeprefix("#") for href in links.evaluate_all("links => links.map(a => a.getAttribute('href'))")]
    invalid = page.evaluate("[...document.querySelectorAll('main [aria-invalid=true]')].map(e => e.id)")
    assert set(targets) == set(invalid) and {"id_title", "id_ach-1-kind", "id_inv-0-share"} <= set(targets)
    assert "成果类型（新成果 2）：请选择成果类型。" in summary.inner_text()
    summary.locator("a[href='#id_inv-0-share']").click()
    assert page.evaluate("document.activeElement.id") == "id_inv-0-share"

    # each error is tied to its field: the field is described by its message
    for target in targets:
        described = page.locator(f"#{re.escape(target)}").get_attribute("aria-describedby") or ""
        messages = " ".join(page.locator(f"#{ref}").inner_text() for ref in described.split())
        assert messages.strip(), f"{target} is not described by its error"

    # a formset cell has a name of its own: the column and the row
    assert page.get_by_label("份额（%）（新成果完成人第 1 行）").count() == 1
    context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_radio_group_is_a_fieldset_whose_error_is_tied_to_it(live_server, browser):  # noqa: F811
    from tests.factories import file_case
    from transfers.services import cases as svc
    from workflows.selectors import inbox

    world = build_world()
    case = file_case(world.a)
    svc.case_submit(case=case, by=world.a.applicant)
    task = inbox(world.a.tto_officer).get()

    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", world.a.tto_officer.username)
    page.fill("input[name=password]", "pw")
    page.click("main form button")
    page.goto(f"{live_server.url}/work/tasks/{task.pk}/")
    submit(page, ".task-form form")

    group = page.locator("fieldset:has(input[name=action])")
    assert group.locator("legend").inner_text().startswith("处理结果")
    error_ids = (group.get_attribute("aria-describedby") or "").split()
    assert any("请选择" in page.locator(f"#{ref}").inner_text() or "必填" in page.locator(f"#{ref}").inner_text()
               for ref in error_ids)
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    page.locator(".error-summary a").first.click()
    assert page.evaluate("document.activeElement.name") == "action"
    context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_keyboard_user_skips_to_the_content_and_always_sees_the_focus(live_server, browser):  # noqa: F811
    world = build_world()
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", world.a.applicant.username)
    page.fill("input[name=password]", "pw")
    page.click("main form button")
    page.goto(live_server.url + "/cases/new/")

    # the first Tab reaches the skip link, shown on the screen; following it puts the reader in the content
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    box = skip.bounding_box()
    assert box and box["y"] >= 0 and box["height"] > 10
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # every control the keyboard reaches shows where the focus is: an outline of 3 px (or a ring)
    unseen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        seen = page.evaluate(
            """() => { const e = document.activeElement, s = getComputedStyle(e);
                 return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== "none"; }"""
        )
        if not seen:
            unseen.append(page.evaluate(
                "(e => [e.outerHTML.slice(0, 100), getComputedStyle(e).outline])(document.activeElement)"
            ))
    assert unseen == []
    context.close()


@pytest.mark.parametrize("language", ["zh-CN", "en-US"])
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_panel_delegation_and_institution_admin_pages(live_server, browser, language):  # noqa: F811
    """The pages the demo does not hold open by itself: each task of the expert panel (forming it,
    replacing an expert who declined, concluding), reassigning a task, the confirmation of a rejection,
    the substitutes pages and every screen of the institution admin, each also submitted invalid."""
    from decimal import Decimal
    from types import SimpleNamespace

    from django.contrib.auth import get_user_model

    from tests.factories import file_case, opinion
    from transfers import clock
    from transfers.models import Distribution, Institution, PanelSeat, Stage, TransferCase
    from transfers.services import cases as svc
    from transfers.services import panels
    from transfers.services.contracts import ReceiptData, receipt_record
    from transfers.services.objections import objection_file
    from transfers.services.reward_notices import current_reward_notice
    from workflows.flow import TransferFlow
    from workflows.selectors import open_tasks_of
    from workflows.services import case_act, panel_walk

    call_command("seed_demo", stdout=io.StringIO())
    audit = Audit(english=language.startswith("en"))
    base = live_server.url
    lzu = TransferCase.objects.filter(institution__code="LZU")
    users = {u.username: u for u in get_user_model().objects.filter(username__startswith="lzu_")}
    tto, experts = users["lzu_tto"], [users["lzu_expert"], users["lzu_expert2"], users["lzu_expert3"]]

    # a case just assessed: the officer forms its panel
    assessed = lzu.get(stage=Stage.ASSESSMENT)
    assessed = case_act(case=assessed, user=users["lzu_assessor"], run=lambda: svc.case_complete_assessment(
        case=assessed, by=users["lzu_assessor"], method="internal", amount=Decimal("20")))
    # the panel mid-way: the second expert declines, the officer must invite another
    midway = lzu.get(stage=Stage.DEMONSTRATION, panels__isnull=False)
    seat = PanelSeat.objects.get(panel__case=midway, expert=experts[1])
    case_act(case=midway, user=experts[1], node="expert_review", run=lambda: (panels.seat_declare(
        seat=seat, by=experts[1], conflict=True, reason="本人在受让方兼职。"), midway)[1])
    # a third case whose panel is in: the officer concludes
    concluded = svc.case_submit(case=lzu.get(stage=Stage.DRAFT), by=users["lzu_applicant"])
    concluded = case_act(case=concluded, user=tto, run=lambda: svc.case_pass_preliminary_review(
        case=concluded, by=tto))
    concluded = case_act(case=concluded, user=users["lzu_assessor"], run=lambda: svc.case_complete_assessment(
        case=concluded, by=users["lzu_assessor"], method="internal", amount=Decimal("20")))
    panel_walk(case=concluded, officer=tto, experts=experts,
               opinions=[opinion(), opinion("conditions"), opinion("reject", "风险较大。")], conclude=False)

    context = browser.new_context(locale=language)
    page = sign_in(context, base, "lzu_tto")
    for case, name in ((assessed, "form_panel"), (midway, "replace_expert"), (concluded, "conclude_panel")):
        task = open_tasks_of(case).get(flow_task=getattr(TransferFlow, name))
        visit(page, base, f"/work/tasks/{task.pk}/", audit, f"task {name}")
        submit(page, ".task-form form")
        audit.check(page, f"task {name}, submitted empty")
    reassignable = open_tasks_of(lzu.get(stage=Stage.PRELIMINARY_REVIEW)).get()
    visit(page, base, f"/work/tasks/{reassignable.pk}/reassign/", audit, "reassign")
    submit(page, "main form")
    audit.check(page, "reassign, submitted empty")
    visit(page, base, "/work/substitutes/", audit, "my substitutes")
    submit(page, "main form")
    audit.check(page, "my substitutes, submitted empty")
    # the money after publicity: the licence paid by royalties has its contract and a proposed split
    licence = lzu.filter(stage=Stage.IMPLEMENTATION, mode="ordinary_licence").get()
    draft = file_case(SimpleNamespace(institution=Institution.objects.get(code="LZU"), applicant=tto), by=tto,
                      title="系统上线前已转化的成果")
    extra = receipt_record(case=licence, by=tto, data=ReceiptData(
        kind="royalty", received_on=clock.china_today(), amount=Decimal("0.5"), payer="甘肃陇原科技发展有限公司"))
    proposed = Distribution.objects.get(receipt__contract__case=licence, status="proposed")
    for path, name in [
        (f"/cases/{licence.public_id}/contract/", "contract"),
        (f"/cases/{licence.public_id}/contract/registration/", "contract registration"),
        (f"/cases/{licence.public_id}/receipts/new/", "new receipt"),
        (f"/cases/{licence.public_id}/receipts/{extra.pk}/distribution/", "new distribution"),
        (f"/cases/{licence.public_id}/distributions/{proposed.pk}/adjust/", "adjust distribution"),
        (f"/cases/{draft.public_id}/import/", "import a transfer approved before the system"),
    ]:
        visit(page, base, path, audit, name)
        page.evaluate("() => document.querySelectorAll('main form input[type=text], main form textarea')"
                      ".forEach(e => { e.value = ''; })")
        submit(page, "main form")
        audit.check(page, f"{name}, submitted empty")
    # the instalment contract: its second reward notice in publicity receives an objection the officer
    # answers (an upheld one confirmed first); the first one's payments; the implementation task
    instalments = lzu.filter(stage=Stage.IMPLEMENTATION, mode="assignment", imported_notice_number="").get()
    paid, published = Distribution.objects.filter(receipt__contract__case=instalments).order_by("pk")
    objection_file(notice=current_reward_notice(published), name="李明", organisation="", phone="13919876543",
                   email="", relation="课题组成员", reasons="本人参与了该成果的现场试验，奖励名单中没有本人。")
    visit(page, base, f"/cases/{instalments.public_id}/", audit, "case with reward notices")
    answer = f"/cases/{instalments.public_id}/distributions/{published.pk}/objection/"
    visit(page, base, answer, audit, "reward objection")
    submit(page, "main form")
    audit.check(page, "reward objection, submitted empty")
    page.check("input[name=outcome][value=uphold]")
    page.fill("textarea[name=reply]", "异议成立，补充名单。")
    submit(page, "main form")
    audit.check(page, "reward objection, confirm uphold")
    for distribution in (paid, published):
        visit(page, base, f"/cases/{instalments.public_id}/distributions/{distribution.pk}/payments/", audit,
              f"payments ({distribution.status})")
    visit(page, base, f"/work/tasks/{open_tasks_of(instalments).get().pk}/", audit, "implementation task")
    visit(page, base, "/accounts/password/", audit, "password change")
    submit(page, "main form")
    audit.check(page, "password change, submitted empty")
    context.close()

    # signing in, as anyone: the reset pages, and the page of a login locked after five failures
    context = browser.new_context(locale=language)
    page = context.new_page()
    visit(page, base, "/accounts/password/reset/", audit, "password reset")
    submit(page, "main form")
    audit.check(page, "password reset, submitted empty")
    page.fill("input[name=email]", "lzu_tto@example.cn")
    submit(page, "main form")
    audit.check(page, "password reset, mail sent")
    visit(page, base, "/accounts/password/reset/MQ/invalid-token/", audit, "password reset, stale link")
    for _ in range(5):
        page.goto(base + "/accounts/login/")
        page.fill("input[name=username]", "lzu_expert3")
        page.fill("input[name=password]", "wrong-password")
        submit(page, "main form")
    audit.check(page, "login locked out")
    context.close()

    context = browser.new_context(locale=language)
    page = sign_in(context, base, "lzu_secretary")
    decision = open_tasks_of(lzu.filter(stage=Stage.DECISION).first()).get()
    page.goto(f"{base}/work/tasks/{decision.pk}/")
    page.check("input[name=action][value=reject]")
    page.fill("input[name=body]", "校长办公会")
    page.fill("input[name=decided_on]", "2026-11-20")
    page.fill("textarea[name=attendees]", "张三（校长）\n李四（副校长）")
    for name, votes in (("votes_for", "0"), ("votes_against", "2"), ("votes_abstaining", "0")):
        page.fill(f"input[name={name}]", votes)
    page.set_input_files("input[name=minutes]", files=[
        {"name": "纪要.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}])
    submit(page, ".task-form form")
    audit.check(page, "confirm reject")
    context.close()

    context = browser.new_context(locale=language)
    page = sign_in(context, base, "lzu_admin")
    member = users["lzu_expert3"]
    pack = Institution.objects.get(code="LZU").rule_pack
    for path, name, form in [
        ("/institutions/LZU/", "admin overview", None),
        ("/institutions/LZU/members/", "admin members", None),
        ("/institutions/LZU/members/add/", "admin add member", "main form"),
        ("/institutions/LZU/members/new/", "admin new account", "main form"),
        (f"/institutions/LZU/members/{member.pk}/", "admin member roles", None),
        ("/institutions/LZU/contact/", "admin contact", None),
        ("/institutions/LZU/substitutes/", "admin substitutes", "main form"),
        ("/institutions/LZU/rules/", "admin rules", None),
        (f"/institutions/LZU/rules/{pack.pk}/", "admin rule pack version", None),
        ("/institutions/LZU/rules/new/", "admin new rules version", None),
    ]:
        visit(page, base, path, audit, name)
        if form:
            submit(page, form)
            audit.check(page, f"{name}, submitted empty")
    page.goto(base + "/institutions/LZU/rules/new/")
    page.fill("input[name=publicity_days]", "10")  # below the 15-day floor: refused citing the clause
    submit(page, "main form")
    audit.check(page, "admin new rules version, below the floor")
    context.close()

    assert len(audit.visited) >= 35
    assert not audit.problems, audit.report()
