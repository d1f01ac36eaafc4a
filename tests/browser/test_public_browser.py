"""In Chromium, without logging in: a member of the public finds a notice in publicity, downloads its
PDF, checks the SHA-256, verifies the file, and files a real-name objection that suspends publicity."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.browser.test_filing_browser import ARGS, CHROMIUM, browser  # noqa: F401
from tests.browser.test_filing_browser import pytestmark as filing_marks
from tests.factories import build_world
from tests.public.test_notices import to_publicity
from transfers.models import Notice, NoticeStatus, Objection, Stage

pytestmark = filing_marks

OBJECTOR = {
    "#id_name": "张异议",
    "#id_organisation": "某农业科学研究所",
    "#id_phone": "13987654321",
    "#id_email": "objector@example.cn",
    "#id_relation": "同领域研究人员",
    "#id_reasons": "拟交易价格明显低于同类技术的市场成交价格，且未说明定价依据，请重新评估。",
}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_public_finds_downloads_verifies_and_objects(live_server, browser, settings):  # noqa: F811
    settings.PUBLIC_BASE_URL = live_server.url
    world = build_world()
    case = to_publicity(world.a)
    notice = Notice.objects.get(case=case)
    assert notice.status == NoticeStatus.IN_PUBLICITY

    # JavaScript off: every step must work with plain links and form posts
    context = browser.new_context(locale="zh-CN", accept_downloads=True, java_script_enabled=False)
    page = context.new_page()

    # find it in the public list by searching for a word of the achievement
    page.goto(live_server.url + "/notices/")
    search = page.get_by_role("search", name="查找公示")
    search.get_by_label("搜索").fill("耐旱马铃薯")  # the field found by its visible label
    search.get_by_role("button", name="查询").click()
    assert "q=" in page.url and "找到 1 条公示" in page.locator("main").inner_text()
    table = page.locator("table.list").inner_text()
    assert notice.number in table
    page.click(f"table.list a:has-text('{notice.title}')")
    assert page.url.endswith(notice.get_current_url())
    status = page.locator(".notice-status").inner_text()
    assert notice.number in page.locator(".notice-number").inner_text()
    assert "公示中" in status
    assert notice.pdf_sha256 in status
    notice_url = page.url

    # download the PDF: its SHA-256 is the one the page shows and the one on record
    with page.expect_download() as info:
        page.click("a:has-text('下载 PDF')")
    download = info.value
    assert download.suggested_filename == f"{notice.number}-v{notice.version}.pdf"
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF")
    digest = hashlib.sha256(data).hexdigest()
    shown = page.locator(".notice-status .mono").inner_text().removeprefix("SHA-256:").strip()
    assert digest == shown == notice.pdf_sha256

    # verify the downloaded file
    page.goto(live_server.url + "/notices/verify/")
    page.set_input_files("#id_pdf", download.path())
    page.click("form button:has-text('核验')")
    result = page.locator(".verify-result").inner_text()
    assert "真实有效" in result and "现行版本" in result and notice.number in result and digest in result

    # file a real-name objection from the notice page (a plain form post, no JavaScript)
    page.goto(notice_url)
    for selector, value in OBJECTOR.items():
        page.fill(selector, value)
    page.click("#objection button:has-text('提交异议')")
    objection = Objection.objects.get()
    assert objection.confirmation.startswith(notice.number)
    assert objection.confirmation in page.locator(".messages").inner_text()
    assert "因异议暂停" in page.locator(".notice-status").inner_text()
    assert page.locator("#objection").count() == 0  # no second objection while suspended
    case.refresh_from_db()
    notice.refresh_from_db()
    assert case.stage == Stage.OBJECTION_REVIEW
    assert notice.status == NoticeStatus.SUSPENDED
    html = page.content()
    for private in (OBJECTOR["#id_name"], OBJECTOR["#id_phone"], OBJECTOR["#id_email"]):
        assert private not in html
    context.close()
