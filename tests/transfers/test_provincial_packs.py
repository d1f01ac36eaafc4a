"""Provincial rule packs: Zhejiang, Shandong and Henan bind their government-established universities to
more than the law (70% of the net income and of the shares, and more), each number quoted with its
clause; a pack of a province refuses less than the province's floor citing the province's clause, its
versions and an institution's own pack made from it keep the province; and where the regulation lists
each achievement's 内容摘要 among what the notice shows, a case without one is not submitted and the notice
prints them."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from tests.factories import achievement_data, file_case
from tests.public.test_notices import to_publicity
from tests.transfers.test_institution_admin import form_data, url
from transfers.models import Jurisdiction, Notice, RulePack, Stage
from transfers.services import cases as svc
from transfers.services.errors import ActionRefused
from transfers.services.rewards import Person, Ratios, distribution_propose, floor_of
from transfers.services.rules import floors_for, rule_pack_new_version_for

pytestmark = pytest.mark.django_db

D = Decimal


def pack(code: str) -> RulePack:
    return RulePack.objects.get(code=code, version=1)


def with_abstract(title: str, abstract: str):
    data = achievement_data(title=title)
    return type(data)(**{**data.__dict__, "abstract": abstract})


def use(side, code: str) -> RulePack:
    side.institution.rule_pack = pack(code)
    side.institution.save(update_fields=["rule_pack"])
    return side.institution.rule_pack


@pytest.mark.parametrize(
    ("code", "transfer", "equity", "profit", "main", "article"),
    [
        ("zhejiang", "70", "70", "10", "70", "《浙江省促进科技成果转化条例》"),
        ("shandong", "70", "70", "10", "50", "《山东省促进科技成果转化条例》"),
        ("henan", "70", "70", "10", "50", "《河南省促进科技成果转化条例》"),
    ],
)
def test_each_provincial_pack_ships_its_higher_floors_each_with_its_clause(code, transfer, equity, profit, main,
                                                                          article):
    shipped = pack(code)
    assert shipped.jurisdiction == code
    assert (shipped.reward_floor_transfer_pct, shipped.reward_floor_equity_pct, shipped.reward_floor_profit_pct,
            shipped.main_contributor_floor_pct) == (D(transfer), D(equity), D(profit), D(main))
    assert shipped.publicity_days >= 15
    for field in ("reward_floor_transfer_pct", "reward_floor_equity_pct", "reward_floor_profit_pct"):
        assert article in shipped.clause(field), field
    assert "不低于百分之七十" in shipped.clause("reward_floor_transfer_pct")
    assert "不低于百分之七十" in shipped.clause("reward_floor_equity_pct")
    assert "不低于百分之十" in shipped.clause("reward_floor_profit_pct")


def test_the_province_raises_only_the_floors_its_regulation_makes_binding():
    national = floors_for(Jurisdiction.NATIONAL)
    zhejiang, shandong = floors_for(Jurisdiction.ZHEJIANG), floors_for(Jurisdiction.SHANDONG)
    assert national["reward_floor_transfer_pct"].minimum == D("50")
    assert zhejiang["reward_floor_transfer_pct"].minimum == D("70")
    assert zhejiang["main_contributor_floor_pct"].minimum == D("70")
    assert zhejiang["reward_publicity_days"].minimum == 15
    # Zhejiang's 10% of the operating profit is a "可以": the law's 5% stays the floor; Shandong's is "应当"
    assert zhejiang["reward_floor_profit_pct"].minimum == D("5")
    assert shandong["reward_floor_profit_pct"].minimum == D("10")
    assert floors_for(Jurisdiction.GANSU) == national


@pytest.mark.parametrize(
    ("code", "field", "value", "cited"),
    [
        ("zhejiang", "reward_floor_transfer_pct", "69.99", "《浙江省促进科技成果转化条例》第三十七条第一款第（一）项"),
        ("zhejiang", "reward_floor_equity_pct", "50", "第三十七条第一款第（二）项"),
        ("zhejiang", "main_contributor_floor_pct", "60", "第三十七条第二款"),
        ("zhejiang", "reward_publicity_days", 7, "第三十九条"),
        ("shandong", "reward_floor_transfer_pct", "60", "《山东省促进科技成果转化条例》第三十四条第（一）项"),
        ("shandong", "reward_floor_profit_pct", "8", "第三十四条第（三）项"),
        ("henan", "reward_floor_equity_pct", "55", "《河南省促进科技成果转化条例》第四十条第一款第（二）项"),
    ],
)
def test_a_provincial_pack_refuses_less_than_the_province_on_the_institution_admins_form(
        client, world, code, field, value, cited):
    institution = world.a.institution
    current = use(world.a, code)
    packs = RulePack.objects.count()
    client.force_login(world.a.institution_admin)
    data = form_data(client.get(url("rules_edit", institution)))
    data[field] = value
    page = client.post(url("rules_edit", institution), data)
    assert page.status_code == 400
    errors = page.context["form"].errors[field]
    assert any(cited in error for error in errors), errors
    assert RulePack.objects.count() == packs
    institution.refresh_from_db()
    assert institution.rule_pack == current


def test_an_institutions_own_pack_keeps_the_province_and_may_ask_for_more(world):
    institution = world.a.institution
    use(world.a, "shandong")
    own = rule_pack_new_version_for(institution=institution, changes={"reward_floor_transfer_pct": D("80")})
    assert (own.code, own.jurisdiction, own.reward_floor_transfer_pct) == ("inst-aaa", "shandong", D("80"))
    # the next version of the institution's own pack is still held to Shandong's 70%
    with pytest.raises(ValidationError) as refused:
        rule_pack_new_version_for(institution=institution, changes={"reward_floor_transfer_pct": D("60")})
    assert "山东省促进科技成果转化条例" in str(refused.value)
    # the same 60% is within the law for a national pack, and Zhejiang's permissive 8% of profit too
    use(world.b, "national")
    lower = rule_pack_new_version_for(institution=world.b.institution, changes={"reward_floor_transfer_pct": D("60")})
    assert lower.reward_floor_transfer_pct == D("60")
    use(world.a, "zhejiang")
    assert rule_pack_new_version_for(institution=institution,
                                     changes={"reward_floor_profit_pct": D("8")}).jurisdiction == "zhejiang"


def test_the_case_page_and_the_split_cite_the_provincial_clause(client, world):
    use(world.a, "shandong")
    case = to_publicity(world.a)
    assert case.rule_pack.code == "shandong"
    client.force_login(world.a.tto_officer)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "《山东省促进科技成果转化条例》（2017年12月1日修订，2018年1月1日起施行）第三十四条第（一）项" in html
    floor = floor_of(case.rule_pack, "reward_floor_transfer_pct")
    assert floor.pct == D("70") and "第三十四条第（一）项" in floor.clause


def test_a_split_below_the_provinces_floor_is_refused_citing_it(world):
    from tests.factories import pdf
    from tests.transfers.test_money_services import instalments, receipt, to_implementation
    from transfers import clock
    from transfers.services.contracts import contract_record, contract_register, receipt_record

    use(world.a, "zhejiang")
    case = to_implementation(world.a, new=[with_abstract("一种耐旱马铃薯种薯快速繁育方法", "茎尖脱毒结合雾培。")])
    officer = world.a.tto_officer
    contract_record(case=case, by=officer, data=instalments(), document=pdf("合同.pdf"))
    contract_register(case=case, by=officer, number="3301 0000 2026 0001", registered_on=clock.china_today(),
                      registry="浙江省科技厅", certificate=pdf("登记证明.pdf"))
    first = receipt_record(case=case, by=officer, data=receipt(), voucher=pdf("凭证.pdf"))
    team = [Person("王𠮷祥", D("70"), True), Person("马堃", D("30"), False)]
    with pytest.raises(ActionRefused) as refused:
        distribution_propose(receipt=first, by=officer, people=team, ratios=Ratios(D("60"), D("40")))
    assert "不得低于 70%" in str(refused.value) and "第三十七条第一款第（一）项" in str(refused.value)
    # the inventors' own shares (60 / 40) leave the main contributors under Zhejiang's 70% of the reward
    with pytest.raises(ActionRefused) as refused:
        distribution_propose(receipt=first, by=officer, ratios=Ratios(D("70"), D("30")))
    assert "主要贡献人员的奖励份额不得低于 70%" in str(refused.value) and "第三十七条第二款" in str(refused.value)
    applied = distribution_propose(receipt=first, by=officer, people=team, ratios=Ratios(D("70"), D("30")))
    assert applied.floor_pct == D("70")


def test_where_the_province_asks_for_the_abstract_a_case_without_one_is_not_submitted(world):
    use(world.a, "henan")
    draft = file_case(world.a, new=[achievement_data(title="一种荞麦面条加工方法")])
    with pytest.raises(ActionRefused) as refused:
        svc.case_submit(case=draft, by=world.a.applicant)
    message = str(refused.value)
    assert "一种荞麦面条加工方法" in message and "《河南省促进科技成果转化条例》" in message
    assert "第二十条第二款" in message
    draft.refresh_from_db()
    assert draft.stage == Stage.DRAFT and draft.rule_pack is None


def test_the_notice_prints_each_abstract_where_the_province_asks_for_it(client, world):
    use(world.a, "zhejiang")
    abstracts = ["以茎尖脱毒结合雾培技术，60天内完成原原种繁育。", "采用雾培与基质栽培结合的方法，降低繁育成本。"]
    new = [with_abstract(f"成果{n}号：一种耐旱马铃薯种薯快速繁育方法", text) for n, text in enumerate(abstracts, 1)]
    case = to_publicity(world.a, new=new)
    notice = Notice.objects.get(case=case)
    assert [a["abstract"] for a in notice.content["achievements"]] == abstracts
    page = client.get(reverse("public:notice_detail", args=[notice.number])).content.decode()
    assert "内容摘要" in page and all(text in page for text in abstracts)
    reader = PdfReader(io.BytesIO(notice.pdf.open("rb").read()))
    text = "".join((p.extract_text() or "").replace("\n", "") for p in reader.pages)
    assert "内容摘要" in text and abstracts[0] in text


def test_a_national_notice_prints_no_abstract_section(client, world):
    case = to_publicity(world.a)
    notice = Notice.objects.get(case=case)
    assert "abstract" not in notice.content["achievements"][0]
    assert "内容摘要" not in client.get(reverse("public:notice_detail", args=[notice.number])).content.decode()


def test_the_filing_form_says_the_abstract_is_required_where_the_province_asks_for_it(client, world):
    hint = "本单位适用的规则要求公示每项成果的内容摘要"
    client.force_login(world.a.applicant)
    assert hint not in client.get(reverse("transfers:case_create")).content.decode()  # the national pack
    use(world.a, "henan")
    assert hint in client.get(reverse("transfers:case_create")).content.decode()


def test_a_returned_case_asks_for_the_abstract_its_pinned_pack_requires(client, world):
    """The pack pinned at submission decides the resubmission, not the one the institution uses today."""
    from workflows.services import case_act

    national = world.a.institution.rule_pack
    use(world.a, "henan")
    case = svc.case_submit(case=file_case(world.a, new=[with_abstract("一种荞麦面条加工方法", "挤压成型。")]),
                           by=world.a.applicant)
    officer = world.a.tto_officer
    case_act(case=case, user=officer, run=lambda: svc.case_return(case=case, by=officer, comment="请补充材料。"))
    world.a.institution.rule_pack = national
    world.a.institution.save(update_fields=["rule_pack"])
    client.force_login(world.a.applicant)
    page = client.get(reverse("transfers:case_edit", args=[case.public_id])).content.decode()
    assert "本单位适用的规则要求公示每项成果的内容摘要" in page


def test_an_abstract_missing_at_submission_is_added_on_the_achievements_page(client, world):
    use(world.a, "henan")
    draft = file_case(world.a, new=[achievement_data(title="一种荞麦面条加工方法")])
    achievement = draft.achievements.get()
    url = reverse("transfers:achievement_inventors", args=[draft.public_id, achievement.pk])
    client.force_login(world.a.applicant)
    page = client.get(url).content.decode()
    assert "本单位适用的规则要求公示每项成果的内容摘要" in page and 'name="abstract"' in page
    data = {"inv-TOTAL_FORMS": "2", "inv-INITIAL_FORMS": "2", "inv-MIN_NUM_FORMS": "0", "inv-MAX_NUM_FORMS": "30",
            "inv-0-name": "王𠮷祥", "inv-0-share": "60", "inv-0-is_main_contributor": "on",
            "inv-1-name": "马堃", "inv-1-share": "40"}
    too_long = client.post(url, {**data, "abstract": "荞" * 2001})
    assert too_long.status_code == 400
    achievement.refresh_from_db()
    assert achievement.abstract == ""
    saved = client.post(url, {**data, "abstract": "以荞麦全粉为原料，无添加剂挤压成型。"})
    assert saved.status_code == 302, re.findall(r"error[^>]*>([^<]+)<", saved.content.decode())
    achievement.refresh_from_db()
    assert achievement.abstract == "以荞麦全粉为原料，无添加剂挤压成型。"
    assert svc.case_submit(case=draft, by=world.a.applicant).stage == Stage.PRELIMINARY_REVIEW


@pytest.mark.parametrize(("code", "cited"), [("zhejiang", "第十七条第二款"), ("henan", "第二十条第二款")])
def test_the_abstract_a_province_requires_cannot_be_switched_off(world, code, cited):
    use(world.a, code)
    with pytest.raises(ValidationError) as refused:
        rule_pack_new_version_for(institution=world.a.institution, changes={"publicity_includes_abstract": False})
    assert cited in str(refused.value)
    use(world.a, "shandong")  # Shandong's regulation does not ask for it: an institution may add it or not
    assert rule_pack_new_version_for(institution=world.a.institution,
                                     changes={"publicity_includes_abstract": True}).publicity_includes_abstract


def test_an_abstract_typed_in_a_row_without_a_title_is_not_dropped_but_asked_about(client, world):
    from tests.workflows.test_lifecycle_http import filing_post
    from transfers.models import TransferCase

    client.force_login(world.a.applicant)
    data = filing_post(world)
    data["ach-1-abstract"] = "以荞麦全粉为原料，无添加剂挤压成型。"  # the second row: no title
    response = client.post(reverse("transfers:case_create"), data)
    assert response.status_code == 400
    assert "请填写成果名称" in response.content.decode()
    assert not TransferCase.objects.exists()
