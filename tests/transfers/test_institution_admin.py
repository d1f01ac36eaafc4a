"""The institution admin's own screens: members and roles, contact data, rule pack versions.

Only an institution admin of that very institution reaches them (anyone else: 404, whatever the
code or id); bad input is refused with a message on its field and changes nothing; every change is
in Django's append-only LogEntry; a new rule pack version is pinned only by cases submitted after it,
and a value below a legal floor is refused citing the clause.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import UserFactory, file_case
from transfers.institution_forms import RULE_FIELDS, RULE_GROUPS
from transfers.models import Institution, Membership, Role, RulePack
from transfers.services import cases as case_services
from transfers.services import institutions as services
from transfers.services.errors import ActionRefused

pytestmark = pytest.mark.django_db

ADMIN = Role.INSTITUTION_ADMIN


def url(name: str, institution: Institution, *args: object) -> str:
    return reverse(f"institutions:{name}", args=[institution.code, *args])


def roles_of(user, institution) -> set[str]:
    return set(Membership.objects.filter(user=user, institution=institution).values_list("role", flat=True))


def log_count() -> int:
    return LogEntry.objects.count()


def form_data(page) -> dict[str, object]:
    """What the browser would post back for the form on ``page``, unchanged."""
    form = page.context["form"]
    data: dict[str, object] = {}
    for field in form:
        value = field.value()
        if isinstance(value, bool):
            if value:
                data[field.html_name] = "on"
        elif value is None:
            data[field.html_name] = ""
        elif hasattr(value, "strftime"):
            data[field.html_name] = value.strftime("%H:%M")
        else:
            data[field.html_name] = value
    return data


# --------------------------------------------------------------------------------------------
# Who reaches the screens


def all_pages(world) -> list[str]:
    a = world.a.institution
    member = world.a.applicant.pk
    return [
        url("overview", a),
        url("members", a),
        url("member_add", a),
        url("account_create", a),
        url("member", a, member),
        url("member_remove", a, member),
        url("contact", a),
        url("rules", a),
        url("rules_edit", a),
        url("rule_pack", a, a.rule_pack_id),
    ]


def test_each_screen_opens_for_the_institution_admin(client, world):
    client.force_login(world.a.institution_admin)
    for address in all_pages(world):
        page = client.get(address)
        assert page.status_code == 200, address
        assert world.a.institution.name in page.content.decode()
        assert "no-cache" in page["Cache-Control"] or "no-store" in page["Cache-Control"]
    # the navigation offers the screens to the admin, and the index goes straight to the one institution
    assert reverse("institutions:index") in client.get(reverse("transfers:case_list")).content.decode()
    assert client.get(reverse("institutions:index"))["Location"] == url("overview", world.a.institution)


@pytest.mark.parametrize("who", ["tto_officer", "applicant", "expert", "decision_secretary", "assessor"])
def test_people_who_are_not_its_admin_get_404_and_no_link(client, world, who):
    client.force_login(getattr(world.a, who))
    for address in [*all_pages(world), reverse("institutions:index")]:
        assert client.get(address).status_code == 404, address
        assert client.post(address, {"roles": ["institution_admin"]}).status_code == 404, address
    assert reverse("institutions:index") not in client.get(reverse("transfers:case_list")).content.decode()
    assert roles_of(getattr(world.a, who), world.a.institution) == {who}


def test_an_admin_of_another_institution_gets_404_and_changes_nothing(client, world):
    client.force_login(world.b.institution_admin)
    before = log_count()
    for address in all_pages(world):
        assert client.get(address).status_code == 404, address
    changing = url("member", world.a.institution, world.a.applicant.pk)
    assert client.post(changing, {"roles": ["expert"]}).status_code == 404
    assert client.post(url("member_remove", world.a.institution, world.a.institution_admin.pk)).status_code == 404
    assert client.post(url("contact", world.a.institution), {"office_name": "被改了"}).status_code == 404
    assert roles_of(world.a.applicant, world.a.institution) == {"applicant"}
    assert roles_of(world.a.institution_admin, world.a.institution) == {ADMIN}
    assert log_count() == before


def test_ids_and_codes_cannot_be_guessed_into_access(client, world):
    """Another institution's member or pack through one's own institution, an unknown or malformed
    code: the same 404."""
    a, b = world.a.institution, world.b.institution
    own = services.institution_rules_new_version(
        institution=b, by=world.b.institution_admin, changes={"publicity_days": 20}
    )
    client.force_login(world.a.institution_admin)
    assert client.get(url("member", a, world.b.applicant.pk)).status_code == 404
    assert client.post(url("member", a, world.b.applicant.pk), {"roles": ["expert"]}).status_code == 404
    assert client.get(url("member_remove", a, world.b.applicant.pk)).status_code == 404
    assert client.get(url("rule_pack", a, own.pk)).status_code == 404
    for code in ["ZZZ", "aaa", "A", "AAA%00", "../BBB"]:
        assert client.get(f"/institutions/{code}/").status_code == 404, code
    assert roles_of(world.b.applicant, b) == {"applicant"}


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    page = client.get(url("members", world.a.institution))
    assert page.status_code == 302 and page["Location"].startswith(reverse("login"))


def test_the_services_check_the_admin_themselves(world):
    """A view is not the only guard: each service refuses anyone but an admin of that institution."""
    a = world.a.institution
    for by in (world.b.institution_admin, world.a.tto_officer):
        calls = [
            lambda by=by: services.member_add(institution=a, by=by, username=world.b.expert.username, roles=["expert"]),
            lambda by=by: services.member_set_roles(institution=a, by=by, member=world.a.applicant,
                                                    roles=["tto_officer"], external=False),
            lambda by=by: services.member_remove(institution=a, by=by, member=world.a.applicant),
            lambda by=by: services.institution_update_contact(institution=a, by=by, fields={"office_name": "科技处"}),
            lambda by=by: services.institution_rules_new_version(institution=a, by=by, changes={"publicity_days": 20}),
        ]
        for call in calls:
            with pytest.raises(ActionRefused) as refused:
                call()
            assert refused.value.code == services.Refusal.FORBIDDEN
            assert "只有本单位的单位管理员" in str(refused.value)
    assert roles_of(world.a.applicant, a) == {"applicant"}
    a.refresh_from_db()
    assert a.office_name == "科技成果转化办公室" and a.rule_pack.code == "national"


# --------------------------------------------------------------------------------------------
# Members


def test_the_member_list_shows_each_member_with_their_roles_and_stacks_on_a_phone(client, world):
    client.force_login(world.a.institution_admin)
    page = client.get(url("members", world.a.institution))
    html = page.content.decode()
    assert 'class="list stacked members"' in html and 'data-label="角色"' in html
    assert world.a.tto_officer.username in html and "技术转移办公室专员" in html
    assert world.b.tto_officer.username not in html
    rows = {row.user.username: row.role_codes for row in page.context["rows"]}
    assert rows[world.a.tto_officer.username] == ["tto_officer"]
    assert len(rows) == len(Role.values)
    found = client.get(url("members", world.a.institution), {"q": "aaa_exp"}).context["rows"]
    assert [row.user for row in found] == [world.a.expert]
    only_admins = client.get(url("members", world.a.institution), {"role": ADMIN}).context["rows"]
    assert [row.user for row in only_admins] == [world.a.institution_admin]


def test_an_existing_user_is_added_with_roles_and_the_change_is_recorded(client, world):
    a = world.a.institution
    outsider = world.b.expert
    client.force_login(world.a.institution_admin)
    page = client.post(url("member_add", a), {"username": outsider.username, "roles": ["expert", "assessor"],
                                              "external": "on"})
    assert page.status_code == 302 and page["Location"] == url("member", a, outsider.pk)
    assert roles_of(outsider, a) == {"expert", "assessor"}
    assert set(Membership.objects.filter(user=outsider, institution=a).values_list("external", flat=True)) == {True}
    assert roles_of(outsider, world.b.institution) == {"expert"}  # the other institution's roles untouched
    entry = LogEntry.objects.latest("pk")
    assert entry.user == world.a.institution_admin and entry.object_id == str(a.pk)
    overview = client.get(url("overview", a)).content.decode()
    assert f"授予 {outsider.last_name}{outsider.first_name}（{outsider.username}）“论证专家”角色" in overview
    # the same message in Django's own admin history, in the reader's language
    assert "角色成员" in entry.get_change_message()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"username": "nobody", "roles": ["expert"]}, "username", "没有用户名为“nobody”的账号"),
        ({"username": "aaa_applicant", "roles": ["expert"]}, "username", "已是本单位成员"),
        ({"username": "bbb_expert", "roles": []}, "roles", "请至少选择一个角色"),
        ({"username": "bbb_expert", "roles": ["superuser"]}, "roles", "请从列出的角色中选择"),
        ({"username": "bbb_expert\u202e", "roles": ["expert"]}, "username", "控制字符"),
    ],
)
def test_adding_a_member_with_bad_input_says_why_on_the_field_and_changes_nothing(client, world, data, field, message):
    client.force_login(world.a.institution_admin)
    before = (Membership.objects.count(), log_count())
    page = client.post(url("member_add", world.a.institution), data)
    assert page.status_code == 400
    html = page.content.decode()
    assert message in html
    assert 'class="error-summary"' in html
    anchor = "id_roles_0" if field == "roles" else f"id_{field}"
    assert f'href="#{anchor}"' in html  # the summary links to the field
    assert f'id="id_{field}_error"' in html  # and the error sits at the field
    assert (Membership.objects.count(), log_count()) == before


def test_a_new_account_gets_roles_and_an_initial_password_shown_once(client, world):
    a = world.a.institution
    client.force_login(world.a.institution_admin)
    page = client.post(url("account_create", a), {
        "username": "li.si", "full_name": "李四", "email": "lisi@example.cn", "roles": ["assessor"],
    })
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    user = get_user_model().objects.get(username="li.si")
    password = page.context["account"].password
    assert password in page.content.decode() and len(password) >= 12
    assert user.check_password(password) and user.email == "lisi@example.cn"
    assert roles_of(user, a) == {"assessor"}
    assert "新建账号 李四（li.si）" in client.get(url("overview", a)).content.decode()
    client.logout()
    assert client.post("/accounts/login/", {"username": "li.si", "password": password}).status_code == 302


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"username": "aaa_expert"}, "username", "已被使用"),
        ({"username": "AAA_EXPERT"}, "username", "已被使用"),
        ({"username": "li si"}, "username", "用户名只能包含"),
        ({"full_name": "李\u202e四"}, "full_name", "控制字符"),
        ({"full_name": "李\x00四"}, "full_name", ""),  # the form refuses the NUL byte itself
        ({"email": "not-an-address"}, "email", "请填写有效的电子邮箱地址"),
        ({"full_name": "  "}, "full_name", "请填写姓名。"),
        ({"roles": []}, "roles", "请至少选择一个角色"),
    ],
)
def test_a_new_account_with_bad_input_is_refused_and_nothing_is_created(client, world, data, field, message):
    client.force_login(world.a.institution_admin)
    users, before = get_user_model().objects.count(), log_count()
    post = {"username": "wang.wu", "full_name": "王五", "email": "ww@example.cn", "roles": ["expert"], **data}
    page = client.post(url("account_create", world.a.institution), post)
    assert page.status_code == 400
    assert page.context["form"].has_error(field)
    assert message in page.content.decode()
    assert (get_user_model().objects.count(), log_count()) == (users, before)


def test_roles_are_changed_with_checkboxes_in_a_fieldset_and_recorded(client, world):
    a = world.a.institution
    member = world.a.applicant
    client.force_login(world.a.institution_admin)
    html = client.get(url("member", a, member.pk)).content.decode()
    assert re.search(r'<fieldset class="choices"[^>]*>\s*<legend>角色\b', html)
    assert 'type="checkbox" name="roles" value="applicant"' in html
    page = client.post(url("member", a, member.pk), {"roles": ["tto_officer", "expert"]})
    assert page.status_code == 302
    assert roles_of(member, a) == {"tto_officer", "expert"}
    overview = client.get(url("overview", a)).content.decode()
    assert "撤销" in overview and "“申请人”角色" in overview and "“技术转移办公室专员”角色" in overview
    # no change is said so, and nothing is recorded
    before = log_count()
    page = client.post(url("member", a, member.pk), {"roles": ["tto_officer", "expert"]})
    assert page.status_code == 400 and "角色没有变化" in page.content.decode()
    assert log_count() == before


def test_an_admin_cannot_remove_their_own_last_admin_role(client, world):
    a = world.a.institution
    admin = world.a.institution_admin
    client.force_login(admin)
    before = log_count()
    page = client.post(url("member", a, admin.pk), {"roles": ["tto_officer"]})
    assert page.status_code == 400
    assert "您是本单位唯一的单位管理员，不能移除自己的单位管理员角色" in page.content.decode()
    assert roles_of(admin, a) == {ADMIN}
    page = client.post(url("member_remove", a, admin.pk))
    assert page.status_code == 400 and "唯一的单位管理员" in page.content.decode()
    assert roles_of(admin, a) == {ADMIN}
    assert log_count() == before
    with pytest.raises(ActionRefused) as refused:
        services.member_set_roles(institution=a, by=admin, member=admin, roles=["expert"], external=False)
    assert refused.value.code == services.Refusal.LAST_ADMIN


def test_with_a_second_admin_one_may_step_down_and_then_no_longer_reaches_the_screens(client, world):
    a = world.a.institution
    admin = world.a.institution_admin
    deputy = world.a.tto_officer
    services.member_set_roles(institution=a, by=admin, member=deputy, roles=["tto_officer", ADMIN], external=False)
    client.force_login(admin)
    page = client.post(url("member", a, admin.pk), {"roles": ["tto_officer"]})
    assert page.status_code == 302 and page["Location"] == reverse("home")
    assert roles_of(admin, a) == {"tto_officer"}
    assert client.get(url("overview", a)).status_code == 404
    # the deputy, now the last admin, cannot be removed by anyone
    with pytest.raises(ActionRefused) as refused:
        services.member_remove(institution=a, by=deputy, member=deputy)
    assert refused.value.code == services.Refusal.LAST_ADMIN


def test_a_member_is_removed_after_confirming(client, world):
    a = world.a.institution
    client.force_login(world.a.institution_admin)
    confirm = client.get(url("member_remove", a, world.a.expert.pk)).content.decode()
    assert "请确认：移出本单位" in confirm and "论证专家" in confirm
    assert roles_of(world.a.expert, a) == {"expert"}  # a GET changes nothing
    page = client.post(url("member_remove", a, world.a.expert.pk))
    assert page.status_code == 302 and page["Location"] == url("members", a)
    assert roles_of(world.a.expert, a) == set()
    assert get_user_model().objects.filter(pk=world.a.expert.pk).exists()  # the account stays
    assert client.get(url("member", a, world.a.expert.pk)).status_code == 404
    assert "撤销" in client.get(url("overview", a)).content.decode()


# --------------------------------------------------------------------------------------------
# Contact data


CONTACT = {
    "office_name": "科学技术处",
    "objection_office": "纪委办公室",
    "contact_email": "kjc@aaa.example.cn",
    "contact_phone": "0931-8912345",
    "address": "甘肃省兰州市城关区天水南路222号",
}


def test_the_contact_data_is_saved_and_recorded(client, world):
    a = world.a.institution
    client.force_login(world.a.institution_admin)
    page = client.post(url("contact", a), CONTACT)
    assert page.status_code == 302
    a.refresh_from_db()
    assert {name: getattr(a, name) for name in CONTACT} == CONTACT
    assert a.objection_receiver == "纪委办公室"
    overview = client.get(url("overview", a)).content.decode()
    assert "修改联系信息：" in overview and "异议受理部门" in overview
    assert "纪委办公室" in overview


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("office_name", "", "请填写成果转化管理部门。"),
        ("office_name", "科学\u202e技术处", "控制字符"),
        ("objection_office", "纪委\n办公室", "控制字符"),
        ("address", "兰州" + "\x07", "控制字符"),
        ("contact_email", "kjc@", "请填写有效的电子邮箱地址"),
        ("address", "地" * 101, ""),
    ],
)
def test_bad_contact_data_is_refused_on_its_field_and_changes_nothing(client, world, field, value, message):
    a = world.a.institution
    before = {name: getattr(a, name) for name in CONTACT}
    client.force_login(world.a.institution_admin)
    page = client.post(url("contact", a), {**CONTACT, field: value})
    assert page.status_code == 400
    assert page.context["form"].has_error(field), page.context["form"].errors
    assert message in page.content.decode()
    assert f'href="#id_{field}"' in page.content.decode()
    a.refresh_from_db()
    assert {name: getattr(a, name) for name in CONTACT} == before


def test_the_service_refuses_what_the_form_lets_through(world):
    """A caller that is not the form (an API, a command) meets the same checks."""
    a = world.a.institution
    with pytest.raises(services.FieldRefused) as refused:
        services.institution_update_contact(institution=a, by=world.a.institution_admin,
                                            fields={**CONTACT, "contact_phone": "0931\x008912345"})
    assert refused.value.field == "contact_phone"
    with pytest.raises(services.FieldRefused) as refused:
        services.institution_update_contact(institution=a, by=world.a.institution_admin,
                                            fields={**CONTACT, "contact_email": "nobody"})
    assert refused.value.field == "contact_email"
    a.refresh_from_db()
    assert a.contact_phone == ""


# --------------------------------------------------------------------------------------------
# Rule pack versions


def test_the_rule_form_prints_each_number_beside_its_clause(client, world):
    pack = world.a.institution.rule_pack
    client.force_login(world.a.institution_admin)
    page = client.get(url("rules_edit", world.a.institution))
    html = page.content.decode()
    floors = ("publicity_days", "reward_floor_transfer_pct", "reward_floor_equity_pct", "main_contributor_floor_pct")
    for name in floors:
        assert pack.clause(name) in html, name
        # the input is described by its clause (read out with it)
        assert re.search(rf'<input[^>]*aria-describedby="id_{name}_clause[^"]*"[^>]*id="id_{name}"', html), name
        assert f'id="id_{name}_clause"' in html
    assert "民法典》第二百零一条" in html  # the fallback clause of a rule the pack does not name
    assert sorted(n for _legend, names in RULE_GROUPS for n in names) == sorted(RULE_FIELDS)
    assert page.context["form"]["publicity_days"].value() == 15


def test_a_rule_change_is_a_new_version_that_only_new_cases_pin(client, world):
    a, b = world.a, world.b
    national = a.institution.rule_pack
    filed = case_services.case_submit(case=file_case(a), by=a.applicant)  # pins v1 now
    draft = file_case(a)  # pins at submission
    client.force_login(a.institution_admin)
    data = form_data(client.get(url("rules_edit", a.institution)))
    data.update({"publicity_days": 20, "reward_floor_transfer_pct": "70", "due_assessment": 10,
                 "note": "依据《某大学科技成果转化管理办法》（2026年修订）"})
    page = client.post(url("rules_edit", a.institution), data)
    assert page.status_code == 302, page.context["form"].errors if page.context else page
    a.institution.refresh_from_db()
    new = a.institution.rule_pack
    assert new.pk != national.pk and new.code == "inst-aaa" and new.version == national.version + 1
    assert (new.publicity_days, new.reward_floor_transfer_pct, new.due_days("assessment")) == (20, Decimal("70"), 10)
    assert new.clause("publicity_days") == national.clause("publicity_days")  # the clauses come along
    # the old version is untouched; the other institution keeps the shared pack
    national.refresh_from_db()
    assert national.publicity_days == 15 and national.reward_floor_transfer_pct == Decimal("50")
    b.institution.refresh_from_db()
    assert b.institution.rule_pack == national
    # the case already filed keeps the version it pinned; a case submitted now pins the new one
    filed.refresh_from_db()
    assert filed.rule_pack == national
    resubmitted = case_services.case_submit(case=draft, by=a.applicant)
    assert resubmitted.rule_pack == new
    assert case_services.case_submit(case=file_case(b), by=b.applicant).rule_pack == national
    # the case page of the filed case still shows 15 days
    client.force_login(a.tto_officer)
    assert "15 日" in client.get(filed.get_absolute_url()).content.decode()
    # the history: both versions, who made the new one, what changed, the note, the cases pinned
    client.force_login(a.institution_admin)
    history = client.get(url("rules", a.institution))
    rows = {row["pack"].pk: row for row in history.context["versions"]}
    assert set(rows) == {national.pk, new.pk}
    assert rows[new.pk]["by"] == a.institution_admin and rows[new.pk]["current"]
    assert rows[national.pk]["by"] is None and rows[national.pk]["cases"] == 1
    assert rows[new.pk]["cases"] == 1
    html = history.content.decode()
    assert "公示期（天）" in html and "依据《某大学科技成果转化管理办法》" in html and "系统预置" in html
    assert client.get(url("rule_pack", a.institution, national.pk)).status_code == 200
    # a second change continues the institution's own pack
    data = form_data(client.get(url("rules_edit", a.institution)))
    data["expert_quorum"] = 5
    assert client.post(url("rules_edit", a.institution), data).status_code == 302
    a.institution.refresh_from_db()
    assert (a.institution.rule_pack.code, a.institution.rule_pack.version) == ("inst-aaa", new.version + 1)
    assert RulePack.objects.get(pk=new.pk).expert_quorum == national.expert_quorum


@pytest.mark.parametrize(
    ("field", "value", "cited"),
    [
        ("publicity_days", 14, "国发〔2016〕16号"),
        ("reward_floor_transfer_pct", "49.99", "第四十五条第一款第（一）项"),
        ("reward_floor_equity_pct", "30", "第四十五条第一款第（二）项"),
        ("main_contributor_floor_pct", "40", "国发〔2016〕16号"),
        ("reward_floor_transfer_pct", "101", "100"),
        ("expert_quorum", 0, "1"),
    ],
)
def test_a_value_below_its_legal_floor_is_refused_citing_the_clause(client, world, field, value, cited):
    a = world.a.institution
    packs, before = RulePack.objects.count(), log_count()
    client.force_login(world.a.institution_admin)
    data = form_data(client.get(url("rules_edit", a)))
    data[field] = value
    page = client.post(url("rules_edit", a), data)
    assert page.status_code == 400
    errors = page.context["form"].errors[field]
    assert any(cited in error for error in errors), errors
    assert f'href="#id_{field}"' in page.content.decode()
    assert f'aria-describedby="id_{field}_clause id_{field}_error"' in page.content.decode()
    assert (RulePack.objects.count(), log_count()) == (packs, before)
    a.refresh_from_db()
    assert a.rule_pack.code == "national"


def test_the_service_refuses_a_floor_the_form_did_not_check(world):
    a = world.a.institution
    with pytest.raises(services.FieldRefused) as refused:
        services.institution_rules_new_version(institution=a, by=world.a.institution_admin,
                                               changes={"main_contributor_floor_pct": Decimal("45")})
    assert refused.value.code == services.Refusal.BELOW_FLOOR
    assert refused.value.field == "main_contributor_floor_pct"
    assert "国发〔2016〕16号" in str(refused.value)
    with pytest.raises(services.FieldRefused) as refused:
        services.institution_rules_new_version(institution=a, by=world.a.institution_admin,
                                               changes={"publicity_days": 10})
    assert refused.value.code == services.Refusal.BELOW_FLOOR and "国发〔2016〕16号" in str(refused.value)
    assert not RulePack.objects.filter(code="inst-aaa").exists()


def test_an_unchanged_rule_form_makes_no_version(client, world):
    a = world.a.institution
    client.force_login(world.a.institution_admin)
    data = form_data(client.get(url("rules_edit", a)))
    page = client.post(url("rules_edit", a), data)
    assert page.status_code == 400 and "规则没有变化" in page.content.decode()
    assert not RulePack.objects.filter(code="inst-aaa").exists()


def test_an_inactive_admin_is_no_admin(client, world):
    admin = world.a.institution_admin
    admin.is_active = False
    admin.save()
    with pytest.raises(ActionRefused):
        services.member_remove(institution=world.a.institution, by=admin, member=world.a.expert)
    other = UserFactory(username="aaa_admin2")
    Membership.objects.create(user=other, institution=world.a.institution, role=ADMIN)
    # the only other admin is inactive: the active one may not step down
    with pytest.raises(ActionRefused) as refused:
        services.member_set_roles(institution=world.a.institution, by=other, member=other, roles=["expert"],
                                  external=False)
    assert refused.value.code == services.Refusal.LAST_ADMIN


def test_the_django_admin_refuses_a_reward_floor_under_the_law_on_its_field(admin_client):
    """The superuser's pack editor (``RulePackAdmin``) applies the same floors."""
    national = RulePack.objects.get(code="national", version=1)
    address = reverse("admin:transfers_rulepack_change", args=[national.pk])
    form = admin_client.get(address).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update({"reward_floor_equity_pct": "45", "clauses": "{}", "stage_due_days": "{}",
                 "publicity_closing_time": "17:00:00"})
    data = {k: v for k, v in data.items() if not isinstance(v, bool) or v}
    page = admin_client.post(address, data)
    assert page.status_code == 200 and "第四十五条第一款第（二）项" in page.content.decode()
    assert RulePack.objects.filter(code="national").count() == 1


def test_the_screens_render_in_english_too(client, world):
    """Every string goes through the catalogue; a page in English renders, its data marked as Chinese."""
    client.force_login(world.a.institution_admin)
    client.cookies["django_language"] = "en"
    for address in all_pages(world):
        page = client.get(address)
        assert page.status_code == 200, address
        assert '<html lang="en">' in page.content.decode()
    page = client.post(url("member_add", world.a.institution), {"username": "", "roles": []})
    assert page.status_code == 400
