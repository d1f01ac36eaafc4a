"""The people concerned hear about a transition: in the app, and by mail after commit."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Notification
from tests.factories import file_case
from transfers.services import cases as svc

pytestmark = pytest.mark.django_db


def test_submission_tells_the_tto_officers_and_mails_once(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        svc.case_submit(case=file_case(world.a), by=world.a.applicant)
    rows = Notification.objects.all()
    assert [n.recipient for n in rows] == [world.a.tto_officer]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world.a.tto_officer.email]
    assert rows[0].emailed_at is not None
    client.force_login(world.a.tto_officer)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "初审" in page
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    # nobody of the other institution hears about it
    assert not Notification.objects.filter(recipient__memberships__institution=world.b.institution).exists()


def test_a_failed_transition_leaves_no_notification(world):
    case = file_case(world.a)
    with pytest.raises(Exception):  # noqa: B017
        svc.case_pass_preliminary_review(case=case, by=world.a.tto_officer)
    assert not Notification.objects.exists()


def test_notifications_are_written_in_the_site_language_whatever_the_actor_reads(world):
    from django.utils import translation

    with translation.override("en"):
        svc.case_submit(case=file_case(world.a), by=world.a.applicant)
    assert "初审" in Notification.objects.get().subject
