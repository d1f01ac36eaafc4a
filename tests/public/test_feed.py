"""The Atom feed as a feed reader meets it: whole sentences, and published values that stay text
(the summary is HTML the reader renders, so a counterparty named ``<script>`` must arrive escaped).
``publish`` (a case walked through every stage to a published notice) serves the other public tests."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests.factories import file_case, pdf, step
from transfers import clock
from transfers.models import Notice, NoticeStatus
from transfers.services import cases as svc

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def publish(side, **fields) -> Notice:
    """A notice in publicity: the case filed, passed through review, assessment, demonstration and
    approved, each step by its reviewer from the inbox; the approval publishes the notice."""
    case = svc.case_submit(case=file_case(side, **fields), by=side.applicant)
    steps = [
        (side.tto_officer, lambda c: svc.case_pass_preliminary_review(case=c, by=side.tto_officer)),
        (side.assessor, lambda c: svc.case_complete_assessment(
            case=c, by=side.assessor, method="agency", agency_name="甘肃某资产评估有限公司", report=pdf())),
        (None, None),  # 论证
        (side.decision_secretary, lambda c: svc.case_decide(
            case=c, by=side.decision_secretary, outcome="approve", body="校长办公会",
            decided_on=clock.china_today(), minutes=pdf())),
    ]
    for user, run in steps:
        case = step(side, case, user, run)
    notice = Notice.objects.get(case=case)
    assert notice.status == NoticeStatus.IN_PUBLICITY and notice.pdf_sha256
    return notice


def summaries(response) -> dict[str, str]:
    """Each entry's summary as the reader gets it (the XML decoded: the HTML it will render), by id."""
    root = ET.fromstring(b"".join(response) if response.streaming else response.content)
    return {
        entry.findtext(f"{ATOM}id"): entry.find(f"{ATOM}summary").text
        for entry in root.iter(f"{ATOM}entry")
    }


def test_published_values_reach_feed_readers_as_text(client, world):
    notice = publish(world.a, counterparty_name="<script>alert(1)</script>", price_amount=None,
                     price_kind="royalty", price_terms="<img src=x onerror=alert(1)>")
    response = client.get(reverse("public:notice_feed"))
    assert response.status_code == 200
    (summary,) = summaries(response).values()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in summary
    assert "&lt;img src=x onerror=alert(1)&gt;" in summary
    assert "<script" not in summary and "<img" not in summary
    # whole sentences, the values in their places
    assert "AAA大学拟以转让方式向&lt;script&gt;alert(1)&lt;/script&gt;转化科技成果。" in summary
    assert "拟交易价格：&lt;img src=x onerror=alert(1)&gt;。" in summary
    assert notice.number in response.content.decode()


def test_the_summary_is_in_the_readers_language(client, world):
    publish(world.a)
    (chinese,) = summaries(client.get(reverse("public:notice_feed"))).values()
    assert "AAA大学拟以转让方式向甘肃陇原科技发展有限公司转化科技成果。" in chinese
    assert "拟交易价格：12.5 万元。" in chinese and "公示期：" in chinese
    client.cookies["django_language"] = "en"
    (english,) = summaries(client.get(reverse("public:notice_feed"))).values()
    assert "Assignment" in english and "转让" not in english  # the frozen choice named in English
    assert "CNY 125,000" in english  # 12.5 万元, as an English reader writes money
