"""In Chromium: an applicant files and submits a case through the real form; the TTO officer finds
it in the inbox and passes the preliminary review."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.factories import build_world
from transfers.models import Stage, TransferCase

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM), reason="needs Debian chromium"
    ),
]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


def login(page, base, username):
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw")
    page.click("form button:has-text('登录')")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_applicant_files_and_tto_passes(live_server, browser):
    world = build_world()
    page = browser.new_page(locale="zh-CN")
    login(page, live_server.url, world.a.applicant.username)
    page.click("text=新建案件")
    page.fill("#id_title", "一种光伏板自清洁机器人转让")
    page.select_option("#id_mode", "assignment")
    page.select_option("#id_pricing_method", "negotiated")
    page.fill("#id_counterparty_name", "甘肃陇原科技发展有限公司")
    page.select_option("#id_price_kind", "lump_sum")
    page.fill("#id_price_amount", "25.5")
    page.select_option("#id_ach-0-kind", "know_how")
    page.fill("#id_ach-0-title", "一种光伏板自清洁机器人")
    page.fill("#id_inv-0-name", "王𠮷祥")
    page.fill("#id_inv-0-share", "100")
    page.click("button:has-text('保存草稿')")
    assert page.locator(".msg.success").count() == 1
    assert "壹拾贰万" not in page.content() and "贰拾伍万伍仟元整" in page.content()
    page.click("button:has-text('提交初审')")
    assert "等待初审" in page.locator(".messages").inner_text()
    case = TransferCase.objects.get()
    assert case.stage == Stage.PRELIMINARY_REVIEW

    reviewer = browser.new_page(locale="zh-CN")
    login(reviewer, live_server.url, world.a.tto_officer.username)
    # the new case waits in the officer's queue; claiming it moves it to their tasks
    reviewer.click("nav a:has-text('待认领')")
    assert "一种光伏板自清洁机器人转让" in reviewer.locator("table.list").inner_text()
    reviewer.click("table.list button:has-text('认领')")
    assert "已认领" in reviewer.locator(".messages").inner_text()
    reviewer.goto(live_server.url + "/work/")
    assert "一种光伏板自清洁机器人转让" in reviewer.locator("table.list").inner_text()
    reviewer.click("table.list a.button.small:has-text('处理')")
    reviewer.check("input[name=action][value=pass]")
    reviewer.fill("textarea[name=comment]", "材料齐全")
    reviewer.click("form button:has-text('提交')")
    case.refresh_from_db()
    assert case.stage == Stage.ASSESSMENT
    assert "您目前没有待办任务" in reviewer.content()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_file_over_the_limit_is_refused_as_it_is_chosen(live_server, browser, settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    world = build_world()
    page = browser.new_page(locale="zh-CN")
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    login(page, live_server.url, world.a.applicant.username)
    page.goto(live_server.url + "/cases/new/")
    upload = page.locator("#id_att-0-file")
    upload.set_input_files(files=[{"name": "评估报告.pdf", "mimeType": "application/pdf",
                                   "buffer": b"%PDF-" + b"0" * 2000}])
    message = upload.evaluate("input => input.validationMessage")
    assert message.startswith("评估报告.pdf — PDF、PNG、JPEG、DOCX、XLSX，每个文件不超过 1000")
    assert not upload.evaluate("input => input.form.checkValidity()")  # the browser will not send it
    upload.set_input_files(files=[{"name": "评估报告.pdf", "mimeType": "application/pdf",
                                   "buffer": b"%PDF-" + b"0" * 500}])
    assert upload.evaluate("input => input.validationMessage") == ""
    assert errors == []
