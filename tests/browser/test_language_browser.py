"""In Chromium, without logging in: a reader opens a notice in Chinese, reloads it (the browser now
holds it with its ETag and revalidates it), switches to English with the page's picker and gets the
page in English, not a 304 that would keep the cached Chinese one."""

from __future__ import annotations

from collections import defaultdict

import pytest

from tests.browser.test_filing_browser import ARGS, CHROMIUM, browser  # noqa: F401
from tests.browser.test_filing_browser import pytestmark as filing_marks
from tests.factories import build_world
from tests.public.test_feed import publish

pytestmark = filing_marks


class Wire:
    """What the browser sent and the server answered for each load of a page. The page's own events
    report a 304 as the cached 200 it revalidated; Chromium's protocol has the status on the wire."""

    def __init__(self, context, page, url):
        self.page, self.url = page, url
        self.sent_etags = []  # the If-None-Match of each request for the page (None: nothing cached)
        self.documents = []  # request ids of the page's loads
        self.statuses = defaultdict(list)  # request id -> the status on the wire
        page.on("request", lambda r: self.sent_etags.append(r.all_headers().get("if-none-match"))
                if r.url == url else None)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.responseReceived", lambda e: self.documents.append(e["requestId"])
               if e["type"] == "Document" and e["response"]["url"] == url else None)
        # a redirect (the language switch's) shares the request id of the page it leads to
        cdp.on("Network.responseReceivedExtraInfo", lambda e: self.statuses[e["requestId"]].append(e["statusCode"])
               if e["statusCode"] not in (301, 302, 303, 307, 308) else None)

    def status(self):
        """The status the server sent for the latest load of the page."""
        load = len(self.sent_etags)
        for _ in range(250):  # protocol events arrive while Playwright waits
            if len(self.documents) >= load and self.statuses[self.documents[load - 1]]:
                return self.statuses[self.documents[load - 1]][-1]
            self.page.wait_for_timeout(20)
        raise AssertionError(f"load {load} of {self.url} not seen")

    def reload_from_cache(self, replacing=None):
        """Reload until the browser revalidates a copy it holds (it may still be storing the first), and
        with ``replacing``, a copy other than that one (it may still hold the one it replaces)."""
        for _ in range(10):
            self.page.reload()
            if self.sent_etags[-1] and self.sent_etags[-1] != replacing:
                return self.sent_etags[-1]
            self.page.wait_for_timeout(100)
        raise AssertionError("the browser never revalidated its copy")


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_switching_language_shows_the_page_in_the_new_language(live_server, browser, javascript):  # noqa: F811
    world = build_world()
    notice = publish(world.a)
    notice_url = live_server.url + notice.get_current_url()

    context = browser.new_context(locale="zh-CN", java_script_enabled=javascript)
    page = context.new_page()
    wire = Wire(context, page, notice_url)

    page.goto(notice_url)
    assert wire.status() == 200
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "下载 PDF" in page.locator(".notice-status").inner_text()
    assert page.locator("#site-language option:checked").inner_text() == "简体中文"

    # the browser revalidates its copy: unchanged, so the server answers 304 and the cache serves it
    chinese_etag = wire.reload_from_cache()
    assert wire.status() == 304
    assert "下载 PDF" in page.locator(".notice-status").inner_text()

    # the picker: a labelled select and a button, a plain form post
    assert page.get_by_label("语言").count() == 1
    assert page.locator("#site-language option").all_inner_texts() == ["简体中文", "English"]
    page.select_option("#site-language", "en")
    with page.expect_navigation(url=notice_url):  # the post, then its redirect back here
        page.click("form.lang button")

    # back at the same address, the browser offers its Chinese copy; the server sends the English page
    assert wire.sent_etags[-1] == chinese_etag
    assert wire.status() == 200
    assert page.locator("html").get_attribute("lang") == "en"
    status_card = page.locator(".notice-status").inner_text()
    assert "Download PDF" in status_card and "下载 PDF" not in status_card
    assert "Transfer mode" in page.locator(".notice-html").inner_text()
    assert page.locator("#site-language option:checked").inner_text() == "English"

    # and in English it is cached in its turn
    assert wire.reload_from_cache(replacing=chinese_etag) and wire.status() == 304
    assert "Download PDF" in page.locator(".notice-status").inner_text()
    context.close()
