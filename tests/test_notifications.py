"""The people concerned hear about a transition: in the app, and by mail after commit, in the
reader's language; nothing is told of a move that rolled back; a broker outage loses nothing."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from kombu.exceptions import OperationalError

from notifications.models import Notification
from notifications.tasks import deliver_pending
from tests.factories import file_case
from tests.public.test_notices import objection_post, to_publicity
from transfers import events
from transfers.models import Notice, Objection, Stage, TransferCase
from transfers.services import cases as svc

pytestmark = pytest.mark.django_db


def test_submission_tells_the_tto_officers_and_mails_once(client, world):
    svc.case_submit(case=file_case(world.a), by=world.a.applicant)
    rows = Notification.objects.all()
    assert [n.recipient for n in rows] == [world.a.tto_officer]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world.a.tto_officer.email]
    assert "初审" in mail.outbox[0].subject
    assert rows[0].emailed_at is not None
    client.force_login(world.a.tto_officer)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "初审" in page
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    # nobody of the other institution hears about it
    assert not Notification.objects.filter(recipient__memberships__institution=world.b.institution).exists()


class HandlerFailed(RuntimeError):
    pass


def test_a_transition_rolled_back_after_its_rows_were_written_tells_nobody(world, monkeypatch):
    """The outbox rows are written inside the transition's transaction (by the notification handler);
    a handler registered after it fails, so the whole transition rolls back: no row, no mail."""
    case = file_case(world.a)
    written = []

    def fail_after_the_outbox(event: object) -> None:
        written.append(Notification.objects.count())  # the rows exist at this point, in the transaction
        raise HandlerFailed("the flow could not follow")

    monkeypatch.setattr(events, "_handlers", [*events.handlers(), fail_after_the_outbox])
    with pytest.raises(HandlerFailed):
        svc.case_submit(case=case, by=world.a.applicant)
    assert written == [1]
    assert not Notification.objects.exists()
    assert mail.outbox == []
    assert TransferCase.objects.get(pk=case.pk).stage == Stage.DRAFT


def test_notifications_are_read_in_the_readers_language(client, world):
    svc.case_submit(case=file_case(world.a, title="耐旱马铃薯技术转让"), by=world.a.applicant)
    row = Notification.objects.get()
    assert row.kind and row.params["stage"] == Stage.PRELIMINARY_REVIEW  # a code, not words
    client.force_login(world.a.tto_officer)
    client.cookies["django_language"] = "en"
    english = client.get(reverse("notifications:list")).content.decode()
    assert "Preliminary review" in english and "进入“初审”环节" not in english
    client.cookies["django_language"] = "zh-hans"
    assert "已进入“初审”环节" in client.get(reverse("notifications:list")).content.decode()


def test_a_very_long_title_never_breaks_a_transition_or_a_mail(world):
    title = "一" * TransferCase._meta.get_field("title").max_length
    svc.case_submit(case=file_case(world.a, title=title), by=world.a.applicant)
    subject = mail.outbox[0].subject
    assert len(subject) < 120 and subject.startswith("【AAA-")


def test_a_broker_outage_saves_the_objection_and_mails_the_confirmation_later(client, world, monkeypatch):
    notice = Notice.objects.get(case=to_publicity(world.a))
    mail.outbox.clear()

    def broker_down(*args, **kwargs):
        raise OperationalError("[Errno 111] Connection refused")

    monkeypatch.setattr(deliver_pending, "delay", broker_down)
    response = client.post(notice.get_current_url(), objection_post(), follow=True)
    assert response.status_code == 200
    objection = Objection.objects.get()
    assert objection.confirmation in response.content.decode()  # saved, and the objector is told so
    assert TransferCase.objects.get(pk=notice.case_id).stage == Stage.OBJECTION_REVIEW
    waiting = Notification.objects.get(to_email="zhang@example.cn")
    assert waiting.emailed_at is None and mail.outbox == []
    # the beat job delivers what waited in the outbox, once
    deliver_pending()
    confirmations = [m for m in mail.outbox if objection.confirmation in m.subject]
    assert len(confirmations) == 1 and confirmations[0].to == ["zhang@example.cn"]
    deliver_pending()
    assert len([m for m in mail.outbox if objection.confirmation in m.subject]) == 1


def test_a_line_break_typed_into_a_title_never_reaches_a_mail_header(world):
    """A title pasted with a line break is stored on one line; an old row that holds one is still
    mailed, and never stops the others."""
    case = file_case(world.a, title="耐旱马铃薯\r\nBcc: attacker@example.com")
    assert case.title == "耐旱马铃薯 Bcc: attacker@example.com"
    svc.case_submit(case=case, by=world.a.applicant)
    Notification.objects.create(recipient=world.a.tto_officer, case=case, subject="旧通知\nBcc: x@example.com",
                                body="旧")
    mail.outbox.clear()
    Notification.objects.update(emailed_at=None)
    deliver_pending()
    assert len(mail.outbox) == 2 and all("\n" not in m.subject for m in mail.outbox)
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_a_direction_override_or_control_character_is_refused_with_the_fields_name(world):
    from transfers.services.errors import ActionRefused

    for title in ["耐旱马铃薯\u202e技术转让", "耐旱\x07马铃薯"]:
        with pytest.raises(ActionRefused) as refused:
            file_case(world.a, title=title)
        assert refused.value.code == "invalid" and "项目名称" in str(refused.value)
    assert not TransferCase.objects.exists()


def test_a_failing_mail_server_is_retried_after_growing_pauses_and_the_failure_shown(world, monkeypatch, admin_client):
    import datetime

    from django.utils import timezone

    from notifications import services as delivery

    case = svc.case_submit(case=file_case(world.a), by=world.a.applicant)
    Notification.objects.update(emailed_at=timezone.now())
    row = Notification.objects.create(recipient=world.a.tto_officer, case=case, kind="case_stage",
                                      params={"ref": case.reference, "title": case.title, "stage": case.stage})
    mail.outbox.clear()

    def refused(*args, **kwargs):
        raise ConnectionRefusedError("[Errno 111] Connection refused")

    monkeypatch.setattr(delivery, "send_mail", refused)
    start = timezone.now()
    assert deliver_pending() == 0
    row.refresh_from_db()
    assert row.attempts == 1 and row.emailed_at is None and "Connection refused" in row.last_error
    assert row.next_attempt_at >= start + datetime.timedelta(minutes=1)
    # the sweep a few seconds later does not hammer the server: the row waits for its pause
    assert deliver_pending() == 0
    row.refresh_from_db()
    assert row.attempts == 1
    # the administrators see why it waits
    page = admin_client.get("/admin/notifications/notification/?delivery=failing").content.decode()
    assert "Connection refused" in page
    # after the pause the server answers again: mailed once
    monkeypatch.undo()
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
    assert deliver_pending() == 1 and deliver_pending() == 0
    assert len(mail.outbox) == 1
    assert [delivery.retry_after(n).total_seconds() / 60 for n in (1, 2, 3, 4, 5, 6)] == [1, 5, 15, 60, 240, 240]


def test_a_delivery_that_found_the_row_due_leaves_it_once_another_has_just_failed_it(world, monkeypatch):
    """Two deliveries list the same row (a task handed back by a dead worker, beat's sweep); the first
    fails and sets the pause; the second, getting the row lock after it, leaves the row to its pause
    instead of trying the mail server again at once."""
    from notifications import services as delivery

    svc.case_submit(case=file_case(world.a), by=world.a.applicant)
    Notification.objects.update(emailed_at=None, attempts=0)
    row = Notification.objects.get()
    calls = []

    def refused(*args, **kwargs):
        calls.append(args)
        raise ConnectionRefusedError("[Errno 111] Connection refused")

    monkeypatch.setattr(delivery, "send_mail", refused)
    assert delivery.deliver_one(row.pk) is False  # the first delivery: refused, pause set
    assert delivery.deliver_one(row.pk) is False  # the second, which had listed the row before that
    row.refresh_from_db()
    assert len(calls) == 1 and row.attempts == 1 and row.emailed_at is None
    monkeypatch.undo()
    mail.outbox.clear()
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=None)
    assert delivery.deliver_one(row.pk) is True and delivery.deliver_one(row.pk) is False
    assert len(mail.outbox) == 1
