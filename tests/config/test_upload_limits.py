"""Uploads are limited where a person sees it and before the server reads them: every file input
says the formats and the size of one file; a body larger than any form needs is answered 413 from its
Content-Length without a byte of it read; a file over the limit is refused on its field."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from transfers.models import TransferCase

pytestmark = pytest.mark.django_db


class UnreadableBody:
    """A request body that must never be read."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_a_body_larger_than_any_form_needs_is_refused_before_it_is_read(client, world):
    client.force_login(world.a.applicant)
    too_big = settings.UPLOAD_REQUEST_MAX_BYTES + 1
    response = client.post(reverse("transfers:case_create"), content_type="multipart/form-data; boundary=x",
                           **{"wsgi.input": UnreadableBody(), "CONTENT_LENGTH": str(too_big)})
    assert response.status_code == 413
    page = response.content.decode()
    assert "提交的内容过大" in page and "每个文件不超过 20.0\xa0MB" in page and "合计不超过 61.0\xa0MB" in page
    assert not TransferCase.objects.exists()


def test_a_body_within_the_limit_reaches_the_form(client, world):
    client.force_login(world.a.applicant)
    response = client.post(reverse("transfers:case_create"), {"title": ""})
    page = response.content.decode()
    assert response.status_code == 400 and "提交的内容过大" not in page
    assert 'class="error-summary"' in page and 'id="id_title"' in page  # the form answers, with its own errors


def test_every_file_input_of_the_case_form_says_its_formats_and_limit(client, world):
    client.force_login(world.a.applicant)
    page = client.get(reverse("transfers:case_create")).content.decode()
    inputs = re.findall(r"<input[^>]*type=\"file\"[^>]*>", page)
    assert len(inputs) == 3
    for tag in inputs:
        assert 'accept=".pdf,.png,.jpg,.jpeg,.docx,.xlsx"' in tag
        assert f'data-max-bytes="{settings.ATTACHMENT_MAX_BYTES}"' in tag  # forms.js refuses larger as chosen
        hint_id = re.search(r'aria-describedby="([^"]+)"', tag)[1]
        hint = re.search(rf'id="{hint_id}">(.*?)</small>', page, re.S)[1]
        assert "PDF、PNG、JPEG、DOCX、XLSX，每个文件不超过 20.0\xa0MB。" in hint


def test_the_objection_form_says_the_formats_the_public_may_send(client, world):
    from tests.public.test_notices import to_publicity
    from transfers.models import Notice

    page = client.get(Notice.objects.get(case=to_publicity(world.a)).get_current_url()).content.decode()
    assert "PDF、PNG、JPEG，每个文件不超过 20.0\xa0MB。" in page
    assert 'accept=".pdf,.png,.jpg,.jpeg"' in page


def test_a_file_over_the_limit_is_refused_on_its_field(settings):
    from transfers.public_forms import VerifyForm

    settings.ATTACHMENT_MAX_BYTES = 100
    form = VerifyForm(data={}, files={"pdf": SimpleUploadedFile("公示.pdf", b"%PDF-" + b"x" * 200)})
    assert not form.is_valid()
    assert form.errors["pdf"] == ["文件“公示.pdf”过大（205\xa0字节），上限为 100\xa0字节。"]


def test_a_form_with_errors_says_so_once_in_its_summary_not_also_in_a_banner(client, world):
    """GOV.UK: the error summary is the one place the problems are listed; a vaguer flash above it
    ("please correct and resubmit") said nothing the summary does not."""
    client.force_login(world.a.applicant)
    page = client.post(reverse("transfers:case_create"), {"title": ""}).content.decode()
    assert page.count('role="alert"') == 1 and 'class="error-summary"' in page
    assert "请根据提示修改后再提交" not in page
