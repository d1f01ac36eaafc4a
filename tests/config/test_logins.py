"""Signing in holds up (issue 11): failed logins are throttled and locked out per username and address
(django-axes), passwords can be changed and reset by mail, the client's address is never taken from a
header the client writes, and the demo data is refused under production settings."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from transfers.models import AuditEvent
from transfers.views import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "Zz-very-long-2026"


@pytest.fixture
def person(db):
    return get_user_model().objects.create_user("wang.wu", "wang.wu@example.cn", PASSWORD)


def attempt(client, password, username="wang.wu", address="10.0.0.8"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_failures_lock_that_username_from_that_address(client, person):
    for _ in range(4):
        response = attempt(client, "wrong")
        assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()
    locked = attempt(client, "wrong")
    assert locked.status_code == 429 and "登录已暂时锁定" in locked.content.decode()
    # even the right password is refused now, and nobody is signed in
    again = attempt(client, PASSWORD)
    assert again.status_code == 429 and "_auth_user_id" not in client.session
    # the same person from another address, and another person from this one, are not locked
    assert attempt(client, PASSWORD, address="10.0.0.9").status_code == 302
    client.logout()
    get_user_model().objects.create_user("li.si", "li.si@example.cn", PASSWORD)
    assert attempt(client, PASSWORD, username="li.si").status_code == 302


def test_a_success_resets_the_count(client, person):
    for _ in range(4):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "wrong").status_code == 200


def test_a_person_changes_their_password(client, person):
    client.force_login(person)
    assert client.get(reverse("password_change")).status_code == 200
    assert reverse("password_change") in client.get(reverse("notifications:list")).content.decode()  # in the menu
    wrong = client.post(reverse("password_change"), {"old_password": "nope", "new_password1": "Yy-another-2026",
                                                     "new_password2": "Yy-another-2026"})
    assert wrong.status_code == 200 and 'class="error-summary"' in wrong.content.decode()
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
    done = client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": "Yy-another-2026",
                                                    "new_password2": "Yy-another-2026"}, follow=True)
    assert "密码已修改" in done.content.decode()
    person.refresh_from_db()
    assert person.check_password("Yy-another-2026")


def test_a_forgotten_password_is_reset_through_a_mailed_link(client, person, settings):
    settings.PUBLIC_BASE_URL = "https://gongshi.example.edu.cn"
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()
    response = client.post(reverse("password_reset"), {"email": "wang.wu@example.cn"})
    assert response.status_code == 302
    # an unknown address gets the same answer, and no mail
    client.post(reverse("password_reset"), {"email": "nobody@example.cn"})
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = re.search(r"https://gongshi\.example\.edu\.cn(/accounts/password/reset/\S+/)", body)
    assert link is not None, body  # built on the public address, never on the request's host
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200 and "设置新密码" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0] if form.redirect_chain else link.group(1),
                       {"new_password1": "Xx-reset-2026-ok", "new_password2": "Xx-reset-2026-ok"}, follow=True)
    assert "新密码已设置" in done.content.decode()
    person.refresh_from_db()
    assert person.check_password("Xx-reset-2026-ok")
    # the link works once
    assert "链接已失效" in client.get(link.group(1), follow=True).content.decode()


@pytest.mark.parametrize(("hops", "meta", "expected"), [
    (0, {"REMOTE_ADDR": "10.1.2.3", "HTTP_X_FORWARDED_FOR": "6.6.6.6"}, "10.1.2.3"),  # no proxy: the header is ignored
    (1, {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7"}, "203.0.113.7"),
    (1, {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7:4433"}, "203.0.113.7"),
    (1, {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "[2001:db8::1]:443"}, "2001:db8::1"),
    (1, {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "<script>, not-an-ip"}, None),
    (0, {"REMOTE_ADDR": "garbage"}, None),
])
def test_the_client_address_is_never_a_header_the_client_chose_nor_garbage(rf, settings, hops, meta, expected):
    settings.TRUSTED_PROXY_HOPS = hops
    assert client_ip(rf.get("/", **meta)) == expected


def test_a_garbage_forwarded_address_never_breaks_an_audited_action(client, settings, world):
    from tests.factories import file_case

    settings.TRUSTED_PROXY_HOPS = 1
    case = file_case(world.a)
    client.force_login(world.a.applicant)
    response = client.post(reverse("transfers:case_submit", args=[case.public_id]),
                           HTTP_X_FORWARDED_FOR="1.2.3.4:80:garbage")
    assert response.status_code == 302
    assert AuditEvent.objects.get(case=case, action="submit").ip is None


def test_the_demo_data_is_refused_under_production_settings(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")
    assert not get_user_model().objects.filter(username="lzu_tto").exists()


def test_a_nul_byte_in_a_query_is_refused_with_400_not_500(client, world):
    client.force_login(world.a.tto_officer)
    for url in ("/cases/?q=%00", "/work/?q=a%00b", "/notices/?q=%00", "/work/queue/?stage=%00"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "空字符" in response.content.decode()


def test_a_bad_host_is_refused_with_400(client):
    response = client.get("/notices/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400 and "请求无法处理" in response.content.decode()


def test_health_is_answered_over_plain_http_behind_the_tls_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
    assert client.get("/healthz/").status_code in (200, 503)  # its state, never a redirect
    assert client.get("/notices/").status_code == 301
