"""The status the public reads, as the clock makes it: from the end of the period until the closing
job moves the case on, every public page says 公示期满（待转入实施）, never 公示中 beside a closed
objection window; and a period computed with the fallback holiday calendar says so to the public."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from tests.public.test_feed import publish
from transfers import clock
from transfers.models import Notice, NoticeStatus
from transfers.publicity_clock import CHINA

pytestmark = pytest.mark.django_db

PERIOD_OVER = "公示期满（待转入实施）"
FALLBACK_NOTE = (
    "2027 年的法定节假日安排尚未公布，本公示截止时间暂按周一至周五为工作日（元旦、劳动节、国庆节除外）计算；"
    "该年安排公布后如截止时间需要调整，将发布更正公示。"
)


def html(response):
    return response.content.decode()


def table(response):
    """The list's rows (the status filter above them names every status)."""
    return re.search(r'<table class="list[^"]*">.*?</table>', html(response), re.S).group(0)


def status_card(response):
    return re.search(r'<section class="card notice-status">.*?</section>', html(response), re.S).group(0)


def objection(**overrides):
    return {"name": "张三", "organisation": "某研究所", "phone": "13912345678", "email": "zhang@example.cn",
            "relation": "同领域研究人员", "reasons": "拟交易价格明显低于同类专利的市场成交价格，请重新评估。",
            **overrides}


def test_after_the_end_every_public_page_says_the_period_is_over(client, world):
    notice = publish(world.a)
    list_url = reverse("public:notice_list")
    before = {url: client.get(url) for url in (list_url, notice.get_current_url(), notice.get_absolute_url())}
    assert "公示中" in table(before[list_url]) and "公示中" in status_card(before[notice.get_current_url()])
    assert notice.number in table(client.get(list_url, {"status": "in_publicity"}))
    assert notice.number not in table(client.get(list_url, {"status": "period_over"}))

    with clock.travel_to(notice.ends_at + datetime.timedelta(minutes=1)):
        notice.refresh_from_db()
        assert notice.status == NoticeStatus.IN_PUBLICITY  # the closing job has not run

        # the list: the label, styled; the filter knows the state
        listing = client.get(list_url, HTTP_IF_NONE_MATCH=before[list_url]["ETag"],
                             HTTP_IF_MODIFIED_SINCE=before[list_url]["Last-Modified"])
        assert listing.status_code == 200  # the clock changed the page: never a 304
        rows = table(listing)
        assert PERIOD_OVER in rows and "公示中" not in rows
        assert f'class="stage notice-period_over">{PERIOD_OVER}<' in rows
        assert notice.number in table(client.get(list_url, {"status": "period_over"}))
        assert notice.number not in table(client.get(list_url, {"status": "in_publicity"}))
        assert f'<option value="period_over">{PERIOD_OVER}</option>' in html(listing)
        assert '<option value="pending"' not in html(listing)  # never public

        # the notice, current and as version 1: one status, one sentence, no form
        for url in (notice.get_current_url(), notice.get_absolute_url()):
            page = client.get(url, HTTP_IF_NONE_MATCH=before[url]["ETag"])
            assert page.status_code == 200
            text = html(page)
            assert "公示中" not in text and "还剩" not in text
            assert PERIOD_OVER in status_card(page) and "notice-period_over" in status_card(page)
            closed = re.findall(r"不再受理异议", text)
            assert len(closed) == 1 and "公示期已于" in text
            assert "提交异议" not in text and 'id="objection"' not in text

        # an objection typed before the end and sent after it: refused, the same story, no form
        for data in (objection(), objection(reasons="太短")):
            refused = client.post(notice.get_current_url(), data)
            assert refused.status_code == 400
            text = html(refused)
            assert "不在公示期内" in text and "公示中" not in text and "提交异议" not in text

        # the verification result
        verified = html(client.post(reverse("public:verify"), {"sha256": notice.pdf_sha256}))
        assert "真实有效" in verified and PERIOD_OVER in verified and "公示中" not in verified

    assert not Notice.objects.filter(objections__isnull=False).exists()


def test_a_period_over_reads_in_english_too(client, world):
    notice = publish(world.a)
    client.cookies["django_language"] = "en"
    with clock.travel_to(notice.ends_at + datetime.timedelta(minutes=1)):
        card = status_card(client.get(notice.get_current_url()))
    assert "In publicity" not in card and "notice-period_over" in card


def test_the_public_reads_when_the_holiday_calendar_was_assumed(client, world):
    from transfers.services.rules import rule_pack_new_version

    ordinary = publish(world.b)
    assert ordinary.calendar_fallback_years == []
    assert "法定节假日安排尚未公布" not in html(client.get(ordinary.get_current_url()))

    # working days, issued late in 2026: the period runs into 2027, whose schedule is not yet known
    rule_pack_new_version(base=world.a.institution.rule_pack, changes={"publicity_working_days": True})
    with clock.travel_to(datetime.datetime(2026, 12, 21, 10, 0, tzinfo=CHINA)):
        notice = publish(world.a)
        assert notice.calendar_fallback_years == [2027]
        page = client.get(notice.get_current_url())
    assert FALLBACK_NOTE in status_card(page)
    assert '<p class="calendar-note">' in html(page)
