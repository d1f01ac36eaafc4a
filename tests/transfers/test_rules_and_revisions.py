"""The rule pack a case keeps, each rule with its clause; a publicity period under the legal floor is
refused citing the clause; revisions compare codes, so a language switch changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from tests.factories import file_case
from transfers.models import CaseRevision, RulePack, TransferCase
from transfers.services import cases as svc
from transfers.services.rules import rule_pack_new_version
from workflows.services import case_act

pytestmark = pytest.mark.django_db


def test_a_transfer_notice_period_under_15_days_is_refused_citing_the_state_council(admin_client):
    national = RulePack.objects.get(code="national", version=1)
    with pytest.raises(ValidationError) as refused:
        rule_pack_new_version(base=national, changes={"publicity_days": 14})
    assert "国发〔2016〕16号" in str(refused.value)
    assert RulePack.objects.filter(code="national").count() == 1
    # the admin form says the same on the field and creates nothing
    url = reverse("admin:transfers_rulepack_change", args=[national.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update({"publicity_days": 14, "clauses": "{}", "stage_due_days": "{}",
                 "publicity_closing_time": "17:00:00"})
    data = {k: v for k, v in data.items() if not isinstance(v, bool) or v}
    page = admin_client.post(url, data)
    assert page.status_code == 200 and "国发〔2016〕16号" in page.content.decode()
    assert RulePack.objects.filter(code="national").count() == 1


def test_the_case_page_shows_each_rule_applied_with_its_clause(client, world):
    case = svc.case_submit(case=file_case(world.a), by=world.a.applicant)
    client.force_login(world.a.tto_officer)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "适用规则" in page and "国家规定（默认）" in page
    pack = case.rule_pack
    assert pack.clause("publicity_days") in page  # 国发〔2016〕16号 … 公示时间不少于15日
    assert pack.clause("reward_floor_transfer_pct") in page  # 促进科技成果转化法 第四十五条
    assert "民法典》第二百零一条" in page and "民法典》第二百零三条" in page
    assert "15 日" in page and "17:00" in page


def test_a_resubmission_in_english_shows_only_what_changed(client, world):
    case = svc.case_submit(case=file_case(world.a), by=world.a.applicant)
    case = case_act(case=case, user=world.a.tto_officer,
                    run=lambda: svc.case_return(case=case, by=world.a.tto_officer, comment="请核对价格"))
    client.force_login(world.a.applicant)
    client.cookies["django_language"] = "en"
    with_new_price = {"price_terms": "合同生效后30日内一次性支付"}
    from transfers.services.filing import case_update

    with translation.override("en"):  # the applicant resubmits from an English page
        case_update(case=case, by=world.a.applicant, fields=with_new_price)
        case = case_act(case=case, user=world.a.applicant,
                        run=lambda: svc.case_resubmit(case=case, by=world.a.applicant))
    first, second = CaseRevision.objects.filter(case=case).order_by("number")
    assert first.snapshot["mode"] == second.snapshot["mode"] == "assignment"  # codes, not words
    assert {k: v for k, v in first.snapshot.items() if k != "price_terms"} == {
        k: v for k, v in second.snapshot.items() if k != "price_terms"}
    client.force_login(world.a.tto_officer)
    page = client.get(case.get_absolute_url())
    changes = [row["label"] for row in page.context["changes"]]
    assert [str(label) for label in changes] == [str(TransferCase._meta.get_field("price_terms").verbose_name)]
    assert "Assignment" in page.content.decode()
