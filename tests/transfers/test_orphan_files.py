"""Files a rolled-back transaction left in storage are removed once a day old; every file a row names
stays."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.storage import default_storage
from django.db import transaction

from tests.factories import file_case, pdf
from tests.public.test_notices import objection_post, to_publicity
from transfers import clock
from transfers.models import Attachment, AttachmentKind, Notice, Objection
from transfers.services.attachments import attachment_store
from transfers.services.orphans import orphan_files_sweep

pytestmark = pytest.mark.django_db


class Refused(Exception):
    pass


def test_a_file_whose_row_rolled_back_is_removed_after_a_day_and_named_files_stay(client, world):
    case = to_publicity(world.a)
    notice = Notice.objects.get(case=case)
    evidence = pdf("证据.pdf")
    assert client.post(notice.get_current_url(), {**objection_post(), "evidence": evidence}).status_code == 302
    named = {a.file.name for a in Attachment.objects.all()} | {notice.pdf.name, Objection.objects.get().evidence.name}
    draft = file_case(world.b)
    written = []

    def record_then_refuse():
        with transaction.atomic():
            written.append(attachment_store(case=draft, by=world.b.applicant, kind=AttachmentKind.DISCLOSURE_FORM,
                                            upload=pdf("披露表.pdf")).file.name)
            raise Refused  # a refusal after the upload was written

    with pytest.raises(Refused):
        record_then_refuse()
    left = written[0]
    assert default_storage.exists(left) and not Attachment.objects.filter(file=left).exists()

    assert orphan_files_sweep() == []  # a day of grace: its transaction might still be open
    with clock.travel_to(clock.now() + datetime.timedelta(days=1, minutes=1)):
        assert orphan_files_sweep() == [left]
    assert not default_storage.exists(left)
    assert all(default_storage.exists(name) for name in named) and len(named) >= 3


def test_beat_runs_the_sweep(settings):
    from config.celery_app import app

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "transfers.tasks.sweep_orphan_files" in scheduled
    assert app.tasks["transfers.tasks.sweep_orphan_files"].delay().get() == []
