"""Publicity as the public meets it: the numbered notice, its PDF and hash, the public pages,
objections, and the legal clock closing publicity."""

from __future__ import annotations

import datetime
import hashlib
import re
import socket

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import assert_flow_agrees, file_case, pdf, step
from transfers import clock
from transfers.models import Notice, NoticeStatus, Objection, Stage
from transfers.pdf import pdf_text
from transfers.services import cases as svc
from workflows.services import case_act

pytestmark = pytest.mark.django_db


def to_publicity(side, **fields):
    case = svc.case_submit(case=file_case(side, **fields), by=side.applicant)
    for user, run in [
        (side.tto_officer, lambda c: svc.case_pass_preliminary_review(case=c, by=side.tto_officer)),
        (side.assessor, lambda c: svc.case_complete_assessment(case=c, by=side.assessor, method="agency",
                                                               agency_name="甘肃衡信资产评估有限公司", report=pdf())),
        (None, None),  # 论证
        (side.decision_secretary, lambda c: svc.case_decide(case=c, by=side.decision_secretary, outcome="approve",
                                                            body="校长办公会", decided_on=clock.now().date(),
                                                            minutes=pdf())),
    ]:
        case = step(side, case, user, run)
    return case


def objection_post(**overrides):
    data = {"name": "张三", "organisation": "某研究所", "phone": "13912345678", "email": "zhang@example.cn",
            "relation": "同领域研究人员", "reasons": "拟交易价格明显低于同类专利的市场成交价格，请重新评估。"}
    data.update(overrides)
    return data


def test_approval_publishes_a_numbered_notice_with_a_verifiable_pdf(client, world):
    case = to_publicity(world.a)
    notice = Notice.objects.get(case=case)
    year = timezone.localtime(notice.issued_at).year  # the year in China
    assert notice.number == f"AAA-GS-{year}-001"
    assert notice.status == NoticeStatus.IN_PUBLICITY
    assert notice.ends_at == case.publicity_ends_at
    response = client.get(reverse("public:notice_pdf", args=[notice.number]))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == notice.pdf_sha256
    text = pdf_text(data)
    assert "成果1号：一种耐旱马铃薯种薯快速繁育方法" in text.replace("\n", "")
    assert notice.number in text
    # the second notice of the institution and year takes the next number; another institution starts at 1
    assert Notice.objects.get(case=to_publicity(world.a)).number == f"AAA-GS-{year}-002"
    assert Notice.objects.get(case=to_publicity(world.b)).number == f"BBB-GS-{year}-001"


def test_public_pages_show_only_published_notices(client, world):
    unpublished = svc.case_submit(case=file_case(world.a, title="尚未公示的案件"), by=world.a.applicant)
    case = to_publicity(world.a)
    notice = Notice.objects.get(case=case)
    listing = client.get(reverse("public:notice_list")).content.decode()
    assert notice.number in listing and unpublished.title not in listing
    page = client.get(notice.get_current_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert notice.pdf_sha256 in html and "公示中" in html and "还剩" in html
    for url in ["/notices/AAA-GS-1999-001/", f"/notices/{unpublished.reference}/", "/notices/AAA-GS-1999-001/pdf/",
                "/notices/%00/", f"/notices/{notice.number}/v99999999999999999999/", "/notices/aaa-gs-2026-001/"]:
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("public:notice_list"), {"q": "耐旱", "page": "x", "status": "<b>"}).status_code == 200
    assert client.get(reverse("public:notice_list"), {"q": "\x00耐旱"}).status_code == 400  # a NUL byte: refused
    # search and filters
    assert notice.number in client.get(reverse("public:notice_list"), {"q": "耐旱马铃薯"}).content.decode()
    assert notice.number in client.get(reverse("public:notice_list"), {"q": "AAA大学"}).content.decode()
    assert notice.number in client.get(reverse("public:notice_list"), {"mode": "assignment"}).content.decode()
    assert notice.number not in client.get(reverse("public:notice_list"), {"mode": "spin_off"}).content.decode()
    nothing = client.get(reverse("public:notice_list"), {"q": "不存在的成果"}).content.decode()
    assert notice.number not in nothing and "找到 0 条公示" in nothing and 'href="?">清除筛选' in nothing
    found = client.get(reverse("public:notice_list"), {"q": "耐旱马铃薯"}).content.decode()
    assert "找到 1 条公示" in found and '<label for="notice-q">搜索</label>' in found
    assert "共 1 条公示" in listing and "清除筛选" not in listing
    english = client.get(reverse("public:notice_list"), {"q": "耐旱马铃薯"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 notice found" in english
    assert notice.number not in client.get(reverse("public:notice_list"), {"status": "ended"}).content.decode()
    assert notice.number in client.get(reverse("public:notice_feed")).content.decode()


def test_notice_page_is_cacheable(client, world):
    notice = Notice.objects.get(case=to_publicity(world.a))
    first = client.get(notice.get_current_url())
    assert first.has_header("ETag")
    again = client.get(notice.get_current_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    # when the period ends by the clock alone, the cached page (with its objection form) is not reused
    with clock.travel_to(notice.ends_at + datetime.timedelta(minutes=1)):
        later = client.get(notice.get_current_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert later.status_code == 200 and "提交异议" not in later.content.decode()


def test_objection_suspends_publicity_and_the_reply_is_published(client, world, django_capture_on_commit_callbacks):
    case = to_publicity(world.a)
    notice = Notice.objects.get(case=case)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(notice.get_current_url(), objection_post(), follow=True)
    objection = Objection.objects.get()
    assert objection.confirmation in response.content.decode()
    confirmations = [m for m in mail.outbox if objection.confirmation in m.subject]
    assert len(confirmations) == 1 and confirmations[0].to == ["zhang@example.cn"]
    case.refresh_from_db()
    notice.refresh_from_db()
    assert case.stage == Stage.OBJECTION_REVIEW and notice.status == NoticeStatus.SUSPENDED
    assert_flow_agrees(case)
    page = client.get(notice.get_current_url()).content.decode()
    assert "因异议暂停" in page and "原定截止" in page and "张三" not in page and "13912345678" not in page
    # the TTO officer dismisses it with a written reply: publicity resumes, the reply is public
    end_before = notice.ends_at
    with clock.travel_to(clock.now() + datetime.timedelta(days=2)):
        case = case_act(case=case, user=world.a.tto_officer, run=lambda: svc.case_dismiss_objection(
            case=case, by=world.a.tto_officer, reply="经复核，定价依据充分，异议不成立。"))
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SUPERSEDED and notice.ends_at == end_before  # as printed
    # the notice is reissued with the new end: the suspended days are given back (the national pack
    # continues the clock, it does not restart), and the PDF says so
    reissued = Notice.objects.get(case=case, version=2)
    assert reissued.status == NoticeStatus.IN_PUBLICITY and reissued.ends_at == case.publicity_ends_at
    assert end_before + datetime.timedelta(days=1) <= reissued.ends_at <= end_before + datetime.timedelta(days=5)
    assert "异议经核查不成立" in reissued.correction_reason
    end = timezone.localtime(reissued.ends_at)
    new_end = f"{end.year}年{end.month}月{end.day}日 {end:%H:%M}"  # as official documents write dates
    text = pdf_text(reissued.pdf.open("rb").read()).replace("\n", "")
    assert f"截止时间相应调整为 {new_end}" in text and f"至 {new_end}" in text
    page = client.get(notice.get_current_url()).content.decode()
    assert "异议不成立" in page and "张三" not in page
    assert_flow_agrees(case)


def test_objection_form_refuses_bad_input(client, world):
    notice = Notice.objects.get(case=to_publicity(world.a))
    url = notice.get_current_url()
    assert client.post(url, objection_post(reasons="太短")).status_code == 400
    assert client.post(url, objection_post(phone="123", email="")).status_code == 400
    assert client.post(url, objection_post(phone="", email="")).status_code == 400
    fake = SimpleUploadedFile("证据.pdf", b"MZ\x90\x00this is an exe")
    response = client.post(url, {**objection_post(), "evidence": fake})
    assert response.status_code == 400 and "不是允许的格式" in response.content.decode()
    assert not Objection.objects.exists()
    with clock.travel_to(notice.ends_at + datetime.timedelta(minutes=1)):
        response = client.post(url, objection_post())
    assert response.status_code == 400
    assert not Objection.objects.exists()


def test_objection_form_errors_are_summarised_above_the_form_and_linked_to_their_fields(client, world):
    """GOV.UK: the title says 错误, a summary at the form links each problem to its field; no second,
    vaguer banner says the same."""
    notice = Notice.objects.get(case=to_publicity(world.a))
    response = client.post(notice.get_current_url(), objection_post(reasons="太短"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>错误：" in page
    summary = page[page.index('class="error-summary"'):]
    summary = summary[:summary.index("</div>")]
    assert 'href="#id_reasons"' in summary
    assert page.index('class="error-summary"') > page.index('id="objection"')  # where the reader is taken
    assert "请根据提示修改后再提交" not in page


def test_objections_are_rate_limited_per_person(client, world, settings):
    notice = Notice.objects.get(case=to_publicity(world.a))
    url = notice.get_current_url()
    # typing errors cost nothing
    assert [client.post(url, objection_post(phone="", email="")).status_code for _ in range(6)] == [400] * 6
    # complete submissions count: the first is filed (publicity is then suspended), five an hour at most
    codes = [client.post(url, objection_post()).status_code for _ in range(6)]
    assert codes[0] == 302 and codes[1:5] == [400] * 4 and codes[5] == 429
    assert "过于频繁" in client.post(url, objection_post()).content.decode()
    assert Objection.objects.count() == 1
    # behind the production proxy each person is counted by the address the proxy saw
    settings.TRUSTED_PROXY_HOPS = 1
    response = client.post(url, objection_post(), HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 400 and "不在公示期内" in response.content.decode()  # not limited, just closed


def test_close_due_publicity_is_idempotent_and_keeps_the_flow(world, capsys):
    case = to_publicity(world.a)
    other = to_publicity(world.a)
    svc_case = case_act(case=other, user=world.a.tto_officer, run=lambda: svc.case_raise_objection(
        case=other, by=world.a.tto_officer, comment="书面异议"))
    with clock.travel_to(case.publicity_ends_at + datetime.timedelta(minutes=1)):
        call_command("close_due_publicity")
        call_command("close_due_publicity")
    case.refresh_from_db()
    svc_case.refresh_from_db()
    assert case.stage == Stage.IMPLEMENTATION
    assert svc_case.stage == Stage.OBJECTION_REVIEW  # suspended: the clock stopped
    assert Notice.objects.get(case=case).status == NoticeStatus.ENDED
    assert_flow_agrees(case)
    assert_flow_agrees(svc_case)
    assert "nothing due" in capsys.readouterr().out


def test_verify_tells_authentic_from_forged(client, world):
    notice = Notice.objects.get(case=to_publicity(world.a))
    data = notice.pdf.open("rb").read()
    ok = client.post(reverse("public:verify"), {"pdf": SimpleUploadedFile("n.pdf", data)}).content.decode()
    assert "真实有效" in ok and "这是现行版本" in ok
    forged = client.post(reverse("public:verify"), {"pdf": SimpleUploadedFile("n.pdf", data + b" ")}).content.decode()
    assert "未找到" in forged
    by_hash = client.post(reverse("public:verify"), {"sha256": notice.pdf_sha256.upper()}).content.decode()
    assert "真实有效" in by_hash
    bad = client.post(reverse("public:verify"), {"sha256": "xyz"})
    page = bad.content.decode()
    assert bad.status_code == 400 and "<title>错误：" in page
    assert 'class="error-summary"' in page and 'href="#id_sha256"' in page and "64 位十六进制" in page
    empty = client.post(reverse("public:verify"), {}).content.decode()
    assert 'class="error-summary"' in empty and "请上传 PDF 文件或粘贴其 SHA-256" in empty


def test_public_forms_leave_checking_to_the_server_whose_errors_say_what_to_fix(client, world):
    """GOV.UK: the browser's own bubbles are switched off (``novalidate``), so every problem comes back in
    the page's error summary, in the reader's language."""
    notice = Notice.objects.get(case=to_publicity(world.a))
    for url in (notice.get_current_url(), reverse("public:verify"), reverse("login")):
        forms = re.findall(r'<form method="post"[^>]*>', client.get(url).content.decode())
        assert forms and all("novalidate" in form for form in forms if "setlang" not in form), (url, forms)


def test_html_in_fields_is_escaped_and_nothing_is_fetched(client, world, monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    evil = '<img src="http://127.0.0.1:9/x"><script>alert(1)</script>'  # within the 60 characters
    case = to_publicity(world.a, counterparty_name=evil, price_terms='<link rel=stylesheet href="https://e.invalid/x.css">')
    notice = Notice.objects.get(case=case)
    html = client.get(notice.get_current_url()).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert '<img src="http://127.0.0.1:9/x">' not in html
    assert "<script>" in pdf_text(notice.pdf.open("rb").read())  # shown as text in the PDF, not run
    assert attempts == []


def test_an_english_reader_sees_the_frozen_choices_in_english(client, world):
    notice = Notice.objects.get(case=to_publicity(world.a))
    chinese = client.get(notice.get_current_url()).content.decode()
    assert "以转让方式" in chinese and "技术秘密" in chinese
    client.cookies["django_language"] = "en"
    english = client.get(notice.get_current_url()).content.decode()
    assert "by way of Assignment" in english and "Know-how" in english and "Negotiated" in english
    assert "Transfer mode" in english and "1. Scientific and technological achievements" in english


def test_only_the_tto_sees_who_objected(client, world):
    notice = Notice.objects.get(case=to_publicity(world.a))
    evidence = SimpleUploadedFile("证据.pdf", pdf().read())
    client.post(notice.get_current_url(), {**objection_post(), "evidence": evidence})
    objection = Objection.objects.get()
    case = notice.case
    evidence_url = reverse("transfers:objection_evidence", args=[case.public_id, objection.confirmation])
    client.force_login(world.a.tto_officer)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "张三" in page and "13912345678" in page and "拟交易价格明显低于" in page
    download = client.get(evidence_url)
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(world.a.applicant)  # the inventors whose transfer is questioned
    page = client.get(case.get_absolute_url()).content.decode()
    assert "拟交易价格明显低于" in page and "张三" not in page and "13912345678" not in page
    assert client.get(evidence_url).status_code == 404
    client.force_login(world.b.tto_officer)  # another institution
    assert client.get(evidence_url).status_code == 404


def test_public_pages_take_a_few_queries_however_many_notices(client, world, django_assert_max_num_queries):
    notices = [Notice.objects.get(case=to_publicity(side)) for side in (world.a, world.a, world.b, world.b)]
    with django_assert_max_num_queries(4):  # last-modified, count, page; no query per row
        assert client.get(reverse("public:notice_list")).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(reverse("public:notice_list"), {"q": "马铃薯", "status": "in_publicity"}).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(notices[0].get_current_url()).status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(reverse("public:notice_feed")).status_code == 200


def test_the_list_pages_and_answers_not_modified(client, world, monkeypatch):
    import transfers.public_views as public_views

    monkeypatch.setattr(public_views, "PAGE_SIZE", 2)
    numbers = [Notice.objects.get(case=to_publicity(world.a)).number for _ in range(3)]
    first = client.get(reverse("public:notice_list"))
    html = first.content.decode()
    assert numbers[2] in html and numbers[1] in html and numbers[0] not in html  # newest first
    assert numbers[0] in client.get(reverse("public:notice_list"), {"page": 2}).content.decode()
    again = client.get(reverse("public:notice_list"), HTTP_IF_NONE_MATCH=first["ETag"],
                       HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


def test_the_beat_task_closes_due_publicity(world):
    from transfers.tasks import close_due_publicity

    case = to_publicity(world.a)
    assert close_due_publicity.delay().get() == []  # not due yet
    with clock.travel_to(case.publicity_ends_at + datetime.timedelta(seconds=1)):
        assert close_due_publicity.delay().get() == [case.reference]
        assert close_due_publicity.delay().get() == []
    case.refresh_from_db()
    assert case.stage == Stage.IMPLEMENTATION
    assert_flow_agrees(case)


def test_a_year_without_a_holiday_calendar_is_flagged_to_the_tto(client, world):
    from transfers.publicity_clock import CHINA
    from transfers.services.rules import rule_pack_new_version

    rule_pack_new_version(base=world.a.institution.rule_pack, changes={"publicity_working_days": True})
    with clock.travel_to(datetime.datetime(2026, 12, 21, 10, 0, tzinfo=CHINA)):
        case = to_publicity(world.a)
    notice = Notice.objects.get(case=case)
    assert notice.calendar_fallback_years == [2027]
    client.force_login(world.a.tto_officer)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "2027 年的法定节假日安排尚未收录" in page and "请核对截止时间" in page
    client.cookies["django_language"] = "en"  # stored as years: read in the reader's language
    assert "2027 年的法定节假日安排尚未收录" not in client.get(case.get_absolute_url()).content.decode()


def test_terminating_after_an_objection_answers_it(client, world):
    notice = Notice.objects.get(case=to_publicity(world.a))
    client.post(notice.get_current_url(), objection_post())
    case = notice.case
    case.refresh_from_db()
    tto = world.a.tto_officer
    case_act(case=case, user=tto, run=lambda: svc.case_terminate(case=case, by=tto, reason="异议成立，终止转化。"))
    objection = Objection.objects.get()
    assert objection.outcome == Objection.Outcome.UPHELD and objection.reply == "异议成立，终止转化。"
    assert "异议成立，终止转化" in client.get(notice.get_current_url()).content.decode()


def test_verify_refuses_an_oversized_upload(client, world, settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    response = client.post(reverse("public:verify"), {"pdf": SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2000)})
    assert response.status_code == 400 and "文件“big.pdf”过大" in response.content.decode()
