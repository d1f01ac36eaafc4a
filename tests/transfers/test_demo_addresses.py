"""`make run PORT=N`: the demo's notices print the address the demo is served at, and its mail goes
to files, so the logins stay readable."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from transfers.models import AuditEvent, Notice, NoticeStatus
from transfers.pdf import pdf_text

pytestmark = pytest.mark.django_db


def test_demo_notices_print_the_port_the_demo_is_served_at(settings, capsys):
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8123"
    call_command("seed_demo")
    published = Notice.objects.exclude(status=NoticeStatus.PENDING)
    assert published.exists() and not Notice.objects.filter(status=NoticeStatus.PENDING).exists()
    assert set(published.values_list("printed_base_url", flat=True)) == {"http://127.0.0.1:8123"}
    notice = published.filter(status=NoticeStatus.IN_PUBLICITY, kind="transfer").first()
    with notice.pdf.open("rb") as handle:
        text = pdf_text(handle.read()).replace("\n", "")
    assert f"http://127.0.0.1:8123/notices/{notice.number}/" in text and "127.0.0.1:8000" not in text
    out = capsys.readouterr().out
    assert "lzu_tto" in out and "demo-2026" in out and "WARNING" not in out.upper()
    # the application in publicity is printed as one, with its dates
    assert "发明专利申请" in text and "申请日" in text
    # a second run on another port says the old notices lead elsewhere
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:9000"
    call_command("seed_demo")
    assert "127.0.0.1:8123" in capsys.readouterr().out


def test_system_notes_are_read_in_the_readers_language(client, settings):
    call_command("seed_demo")
    event = AuditEvent.objects.filter(note="publicity_over").first() or AuditEvent.objects.filter(
        note="objection_received").first()
    assert event is not None and event.comment == ""
    assert client.post("/accounts/login/", {"username": "lzu_tto", "password": "demo-2026"}).status_code == 302
    case_page = event.case.get_absolute_url()
    assert event.note_text in client.get(case_page).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(case_page).content.decode()
    assert "收到实名书面异议" not in english and "公示期满，无异议" not in english
