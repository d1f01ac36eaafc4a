"""Issuing a notice: the printed address is the public one, nothing renders under a lock, a failed
rendering leaves a version nobody sees that the officer can retry, and what the notice prints is
what the case and the institution state."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection, transaction
from django.urls import reverse
from pypdf import PdfReader

from tests.factories import achievement_data, demonstrate, pdf
from tests.public.test_notices import to_publicity
from transfers import clock
from transfers.checks import public_base_url_check
from transfers.models import Achievement, Notice, NoticeStatus, Stage, TransferCase
from transfers.pdf import pdf_text
from transfers.services import cases as svc
from transfers.services import notices as notice_services
from transfers.services.errors import ActionRefused
from transfers.services.publicity import publicity_close_due
from workflows.services import case_act

pytestmark = pytest.mark.django_db


def pdf_of(notice: Notice) -> bytes:
    notice.refresh_from_db()
    with notice.pdf.open("rb") as handle:
        return handle.read()


def to_decision(side, new=None, **fields):
    """A case of the side walked to its decision; ``new``: its achievements (else the factory's)."""
    from tests.factories import file_case

    case = svc.case_submit(case=file_case(side, new=new, **fields), by=side.applicant)
    for user, run in [
        (side.tto_officer, lambda c: svc.case_pass_preliminary_review(case=c, by=side.tto_officer)),
        (side.assessor, lambda c: svc.case_complete_assessment(
            case=c, by=side.assessor, method="agency", agency_name="甘肃衡信资产评估有限公司",
            amount=Decimal("38.5"), report=pdf())),
    ]:
        case = case_act(case=case, user=user, run=lambda run=run, case=case: run(case))
    return demonstrate(side, case)


def approve(side, case):
    return case_act(case=case, user=side.decision_secretary, run=lambda: svc.case_decide(
        case=case, by=side.decision_secretary, outcome="approve", body="校长办公会",
        decided_on=clock.china_today(), minutes=pdf()))


# ---- the printed address -------------------------------------------------------------------------

def test_the_pdf_prints_the_address_the_site_is_served_at(world, settings):
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8123"  # `make run PORT=8123`
    notice = Notice.objects.get(case=to_publicity(world.a))
    text = pdf_text(pdf_of(notice)).replace("\n", "")
    assert f"http://127.0.0.1:8123/notices/{notice.number}/" in text
    assert "127.0.0.1:8000" not in text
    assert notice.printed_base_url == "http://127.0.0.1:8123"


@pytest.mark.parametrize("address", ["", "http://localhost:8000", "http://127.0.0.1:8000", "http://10.0.3.7",
                                     "https://tto.internal", "http://[::1]:8000", "ftp://tto.lzu.edu.cn"])
def test_production_issues_no_notice_with_a_local_or_unset_address(world, settings, address):
    settings.NOTICES_REQUIRE_PUBLIC_ADDRESS = True
    settings.PUBLIC_BASE_URL = address
    case = to_decision(world.a)
    with pytest.raises(ActionRefused) as refused:
        approve(world.a, case)
    assert refused.value.code == "public_address" and "PUBLIC_BASE_URL" in str(refused.value)
    assert TransferCase.objects.get(pk=case.pk).stage == Stage.DECISION
    assert not Notice.objects.exists()
    assert [e.id for e in public_base_url_check()] == ["transfers.E001"]
    with pytest.raises(SystemCheckError, match="PUBLIC_BASE_URL"):
        call_command("check", deploy=True, tags=["security"])


def test_the_deploy_check_accepts_a_public_address(settings):
    settings.PUBLIC_BASE_URL = "https://gongshi.lzu.edu.cn"
    assert public_base_url_check() == []


# ---- rendering outside every lock ------------------------------------------------------------------

def test_the_pdf_is_rendered_after_the_approval_committed(world, monkeypatch):
    """No transaction of ours is open while WeasyPrint works: the notice-number row is not locked."""
    seen = []
    real = notice_services.render_pdf

    def watching(html, **kwargs):
        seen.append([block._from_testcase for block in connection.atomic_blocks])
        return real(html, **kwargs)

    monkeypatch.setattr(notice_services, "render_pdf", watching)
    case = approve(world.a, to_decision(world.a))
    assert seen and all(all(from_test for from_test in blocks) for blocks in seen), seen
    assert Notice.objects.get(case=case).status == NoticeStatus.IN_PUBLICITY


class RenderFailed(RuntimeError):
    pass


_real_render = notice_services.render_pdf


def test_a_failed_rendering_shows_nothing_to_the_public_and_the_officer_retries(client, world, monkeypatch):
    real = notice_services.render_pdf
    monkeypatch.setattr(notice_services, "render_pdf", lambda html, **k: (_ for _ in ()).throw(RenderFailed()))
    case = approve(world.a, to_decision(world.a))  # the approval stands: it committed before rendering
    notice = Notice.objects.get(case=case)
    assert case.stage == Stage.PUBLICITY and notice.status == NoticeStatus.PENDING and not notice.pdf_sha256
    assert client.get(notice.get_current_url()).status_code == 404
    assert notice.number not in client.get(reverse("public:notice_list")).content.decode()
    # the period cannot end while nobody could read it
    with clock.travel_to(case.publicity_ends_at + datetime.timedelta(hours=1)):
        assert publicity_close_due() == []
    # the officer sees it and retries (still failing: told so, nothing changes)
    client.force_login(world.a.tto_officer)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "公示文件尚未生成" in page and reverse("transfers:notice_retry", args=[case.public_id]) in page
    response = client.post(reverse("transfers:notice_retry", args=[case.public_id]), follow=True)
    assert "仍未能生成" in response.content.decode()
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.PENDING
    # nobody but a TTO officer may retry, nor correct a notice nobody could read yet
    monkeypatch.setattr(notice_services, "render_pdf", real)
    client.force_login(world.a.applicant)
    refused = client.post(reverse("transfers:notice_retry", args=[case.public_id]), follow=True)
    assert "只有技术转移办公室专员可以重新生成公示文件" in refused.content.decode()
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.PENDING
    client.force_login(world.a.tto_officer)
    correction = client.get(reverse("transfers:notice_correct", args=[case.public_id]), follow=True)
    assert "上一版公示文件尚在生成中" in correction.content.decode()
    # the renderer works again: the retry publishes it
    monkeypatch.setattr(notice_services, "render_pdf", real)
    response = client.post(reverse("transfers:notice_retry", args=[case.public_id]), follow=True)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.IN_PUBLICITY and len(notice.pdf_sha256) == 64
    assert client.get(notice.get_current_url()).status_code == 200
    assert "已发布" in response.content.decode()


def test_a_notice_published_on_a_later_day_gives_the_whole_period_from_then(world, monkeypatch):
    real = notice_services.render_pdf
    monkeypatch.setattr(notice_services, "render_pdf", lambda html, **k: (_ for _ in ()).throw(RenderFailed()))
    approved_at = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=clock.CHINA)
    with clock.travel_to(approved_at):
        case = approve(world.a, to_decision(world.a))
    monkeypatch.setattr(notice_services, "render_pdf", real)
    retried_at = datetime.datetime(2026, 11, 5, 9, 0, tzinfo=clock.CHINA)
    with clock.travel_to(retried_at):
        assert len(notice_services.publish_pending_notices()) == 1
    notice = Notice.objects.get(case=case)
    case.refresh_from_db()
    assert notice.starts_at == retried_at == case.publicity_started_at
    # 15 days from 6 November (the day after publication): 20 November, 17:00
    assert notice.ends_at == datetime.datetime(2026, 11, 20, 17, 0, tzinfo=clock.CHINA) == case.publicity_ends_at
    assert "2026年11月20日 17:00" in pdf_text(pdf_of(notice)).replace("\n", "")


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are real only on PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_approvals_of_one_institution_do_not_wait_for_a_rendering(world, monkeypatch):
    """While one notice renders, another approval of the same institution takes the next number at once."""
    import threading
    first, second = to_decision(world.a), to_decision(world.a)
    real = notice_services.render_pdf
    outcome = {}

    def slow_render(html, **kwargs):
        if "other" not in outcome:
            def approve_other():
                try:
                    with connection.cursor() as cursor:
                        cursor.execute("SET lock_timeout = '3s'")
                    outcome["other"] = approve(world.a, TransferCase.objects.get(pk=second.pk)).stage
                except Exception as exc:  # noqa: BLE001 - reported below
                    outcome["other"] = exc
                finally:
                    connection.close()

            thread = threading.Thread(target=approve_other)
            thread.start()
            thread.join(30)
        return real(html, **kwargs)

    monkeypatch.setattr(notice_services, "render_pdf", slow_render)
    approve(world.a, first)
    assert outcome["other"] == Stage.PUBLICITY, outcome
    numbers = sorted(Notice.objects.values_list("number", flat=True))
    assert len(numbers) == 2 and numbers[0].endswith("-001") and numbers[1].endswith("-002")


# ---- what the notice prints --------------------------------------------------------------------

def test_the_notice_states_what_the_case_and_the_institution_state(world):
    institution = world.a.institution
    institution.office_name = "科学技术处"
    institution.objection_office = "纪委办公室"
    institution.address = "兰州市天水南路222号"
    institution.save()
    case = to_decision(
        world.a,
        new=[achievement_data(title="一种滑坡位移监测装置", kind="invention_application", number="CN202310123456.6",
                              application_date=datetime.date(2023, 3, 2)),
             achievement_data(title="滑坡预警阈值整定方法", kind="know_how")],
        title="黄土滑坡监测预警系统", mode="exclusive_licence", price_amount=Decimal("40"),
    )
    with clock.travel_to(datetime.datetime(2026, 11, 26, 0, 30, tzinfo=clock.CHINA)):
        case = approve(world.a, case)
    notice = Notice.objects.get(case=case)
    text = pdf_text(pdf_of(notice)).replace("\n", "").replace(" ", "")
    assert "项目名称：黄土滑坡监测预警系统（含科技成果2项）" in text
    assert "发明专利申请" in text and "202310123456.6" in text and "ZL202310123456.6" not in text
    assert "申请日：2023年3月2日" in text
    assert "甘肃衡信资产评估有限公司评估，评估值38.5万元（人民币叁拾捌万伍仟元整）" in text
    assert "一次性支付：40万元（人民币肆拾万元整）" in text
    assert "向AAA大学纪委办公室提出" in text and "兰州市天水南路222号" in text
    # signed by the institution and its office, dated as official documents are, in China's calendar
    assert "AAA大学科学技术处2026年11月26日" in text
    institution.office_name = "技术转移中心"  # a later rename changes nothing published
    institution.save()
    notice.refresh_from_db()
    assert notice.content["office"] == "科学技术处"
    assert "科学技术处" in pdf_text(pdf_of(notice))


def test_the_pdf_is_tagged_for_screen_readers_in_chinese(world):
    notice = Notice.objects.get(case=to_publicity(world.a))
    reader = PdfReader(io.BytesIO(pdf_of(notice)))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "zh-CN"
    assert bool(catalog["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in catalog
    assert reader.metadata.title == f"{notice.number} {notice.title}"
    alternatives = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, dict):
            if node.get("/S") == "/Figure" and "/Alt" in node:
                alternatives.append(str(node["/Alt"]))
            kids = node.get("/K")
            if kids is not None:
                for kid in kids if isinstance(kids, list) else [kids]:
                    walk(kid)

    walk(catalog["/StructTreeRoot"])
    assert any(f"https://gongshi.lzu.edu.cn/notices/{notice.number}/" in alt for alt in alternatives), alternatives


def _institution_at(world, **values):
    institution = world.a.institution
    for name, value in values.items():
        setattr(institution, name, value)
    institution.save()


def test_one_achievement_with_long_real_texts_fits_on_one_page(world):
    """Lengths from real university notices at their longest: a 40-character patent title, a full
    company name, a related-party statement of three sentences, a royalty clause, a long address."""
    _institution_at(world, name="兰州大学", office_name="科技成果转化办公室",
                    objection_office="纪委办公室（监察专员办公室）", contact_phone="0931-8912345",
                    address="甘肃省兰州市城关区天水南路222号兰州大学科技成果转化办公室（邮编730000）")
    achievement = achievement_data(title="一种基于多源遥感数据融合的黄土高原滑坡隐患早期识别与动态监测预警方法",
                                   kind="invention_application", number="CN202310123456.6",
                                   application_date=datetime.date(2023, 3, 2), shares=("40", "30", "20", "10"))
    case = approve(world.a, to_decision(
        world.a, new=[achievement],
        title="黄土高原滑坡隐患早期识别与动态监测预警技术（含发明专利申请1项）",
        counterparty_name="甘肃陇原地质灾害防治科技发展有限责任公司",
        counterparty_credit_code="91620100MA73XK7J40",
        related_party=True,
        related_party_statement=("完成人马堃持有受让方5%股权并担任其技术顾问，与受让方构成关联关系。马堃已在校长办公会审议时回避表决，"
                                 "本次交易价格以第三方评估机构的评估值为基础协商确定，不低于评估值。"),
        price_kind="mixed", price_amount=Decimal("120"),
        price_terms="合同生效后30日内支付入门费；另按产品年销售额的3%提成，期限5年",
    ))
    assert len(PdfReader(io.BytesIO(pdf_of(Notice.objects.get(case=case)))).pages) == 1


def test_every_text_at_its_maximum_still_prints_and_the_closing_stays_together(world):
    def longest(model: type, name: str) -> int:
        return model._meta.get_field(name).max_length

    institution = type(world.a.institution)
    _institution_at(world, **{name: "甘" * longest(institution, name)
                              for name in ("name", "office_name", "objection_office", "address")})
    achievement = achievement_data(title="成" * longest(Achievement, "title"), shares=("25", "25", "25", "25"))
    fields = {name: "项" * longest(TransferCase, name)
              for name in ("title", "counterparty_name", "related_party_statement", "price_terms")}
    case = approve(world.a, to_decision(world.a, new=[achievement], related_party=True, price_kind="mixed",
                                        price_amount=Decimal("9999.9999"), **fields))
    pages = [(p.extract_text() or "").replace("\n", "") for p in PdfReader(io.BytesIO(pdf_of(
        Notice.objects.get(case=case)))).pages]
    assert len(pages) <= 2
    assert "五、联系方式" in pages[-1] and "扫码查看公示原文" in pages[-1]


def test_a_title_never_leaves_one_character_on_its_last_line(world):
    from transfers.pdf import typeset

    notice = Notice.objects.get(case=to_publicity(world.a))
    for length in range(20, 60):
        notice.title = "关于“" + "成" * length + "”科技成果转化的公示"
        context = {"notice": notice, "c": notice.content, "qr": "", "public_url": "", "verify_url": ""}
        html = notice_services.render_to_string("public/notice_pdf.html", context)
        page = typeset(html).pages[0]
        lines = list(_title_lines(page._page_box))
        assert lines and len(lines[-1]) >= 2, (length, lines)


def _title_lines(box, inside=False):
    """The text of each line box of the page's h1."""
    inside = inside or getattr(box, "element_tag", None) == "h1"
    if inside and type(box).__name__ == "LineBox":
        yield "".join(_texts(box))
        return
    for child in getattr(box, "children", []):
        yield from _title_lines(child, inside)


def _texts(box):
    if hasattr(box, "text"):
        yield box.text
    for child in getattr(box, "children", []):
        yield from _texts(child)


def test_the_qr_block_and_the_signature_end_the_last_page_together(world):
    case = to_publicity(world.a, count=12)
    pages = [(p.extract_text() or "").replace("\n", "") for p in PdfReader(io.BytesIO(pdf_of(
        Notice.objects.get(case=case)))).pages]
    assert len(pages) >= 2
    last = pages[-1]
    assert "扫码查看公示原文" in last and "科技成果转化办公室" in last
    assert all("扫码查看公示原文" not in page for page in pages[:-1])


def test_a_decision_taken_after_midnight_in_beijing_is_dated_today(world):
    case = to_decision(world.a)
    half_past_midnight = datetime.datetime(2026, 11, 26, 0, 30, tzinfo=clock.CHINA)  # 25 Nov 16:30 UTC
    with clock.travel_to(half_past_midnight):
        refusals = [(datetime.date(2026, 11, 27), "future_date"), (datetime.date(1948, 12, 31), "date_too_early")]
        for decided_on, code in refusals:
            with pytest.raises(ActionRefused) as refused, transaction.atomic():
                svc.case_decide(case=case, by=world.a.decision_secretary, outcome="approve", body="校长办公会",
                                decided_on=decided_on, minutes=pdf())
            assert refused.value.code == code
        case = approve(world.a, TransferCase.objects.get(pk=case.pk))
    assert case.stage == Stage.PUBLICITY
    assert case.decisions.get().decided_on == datetime.date(2026, 11, 26)
    assert Notice.objects.get(case=case).number == "AAA-GS-2026-001"


def test_an_objection_longer_than_a_notice_can_answer_is_refused_and_changes_nothing(client, world):
    from tests.public.test_notices import objection_post
    from transfers.models import Objection

    notice = Notice.objects.get(case=to_publicity(world.a))
    huge = "理" * (3 * 1024 * 1024)  # megabytes of text: refused by the form before any service runs
    response = client.post(notice.get_current_url(), objection_post(reasons=huge))
    assert response.status_code == 400 and "不超过 2000 字" in response.content.decode()
    assert not Objection.objects.exists()
    assert TransferCase.objects.get(pk=notice.case_id).stage == Stage.PUBLICITY


@pytest.mark.parametrize(("field", "value"), [
    ("counterparty_name", "受" * 61),
    ("related_party_statement", "关" * 201),
    ("price_terms", "款" * 101),
    ("counterparty_name", "甘肃\x00陇原"),
])
def test_a_text_a_notice_cannot_print_is_refused_with_its_name(world, field, value):
    from tests.factories import file_case

    with pytest.raises(ActionRefused) as refused:
        file_case(world.a, **{"related_party": True, "related_party_statement": "关联", field: value})
    label = str(TransferCase._meta.get_field(field).verbose_name)
    assert refused.value.code in {"too_long", "invalid"} and label in str(refused.value)
    assert not TransferCase.objects.exists()


def _failing(monkeypatch):
    monkeypatch.setattr(notice_services, "render_pdf", lambda html, **k: (_ for _ in ()).throw(RenderFailed()))


def test_a_correction_while_the_notice_still_renders_is_refused_and_changes_nothing(world, monkeypatch):
    from transfers.services.corrections import case_correct_notice
    from transfers.services.filing import CORRECTABLE_FIELDS

    _failing(monkeypatch)
    case = approve(world.a, to_decision(world.a))
    fields = {name: getattr(case, name) for name in CORRECTABLE_FIELDS}
    fields["counterparty_name"] = "另一家公司"
    with pytest.raises(ActionRefused) as refused:
        case_correct_notice(case=case, by=world.a.tto_officer, fields=fields, reason="更正受让方名称")
    assert refused.value.code == "notice_pending"
    assert TransferCase.objects.get(pk=case.pk).counterparty_name == "甘肃陇原科技发展有限公司"
    assert list(Notice.objects.values_list("version", "status")) == [(1, NoticeStatus.PENDING)]


def test_a_resumed_period_never_shows_a_stale_end_while_its_reissue_renders(client, world, monkeypatch):
    from tests.public.test_notices import objection_post

    approved = datetime.datetime(2025, 3, 3, 10, 0, tzinfo=clock.CHINA)
    with clock.travel_to(approved):
        case = approve(world.a, to_decision(world.a))
    v1 = Notice.objects.get(case=case)
    with clock.travel_to(datetime.datetime(2025, 3, 7, 10, 0, tzinfo=clock.CHINA)):
        client.post(v1.get_current_url(), objection_post())
    _failing(monkeypatch)
    dismissed = datetime.datetime(2025, 3, 25, 15, 0, tzinfo=clock.CHINA)  # after v1's printed end (18 March)
    with clock.travel_to(dismissed):
        case = case_act(case=TransferCase.objects.get(pk=case.pk), user=world.a.tto_officer,
                        run=lambda: svc.case_dismiss_objection(case=TransferCase.objects.get(pk=case.pk),
                                                               by=world.a.tto_officer, reply="异议不成立。"))
        v1.refresh_from_db()
        assert case.stage == Stage.PUBLICITY
        # the public reads the notice as suspended (no stale end, no window): never 公示期满
        assert v1.status == NoticeStatus.SUSPENDED and v1.public_status == NoticeStatus.SUSPENDED
        page = client.get(v1.get_current_url()).content.decode()
        assert "公示期满" not in page and 'name="reasons"' not in page
    # published three days later, the reissue gives the whole period from then, and v1 is superseded
    monkeypatch.setattr(notice_services, "render_pdf", _real_render)
    with clock.travel_to(dismissed + datetime.timedelta(days=3)):
        assert len(notice_services.publish_pending_notices()) == 1
        v2 = Notice.objects.get(case=case, version=2)
        assert v2.status == NoticeStatus.IN_PUBLICITY and v2.accepts_objections()
        assert v2.starts_at == clock.now() and v2.ends_at == TransferCase.objects.get(pk=case.pk).publicity_ends_at
        assert Notice.objects.get(pk=v1.pk).status == NoticeStatus.SUPERSEDED


def test_a_notice_withdrawn_while_it_renders_is_published_withdrawn_with_its_reason(world, monkeypatch):
    _failing(monkeypatch)
    case = approve(world.a, to_decision(world.a))
    case = case_act(case=case, user=world.a.tto_officer, run=lambda: svc.case_withdraw_notice(
        case=case, by=world.a.tto_officer, reason="受让方名称有误，撤回后重新决策。"))
    assert case.stage == Stage.DECISION
    monkeypatch.setattr(notice_services, "render_pdf", _real_render)
    notice_services.publish_pending_notices()
    notice = Notice.objects.get(case=case)
    assert notice.status == NoticeStatus.WITHDRAWN and notice.withdrawal_reason == "受让方名称有误，撤回后重新决策。"
    assert len(notice.pdf_sha256) == 64  # its number is accounted for in public, with why it was withdrawn


def test_a_pending_version_is_nowhere_on_the_public_site(client, world, monkeypatch):
    from transfers.services.corrections import case_correct_notice
    from transfers.services.filing import CORRECTABLE_FIELDS

    case = approve(world.a, to_decision(world.a))
    v1 = Notice.objects.get(case=case)
    _failing(monkeypatch)
    fields = {name: getattr(case, name) for name in CORRECTABLE_FIELDS}
    fields["counterparty_credit_code"] = "91620100MA73XK7J40"
    case_correct_notice(case=TransferCase.objects.get(pk=case.pk), by=world.a.tto_officer, fields=fields,
                        reason="补充统一社会信用代码")
    assert Notice.objects.get(case=case, version=2).status == NoticeStatus.PENDING
    page = client.get(v1.get_current_url()).content.decode()
    assert f"/notices/{v1.number}/v2/" not in page  # the versions list shows published versions only
    for url in [f"/notices/{v1.number}/v2/", f"/notices/{v1.number}/v2/pdf/"]:
        assert client.get(url).status_code == 404, url
    assert f"{v1.number}/v2" not in client.get(reverse("public:notice_feed")).content.decode()
    assert client.post(reverse("public:verify"), {"sha256": "0" * 64}).status_code == 200
    assert client.get(v1.get_current_url() + "pdf/").status_code == 200  # v1 is still the current one
    assert Notice.objects.get(pk=v1.pk).status == NoticeStatus.IN_PUBLICITY


def test_an_upheld_objections_reason_is_what_the_public_reads_and_fits(world):
    from tests.public.test_notices import objection_post

    case = approve(world.a, to_decision(world.a))
    notice = Notice.objects.get(case=case)
    from transfers.services.objections import objection_file

    objection_file(notice=notice, **objection_post())
    case = TransferCase.objects.get(pk=case.pk)
    with pytest.raises(ActionRefused) as refused, transaction.atomic():
        svc.case_uphold_objection(case=case, by=world.a.tto_officer, comment="理" * 501)
    assert refused.value.code == "too_long"
    case = case_act(case=case, user=world.a.tto_officer, run=lambda: svc.case_uphold_objection(
        case=case, by=world.a.tto_officer, comment="理" * 500))
    notice.refresh_from_db()
    assert case.stage == Stage.DECISION and notice.status == NoticeStatus.WITHDRAWN
    assert notice.withdrawal_reason == "理" * 500


def test_a_notice_published_before_amounts_kept_their_exact_value_still_shows_its_price(client, world):
    """Notices frozen by an earlier version hold the amount as printed ("12.5") without ``price_value``."""
    notice = Notice.objects.get(case=approve(world.a, to_decision(world.a)))
    content = {k: v for k, v in notice.content.items() if k not in ("price_value", "valuation_value")}
    Notice.objects.filter(pk=notice.pk).update(content=content)
    page = client.get(notice.get_current_url()).content.decode()
    assert "12.5 万元（人民币壹拾贰万伍仟元整）" in page and "38.5 万元" in page
    client.cookies["django_language"] = "en"
    assert "CNY 125,000" in client.get(notice.get_current_url()).content.decode()
