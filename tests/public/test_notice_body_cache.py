"""A published notice's text is the same for every reader of a language: its page renders it once per
process and version (``transfers_tags.notice_body``), exactly as a fresh render prints it."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tests.public.test_notices import to_publicity
from transfers.models import Notice

pytestmark = pytest.mark.django_db

BODY = "public/_notice_body.html"


def test_the_text_is_rendered_once_per_version_and_language_and_is_what_a_fresh_render_prints(client, world):
    case = to_publicity(world.a)
    notice = Notice.objects.get(case=case)
    url = reverse("public:notice_detail", args=[notice.number])
    first = client.get(url)
    assert BODY in [t.name for t in first.templates]
    with translation.override("zh-hans"):
        fresh = render_to_string(BODY, {"notice": notice, "c": notice.content})
    assert fresh in first.content.decode()
    again = client.get(url)
    assert BODY not in [t.name for t in again.templates]  # kept
    assert fresh in again.content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert BODY in [t.name for t in english.templates]  # another language, another text
    assert "1. Scientific and technological achievements" in english.content.decode()
    assert "1. Scientific and technological achievements" not in client.get(url).content.decode()
    # a saved change to the version (its status, a reason) renders it again
    Notice.objects.filter(pk=notice.pk).update(updated_at=notice.updated_at.replace(microsecond=1))
    assert BODY in [t.name for t in client.get(url).templates]
