"""Django admin never changes a domain row behind the services: cases, achievements, memberships and
the flow's processes and tasks are read-only there, and registering an institution goes through
``institution_register``, which names its first institution admin and is recorded."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import UserFactory, file_case
from transfers.models import Achievement, Institution, Membership, Role, RulePack
from transfers.selectors.institutions import institution_history
from transfers.templatetags.transfers_tags import person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["institution", "membership", "achievement"])
def test_a_domain_row_cannot_be_changed_or_deleted_from_django_admin(admin_client, world, model):
    file_case(world.a)
    row = {"institution": world.a.institution, "membership": Membership.objects.filter(
        institution=world.a.institution).first(), "achievement": Achievement.objects.first()}[model]
    before = {f.attname: getattr(row, f.attname) for f in type(row)._meta.concrete_fields}
    change = reverse(f"admin:transfers_{model}_change", args=[row.pk])

    page = admin_client.get(change)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # shown, not editable
    edited = {"name": "改名", "role": Role.INSTITUTION_ADMIN, "title": "改名"}
    assert admin_client.post(change, edited).status_code == 403
    delete = reverse(f"admin:transfers_{model}_delete", args=[row.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    row.refresh_from_db()
    assert {f.attname: getattr(row, f.attname) for f in type(row)._meta.concrete_fields} == before


@pytest.mark.parametrize("model", ["process", "task"])
def test_the_flow_s_processes_and_tasks_cannot_be_changed_or_deleted_from_django_admin(admin_client, world, model):
    from transfers.services import cases as svc
    from workflows.selectors import open_tasks_of

    case = svc.case_submit(case=file_case(world.a), by=world.a.applicant)
    task = open_tasks_of(case).get()
    row = task if model == "task" else task.process
    change = reverse(f"admin:viewflow_{model}_change", args=[row.pk])
    assert admin_client.get(change).status_code == 200
    assert 'name="_save"' not in admin_client.get(change).content.decode()
    assert admin_client.post(change, {"status": "DONE", "owner_permission": ""}).status_code == 403
    delete = reverse(f"admin:viewflow_{model}_delete", args=[row.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert [t.status for t in open_tasks_of(case)] == ["NEW"]


def test_registering_an_institution_appoints_its_first_admin_and_is_recorded(admin_client, world):
    head = UserFactory(username="xju-admin")
    page = admin_client.post(reverse("admin:transfers_institution_add"), {
        "code": "XJU", "name": "新疆大学", "rule_pack": RulePack.objects.get(code="national", version=1).pk,
        "admin_username": "xju-admin",
    })
    assert page.status_code == 302
    xju = Institution.objects.get(code="XJU")
    assert list(Membership.objects.filter(institution=xju).values_list("user__username", "role")) == [
        ("xju-admin", Role.INSTITUTION_ADMIN)]
    history = institution_history(xju)
    assert len(history) == 1 and history[0]["by"].username == "admin"
    assert history[0]["lines"] == ["登记单位“新疆大学”（XJU）", f"授予 {person(head)}（xju-admin）“单位管理员”角色"]


def test_an_institution_for_an_unknown_account_is_refused_on_the_field_and_nothing_is_made(admin_client, world):
    entries = LogEntry.objects.count()
    page = admin_client.post(reverse("admin:transfers_institution_add"), {
        "code": "XJU", "name": "新疆大学", "rule_pack": RulePack.objects.get(code="national", version=1).pk,
        "admin_username": "nobody",
    })
    assert page.status_code == 200
    assert "没有用户名为“nobody”的启用账号。" in page.content.decode()
    assert not Institution.objects.filter(code="XJU").exists()
    assert LogEntry.objects.count() == entries


def test_only_a_platform_operator_registers_an_institution(world):
    from transfers.services.errors import ActionRefused
    from transfers.services.institutions import institution_register

    with pytest.raises(ActionRefused):
        institution_register(by=world.a.institution_admin, code="XJU", name="新疆大学",
                             rule_pack=world.a.institution.rule_pack, admin_username=world.a.applicant.username)
    assert not Institution.objects.filter(code="XJU").exists()


def test_a_registration_the_service_refuses_changes_nothing_and_says_why(admin_client, world, monkeypatch):
    """The account was deactivated between the form's check and the save: no error page, nothing made."""
    from transfers import admin as transfers_admin
    from transfers.services.institutions import institution_register

    UserFactory(username="xju-admin")

    def deactivated_meanwhile(**kwargs):
        get_user_model().objects.filter(username="xju-admin").update(is_active=False)
        return institution_register(**kwargs)

    monkeypatch.setattr(transfers_admin, "institution_register", deactivated_meanwhile)
    url = reverse("admin:transfers_institution_add")
    response = admin_client.post(url, {
        "code": "XJU", "name": "新疆大学", "rule_pack": RulePack.objects.get(code="national", version=1).pk,
        "admin_username": "xju-admin",
    }, follow=True)
    assert response.status_code == 200
    assert "没有用户名为“xju-admin”的启用账号。" in response.content.decode()
    assert not Institution.objects.filter(code="XJU").exists()
